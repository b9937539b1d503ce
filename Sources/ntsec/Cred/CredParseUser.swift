import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredParseUser: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "parse-user", abstract: "CredUIParseUserName.")
  @Argument(help: "A user name: DOMAIN\\user, user@domain, a marshaled credential or a plain name.") var name:
    String
  func run() throws {
    let parsed = try CredentialManager.parseUserName(name)
    print("user \(parsed.user)")
    print("domain \(parsed.domain)")
  }
}
