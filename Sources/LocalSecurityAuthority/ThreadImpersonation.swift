import CLinuxCapabilities
import Foundation
import NTSecurity
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

/// ImpersonateLoggedOnUser, SetThreadToken and RevertToSelf with real per-thread credentials.
///
/// Impersonating sets the calling thread's effective uid, effective gid and supplementary groups
/// with the raw `setresuid`/`setresgid`/`setgroups` system calls, which act on one thread (glibc's
/// wrappers of the same names change every thread of the process), so the kernel checks files the
/// thread opens as the token's user while the other threads keep their own credentials. The real
/// and saved uids stay those of the process (root), which is how RevertToSelf gets back; the
/// kernel clears the thread's effective capabilities while its effective uid is not 0 and gives
/// them back on revert. ``threadToken(_:process:configuration:)`` then reports the thread's
/// impersonation token from /proc.
///
/// Swift concurrency moves a task between threads at every `await`, so an impersonation must not
/// span one: use ``withImpersonation(_:configuration:_:)``, which runs a synchronous closure on
/// the calling thread and reverts when it returns or throws. Impersonating needs a process whose
/// saved uid is 0 (root), as Samba's per-thread credentials do.
///
/// What the token becomes: its user SID's uid (`Unix User` S-1-22-1-uid, or the account the SID
/// names), its primary group's gid (else the user's), and the gids of its enabled groups that
/// are not deny-only (`Unix Group` S-1-22-2-gid, or groups NSS names). Refused, failing closed:
/// an impersonation token below the Impersonation level (`ERROR_BAD_IMPERSONATION_LEVEL`: on
/// Windows such a thread cannot open files; here the kernel checks every open by uid, so the
/// impersonation itself is refused), and a restricted token (`ERROR_ACCESS_DENIED`: restricting
/// SIDs have no Unix form).
extension LocalSecurityAuthority {
  /// ImpersonateLoggedOnUser: the calling thread takes the credentials of `token` (a primary
  /// token, or an impersonation token at level Impersonation or Delegation) until
  /// ``revertToSelf()``.
  public static func impersonateLoggedOnUser(_ token: AccessToken, configuration: Configuration = .current)
    throws(NTSecurityError)
  {
    try impersonate(unixIdentity(of: token, database: AccountDatabase(configuration)))
    SSPI.setThreadLogonSession(token.statistics.authenticationID)
  }

  /// Sets the calling thread's credentials (ntsec_thread_impersonate).
  static func impersonate(_ identity: (uid: UInt32, gid: UInt32, groups: [UInt32])) throws(NTSecurityError) {
    let status = identity.groups.withUnsafeBufferPointer {
      ntsec_thread_impersonate(identity.uid, identity.gid, $0.baseAddress, $0.count)
    }
    if status == -2 { fatalError("ImpersonateLoggedOnUser: the thread's credentials cannot be restored") }
    guard status == 0 else {
      throw NTSecurityError(
        .accessDenied,
        "cannot take the credentials of uid \(identity.uid): \(String(cString: strerror(errno)))")
    }
  }

  /// SetThreadToken on the calling thread: impersonates `token`, or reverts when nil.
  public static func setThreadToken(_ token: AccessToken?, configuration: Configuration = .current)
    throws(NTSecurityError)
  {
    guard let token else { return revertToSelf() }
    try impersonateLoggedOnUser(token, configuration: configuration)
  }

  /// ImpersonateSelf: the calling thread impersonates a copy of its process's token at `level`
  /// (the credentials of the process, as /proc/self tells them). Identification and Anonymous are
  /// refused with `ERROR_BAD_IMPERSONATION_LEVEL` (see the type's notes).
  public static func impersonateSelf(
    level: ImpersonationLevel = .impersonation, configuration: Configuration = .current
  ) throws(NTSecurityError) {
    let database = try AccountDatabase(configuration)
    var token = try token(
      credentials: ProcessCredentials.read("/proc/self"), session: ProcessSession.read("/proc/self"),
      database: database, type: .impersonation)
    token.impersonationLevel = level
    let identity = try unixIdentity(of: token, database: database)
    try impersonate(identity)
  }

  /// ImpersonateAnonymousToken on the calling thread: the ANONYMOUS LOGON token, which runs as
  /// NSS's `nobody` user and `nogroup` group (65534 when NSS has neither) with no other group.
  public static func impersonateAnonymousToken() throws(NTSecurityError) {
    let uid = HostSystem.user(named: "nobody")?.uid ?? 65534
    let gid = HostSystem.group(named: "nogroup")?.gid ?? 65534
    try impersonate((uid, gid, []))
  }

  /// RevertToSelf: the calling thread takes back the credentials it had before it first
  /// impersonated; nothing when it is not impersonating. A thread that cannot get its own
  /// credentials back stops the process (it must not go on as someone else).
  public static func revertToSelf() {
    if ntsec_thread_revert() != 0 { fatalError("RevertToSelf: \(String(cString: strerror(errno)))") }
    SSPI.setThreadLogonSession(nil)
  }

  /// Whether the calling thread is impersonating through ``impersonateLoggedOnUser(_:configuration:)``.
  public static var isImpersonating: Bool { ntsec_thread_is_impersonating() != 0 }

  /// Runs `body` on the calling thread as `token` (``impersonateLoggedOnUser(_:configuration:)``)
  /// and reverts when it returns or throws; a thread already impersonating is put back to its own
  /// credentials, not to the earlier impersonation. `body` is synchronous so that no `await` can
  /// move it to another thread.
  public static func withImpersonation<Result, Failure: Error>(
    _ token: AccessToken, configuration: Configuration = .current, _ body: () throws(Failure) -> Result
  ) throws -> Result {
    try impersonateLoggedOnUser(token, configuration: configuration)
    defer { revertToSelf() }
    return try body()
  }

  /// The uid, gid and groups a token impersonates as.
  static func unixIdentity(of token: AccessToken, database: AccountDatabase) throws(NTSecurityError) -> (
    uid: UInt32, gid: UInt32, groups: [UInt32]
  ) {
    if token.type == .impersonation, token.impersonationLevel < .impersonation {
      throw NTSecurityError(
        .badImpersonationLevel,
        "a token at level \(token.impersonationLevel) identifies its user but cannot act as it")
    }
    if token.isRestricted {
      throw NTSecurityError(.accessDenied, "a restricted token has no Unix credentials to impersonate with")
    }
    guard let uid = try unixID(of: token.user.sid, group: false, database: database) else {
      throw NTSecurityError(.noneMapped, "the token's user \(token.user.sid) maps to no Unix user")
    }
    let fallback = HostSystem.user(id: uid)?.gid
    guard var gid = try unixID(of: token.primaryGroup, group: true, database: database) ?? fallback else {
      throw NTSecurityError(
        .noneMapped, "the token's primary group \(token.primaryGroup) maps to no Unix group")
    }
    // A primary group the token holds only for denials (or disabled) must grant nothing through
    // the egid: the overflow group (nogroup) stands in for it.
    if token.groups.contains(where: {
      $0.sid == token.primaryGroup
        && ($0.attributes.contains(.useForDenyOnly) || !$0.attributes.contains(.enabled))
    }) {
      gid = 65534
    }
    var groups: [UInt32] = []
    for group in token.groups
    where group.attributes.contains(.enabled) && !group.attributes.contains(.useForDenyOnly) {
      if let id = try unixID(of: group.sid, group: true, database: database), !groups.contains(id) {
        groups.append(id)
      }
    }
    return (uid, gid, groups)
  }

  /// The uid or gid of a SID: `Unix User`/`Unix Group` directly, else through the account name.
  private static func unixID(of sid: SID, group: Bool, database: AccountDatabase) throws(NTSecurityError)
    -> UInt32?
  {
    if sid.identifierAuthority == 22, sid.subAuthorityCount == 2, sid[subAuthority: 0] == (group ? 2 : 1) {
      return sid[subAuthority: 1]
    }
    if sid.identifierAuthority != 5 || sid.subAuthorityCount < 4 || sid[subAuthority: 0] != 21 { return nil }
    guard let account = try database.find(sid: sid) else { return nil }
    let qualified = account.domain.isEmpty ? account.name : "\(account.domain)\\\(account.name)"
    if group {
      return (HostSystem.group(named: account.name) ?? HostSystem.group(named: qualified))?.gid
    }
    return (HostSystem.user(named: account.name) ?? HostSystem.user(named: qualified))?.uid
  }
}
