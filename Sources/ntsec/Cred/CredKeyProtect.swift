import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredKeyProtect: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "protect",
    abstract: "Wraps the vault key with a passphrase (scrypt); asked once per logon session afterwards.")
  @Flag(name: .long, help: "Read the new passphrase from standard input instead of the terminal.")
  var passphraseStdin = false

  func run() throws {
    let phrase: String
    if passphraseStdin {
      phrase = readSecretFromStandardInput()
    } else {
      guard let first = TerminalLine.read(prompt: "New vault passphrase: ", secret: true),
        let again = TerminalLine.read(prompt: "Repeat the passphrase: ", secret: true)
      else { throw ValidationError("no terminal to ask the passphrase on: use --passphrase-stdin") }
      guard first == again else { throw ValidationError("the passphrases differ") }
      phrase = first
    }
    guard !phrase.isEmpty else { throw ValidationError("the passphrase is empty") }
    _ = try openVault()  // the vault exists and opens before its key is re-wrapped
    try CredentialVault.changeKeyProtection(
      location: .user(), to: .passphrase, newPassphrase: phrase, passphrase: vaultPassphrase)
    print("The vault key is protected by the passphrase.")
  }
}
