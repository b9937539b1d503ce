import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

func openVault() throws(NTSecurityError) -> CredentialVault {
  try CredentialVault.openUserVault(passphrase: vaultPassphrase)
}

/// How the CLI unlocks a passphrase-protected vault whose derived key is not cached in the
/// session keyring: `NTSEC_VAULT_PASSPHRASE` (unattended use; visible to the user's own
/// processes through /proc), else a prompt on the terminal.
@Sendable func vaultPassphrase() -> String? {
  if let p = ProcessInfo.processInfo.environment["NTSEC_VAULT_PASSPHRASE"], !p.isEmpty { return p }
  return TerminalLine.read(prompt: "Vault passphrase: ", secret: true)
}

enum TerminalLine {
  /// A line typed on the terminal (echo off for a secret, restored on Ctrl-C); the bytes read
  /// are wiped once the string is made.
  static func read(prompt: String, secret: Bool) -> String? {
    guard var line = TerminalInput.readLine(prompt: prompt, secret: secret) else { return nil }
    defer { line.clear() }
    return String(decoding: line.bytes, as: UTF8.self)
  }

  /// The password of `user`: stdin's text with `standardInput` (--password-stdin), else typed on
  /// the terminal with echo off; a validation error when there is no terminal to ask on.
  static func password(for user: String, standardInput: Bool) throws -> String {
    if standardInput { return readSecretFromStandardInput() }
    guard let typed = read(prompt: "Password for \(user): ", secret: true) else {
      throw ValidationError("no terminal to ask the password on: use --password-stdin")
    }
    return typed
  }
}

struct TypeOption: ParsableArguments {
  @Option(
    name: .long,
    help:
      "generic, domain, domain-visible, domain-certificate, generic-certificate, domain-extended or a number.",
    completion: .list([
      "generic", "domain", "domain-visible", "domain-certificate", "generic-certificate", "domain-extended",
    ])
  )
  var type: String = "generic"

  func resolve() throws -> CredentialType {
    switch type.lowercased() {
    case "generic": return .generic
    case "domain", "domain-password": return .domainPassword
    case "domain-certificate": return .domainCertificate
    case "domain-visible", "domain-visible-password": return .domainVisiblePassword
    case "generic-certificate": return .genericCertificate
    case "domain-extended": return .domainExtended
    default:
      guard let n = UInt32(type) else { throw ValidationError("--type: unknown credential type \(type)") }
      return CredentialType(rawValue: n)
    }
  }
}

func typeName(_ t: CredentialType) -> String {
  switch t {
  case .generic: "Generic"
  case .domainPassword: "Domain password"
  case .domainCertificate: "Domain certificate"
  case .domainVisiblePassword: "Domain visible password"
  case .genericCertificate: "Generic certificate"
  case .domainExtended: "Domain extended"
  default: t.description
  }
}

func persistName(_ p: CredentialPersist) -> String {
  switch p {
  case .session: "Session (shared by this login session)"
  case .localMachine: "Local machine"
  case .enterprise: "Enterprise"
  default: p.description
  }
}

func printCredential(_ c: Credential, reveal: Bool = false) {
  print("Target: \(c.targetName)")
  print("Type: \(typeName(c.type))")
  print("User: \(c.userName ?? "")")
  print("Persist: \(persistName(c.persist))")
  if let comment = c.comment { print("Comment: \(comment)") }
  if let alias = c.targetAlias { print("Alias: \(alias)") }
  let formatter = ISO8601DateFormatter()
  print("Last written: \(formatter.string(from: c.lastWritten))")
  for a in c.attributes {
    print("Attribute: \(a.keyword) = \(a.value.map { String(format: "%02x", $0) }.joined())")
  }
  guard reveal else { return }
  if !c.type.isBlobReadableByApplications {
    print("Password: (not readable by applications, as on Windows)")
  } else if let password = c.credentialBlob.password {
    print("Password: \(password)")
  } else {
    print("Blob: \(c.credentialBlob.bytes.map { String(format: "%02x", $0) }.joined())")
  }
}
