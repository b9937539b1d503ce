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
  /// ``SecurityContext/impersonate()``; nil when the thread runs as itself. The library's own
  /// access checks use it.
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
