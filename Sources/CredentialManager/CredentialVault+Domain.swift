import Foundation
import GRDB
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

extension CredentialVault {
  /// Records what an authentication attempt learned about a target, for CredGetTargetInfo.
  /// The SSPI layer calls this; it is kept in the vault under the target, DNS and NetBIOS names.
  public func recordTargetInformation(_ info: CredentialTargetInformation) throws(NTSecurityError) {
    guard info.hasName || !(info.targetName ?? "").isEmpty else {
      throw NTSecurityError(.invalidParameter, "target information needs a target, server or domain name")
    }
    guard info.flags.rawValue & ~CredentialTargetInformation.Flags.valid.rawValue == 0 else {
      throw NTSecurityError(
        .invalidFlags, "CRED_TI flags 0x\(String(info.flags.rawValue, radix: 16)) are not valid")
    }
    let encoded: Data
    do { encoded = try JSONEncoder().encode(info) } catch {
      throw NTSecurityError(.invalidParameter, "target information cannot be encoded")
    }
    let names = [info.targetName, info.dnsServerName, info.netbiosServerName].compactMap { $0 }.filter {
      !$0.isEmpty
    }
    try database.transaction("record target information") { db in
      for name in names {
        try db.execute(
          sql: "INSERT OR REPLACE INTO target_info (target_key, info) VALUES (?, ?)",
          arguments: [Normalized.key(name), encoded])
      }
    }
  }

  /// CredGetTargetInfo: the target information recorded for a server (ERROR_NOT_FOUND before
  /// any authentication to it). With CRED_ALLOW_NAME_RESOLUTION the name is also resolved
  /// (DNS canonical name) and looked up again.
  public func targetInformation(for target: String, flags: UInt32 = 0) throws(NTSecurityError)
    -> CredentialTargetInformation
  {
    guard flags & ~CredentialCallFlags.allowNameResolution == 0 else {
      throw NTSecurityError(.invalidFlags, "CredGetTargetInfo takes only CRED_ALLOW_NAME_RESOLUTION")
    }
    guard !target.isEmpty else { throw NTSecurityError(.invalidParameter, "the target name is empty") }
    var names = [target]
    if flags & CredentialCallFlags.allowNameResolution != 0, let canonical = Self.canonicalName(target) {
      names.append(canonical)
    }
    for name in names {
      let data: Data?
      do {
        data = try database.pool.read { db in
          try Data.fetchOne(
            db, sql: "SELECT info FROM target_info WHERE target_key = ?", arguments: [Normalized.key(name)])
        }
      } catch { throw VaultDatabase.mapped(error, "read target information") }
      if let data, let info = try? JSONDecoder().decode(CredentialTargetInformation.self, from: data) {
        return info
      }
    }
    throw NTSecurityError(.notFound, "no target information recorded for \"\(target)\"")
  }

  static func canonicalName(_ host: String) -> String? {
    var hints = addrinfo()
    hints.ai_flags = AI_CANONNAME
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return nil }
    defer { freeaddrinfo(result) }
    return first.pointee.ai_canonname.map { String(cString: $0) }
  }

  /// CredReadDomainCredentials: for each credential type (TargetInfo.CredTypes in order, or
  /// domain certificate then domain password), the most specific domain credential matching the
  /// target information: server name, then `*.dns.suffix` (longest first), then `DOMAIN\*`, then
  /// `*`. With CRED_CACHE_TARGET_INFORMATION the information is recorded for CredGetTargetInfo.
  public func readDomainCredentials(for info: CredentialTargetInformation, flags: UInt32 = 0)
    throws(NTSecurityError) -> [Credential]
  {
    try readDomainCredentials(for: info, flags: flags, revealing: false)
  }

  /// CredReadDomainCredentials as an authentication package sees it, with every blob: the SSPI
  /// layer's path (package access, so applications cannot read domain password blobs, as on
  /// Windows).
  package func readDomainCredentialsForAuthentication(
    for info: CredentialTargetInformation, flags: UInt32 = 0
  )
    throws(NTSecurityError) -> [Credential]
  {
    try readDomainCredentials(for: info, flags: flags, revealing: true)
  }

  func readDomainCredentials(for info: CredentialTargetInformation, flags: UInt32, revealing: Bool)
    throws(NTSecurityError) -> [Credential]
  {
    guard flags & ~CredentialCallFlags.cacheTargetInformation == 0 else {
      throw NTSecurityError(
        .invalidFlags, "CredReadDomainCredentials takes only CRED_CACHE_TARGET_INFORMATION")
    }
    guard info.hasName else {
      throw NTSecurityError(.invalidParameter, "the target information names no server, domain or tree")
    }
    if flags & CredentialCallFlags.cacheTargetInformation != 0 { try recordTargetInformation(info) }
    let types = info.credTypes.isEmpty ? [.domainCertificate, .domainPassword] : info.credTypes
    var out: [Credential] = []
    for type in types where type.isDomain {
      for candidate in info.candidateTargets {
        // A server's credential may also be stored under the name `cmdkey /list` shows for it,
        // `Domain:target=server`.
        let stored = candidate.contains("*") ? [candidate] : [candidate, Self.cmdkeyPrefix + candidate]
        guard var c = try firstStored(stored, type: type) else { continue }
        if candidate.contains("*") { c.flags.insert(.wildcardMatch) }
        if !revealing && !type.isBlobReadableByApplications { c.credentialBlob.clear() }
        out.append(c)
        break
      }
    }
    guard !out.isEmpty else {
      throw NTSecurityError(.notFound, "no domain credential matches the target information")
    }
    return out
  }

  /// The first of `targets` the vault holds as `type`. Only ERROR_NOT_FOUND moves on to the next
  /// name: a stored credential that fails its integrity check is an error, never skipped for a
  /// less specific one (fail closed).
  private func firstStored(_ targets: [String], type: CredentialType) throws(NTSecurityError) -> Credential? {
    for target in targets {
      do {
        return try readForAuthentication(target: target, type: type)
      } catch  where error.code == .notFound {
        continue
      }
    }
    return nil
  }

  /// The prefix `cmdkey /list` shows before a domain credential's target name.
  static let cmdkeyPrefix = "Domain:target="

  /// CredWriteDomainCredentials: writes a domain credential whose target name is one the target
  /// information designates (its server names, `*.suffix`, `DOMAIN\*` or `*`).
  public func writeDomainCredentials(
    _ credential: Credential, for info: CredentialTargetInformation, flags: UInt32 = 0
  )
    throws(NTSecurityError)
  {
    guard info.hasName else {
      throw NTSecurityError(.invalidParameter, "the target information names no server, domain or tree")
    }
    guard credential.type.isDomain else {
      throw NTSecurityError(.invalidParameter, "CredWriteDomainCredentials writes domain credentials only")
    }
    let key = Normalized.key(credential.targetName)
    guard info.candidateTargets.contains(where: { Normalized.key($0) == key }) else {
      throw NTSecurityError(
        .invalidParameter,
        "\"\(credential.targetName)\" is not a target name the target information designates")
    }
    try write(credential, flags: flags)
  }

  // MARK: Single sign-on

  /// CredUIStoreSSOCredW: the single sign-on credential of a realm, a domain password credential
  /// for `REALM\*`. `persist` keeps it in the vault; otherwise it lives for the logon session.
  /// A nil realm means the default Kerberos realm (krb5.conf `default_realm`).
  public func storeSSOCredential(realm: String?, userName: String, password: String, persist: Bool)
    throws(NTSecurityError)
  {
    let realm = try Self.resolveRealm(realm)
    guard !userName.isEmpty else { throw NTSecurityError(.invalidParameter, "the user name is empty") }
    let fullName = (userName.contains("\\") || userName.contains("@")) ? userName : "\(userName)@\(realm)"
    var c = Credential(
      type: .domainPassword, targetName: realm + "\\*", userName: fullName, password: password,
      persist: persist ? .localMachine : .session)
    defer { c.credentialBlob.clear() }
    try write(c)
  }

  /// CredUIReadSSOCredW: the user name of the realm's single sign-on credential.
  public func readSSOUserName(realm: String?) throws(NTSecurityError) -> String {
    let realm = try Self.resolveRealm(realm)
    let c = try read(target: realm + "\\*", type: .domainPassword)
    return c.userName ?? ""
  }

  static func resolveRealm(
    _ realm: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(NTSecurityError) -> String {
    if let realm, !realm.isEmpty { return realm }
    let path =
      environment["KRB5_CONFIG"]?.split(separator: ":").first.map(String.init)
      ?? "/etc/krb5.conf"
    if let text = try? String(contentsOfFile: path, encoding: .utf8) {
      var inLibdefaults = false
      for raw in text.split(separator: "\n") {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("[") { inLibdefaults = line == "[libdefaults]" }
        if inLibdefaults, line.hasPrefix("default_realm"), let eq = line.firstIndex(of: "=") {
          let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
          if !value.isEmpty { return value }
        }
      }
    }
    throw NTSecurityError(.noSuchDomain, "no realm given and no default_realm in \(path)")
  }
}
