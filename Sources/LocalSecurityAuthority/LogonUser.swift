import CPAM
import Foundation
import NTSecurity

/// LOGON32_LOGON_*: the kind of logon LogonUser performs, which decides the token's logon-type
/// group and type.
public enum LogonType: UInt32, Hashable, Sendable, CaseIterable {
  /// LOGON32_LOGON_INTERACTIVE: `NT AUTHORITY\INTERACTIVE` and `LOCAL`; a primary token.
  case interactive = 2
  /// LOGON32_LOGON_NETWORK: `NT AUTHORITY\NETWORK`; an impersonation token (level
  /// Impersonation), as Windows returns for this type only.
  case network = 3
  /// LOGON32_LOGON_BATCH: `NT AUTHORITY\BATCH` and `LOCAL`; a primary token.
  case batch = 4
  /// LOGON32_LOGON_SERVICE: `NT AUTHORITY\SERVICE` and `LOCAL`; a primary token.
  case service = 5
  /// LOGON32_LOGON_NETWORK_CLEARTEXT: `NT AUTHORITY\NETWORK`; a primary token.
  case networkCleartext = 8
  /// LOGON32_LOGON_NEW_CREDENTIALS: the caller's own identity in a new logon session; the
  /// password is not checked (Windows checks it only when the credentials are used outbound).
  case newCredentials = 9
}

extension LocalSecurityAuthority {
  /// LogonUser through PAM: runs the ``Configuration/logonService`` stack (`ntsecurity` by
  /// default; `docs/pam.d/ntsecurity` is an example including `common-auth` and
  /// `common-account`) — pam_authenticate, then pam_acct_mgmt — and returns the user's token.
  ///
  /// The name is `user`, `.\user` or `MACHINE\user` (this machine's NetBIOS name); any other
  /// `DOMAIN\user` or `user@domain` goes to PAM and NSS as written (winbind's and sssd's form).
  /// The token is the one ``processToken(_:configuration:)`` would give a process of the user
  /// (account mapping, `getgrouplist` for the groups, no controlling terminal), with the logon
  /// type's groups (``LogonType``), a fresh logon SID `S-1-5-5-X-Y` and authentication id, both
  /// from one ``allocateLocallyUniqueID(configuration:)``. `LogonUser` for root gives every
  /// privilege the capabilities give, as a root login has.
  ///
  /// Errors, as Windows answers: `ERROR_LOGON_FAILURE` for an unknown user or a wrong password;
  /// given the right password, `ERROR_ACCOUNT_RESTRICTION` for a locked account (a shadow hash
  /// behind `!`, as `usermod -L` leaves it) and `ERROR_ACCOUNT_EXPIRED` for an account past its
  /// shadow expiry date (pam_unix refuses both in authentication, and common-auth's pam_deny
  /// hides why, so the shadow entry is read when the process may: root), or PAM_ACCT_EXPIRED;
  /// `ERROR_PASSWORD_EXPIRED` (PAM_NEW_AUTHTOK_REQD or PAM_AUTHTOK_EXPIRED);
  /// `ERROR_INVALID_LOGON_HOURS` when pam_acct_mgmt answers PAM_PERM_DENIED (pam_time's answer;
  /// PAM does not say which module refused, so pam_access refusals read the same).
  ///
  /// A domain user (`user@REALM`, or `DOMAIN\user` of another domain, that NSS does not know)
  /// logs on with Kerberos instead: the AS exchange with the password, a service ticket to this
  /// host's principal in ``Configuration/logonKeytab``, and the token built from the ticket's PAC
  /// as SSPI's QuerySecurityContextToken builds it (the domain groups), with the logon type's
  /// groups and a new logon session. The KDC's refusal is `ERROR_LOGON_FAILURE`; no KDC, or no
  /// keytab to verify the ticket with, `ERROR_NO_SUCH_DOMAIN`. LOGON32_LOGON_NEW_CREDENTIALS with
  /// a domain name keeps the caller's identity and gets the domain user's TGT now, kept for
  /// outbound use only (`SSPI.setLogonSessionCredentials(_:for:)`: SSPI's
  /// AcquireCredentialsHandle with no identity on a thread impersonating the token uses it);
  /// Windows checks that password only when it is first used, here a wrong one fails the logon.
  ///
  /// The password: the bytes of `password` are wiped (explicit_bzero) before the call returns,
  /// whatever happens, as are the copies the PAM conversation makes. Timing: a failure returns
  /// no sooner than ``Configuration/logonFailureDuration`` after the call began (PAM's own
  /// randomised failure delay is switched off), and the PAM stack runs for unknown users too, so
  /// an unknown user and a wrong password take the same time unless PAM takes longer than that.
  public static func logonUser(
    _ name: String, password: inout [UInt8], type: LogonType = .interactive,
    configuration: Configuration = .current
  ) throws(NTSecurityError) -> AccessToken {
    defer { password.withUnsafeMutableBytes { ntsec_wipe($0.baseAddress, $0.count) } }
    let database = try AccountDatabase(configuration)
    let domainPrincipal = kerberosPrincipal(name, database: database, configuration: configuration)
    if type == .newCredentials && domainPrincipal == nil {
      return try newCredentialsToken(database, configuration: configuration)
    }
    let started = ContinuousClock.now
    func fail(_ code: WindowsError, _ text: String) -> NTSecurityError {
      let remaining = configuration.logonFailureDuration - (ContinuousClock.now - started)
      if remaining > .zero { Thread.sleep(forTimeInterval: Self.seconds(remaining)) }
      return NTSecurityError(code, text)
    }
    // PAM takes C strings: a NUL would cut the password short, so that "right\0anything" passed.
    if password.contains(0) { throw fail(.logonFailure, "unknown user name or bad password") }
    if let principal = domainPrincipal {
      do {
        if type == .newCredentials {
          return try newCredentialsDomainLogon(
            principal: principal, password: password, database: database, configuration: configuration)
        }
        return try kerberosLogon(
          principal: principal, password: password, type: type, configuration: configuration)
      } catch { throw fail(error.code, error.message) }
    }
    let user = unixName(name, database: database)
    var pamUser = [CChar](repeating: 0, count: 512)
    var message = [CChar](repeating: 0, count: 256)
    let result = password.withUnsafeBufferPointer { secret in
      ntsec_pam_logon(
        configuration.logonService, user, secret.baseAddress, secret.count, &pamUser, pamUser.count, &message,
        message.count)
    }
    let said = String(cString: message)
    switch result {
    case NTSEC_PAM_SUCCESS: break
    case NTSEC_PAM_AUTHENTICATION_FAILED:
      // common-auth ends in pam_deny, which hides pam_unix's reason: ask the shadow entry,
      // which answers only when the password is right.
      let shadow = password.withUnsafeBufferPointer { ntsec_shadow_state(user, $0.baseAddress, $0.count) }
      if shadow > 0, shadow & Int32(NTSEC_SHADOW_EXPIRED) != 0 {
        throw fail(.accountExpired, "the account \(name) has expired")
      }
      if shadow > 0, shadow & Int32(NTSEC_SHADOW_LOCKED) != 0 {
        throw fail(.accountRestriction, "the account \(name) is locked")
      }
      throw fail(.logonFailure, "unknown user name or bad password")
    case NTSEC_PAM_ACCOUNT_EXPIRED:
      throw fail(.accountExpired, "the account \(name) has expired (PAM: \(said))")
    case NTSEC_PAM_PASSWORD_EXPIRED, NTSEC_PAM_PASSWORD_INACTIVE:
      throw fail(.passwordExpired, "the password of \(name) has expired (PAM: \(said))")
    case NTSEC_PAM_PERMISSION_DENIED:
      throw fail(.invalidLogonHours, "the account \(name) may not log on now (PAM: \(said))")
    default:
      throw fail(.logonFailure, "the PAM service \(configuration.logonService) failed: \(said)")
    }
    let authenticated = String(cString: pamUser)
    guard let account = HostSystem.user(named: authenticated) else {
      throw fail(.logonFailure, "PAM accepted \(authenticated), which NSS does not know")
    }
    return try userToken(account, type: type, database: database, configuration: configuration)
  }

  /// A logon without a password, as Windows' S4U logon (LsaLogonUser with KERB_S4U_LOGON) and
  /// `runuser` give one: the token ``logonUser(_:password:type:configuration:)`` would return,
  /// without PAM. Only a caller holding SeTcbPrivilege (CAP_SYS_ADMIN effective) gets it; others
  /// get `ERROR_PRIVILEGE_NOT_HELD` (Windows would give them an Identification-level token).
  /// An unknown user is `ERROR_NONE_MAPPED`.
  public static func logonUserWithoutPassword(
    _ name: String, type: LogonType = .interactive, configuration: Configuration = .current
  ) throws(NTSecurityError) -> AccessToken {
    let database = try AccountDatabase(configuration)
    let caller = try callerToken(database)
    guard
      caller.privileges.contains(where: { $0.luid == Privilege.tcb.luid && $0.attributes.contains(.enabled) })
    else {
      throw NTSecurityError(
        .privilegeNotHeld, "a logon without a password needs SeTcbPrivilege (CAP_SYS_ADMIN)")
    }
    guard let account = HostSystem.user(named: unixName(name, database: database)) else {
      throw NTSecurityError(.noneMapped, "no user is named \(name)")
    }
    return try userToken(account, type: type, database: database, configuration: configuration)
  }

  /// The token of a logon of `account`: the process-token rules, the logon type's groups, a new
  /// logon session.
  static func userToken(
    _ account: UnixUser, type: LogonType, database: AccountDatabase, configuration: Configuration
  ) throws(NTSecurityError) -> AccessToken {
    if type == .newCredentials { return try newCredentialsToken(database, configuration: configuration) }
    var credentials = ProcessCredentials()
    (credentials.realUID, credentials.effectiveUID) = (account.uid, account.uid)
    (credentials.realGID, credentials.effectiveGID) = (account.gid, account.gid)
    credentials.groups = HostSystem.groupList(user: account.name, primary: account.gid)
    if account.uid == 0 {
      let all = allCapabilities()
      credentials.capabilities = CapabilitySets(effective: all, permitted: all)
    }
    var token = token(credentials: credentials, session: ProcessSession(), database: database)
    addLogonTypeGroups(&token, type: type)
    try setLogonSession(&token, configuration: configuration)
    if type == .network {
      token.type = .impersonation
      token.impersonationLevel = .impersonation
    }
    return token
  }

  /// LOGON32_LOGON_NEW_CREDENTIALS: the caller's token in a new logon session.
  static func newCredentialsToken(_ database: AccountDatabase, configuration: Configuration)
    throws(NTSecurityError) -> AccessToken
  {
    var token = try callerToken(database)
    try setLogonSession(&token, configuration: configuration)
    return token
  }

  /// The account name PAM and NSS know: `.\user` and `MACHINE\user` lose their domain.
  static func unixName(_ name: String, database: AccountDatabase) -> String {
    guard let slash = name.firstIndex(of: "\\") else { return name }
    let domain = name[..<slash].lowercased()
    let user = String(name[name.index(after: slash)...])
    if domain == "." { return user }
    if case .success(let machine) = database.machine, domain == machine.netbiosName.lowercased() {
      return user
    }
    return name
  }

  /// Inserts the logon type's well-known groups before `Authenticated Users`, and drops `LOCAL`
  /// from network logons.
  static func addLogonTypeGroups(_ token: inout AccessToken, type: LogonType) {
    let standard: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]
    let rid: UInt32? =
      switch type {
      case .interactive: 4
      case .network, .networkCleartext: 2
      case .batch: 3
      case .service: 6
      case .newCredentials: nil
      }
    var groups = token.groups
    if type == .network || type == .networkCleartext {
      groups.removeAll { $0.sid == WellKnownAccounts.sid(2, 0) }
    }
    if let rid {
      let at = groups.firstIndex { $0.sid == .authenticatedUsers } ?? groups.count
      groups.insert(SIDAndAttributes(WellKnownAccounts.sid(5, rid), standard), at: at)
    }
    token.groups = groups
  }

  /// A new logon session: the authentication id and a logon SID S-1-5-5-X-Y from one LUID
  /// (X its high, Y its low 32 bits), replacing any logon SID the token had.
  static func setLogonSession(_ token: inout AccessToken, configuration: Configuration)
    throws(NTSecurityError)
  {
    let luid = try allocateLocallyUniqueID(configuration: configuration)
    let logonSID = WellKnownAccounts.sid(5, 5, UInt32(bitPattern: luid.highPart), luid.lowPart)
    var groups = token.groups.filter { !$0.attributes.contains(.logonID) }
    let standard: GroupAttributes = [.mandatory, .enabledByDefault, .enabled, .logonID]
    let at =
      (groups.firstIndex { $0.sid == WellKnownAccounts.sid(2, 0) }).map { $0 + 1 }
      ?? (groups.firstIndex { $0.sid == .authenticatedUsers }).map { $0 + 1 } ?? groups.count
    groups.insert(SIDAndAttributes(logonSID, standard), at: at)
    token.groups = groups
    token.statistics.authenticationID = luid
    token.origin = luid
  }

  /// Every capability the kernel has (bits 0 … cap_last_cap).
  static func allCapabilities() -> UInt64 {
    let text = FileManager.default.contents(atPath: "/proc/sys/kernel/cap_last_cap").map {
      String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard let last = text.flatMap({ Int($0) }), last >= 0, last < 64 else { return 0 }
    return last == 63 ? .max : (1 << UInt64(last + 1)) - 1
  }

  static func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}
