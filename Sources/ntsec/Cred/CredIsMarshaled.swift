import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredIsMarshaled: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "is-marshaled", abstract: "CredIsMarshaledCredential.")
  @Argument var string: String
  func run() { print(CredentialManager.isMarshaled(string) ? "true" : "false") }
}
