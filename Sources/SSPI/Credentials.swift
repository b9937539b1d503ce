import Foundation
import GSSAPI
import NTSecurity
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

extension SSPI {
  /// How credentials will be used (SECPKG_CRED_*).
  public enum CredentialUse: UInt32, Sendable, CustomStringConvertible {
    /// SECPKG_CRED_INBOUND: a server's credentials (GSS accept).
    case inbound = 1
    /// SECPKG_CRED_OUTBOUND: a client's credentials (GSS initiate).
    case outbound = 2
    /// SECPKG_CRED_BOTH.
    case both = 3

    var gssUsage: GSSAPI.CredentialUsage {
      switch self {
      case .inbound: .accept
      case .outbound: .initiate
      case .both: .both
      }
    }

    public var description: String {
      switch self {
      case .inbound: "SECPKG_CRED_INBOUND"
      case .outbound: "SECPKG_CRED_OUTBOUND"
      case .both: "SECPKG_CRED_BOTH"
      }
    }
  }

  /// SEC_WINNT_AUTH_IDENTITY: explicit credentials (pywin32's `(User, Domain, Password)`).
  /// For Kerberos the domain is the realm (upper-cased, as Windows does); a user given as a UPN
  /// (`user@example.com`) with no domain is used as an enterprise name.
  public struct AuthIdentity: Sendable, Hashable {
    public var user: String
    public var domain: String?
    public var password: String

    public init(user: String, domain: String?, password: String) {
      self.user = user
      self.domain = domain
      self.password = password
    }

    /// Whether Kerberos takes the domain as the realm (false for a stored credential's NetBIOS
    /// domain: Kerberos then uses the default realm).
    var kerberosRealmFromDomain = true

    /// The Kerberos principal: `user@DOMAIN`.
    var kerberosPrincipal: String {
      if kerberosRealmFromDomain, let domain, !domain.isEmpty { return "\(user)@\(domain.uppercased())" }
      return user
    }

    /// The NTLM user name: `DOMAIN\user` (or the bare user).
    var ntlmName: String {
      if let domain, !domain.isEmpty { return "\(domain)\\\(user)" }
      return user
    }
  }

  /// A credentials handle (CredHandle / PyCredHandle). Released by ``free()`` or when the value
  /// goes away (FreeCredentialsHandle).
  public final class CredentialsHandle: Sendable {
    /// The package the credentials are for.
    public let package: Package
    /// How they may be used.
    public let use: CredentialUse
    /// The principal the credentials belong to (nil: a server's credentials for any key in the
    /// keytab).
    public let principal: String?
    /// When they expire (local time, as Windows reports it).
    public let expiry: TimeStamp
    /// For Negotiate: the packages it may negotiate, in preference order.
    public let negotiablePackages: [Package]
    /// The caller's default outbound credentials (no principal, no explicit identity): the ones
    /// InitializeSecurityContext may replace with a domain credential from the vault.
    let isDefault: Bool
    /// Default credentials whose ticket cache had nothing usable (nil `gss`, or for Negotiate no
    /// Kerberos): InitializeSecurityContext looks up the vault for each target.
    let needsStoredCredentials: Bool
    /// What changes after acquisition.
    let state: Mutex<State>

    struct State {
      var gss: GSSAPI.Credentials?
      /// The last target imported for InitializeSecurityContext with these credentials: a client
      /// connects to the same service again and again.
      var lastTarget: (text: String, target: TargetName, name: GSSAPI.Name)?
      /// The vault's credentials already acquired per target host.
      var storedCredentials: [String: CredentialsHandle] = [:]
      var freed = false
    }

    init(
      package: Package, use: CredentialUse, principal: String?, expiry: TimeStamp, gss: GSSAPI.Credentials?,
      negotiablePackages: [Package] = [], isDefault: Bool = false, needsStoredCredentials: Bool = false
    ) {
      self.package = package
      self.use = use
      self.principal = principal
      self.expiry = expiry
      self.state = Mutex(State(gss: gss))
      self.negotiablePackages = negotiablePackages
      self.isDefault = isDefault
      self.needsStoredCredentials = needsStoredCredentials
    }

    /// FreeCredentialsHandle: releases the GSS-API credentials now. Contexts already made keep
    /// working; using the handle again is SEC_E_INVALID_HANDLE.
    public func free() {
      state.withLock {
        $0.gss = nil
        $0.storedCredentials = [:]
        $0.freed = true
      }
    }

    /// The GSS-API credentials, or SEC_E_INVALID_HANDLE after ``free()``.
    func live() throws(SSPIError) -> GSSAPI.Credentials? {
      try state.withLock { (state) throws(SSPIError) -> GSSAPI.Credentials? in
        if state.freed { throw SSPIError(.invalidHandle, "the credentials handle was freed") }
        return state.gss
      }
    }
  }

  /// Result of ``acquireCredentialsHandle(principal:package:use:logonID:authData:)``: the handle and
  /// its expiry (pywin32's `(PyCredHandle, PyTime)`).
  public struct AcquireCredentialsResult: Sendable {
    public let credentials: CredentialsHandle
    public let expiry: TimeStamp
  }

  /// AcquireCredentialsHandle (Kerberos), as Windows documents it.
  ///
  /// - `principal`: nil for the caller's own credentials (the default ccache for outbound use,
  ///   any key of the default keytab for inbound use); otherwise that principal's credentials
  ///   (`user@REALM`, or a service such as `HTTP/web.example.com`).
  /// - `package`: "Kerberos", "Negotiate" or "NTLM" (any case), else SEC_E_SECPKG_NOT_FOUND.
  /// - `logonID`: the caller's own logon id (``callerLogonID``) selects the caller's credentials,
  ///   as nil does. A logon session of this process with credentials of its own (LogonUser's
  ///   LOGON32_LOGON_NEW_CREDENTIALS, ``setLogonSessionCredentials(_:for:)``) gives its Kerberos
  ///   credentials for outbound use, named here or, when nil, as the session of the token the
  ///   calling thread impersonates (``threadLogonSession``). Another logon session's credentials
  ///   need SE_TCB_NAME (root): SEC_E_NOT_OWNER
  ///   for other callers. Other logon sessions come with the LSA; until then their ids are
  ///   unknown: SEC_E_NO_CREDENTIALS.
  /// - `authData`: explicit credentials. Kerberos gets a TGT with the password now
  ///   (gss_acquire_cred_with_password): a wrong password or unknown user is
  ///   SEC_E_UNKNOWN_CREDENTIALS, an unreachable KDC SEC_E_NO_AUTHENTICATING_AUTHORITY. NTLM keeps
  ///   the password (gss-ntlmssp) and, as on Windows, checks it only when authenticating.
  ///
  /// Outbound credentials with no principal and no `authData` are the caller's default
  /// credentials. As Windows' packages use Credential Manager, when the default ccache has no
  /// usable ticket (Kerberos) or there are no default NTLM credentials, the handle is still
  /// returned if the caller's vault holds a CRED_TYPE_DOMAIN_PASSWORD credential;
  /// InitializeSecurityContext then picks the target's credential from the vault (see "Stored
  /// domain credentials" in the SSPI documentation).
  ///
  /// No usable credentials is SEC_E_NO_CREDENTIALS; a cache the caller may not read is
  /// SEC_E_NOT_OWNER; running out of memory SEC_E_INSUFFICIENT_MEMORY; anything else
  /// SEC_E_INTERNAL_ERROR.
  public static func acquireCredentialsHandle(
    principal: String? = nil, package packageName: String, use: CredentialUse, logonID: LUID? = nil,
    authData: AuthIdentity? = nil
  ) throws(SSPIError) -> AcquireCredentialsResult {
    let package = try package(named: packageName)
    // A logon session with outbound credentials of its own (LOGON32_LOGON_NEW_CREDENTIALS): named,
    // or the one of the token the calling thread impersonates.
    if package == .kerberos, principal == nil, authData == nil, use == .outbound,
      let session = logonID ?? threadLogonSession, let cache = logonSessionCredentials(session)
    {
      let handle = try acquireLogonSessionCredentials(session, cache: cache)
      return AcquireCredentialsResult(credentials: handle, expiry: handle.expiry)
    }
    if let logonID, logonID != callerLogonID {
      guard geteuid() == 0 else {
        throw SSPIError(.notOwner, "choosing logon session \(logonID) needs SE_TCB_NAME (root)")
      }
      throw SSPIError(.noCredentials, "no logon session \(logonID) (logon sessions come with the LSA)")
    }
    let isDefault = principal == nil && authData == nil && use != .inbound
    let handle: CredentialsHandle
    do {
      switch package {
      case .kerberos, .ntlm:
        let (creds, lifetime, name) = try acquire(package, principal: principal, use: use, authData: authData)
        handle = CredentialsHandle(
          package: package, use: use, principal: name, expiry: TimeStamp(secondsFromNow: lifetime),
          gss: creds,
          isDefault: isDefault)
      case .negotiate:
        handle = try acquireNegotiate(principal: principal, use: use, authData: authData)
      }
    } catch {
      guard isDefault, error.status == .noCredentials, let vault = StoredCredentials.userVault(),
        StoredCredentials.holdDomainPasswords(vault)
      else { throw error }
      handle = CredentialsHandle(
        package: package, use: use, principal: nil, expiry: .never, gss: nil, isDefault: true,
        needsStoredCredentials: true)
    }
    return AcquireCredentialsResult(credentials: handle, expiry: handle.expiry)
  }

  /// Credentials for one concrete package: (credentials, lifetime, principal name).
  static func acquire(_ package: Package, principal: String?, use: CredentialUse, authData: AuthIdentity?)
    throws(SSPIError) -> (GSSAPI.Credentials, UInt32?, String?)
  {
    let mech = package.mechanism
    do {
      if let authData {
        let nameText = package == .kerberos ? authData.kerberosPrincipal : authData.ntlmName
        let type = package == .kerberos ? GSSAPI.NameType.kerberosPrincipal : GSSAPI.NameType.user
        let name = try GSSAPI.importName(nameText, type: type)
        let usage: GSSAPI.CredentialUsage = use == .inbound ? .accept : .initiate
        let r = try GSSAPI.acquireCredentials(
          name: name, password: Array(authData.password.utf8), mechanisms: [mech], usage: usage)
        if package == .kerberos && r.lifetime == 0 {
          throw SSPIError(.noCredentials, "the Kerberos credentials for \(nameText) have expired")
        }
        return (r.credentials, package == .ntlm ? nil : r.lifetime, nameText)
      }
      let name = try principal.map { text throws(GSSError) in try importPrincipal(text) }
      let r = try GSSAPI.acquireCredentials(name: name, mechanisms: [mech], usage: use.gssUsage)
      var display = principal
      if use != .inbound || principal != nil {
        display =
          (try? GSSAPI.inquireCredentials(
            r.credentials, mechanism: mech, initiatorLifetime: false, acceptorLifetime: false, usage: false
          ).name)?
          .map { $0.description } ?? principal
      }
      var lifetime = r.lifetime
      if package == .kerberos && use != .inbound {
        // Outbound Kerberos credentials with no time left are no credentials (an expired TGT).
        let remaining = try? GSSAPI.inquireCredentials(
          r.credentials, name: false, usage: false, mechanisms: false
        ).lifetime
        if let remaining { lifetime = remaining }
        if lifetime == 0 {
          throw SSPIError(.noCredentials, "the Kerberos TGT in the credential cache has expired")
        }
      }
      if package == .ntlm { lifetime = nil }
      return (r.credentials, lifetime, display)
    } catch let error as GSSError {
      throw acquireError(error, package: package, principal: authData?.user ?? principal)
    } catch let error as SSPIError {
      throw error
    } catch {
      throw SSPIError(.internalError, "\(error)")
    }
  }

  static func acquireError(_ error: GSSError, package: Package, principal: String?) -> SSPIError {
    var status = SSPIError.status(for: error, during: .acquire)
    if error.minor == 13 || error.minor == 1 { status = .notOwner }  // EACCES / EPERM on the cache or keytab
    let who = principal.map { " for \($0)" } ?? ""
    return SSPIError(status, "AcquireCredentialsHandle(\(package.rawValue))\(who) failed", gssError: error)
  }

  /// Negotiate: the Kerberos and NTLM credentials that can be had, under one SPNEGO credential
  /// that may negotiate only those (Kerberos first).
  static func acquireNegotiate(principal: String?, use: CredentialUse, authData: AuthIdentity?)
    throws(SSPIError) -> CredentialsHandle
  {
    var usable: [Package] = []
    var firstError: SSPIError?
    var lifetime: UInt32?
    var name: String?
    for package in [Package.kerberos, .ntlm] where isAvailable(package) {
      do {
        let (_, l, n) = try acquire(package, principal: principal, use: use, authData: authData)
        usable.append(package)
        if package == .kerberos || name == nil {
          lifetime = l
          name = n
        }
      } catch {
        if firstError == nil || package == .kerberos && error.status != .noCredentials { firstError = error }
      }
    }
    guard !usable.isEmpty else {
      throw firstError
        ?? SSPIError(.noCredentials, "Negotiate: neither Kerberos nor NTLM credentials are available")
    }
    do throws(GSSError) {
      let spnego: GSSAPI.Credentials
      if let authData {
        let nameText = usable.contains(.kerberos) ? authData.kerberosPrincipal : authData.ntlmName
        let gssName = try GSSAPI.importName(nameText, type: GSSAPI.NameType.user)
        spnego = try GSSAPI.acquireCredentials(
          name: gssName, password: Array(authData.password.utf8), mechanisms: [GSSAPI.MechanismType.spnego],
          usage: use == .inbound ? .accept : .initiate
        ).credentials
      } else {
        let gssName = try principal.map { text throws(GSSError) in try importPrincipal(text) }
        spnego = try GSSAPI.acquireCredentials(
          name: gssName, mechanisms: [GSSAPI.MechanismType.spnego], usage: use.gssUsage
        ).credentials
      }
      try GSSAPI.setNegotiationMechanisms(usable.map(\.mechanism), for: spnego)
      let isDefault = principal == nil && authData == nil && use != .inbound
      return CredentialsHandle(
        package: .negotiate, use: use, principal: name, expiry: TimeStamp(secondsFromNow: lifetime),
        gss: spnego, negotiablePackages: usable, isDefault: isDefault,
        needsStoredCredentials: isDefault && !usable.contains(.kerberos) && isAvailable(.kerberos)
          && StoredCredentials.userVault().map(StoredCredentials.holdDomainPasswords) == true)
    } catch {
      throw acquireError(error, package: .negotiate, principal: authData?.user ?? principal)
    }
  }

  /// A principal as Windows names it: `service/host` (an SPN) or `user@REALM` become Kerberos
  /// principal names; anything else is a user name.
  static func importPrincipal(_ text: String) throws(GSSError) -> GSSAPI.Name {
    if text.contains("/") || text.contains("@") {
      return try GSSAPI.importName(text, type: GSSAPI.NameType.kerberosPrincipal)
    }
    return try GSSAPI.importName(text, type: GSSAPI.NameType.user)
  }
}
