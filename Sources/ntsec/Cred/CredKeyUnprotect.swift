import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

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
    _ = try openVault()
    try CredentialVault.changeKeyProtection(
      location: .user(), to: portable ? .keyFile : .machineBound, passphrase: vaultPassphrase)
    print(
      portable
        ? "The vault key is a plain, portable key file."
        : "The vault key is bound to this machine and user.")
  }
}
