import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Stores a credential (CredWrite).")
  @Argument(
    help: "The target name (e.g. server.example.com, git:https://host, or any name for a generic credential)."
  )
  var target: String
  @Option(name: .long, help: "The user name stored with the credential (e.g. DOMAIN\\user or user@REALM).")
  var user: String
  @Flag(name: .long, help: "Read the password from standard input (one trailing newline is dropped).")
  var passwordStdin = false
  @OptionGroup var type: TypeOption
  @Option(
    name: .long, help: "session, local or enterprise.", completion: .list(["session", "local", "enterprise"]))
  var persist: String = "local"
  @Option(name: .long, help: "A comment stored with the credential.") var comment: String?

  func run() throws {
    let persistValue: CredentialPersist
    switch persist.lowercased() {
    case "session": persistValue = .session
    case "local", "local-machine": persistValue = .localMachine
    case "enterprise": persistValue = .enterprise
    default: throw ValidationError("--persist: session, local or enterprise")
    }
    let credentialType = try type.resolve()
    let password = try TerminalLine.password(for: user, standardInput: passwordStdin)
    var c = Credential(
      type: credentialType, targetName: target, userName: user, password: password, persist: persistValue,
      comment: comment)
    defer { c.credentialBlob.clear() }
    try openVault().write(c)
    print("Credential added: \(target)")
  }
}
