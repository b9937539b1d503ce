import CredentialManager
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

extension SSPI {
  /// Credential Manager as the Kerberos, Negotiate and NTLM packages use it: the calling user's
  /// vault (an existing one only: SSPI never creates a vault), read for the domain password
  /// credential of a target, and told what was learned about the target (CredGetTargetInfo).
  enum StoredCredentials {
    /// The calling user's vault, when it exists and opens without asking for a passphrase.
    static func userVault() -> CredentialVault? {
      guard let location = try? VaultLocation.user(), access(location.databasePath, F_OK) == 0 else {
        return nil
      }
      return try? CredentialVault(location: location)
    }

    /// Whether the vault holds any domain password credential (AcquireCredentialsHandle's test,
    /// before the target is known).
    static func holdDomainPasswords(_ vault: CredentialVault) -> Bool {
      guard let all = try? vault.enumerate(filter: nil) else { return false }
      return all.contains { $0.type == .domainPassword }
    }

    /// What the client knows of a target before authenticating to it, as CredReadDomainCredentials
    /// takes it: the SPN's host as the server's DNS name (CRED_TI_SERVER_FORMAT_UNKNOWN when it
    /// has no dot, as Windows does for a name that may be either form), the realm given with the
    /// target or else the host's parent DNS domain as its domain. nil for a target with no host
    /// and no realm.
    static func targetInformation(for target: TargetName, package: Package) -> CredentialTargetInformation? {
      var info = CredentialTargetInformation(packageName: package.rawValue, credTypes: [.domainPassword])
      if let host = target.host, !host.isEmpty {
        info.targetName = host
        info.dnsServerName = host
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if target.isIPAddress || labels.count < 2 {
          info.flags.insert(.serverFormatUnknown)
        } else if labels.count > 2 {
          info.dnsDomainName = labels.dropFirst().joined(separator: ".")
        }
      }
      if let realm = target.realm, !realm.isEmpty {
        info.targetName = info.targetName ?? realm
        info.dnsDomainName = realm
      }
      return info.dnsServerName == nil && info.dnsDomainName == nil ? nil : info
    }

    /// The domain password credential the vault holds for the target (the most specific match:
    /// the server, `Domain:target=server`, `*.suffix` longest first, `DOMAIN\*`, `*`), as the
    /// explicit identity AcquireCredentialsHandle takes; nil when there is none.
    static func identity(for info: CredentialTargetInformation, in vault: CredentialVault) -> AuthIdentity? {
      guard var found = try? vault.readDomainCredentialsForAuthentication(for: info),
        let index = found.firstIndex(where: { $0.type == .domainPassword }),
        let password = found[index].credentialBlob.password, let userName = found[index].userName
      else { return nil }
      defer { for i in found.indices { found[i].credentialBlob.clear() } }
      return AuthIdentity(storedUserName: userName, password: password)
    }

    /// Targets whose information this process has recorded (CredGetTargetInfo records are
    /// written once per target and process, not on every InitializeSecurityContext).
    static let recorded = Mutex<Set<String>>([])

    /// Records what InitializeSecurityContext learned about a target in the caller's vault, once
    /// per target and process; a vault that does not exist or cannot be written is left alone.
    static func record(_ info: CredentialTargetInformation, vault: CredentialVault?) {
      let key = [info.targetName, info.dnsServerName, info.dnsDomainName, info.packageName]
        .map { $0 ?? "" }.joined(separator: "\u{0}").lowercased()
      guard recorded.withLock({ $0.insert(key).inserted }) else { return }
      guard let vault = vault ?? userVault() else { return }
      try? vault.recordTargetInformation(info)
    }
  }
}

extension SSPI.AuthIdentity {
  /// The explicit identity of a stored domain credential: `user@dns.domain` (a UPN) and
  /// `DOMAIN\user` give the user and the domain; a bare name has no domain. A NetBIOS domain (no
  /// dot) is not a Kerberos realm: Kerberos then uses the default realm, NTLM the domain.
  init(storedUserName name: String, password: String) {
    var user = name
    var domain: String?
    if let slash = name.firstIndex(of: "\\") {
      domain = String(name[..<slash])
      user = String(name[name.index(after: slash)...])
    } else if let at = name.lastIndex(of: "@") {
      user = String(name[..<at])
      domain = String(name[name.index(after: at)...])
    }
    self.init(user: user, domain: domain?.isEmpty == true ? nil : domain, password: password)
    if let domain, !domain.contains(".") { kerberosRealmFromDomain = false }
  }
}

extension SSPI.CredentialsHandle {
  /// The target's domain password credential from the caller's vault, acquired as explicit
  /// credentials (SEC_WINNT_AUTH_IDENTITY's path) and kept per target for this handle; nil when
  /// the vault has none. A stored password the KDC refuses is SEC_E_UNKNOWN_CREDENTIALS.
  func storedCredentials(for info: CredentialTargetInformation?) throws(SSPIError) -> SSPI.CredentialsHandle?
  {
    guard let info else { return nil }
    let key = "\(info.dnsServerName ?? "")\u{0}\(info.dnsDomainName ?? "")".lowercased()
    if let cached = state.withLock({ $0.storedCredentials[key] }) { return cached }
    guard let vault = SSPI.StoredCredentials.userVault(),
      let identity = SSPI.StoredCredentials.identity(for: info, in: vault)
    else { return nil }
    let handle = try SSPI.acquireCredentialsHandle(package: package.rawValue, use: use, authData: identity)
      .credentials
    state.withLock { $0.storedCredentials[key] = handle }
    return handle
  }
}
