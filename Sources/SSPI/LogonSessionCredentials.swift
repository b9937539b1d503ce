import GSSAPI
import NTSecurity
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The logon session each thread runs in (the impersonated token's).
private let threadLogonSessions = ThreadSpecific<LUID>()

/// Logon sessions of this process with outbound credentials of their own: LUID → ccache name.
private let logonSessionCaches = Mutex<[LUID: String]>([:])

extension SSPI {
  /// Gives the logon session `logonID` its own outbound Kerberos credentials, the credential
  /// cache `ccache` (nil removes them), as LogonUser's LOGON32_LOGON_NEW_CREDENTIALS does:
  /// AcquireCredentialsHandle with no principal and no explicit identity then uses them for
  /// outbound Kerberos when that logon session is the one named by `pvLogonID`, or the one of
  /// the token the calling thread impersonates (``threadLogonSession``).
  public static func setLogonSessionCredentials(_ ccache: String?, for logonID: LUID) {
    logonSessionCaches.withLock { $0[logonID] = ccache }
  }

  /// The credential cache of a logon session given one by ``setLogonSessionCredentials(_:for:)``
  /// in this process; nil for other sessions.
  public static func logonSessionCredentials(_ logonID: LUID) -> String? {
    logonSessionCaches.withLock { $0[logonID] }
  }

  /// The logon session (AuthenticationId) of the token the calling thread impersonates, as the
  /// LSA's ImpersonateLoggedOnUser records it; nil when the thread runs as its process.
  public static var threadLogonSession: LUID? { threadLogonSessions.value }

  /// Records the calling thread's logon session (ImpersonateLoggedOnUser), nil on RevertToSelf.
  public static func setThreadLogonSession(_ logonID: LUID?) { threadLogonSessions.set(logonID) }

  /// The outbound Kerberos credentials of a logon session that has its own, from its cache.
  static func acquireLogonSessionCredentials(_ logonID: LUID, cache: String) throws(SSPIError)
    -> CredentialsHandle
  {
    do {
      let r = try GSSAPI.acquireCredentials(
        from: ["ccache": cache], mechanisms: [Package.kerberos.mechanism], usage: .initiate)
      let info = try? GSSAPI.inquireCredentials(r.credentials, usage: false, mechanisms: false)
      let lifetime = info?.lifetime ?? r.lifetime
      guard lifetime != 0 else {
        throw SSPIError(.noCredentials, "the Kerberos TGT of logon session \(logonID) has expired")
      }
      return CredentialsHandle(
        package: .kerberos, use: .outbound, principal: info?.name?.description,
        expiry: TimeStamp(secondsFromNow: lifetime), gss: r.credentials)
    } catch let error as GSSError {
      throw acquireError(error, package: .kerberos, principal: nil)
    } catch let error as SSPIError {
      throw error
    } catch {
      throw SSPIError(.internalError, "\(error)")
    }
  }
}
