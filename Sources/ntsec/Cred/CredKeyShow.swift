import ArgumentParser
import CredentialManager
import Foundation

struct CredKeyShow: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "Prints the key protection.")
  func run() throws {
    try credRun { () throws(CredentialError) in
      print(try CredentialVault.keyProtection(location: .user()).rawValue)
    }
  }
}
