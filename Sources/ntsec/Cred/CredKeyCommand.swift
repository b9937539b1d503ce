import ArgumentParser
import CredentialManager
import Foundation

/// Standard input to its end, one trailing newline (and carriage return) dropped; the bytes read
/// are wiped once the string is made.
func readSecretFromStandardInput() -> String {
  var data = FileHandle.standardInput.readDataToEndOfFile()
  defer { data.resetBytes(in: 0..<data.count) }
  var end = data.count
  if end > 0 && data[end - 1] == 0x0A { end -= 1 }
  if end > 0 && data[end - 1] == 0x0D { end -= 1 }
  return String(decoding: data[0..<end], as: UTF8.self)
}

/// `ntsec cred key show|protect|unprotect`: how the vault's master key is kept.
struct CredKey: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "key",
    abstract: "How the vault's master key is kept: show, protect (passphrase), unprotect.",
    subcommands: [CredKeyShow.self, CredKeyProtect.self, CredKeyUnprotect.self])
}

struct CredKeyShow: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "Prints the key protection.")
  func run() throws {
    try credRun { () throws(CredentialError) in
      print(try CredentialVault.keyProtection(location: .user()).rawValue)
    }
  }
}

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
    try credRun { () throws(CredentialError) in
      _ = try openVault()  // the vault exists and opens before its key is re-wrapped
      try CredentialVault.changeKeyProtection(
        location: .user(), to: .passphrase, newPassphrase: phrase, passphrase: vaultPassphrase)
      print("The vault key is protected by the passphrase.")
    }
  }
}

struct CredKeyUnprotect: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unprotect",
    abstract: "Removes the passphrase: the key becomes machine-bound (or, with --portable, a plain key file)."
  )
  @Flag(
    name: .long,
    help: "A plain key file that opens on any machine (for a home directory shared between hosts).")
  var portable = false

  func run() throws {
    try credRun { () throws(CredentialError) in
      _ = try openVault()
      try CredentialVault.changeKeyProtection(
        location: .user(), to: portable ? .keyFile : .machineBound, passphrase: vaultPassphrase)
      print(
        portable
          ? "The vault key is a plain, portable key file."
          : "The vault key is bound to this machine and user.")
    }
  }
}
