import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredKeyShow: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "Prints the key protection.")
  func run() throws {
    print(try CredentialVault.keyProtection(location: .user()).rawValue)
  }
}
