import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredIsMarshaled: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "is-marshaled", abstract: "CredIsMarshaledCredential.")
  @Argument(help: "The user name to test (a marshaled credential starts with @@).") var string: String
  func run() { print(CredentialManager.isMarshaled(string) ? "true" : "false") }
}
