import Foundation
import GRDB
import NTSecurity
import Synchronization

/// A user's credential set: the encrypted SQLite vault for CRED_PERSIST_LOCAL_MACHINE and
/// CRED_PERSIST_ENTERPRISE credentials, plus the kernel session keyring for CRED_PERSIST_SESSION
/// ones. The win32cred calls are its methods, with Windows' rules and error codes; safe to use
/// from many threads and processes at once.
public final class CredentialVault: Sendable {
  /// Where the vault lives.
  public let location: VaultLocation
  /// The vault's identifier (recorded in its key file).
  public let vaultID: String
  let database: VaultDatabase

  /// Opens (creating when missing) the vault at `location`. `protection` applies to a new vault;
  /// an existing one keeps what its key file records. `passphrase` is asked for only when a
  /// passphrase-protected vault's derived key is not cached in the session keyring.
  public init(
    location: VaultLocation, protection: VaultKeyProtection = .automatic,
    passphrase: (@Sendable () -> String?)? = nil
  ) throws(NTSecurityError) {
    self.location = location
    let store = VaultKeyStore(location: location, protection: protection, passphrase: passphrase)
    let databaseExists = access(location.databasePath, F_OK) == 0
    let (key, id) = try store.masterKey(creating: !databaseExists)
    vaultID = id
    database = try VaultDatabase(location: location, key: key, vaultID: id)
  }

  /// Opens the calling user's vault (`VaultLocation.user()`).
  public static func openUserVault(
    protection: VaultKeyProtection = .automatic, passphrase: (@Sendable () -> String?)? = nil
  ) throws(NTSecurityError) -> CredentialVault {
    try CredentialVault(location: .user(), protection: protection, passphrase: passphrase)
  }

  // MARK: CredRead

  /// CredRead: the credential with this target name (case-insensitive) and type. As on Windows,
  /// the blob of a domain password or certificate credential is not returned to applications
  /// (see `readForAuthentication`). Throws ERROR_NOT_FOUND, ERROR_INVALID_PARAMETER,
  /// ERROR_INVALID_FLAGS.
  public func read(target: String, type: CredentialType, flags: UInt32 = 0) throws(NTSecurityError)
    -> Credential
  {
    var c = try readForAuthentication(target: target, type: type, flags: flags)
    if !type.isBlobReadableByApplications { c.credentialBlob.clear() }
    return c
  }

  /// CredRead as an authentication package sees it: with the blob of every type. For the SSPI
  /// layer; applications should use `read`.
  package func readForAuthentication(target: String, type: CredentialType, flags: UInt32 = 0)
    throws(NTSecurityError) -> Credential
  {
    guard flags == 0 else {
      throw NTSecurityError(.invalidFlags, "CredRead's flags are reserved and must be 0")
    }
    try CredentialValidation.checkType(type)
    guard !target.isEmpty else { throw NTSecurityError(.invalidParameter, "the target name is empty") }
    let key = Normalized.key(target)
    if let c = try database.read(targetKey: key, type: type) { return c }
    if let c = SessionCredentials.read(type: type, targetKey: key) { return c }
    throw NTSecurityError(.notFound, "no \(type) credential for \"\(target)\"")
  }

  // MARK: CredWrite

  /// CredWrite: creates or replaces the credential with this target name and type. With
  /// `flags` = CRED_PRESERVE_CREDENTIAL_BLOB the stored blob is kept (ERROR_NOT_FOUND when there
  /// is no credential to keep it from). CRED_PERSIST_SESSION credentials go to the kernel session
  /// keyring (ERROR_NO_SUCH_LOGON_SESSION without one); the others to the vault, durably.
  public func write(_ credential: Credential, flags: UInt32 = 0) throws(NTSecurityError) {
    try CredentialValidation.checkForWrite(credential, flags: flags)
    let preserve = flags & CredentialCallFlags.preserveCredentialBlob != 0
    var c = credential
    c.lastWritten = Date()
    c.flags.remove([.promptNow, .wildcardMatch])
    let key = Normalized.key(c.targetName)
    let notFound = NTSecurityError(
      .notFound, "CRED_PRESERVE_CREDENTIAL_BLOB: no \(c.type) credential for \"\(c.targetName)\"")
    if c.persist == .session {
      if preserve {
        var existing = SessionCredentials.read(type: c.type, targetKey: key)
        if existing == nil { existing = try database.read(targetKey: key, type: c.type) }
        guard let existing else { throw notFound }
        c.credentialBlob = existing.credentialBlob
      }
      try SessionCredentials.write(c, targetKey: key)
      try database.write("write the vault") { w in try w.delete(targetKey: key, type: c.type) }
      if preserve { c.credentialBlob.clear() }
      return
    }
    let sessionCopy = SessionCredentials.read(type: c.type, targetKey: key)
    try database.write("write the vault") { w in
      if preserve {
        if let stored = try w.fetch(targetKey: key, type: c.type) {
          c.credentialBlob = stored.credentialBlob
        } else if let sessionCopy {
          c.credentialBlob = sessionCopy.credentialBlob
        } else {
          throw notFound
        }
      }
      try w.upsert(c, targetKey: key)
    }
    if sessionCopy != nil { SessionCredentials.delete(type: c.type, targetKey: key) }
    // Only a blob this call fetched is its own to clear; the caller's blob belongs to the caller.
    if preserve { c.credentialBlob.clear() }
  }

  /// Stores many credentials in one durable transaction (a bulk import; not a Windows call).
  public func importCredentials(_ credentials: [Credential]) throws(NTSecurityError) {
    for c in credentials {
      try CredentialValidation.checkForWrite(c, flags: 0)
      guard c.persist != .session else {
        throw NTSecurityError(.invalidParameter, "import takes only vault (local or enterprise) credentials")
      }
    }
    let now = Date()
    try database.write("import into the vault") { w in
      for var c in credentials {
        c.lastWritten = now
        try w.upsert(c, targetKey: Normalized.key(c.targetName))
      }
    }
  }

  // MARK: CredDelete

  /// CredDelete. Throws ERROR_NOT_FOUND when there is no such credential.
  public func delete(target: String, type: CredentialType, flags: UInt32 = 0) throws(NTSecurityError) {
    guard flags == 0 else {
      throw NTSecurityError(.invalidFlags, "CredDelete's flags are reserved and must be 0")
    }
    try CredentialValidation.checkType(type)
    guard !target.isEmpty else { throw NTSecurityError(.invalidParameter, "the target name is empty") }
    let key = Normalized.key(target)
    let removed = try database.write("delete from the vault") { w in
      try w.delete(targetKey: key, type: type)
    }
    let removedSession = SessionCredentials.delete(type: type, targetKey: key)
    guard removed || removedSession else {
      throw NTSecurityError(.notFound, "no \(type) credential for \"\(target)\"")
    }
  }

  // MARK: CredRename

  /// CredRename: gives a credential a new target name. ERROR_NOT_FOUND when the old one is missing,
  /// ERROR_ALREADY_EXISTS when the new one exists, ERROR_INVALID_PARAMETER for a
  /// CRED_FLAGS_USERNAME_TARGET credential (its target must stay its user name).
  public func rename(target: String, to newTarget: String, type: CredentialType, flags: UInt32 = 0)
    throws(NTSecurityError)
  {
    guard flags == 0 else {
      throw NTSecurityError(.invalidFlags, "CredRename's flags are reserved and must be 0")
    }
    try CredentialValidation.checkType(type)
    guard !target.isEmpty else { throw NTSecurityError(.invalidParameter, "the target name is empty") }
    try CredentialValidation.checkTarget(newTarget, type: type)
    let oldKey = Normalized.key(target)
    let newKey = Normalized.key(newTarget)
    let notFound = NTSecurityError(.notFound, "no \(type) credential for \"\(target)\"")
    let exists = NTSecurityError(.alreadyExists, "a \(type) credential for \"\(newTarget)\" exists")
    let usernameTarget = NTSecurityError(
      .invalidParameter, "a CRED_FLAGS_USERNAME_TARGET credential cannot be renamed")
    if var session = SessionCredentials.read(type: type, targetKey: oldKey) {
      guard !session.flags.contains(.usernameTarget) else { throw usernameTarget }
      if !Normalized.equal(newKey, oldKey) {
        let inVault = try database.read(targetKey: newKey, type: type) != nil
        if inVault || SessionCredentials.read(type: type, targetKey: newKey) != nil { throw exists }
      }
      session.targetName = newTarget
      try SessionCredentials.write(session, targetKey: newKey)
      if !Normalized.equal(newKey, oldKey) { SessionCredentials.delete(type: type, targetKey: oldKey) }
      session.credentialBlob.clear()
      return
    }
    try database.write("rename in the vault") { w in
      guard var c = try w.fetch(targetKey: oldKey, type: type) else { throw notFound }
      defer { c.credentialBlob.clear() }
      guard !c.flags.contains(.usernameTarget) else { throw usernameTarget }
      if !Normalized.equal(newKey, oldKey) {
        if try w.fetch(targetKey: newKey, type: type) != nil
          || SessionCredentials.read(type: type, targetKey: newKey) != nil
        {
          throw exists
        }
      }
      try w.delete(targetKey: oldKey, type: type)
      c.targetName = newTarget
      c.lastWritten = Date()
      try w.upsert(c, targetKey: newKey)
    }
  }

  // MARK: CredEnumerate

  /// CredEnumerate: the credentials whose target name matches `filter` — a prefix followed by
  /// `*`, or an exact name; nil (or `*`) for all. With `flags` = CRED_ENUMERATE_ALL_CREDENTIALS
  /// (only without a filter) target names are given in Windows' `namespace:attribute=target` form.
  /// Returns every credential that opens; stored credentials that do not (tampered, rolled back)
  /// are left out — `enumerateReportingFailures` lists them. Throws ERROR_NOT_FOUND when nothing
  /// matches, and the first failure when nothing but failures matches.
  public func enumerate(filter: String? = nil, flags: UInt32 = 0) throws(NTSecurityError) -> [Credential] {
    let result = try enumerateReportingFailures(filter: filter, flags: flags)
    if result.credentials.isEmpty, let first = result.failures.first { throw first }
    return result.credentials
  }

  /// CredEnumerate that also reports the stored credentials it could not return: each is an
  /// ERROR_DECRYPTION_FAILED naming its target. Throws ERROR_NOT_FOUND only when nothing matches
  /// at all (no credential and no failure).
  public func enumerateReportingFailures(filter: String? = nil, flags: UInt32 = 0) throws(NTSecurityError)
    -> CredentialEnumeration
  {
    guard flags & ~CredentialCallFlags.enumerateAllCredentials == 0 else {
      throw NTSecurityError(.invalidFlags, "CredEnumerate takes only CRED_ENUMERATE_ALL_CREDENTIALS")
    }
    let all = flags & CredentialCallFlags.enumerateAllCredentials != 0
    if all && filter != nil {
      throw NTSecurityError(.invalidFlags, "CRED_ENUMERATE_ALL_CREDENTIALS cannot be combined with a filter")
    }
    var prefix: String? = nil
    var exact: String? = nil
    if let filter, filter != "*" {
      guard !filter.isEmpty else { throw NTSecurityError(.invalidParameter, "the filter is empty") }
      if filter.hasSuffix("*") {
        prefix = Normalized.key(String(filter.dropLast()))
      } else {
        exact = Normalized.key(filter)
      }
    }
    var result = try database.enumerate(prefix: prefix ?? exact, exact: exact != nil)
    for c in SessionCredentials.all() {
      let key = Normalized.key(c.targetName)
      if let prefix, !Normalized.hasPrefix(key, prefix) { continue }
      if let exact, !Normalized.equal(key, exact) { continue }
      result.credentials.append(c)
    }
    guard !result.credentials.isEmpty || !result.failures.isEmpty else {
      throw NTSecurityError(
        .notFound, filter.map { "no credential matches \"\($0)\"" } ?? "the credential set is empty")
    }
    result.credentials.sort {
      (Normalized.key($0.targetName), $0.type) < (Normalized.key($1.targetName), $1.type)
    }
    for i in result.credentials.indices {
      if !result.credentials[i].type.isBlobReadableByApplications {
        result.credentials[i].credentialBlob.clear()
      }
      if all {
        let namespace = result.credentials[i].type.isDomain ? "Domain" : "LegacyGeneric"
        result.credentials[i].targetName = "\(namespace):target=\(result.credentials[i].targetName)"
      }
    }
    return result
  }
}
