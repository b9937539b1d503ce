import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

/// `ntsec cred`: the user's credential vault, after Windows' cmdkey.
struct CredCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cred", abstract: "Stored credentials (win32cred), after Windows' cmdkey.",
    subcommands: [
      CredList.self, CredAdd.self, CredShow.self, CredDelete.self, CredRename.self, CredMarshal.self,
      CredUnmarshal.self, CredIsMarshaled.self, CredParseUser.self, CredGitHelper.self, CredKey.self,
      CredCrashWriter.self,
      CredStress.self,
    ])
}

/// Runs `body`, printing a CredentialError as `error: ERROR_NAME message` and exiting 1.
func credRun(_ body: () throws(CredentialError) -> Void) throws {
  do { try body() } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    throw ExitCode(1)
  }
}

func openVault() throws(CredentialError) -> CredentialVault {
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
}

struct TypeOption: ParsableArguments {
  @Option(
    name: .long,
    help:
      "generic, domain, domain-visible, domain-certificate, generic-certificate, domain-extended or a number."
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
  case .session: "Session"
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

struct CredList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract:
      "Lists stored credentials (CredEnumerate); FILTER is a prefix ending in * or a name. Credentials that fail their integrity check go to stderr (exit 1)."
  )
  @Argument var filter: String?
  func run() throws {
    var failed = false
    try credRun { () throws(CredentialError) in
      let vault = try openVault()
      do throws(CredentialError) {
        let found = try vault.enumerateReportingFailures(filter: filter)
        print("Currently stored credentials:")
        for c in found.credentials {
          print("")
          printCredential(c)
        }
        if found.credentials.isEmpty { print("\n* NONE *") }
        for failure in found.failures {
          FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
        }
        failed = !found.failures.isEmpty
      } catch {
        guard error.code == .notFound else { throw error }
        print("Currently stored credentials:\n\n* NONE *")
      }
    }
    if failed { throw ExitCode(1) }
  }
}

struct CredAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Stores a credential (CredWrite).")
  @Argument var target: String
  @Option(name: .long) var user: String
  @Flag(name: .long, help: "Read the password from standard input (one trailing newline is dropped).")
  var passwordStdin = false
  @OptionGroup var type: TypeOption
  @Option(name: .long, help: "session, local or enterprise.") var persist: String = "local"
  @Option(name: .long) var comment: String?

  func run() throws {
    let persistValue: CredentialPersist
    switch persist.lowercased() {
    case "session": persistValue = .session
    case "local", "local-machine": persistValue = .localMachine
    case "enterprise": persistValue = .enterprise
    default: throw ValidationError("--persist: session, local or enterprise")
    }
    let credentialType = try type.resolve()
    var password: String
    if passwordStdin {
      password = readSecretFromStandardInput()
    } else {
      guard let typed = TerminalLine.read(prompt: "Password for \(user): ", secret: true) else {
        throw ValidationError("no terminal to ask the password on: use --password-stdin")
      }
      password = typed
    }
    try credRun { () throws(CredentialError) in
      var c = Credential(
        type: credentialType, targetName: target, userName: user, password: password, persist: persistValue,
        comment: comment)
      defer { c.credentialBlob.clear() }
      try openVault().write(c)
      print("Credential added: \(target)")
    }
  }
}

struct CredShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Shows one credential (CredRead).")
  @Argument var target: String
  @OptionGroup var type: TypeOption
  @Flag(name: .long, help: "Also print the secret.") var reveal = false
  func run() throws {
    let t = try type.resolve()
    try credRun { () throws(CredentialError) in
      printCredential(try openVault().read(target: target, type: t), reveal: reveal)
    }
  }
}

struct CredDelete: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Deletes a credential (CredDelete).")
  @Argument var target: String
  @OptionGroup var type: TypeOption
  func run() throws {
    let t = try type.resolve()
    try credRun { () throws(CredentialError) in
      try openVault().delete(target: target, type: t)
      print("Credential deleted: \(target)")
    }
  }
}

struct CredRename: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rename", abstract: "Renames a credential's target (CredRename).")
  @Argument var target: String
  @Argument var newTarget: String
  @OptionGroup var type: TypeOption
  func run() throws {
    let t = try type.resolve()
    try credRun { () throws(CredentialError) in
      try openVault().rename(target: target, to: newTarget, type: t)
      print("Credential renamed: \(target) -> \(newTarget)")
    }
  }
}

func hexBytes(_ text: String) -> [UInt8]? {
  let chars = Array(text.utf8)
  guard chars.count % 2 == 0 else { return nil }
  var out: [UInt8] = []
  for i in stride(from: 0, to: chars.count, by: 2) {
    guard let v = UInt8(String(decoding: chars[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
    out.append(v)
  }
  return out
}

struct CredMarshal: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "marshal", abstract: "CredMarshalCredential.")
  @Option(name: .long, help: "SHA-1 hash of a certificate, 40 hex digits.") var cert: String?
  @Option(name: .long, help: "A user name (UsernameTargetCredential).") var username: String?
  func validate() throws {
    guard (cert == nil) != (username == nil) else {
      throw ValidationError("give exactly one of --cert or --username")
    }
  }
  func run() throws {
    let value: MarshaledCredential
    if let cert {
      guard let bytes = hexBytes(cert) else { throw ValidationError("--cert: not hex") }
      value = .certificate(sha1: bytes)
    } else {
      value = .usernameTarget(username!)
    }
    try credRun { () throws(CredentialError) in print(try CredentialManager.marshal(value)) }
  }
}

struct CredUnmarshal: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unmarshal", abstract: "CredUnmarshalCredential.")
  @Argument var string: String
  func run() throws {
    try credRun { () throws(CredentialError) in
      switch try CredentialManager.unmarshal(string) {
      case .certificate(let hash): print("cert \(hash.map { String(format: "%02x", $0) }.joined())")
      case .usernameTarget(let name): print("username \(name)")
      case .binaryBlob(let blob): print("blob \(blob.map { String(format: "%02x", $0) }.joined())")
      }
    }
  }
}

struct CredIsMarshaled: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "is-marshaled", abstract: "CredIsMarshaledCredential.")
  @Argument var string: String
  func run() { print(CredentialManager.isMarshaled(string) ? "true" : "false") }
}

struct CredParseUser: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "parse-user", abstract: "CredUIParseUserName.")
  @Argument var name: String
  func run() throws {
    try credRun { () throws(CredentialError) in
      let parsed = try CredentialManager.parseUserName(name)
      print("user \(parsed.user)")
      print("domain \(parsed.domain)")
    }
  }
}
