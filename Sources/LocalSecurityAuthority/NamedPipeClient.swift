import CLinuxCapabilities
import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

extension LocalSecurityAuthority {
  /// The token of the client at the other end of the connected Unix-domain socket `socket`, as
  /// ImpersonateNamedPipeClient gives a pipe server: an impersonation token (level Impersonation)
  /// of the peer's uid, gid and supplementary groups as the kernel recorded them when it connected
  /// (SO_PEERCRED, SO_PEERGROUPS), built by the process-token rules (its session from
  /// /proc/PID when the peer still runs). A socket without a peer is `ERROR_INVALID_HANDLE`.
  public static func namedPipeClientToken(socket: Int32, configuration: Configuration = .current)
    throws(NTSecurityError) -> AccessToken
  {
    var pid: Int32 = 0
    var credentials = ProcessCredentials()
    var groups = [UInt32](repeating: 0, count: 65536)
    var count = Int32(groups.count)
    guard
      ntsec_peer_credentials(
        socket, &pid, &credentials.effectiveUID, &credentials.effectiveGID, &groups, &count) == 0
    else {
      throw NTSecurityError(
        .invalidHandle, "socket \(socket) has no peer: \(String(cString: strerror(errno)))")
    }
    (credentials.realUID, credentials.realGID) = (credentials.effectiveUID, credentials.effectiveGID)
    credentials.groups = Array(groups.prefix(Int(count)))
    var token = token(
      credentials: credentials, session: ProcessSession.read("/proc/\(pid)"),
      database: try AccountDatabase(configuration),
      type: .impersonation)
    token.impersonationLevel = .impersonation
    return token
  }

  /// ImpersonateNamedPipeClient over a Unix-domain socket: the calling thread impersonates the
  /// socket's peer (``namedPipeClientToken(socket:configuration:)``) until ``revertToSelf()``.
  public static func impersonateNamedPipeClient(socket: Int32, configuration: Configuration = .current)
    throws(NTSecurityError)
  {
    try impersonateLoggedOnUser(
      namedPipeClientToken(socket: socket, configuration: configuration), configuration: configuration)
  }
}
