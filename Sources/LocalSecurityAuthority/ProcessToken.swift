import Foundation
import NTSecurity

/// OpenProcessToken and OpenThreadToken: tokens built from what /proc says of a process.
///
/// A process's primary token holds:
/// - User: the effective uid, mapped as LookupAccountSid maps it (a passdb user's SID, else
///   `Unix User` S-1-22-1-uid). Root is `Unix User\root` (S-1-22-1-0), as in Samba.
/// - Groups: Everyone; for uid 0 `BUILTIN\Administrators` (enabled, and the token's default
///   owner); `BUILTIN\Users`; `NT AUTHORITY\INTERACTIVE` when the process has a controlling
///   terminal and a login session, `NT AUTHORITY\SERVICE` when it runs in a system service's
///   cgroup; `CONSOLE LOGON` when logind seats its session; `NT AUTHORITY\Authenticated Users`;
///   `LOCAL`; the logon SID S-1-5-5-0-N of its audit session N (none outside a login session);
///   then the effective gid and the supplementary groups as `Unix Group` S-1-22-2-gid.
/// - Primary group: the effective gid's SID. Logon session (authentication id): the audit
///   session id, else SYSTEM's 0x3e7.
/// - Integrity level: Low when `no_new_privs` is set and a seccomp filter confines the process
///   (a sandbox); else System for uid 0 holding every capability the kernel has (permitted set),
///   High for uid 0 otherwise, Medium for any other user.
/// - Privileges: from the capability sets by ``CapabilityPrivileges`` (permitted: present,
///   effective: enabled).
extension LocalSecurityAuthority {
  /// PROCESS_QUERY_LIMITED_INFORMATION, what opening a process's token needs.
  static let queryLimitedInformation = AccessMask(rawValue: 0x1000)
  /// The generic mapping of process objects.
  static let processMapping = GenericMapping(
    read: AccessMask(rawValue: 0x0002_0410), write: AccessMask(rawValue: 0x0002_0BEA),
    execute: AccessMask(rawValue: 0x0012_1000), all: AccessMask(rawValue: 0x001F_FFFF))

  /// OpenProcessToken: the primary token of process `pid`, or of the calling process when nil
  /// (then from the calling thread's credentials, which the kernel applies to the caller).
  ///
  /// Another user's process opens as on Windows: the caller's token must be granted
  /// PROCESS_QUERY_LIMITED_INFORMATION by the process's descriptor (owner the process's user,
  /// DACL its token's default DACL: the user, SYSTEM and its logon session), or hold
  /// SeDebugPrivilege enabled (CAP_SYS_PTRACE effective); else `ERROR_ACCESS_DENIED`.
  /// A pid that does not exist is `ERROR_INVALID_PARAMETER`, as OpenProcess answers.
  public static func processToken(_ pid: Int32? = nil, configuration: Configuration = .current)
    throws(NTSecurityError) -> AccessToken
  {
    let database = try AccountDatabase(configuration)
    guard let pid else { return try callerToken(database) }
    let directory = "/proc/\(pid)"
    let token = try token(
      credentials: ProcessCredentials.read(directory), session: ProcessSession.read(directory),
      database: database)
    try checkOpen(token, caller: callerToken(database))
    return token
  }

  /// OpenThreadToken: the impersonation token of thread `tid` of process `pid` (the caller's
  /// own thread and process when nil), or nil when the thread is not impersonating (Windows'
  /// ERROR_NO_TOKEN): its uids, gids and groups are those of its process. Capabilities a thread
  /// changed on its own do not make an impersonation token; they show in its process token.
  /// Opening a thread of another user's process follows ``processToken(_:configuration:)``.
  public static func threadToken(
    _ tid: Int32? = nil, process pid: Int32? = nil, configuration: Configuration = .current
  ) throws(NTSecurityError) -> AccessToken? {
    let database = try AccountDatabase(configuration)
    let process = "/proc/\(pid ?? HostSystem.processID)"
    let thread = process + "/task/\(tid ?? HostSystem.threadID)"
    let processCredentials = try ProcessCredentials.read(process)
    let threadCredentials = try ProcessCredentials.read(thread)
    let identity = { (c: ProcessCredentials) in
      [c.realUID, c.effectiveUID, c.realGID, c.effectiveGID] + c.groups
    }
    guard identity(processCredentials) != identity(threadCredentials) else { return nil }
    var token = token(
      credentials: threadCredentials, session: ProcessSession.read(process), database: database,
      type: .impersonation)
    token.impersonationLevel = .impersonation
    if pid != nil, pid != HostSystem.processID { try checkOpen(token, caller: callerToken(database)) }
    return token
  }

  /// CheckTokenMembership with no token: whether the calling thread's token (its impersonation
  /// token, else its process token) has `sid` enabled.
  public static func checkTokenMembership(_ sid: SID, configuration: Configuration = .current)
    throws(NTSecurityError) -> Bool
  {
    if let token = try threadToken(configuration: configuration) { return token.isMember(sid) }
    return try processToken(configuration: configuration).isMember(sid)
  }

  static func callerToken(_ database: AccountDatabase) throws(NTSecurityError) -> AccessToken {
    try token(
      credentials: ProcessCredentials.read("/proc/thread-self"), session: ProcessSession.read("/proc/self"),
      database: database)
  }

  static func checkOpen(_ target: AccessToken, caller: AccessToken) throws(NTSecurityError) {
    if target.user.sid == caller.user.sid { return }
    // Another user's process: only its user's and SYSTEM's grants count. The logon SID is the
    // audit session, which sudo and su keep, so it would open root's processes to the user who
    // ran sudo. Deny ACEs all stay (they can only narrow).
    var descriptor = processDescriptor(target)
    descriptor.dacl = ACL(
      aces: (descriptor.dacl?.aces ?? []).filter {
        !$0.type.isAllow || $0.sid == target.user.sid || $0.sid == .localSystem
      })
    let result = try AccessCheck.evaluate(
      token: caller, descriptor: descriptor, desired: queryLimitedInformation, mapping: processMapping)
    if result.status == .success { return }
    let debug = caller.privileges.contains {
      $0.luid == Privilege.debug.luid && $0.attributes.contains(.enabled)
    }
    if debug { return }
    throw NTSecurityError(
      .accessDenied,
      "the process of \(target.user.sid) is not open to \(caller.user.sid): its descriptor does not grant "
        + "PROCESS_QUERY_LIMITED_INFORMATION and SeDebugPrivilege (CAP_SYS_PTRACE) is not enabled")
  }

  /// The security descriptor Windows gives a process created with `token` and no security
  /// attributes: owner the token's default owner, group its primary group, DACL its default DACL
  /// with generic rights mapped to process rights (GENERIC_ALL: PROCESS_ALL_ACCESS), and a
  /// mandatory label of its integrity level with no-write-up and no-read-up.
  package static func processDescriptor(_ token: AccessToken) -> SecurityDescriptor {
    let aces = (token.defaultDACL?.aces ?? []).map {
      var ace = $0
      ace.mask = ace.mask.mapped(by: processMapping)
      return ace
    }
    let label = ACE(
      type: .systemMandatoryLabel, mask: AccessMask(rawValue: 0x3), sid: token.integrityLevel)
    return SecurityDescriptor(
      owner: token.owner, group: token.primaryGroup, dacl: ACL(aces: aces), sacl: ACL(aces: [label]))
  }

  static func token(
    credentials c: ProcessCredentials, session: ProcessSession, database: AccountDatabase,
    type: TokenType = .primary
  ) -> AccessToken {
    let standard: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]
    let user = database.sid(forUID: c.effectiveUID)
    let isRoot = c.effectiveUID == 0
    var groups = [SIDAndAttributes(.everyone, standard)]
    if isRoot { groups.append(SIDAndAttributes(.builtinAdministrators, standard.union(.owner))) }
    groups.append(SIDAndAttributes(.builtinUsers, standard))
    if session.hasTerminal, session.auditSession != nil {
      groups.append(SIDAndAttributes(.interactive, standard))
    }
    if session.isSystemService { groups.append(SIDAndAttributes(WellKnownAccounts.sid(5, 6), standard)) }
    if session.isSeated { groups.append(SIDAndAttributes(WellKnownAccounts.sid(2, 1), standard)) }
    groups.append(SIDAndAttributes(.authenticatedUsers, standard))
    groups.append(SIDAndAttributes(WellKnownAccounts.sid(2, 0), standard))
    if let id = session.auditSession {
      groups.append(SIDAndAttributes(WellKnownAccounts.sid(5, 5, 0, id), standard.union(.logonID)))
    }
    var gids: [UInt32] = [c.effectiveGID]
    for gid in c.groups where !gids.contains(gid) { gids.append(gid) }
    groups += gids.map { SIDAndAttributes(database.sid(forGID: $0), standard) }
    groups.append(SIDAndAttributes(integrityLevel(c), [.integrity, .integrityEnabled]))

    var token = AccessToken(
      user: user, groups: groups, privileges: CapabilityPrivileges.privileges(c.capabilities),
      owner: isRoot ? .builtinAdministrators : user, primaryGroup: database.sid(forGID: c.effectiveGID),
      type: type, authenticationID: LUID(UInt64(session.auditSession ?? 0x3e7)))
    token.source = TokenSource(name: "NTSec")
    return token
  }

  /// The integrity level table of ``processToken(_:configuration:)``.
  static func integrityLevel(_ c: ProcessCredentials) -> SID {
    if c.noNewPrivileges, c.seccomp == 2 { return .lowLabel }
    guard c.effectiveUID == 0 else { return .mediumLabel }
    let last = (FileManager.default.contents(atPath: "/proc/sys/kernel/cap_last_cap")).flatMap {
      Int(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
    guard let last, last < 64 else { return .highLabel }
    let all: UInt64 = last == 63 ? .max : (1 << UInt64(last + 1)) - 1
    return c.capabilities.permitted & all == all ? .systemLabel : .highLabel
  }
}
