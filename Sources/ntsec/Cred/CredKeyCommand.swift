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
