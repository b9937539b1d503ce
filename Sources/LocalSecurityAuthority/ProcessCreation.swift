import CLinuxCapabilities
import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

extension LocalSecurityAuthority {
  /// CreateProcessAsUser: starts `executable` (an absolute path) with `arguments` as the user of
  /// `token`, a primary token (an impersonation token is `ERROR_BAD_TOKEN_TYPE`, as Windows
  /// answers; DuplicateTokenEx makes a primary one). The child gets the token's uid as its real,
  /// effective and saved uid, its primary group's gid and its enabled, not deny-only groups (the
  /// rules of ``impersonateLoggedOnUser(_:configuration:)``: groups disabled or deny-only are
  /// left out), so it holds no capability unless the token's user is root; a root token's child
  /// loses the capabilities of the privileges the token does not hold (``CapabilityPrivileges``;
  /// from its bounding set too, so no program it runs gets them back). `noNewPrivileges` sets
  /// PR_SET_NO_NEW_PRIVS (set-uid programs then do not raise it); a restricted token (made by
  /// CreateRestrictedToken: deny-only groups or restriction flags) always gets it, and its
  /// missing privileges' capabilities leave the bounding set whatever its user. A token with
  /// restricting SIDs, or whose user SID is deny-only, is `ERROR_ACCESS_DENIED`: neither has a
  /// Unix form. Needs a root process. Returns the child's pid once it has started the program;
  /// the caller waits for it (`waitpid`). `environment` nil passes this process's.
  public static func createProcess(
    as token: AccessToken, executable: String, arguments: [String] = [], environment: [String: String]? = nil,
    noNewPrivileges: Bool = false, configuration: Configuration = .current
  ) throws(NTSecurityError) -> Int32 {
    guard token.type == .primary else {
      throw NTSecurityError(
        .badTokenType, "CreateProcessAsUser needs a primary token, not an impersonation token")
    }
    guard executable.hasPrefix("/") else {
      throw NTSecurityError(.invalidParameter, "the program \(executable) is not an absolute path")
    }
    if token.user.attributes.contains(.useForDenyOnly) {
      throw NTSecurityError(
        .accessDenied, "the token's user SID is deny-only: a process cannot run as its uid for denials only")
    }
    let identity = try unixIdentity(of: token, database: AccountDatabase(configuration))
    let held = Set(token.privileges.map(\.luid))
    let missing = CapabilityPrivileges.table.filter { !held.contains($0.privilege.luid) }
    var drop = CapabilityPrivileges.mask(missing.flatMap(\.capabilities))
    let isRestricted =
      !token.restrictionFlags.isEmpty || token.groups.contains { $0.attributes.contains(.useForDenyOnly) }
    if identity.uid == 0, isRestricted || !missing.isEmpty {
      // uid 0 holds every capability no privilege names (CAP_SETUID, CAP_KILL, CAP_MKNOD, …): a
      // restricted or reduced root token keeps only the capabilities its privileges grant.
      let all = LocalSecurityAuthority.allCapabilities()
      guard all != 0 else {
        throw NTSecurityError(
          .accessDenied, "the kernel's capability range is unknown: a reduced root token cannot be honoured")
      }
      let kept = CapabilityPrivileges.table.filter { held.contains($0.privilege.luid) }.flatMap(
        \.capabilities)
      drop = all & ~CapabilityPrivileges.mask(kept)
    }
    let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = variables.map { strdup($0) } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    let pid = identity.groups.withUnsafeBufferPointer { groups in
      ntsec_spawn_as(
        identity.uid, identity.gid, groups.baseAddress, groups.count,
        identity.uid == 0 || isRestricted ? drop : 0,
        noNewPrivileges || isRestricted ? 1 : 0, executable,
        argv,
        envp)
    }
    guard pid > 0 else {
      let code: WindowsError = errno == ENOENT ? .fileNotFound : .accessDenied
      throw NTSecurityError(
        code, "cannot start \(executable) as uid \(identity.uid): \(String(cString: strerror(errno)))")
    }
    return pid
  }
}
