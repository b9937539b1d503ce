import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// The token a thread impersonates, kept per thread (pthread-specific data) as Windows keeps a
/// thread's impersonation token.
private final class TokenBox {
  let token: AccessToken
  init(_ token: AccessToken) { self.token = token }
}

private let threadTokenKey: pthread_key_t = {
  var key = pthread_key_t()
  pthread_key_create(&key) { pointer in
    if let pointer { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
  }
  return key
}()

extension SSPI {
  /// The calling thread's impersonation token (OpenThreadToken), set by
  /// ``SecurityContext/impersonate()``; nil when the thread runs as itself. ``accessCheck(descriptor:desired:mapping:objectTypes:principalSelf:)``
  /// checks access with it.
  public static var threadToken: AccessToken? {
    guard let pointer = pthread_getspecific(threadTokenKey) else { return nil }
    return Unmanaged<TokenBox>.fromOpaque(pointer).takeUnretainedValue().token
  }

  static func setThreadToken(_ token: AccessToken?) {
    if let old = pthread_getspecific(threadTokenKey) { Unmanaged<TokenBox>.fromOpaque(old).release() }
    let new = token.map { Unmanaged.passRetained(TokenBox($0)).toOpaque() }
    pthread_setspecific(threadTokenKey, new)
  }
}

extension SSPI.SecurityContext {
  /// ImpersonateSecurityContext: the calling thread takes the client's token
  /// (``querySecurityContextToken()``) until ``revert()``.
  public func impersonate() throws(SSPIError) {
    let token = try querySecurityContextToken()
    SSPI.setThreadToken(token)
  }

  /// RevertSecurityContext: the calling thread stops impersonating.
  public func revert() throws(SSPIError) {
    try checkLive("RevertSecurityContext")
    SSPI.setThreadToken(nil)
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
