internal import CLinuxCapabilities
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// The token each thread impersonates.
private let threadTokens = ThreadSpecific<AccessToken>()

extension SSPI {
  /// The calling thread's impersonation token (OpenThreadToken), set by
  /// ``SecurityContext/impersonate()``; nil when the thread runs as itself. ``accessCheck(descriptor:desired:mapping:objectTypes:principalSelf:)``
  /// checks access with it.
  public static var threadToken: AccessToken? { threadTokens.value }

  static func setThreadToken(_ token: AccessToken?) { threadTokens.set(token) }
}

extension SSPI.SecurityContext {
  /// ImpersonateSecurityContext: the calling thread takes the client's token
  /// (``querySecurityContextToken()``) until ``revert()``.
  ///
  /// A client that maps to a local account (``SSPI/TokenRule/localAccount(_:)``) is also
  /// impersonated with real credentials when the process is root: the thread's effective uid,
  /// gid and groups become the account's (raw per-thread `setresuid`/`setresgid`/`setgroups`, as
  /// the LSA's ImpersonateLoggedOnUser does), so the kernel checks the files it opens as the
  /// client while other threads keep theirs. At identification level (the client asked for
  /// ISC_REQ_IDENTIFY) Windows lets the thread identify the client but not open files as it
  /// (ERROR_BAD_IMPERSONATION_LEVEL); here the thread then runs as the anonymous account
  /// (`nobody`/`nogroup`, no groups), which fails closed the same way. Clients known only by
  /// their PAC or their NTLM SIDs (domain users no local account stands for) also run as the
  /// anonymous account under their own token, so the thread never keeps root's credentials (or an
  /// earlier client's) while it impersonates.
  public func impersonate() throws(SSPIError) {
    let (token, rule) = try token()
    if getuid() == 0 {
      // A client no local account stands for runs as the anonymous account: the thread must not
      // keep root's (or an earlier client's) credentials under the client's token.
      var identity = SSPI.anonymousIdentity
      if case .localAccount = rule, let local = SSPI.unixIdentity(of: token) { identity = local }
      let status = identity.groups.withUnsafeBufferPointer {
        ntsec_thread_impersonate(identity.uid, identity.gid, $0.baseAddress, $0.count)
      }
      if status == -2 {
        fatalError("ImpersonateSecurityContext: the thread's credentials cannot be restored")
      }
      guard status == 0 else {
        throw SSPIError(
          .noImpersonation,
          "ImpersonateSecurityContext: cannot take uid \(identity.uid): \(String(cString: strerror(errno)))")
      }
    }
    SSPI.setThreadToken(token)
  }

  /// RevertSecurityContext: the calling thread stops impersonating (and takes back its own
  /// credentials when ``impersonate()`` changed them).
  public func revert() throws(SSPIError) {
    // The thread gets its own credentials back first, even when the context is gone.
    if ntsec_thread_is_impersonating() != 0, ntsec_thread_revert() != 0 {
      fatalError("RevertSecurityContext: \(String(cString: strerror(errno)))")
    }
    SSPI.setThreadToken(nil)
    try checkLive("RevertSecurityContext")
  }
}

extension SSPI {
  /// The anonymous account's credentials (`nobody`/`nogroup`, no groups).
  static var anonymousIdentity: (uid: UInt32, gid: UInt32, groups: [UInt32]) {
    (getpwnam("nobody")?.pointee.pw_uid ?? 65534, getgrnam("nogroup")?.pointee.gr_gid ?? 65534, [])
  }

  /// The Unix credentials of a local-account token (Unix User S-1-22-1-uid, Unix Group
  /// S-1-22-2-gid): its uid, primary gid and enabled, not deny-only groups; at identification
  /// level the anonymous account's. Nil when the user is not a Unix User SID.
  static func unixIdentity(of token: AccessToken) -> (uid: UInt32, gid: UInt32, groups: [UInt32])? {
    func unixID(_ sid: SID, _ kind: UInt32) -> UInt32? {
      let subs = sid.subAuthorities
      return sid.description.hasPrefix("S-1-22-") && subs.count == 2 && subs[0] == kind ? subs[1] : nil
    }
    guard let uid = unixID(token.user.sid, 1), let gid = unixID(token.primaryGroup, 2) else { return nil }
    if token.impersonationLevel < .impersonation { return anonymousIdentity }
    // A primary group held only for denials (or disabled) grants nothing through the egid.
    let primaryGrants = !token.groups.contains {
      $0.sid == token.primaryGroup
        && ($0.attributes.contains(.useForDenyOnly) || !$0.attributes.contains(.enabled))
    }
    var groups: [UInt32] = []
    for group in token.groups
    where group.attributes.contains(.enabled) && !group.attributes.contains(.useForDenyOnly) {
      if let id = unixID(group.sid, 2), !groups.contains(id) { groups.append(id) }
    }
    return (uid, primaryGrants ? gid : anonymousIdentity.gid, groups)
  }
}

extension SSPI {
  /// AccessCheck as a Windows server calls it while impersonating its client: with the calling
  /// thread's impersonation token (``threadToken``, set by
  /// ``SecurityContext/impersonate()``). ERROR_NO_TOKEN when the thread is not impersonating.
  public static func accessCheck(
    descriptor: SecurityDescriptor, desired: AccessMask, mapping: GenericMapping = .file,
    objectTypes: [ObjectTypeEntry] = [], principalSelf: SID? = nil
  ) throws(NTSecurityError) -> AccessCheckResult {
    guard let token = threadToken else {
      throw NTSecurityError(.noToken, "AccessCheck: the calling thread is not impersonating a client")
    }
    return try AccessCheck.evaluate(
      token: token, descriptor: descriptor, desired: desired, mapping: mapping, objectTypes: objectTypes,
      principalSelf: principalSelf)
  }
}
