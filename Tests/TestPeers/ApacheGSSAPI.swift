import Foundation
import NTSecurityTesting

#if canImport(Glibc)
  import Glibc
#endif

/// Apache with mod_auth_gssapi (Debian's apache2 and libapache2-mod-auth-gssapi) on 127.0.0.1,
/// its configuration, keytab copy and logs in a temporary directory: `GET /index.txt` needs
/// Kerberos (HTTP/localhost from the realm's keytab). Killed by ``stop()``.
public final class ApacheGSSAPI: @unchecked Sendable {
  public let port: UInt16
  public let directory: URL
  let process = Process()

  public init(realm: KerberosTestRealm) throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("apache-gssapi-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    port = try KerberosTestRealm.freePort()
    let keytab = directory.appendingPathComponent("http.keytab")
    try FileManager.default.copyItem(
      atPath: String(realm.keytab.dropFirst("FILE:".count)), toPath: keytab.path)
    try "apache ok\n".write(
      to: directory.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
    // Apache started as root serves as www-data: the directory and the (test-only) keytab must be
    // readable to it.
    chmod(directory.path, 0o755)
    chmod(keytab.path, 0o644)
    let modules = "/usr/lib/apache2/modules"
    let user = geteuid() == 0 ? "User www-data\nGroup www-data\n" : ""
    let config = """
      ServerRoot "\(directory.path)"
      ServerName localhost
      Listen 127.0.0.1:\(port)
      PidFile "\(directory.path)/httpd.pid"
      DefaultRuntimeDir "\(directory.path)"
      ErrorLog "\(directory.path)/error.log"
      LogLevel info
      \(user)LoadModule mpm_event_module \(modules)/mod_mpm_event.so
      LoadModule authn_core_module \(modules)/mod_authn_core.so
      LoadModule authz_core_module \(modules)/mod_authz_core.so
      LoadModule authz_user_module \(modules)/mod_authz_user.so
      LoadModule auth_gssapi_module \(modules)/mod_auth_gssapi.so
      DocumentRoot "\(directory.path)"
      <Location />
        AuthType GSSAPI
        AuthName "NTSecurity test"
        GssapiCredStore keytab:\(keytab.path)
        GssapiAllowedMech krb5
        Require valid-user
      </Location>
      """
    let configPath = directory.appendingPathComponent("httpd.conf")
    try config.write(to: configPath, atomically: true, encoding: .utf8)
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/apache2")
    process.arguments = ["-f", configPath.path, "-DFOREGROUND"]
    process.environment = ProcessInfo.processInfo.environment.merging(realm.environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Ready when the port accepts connections.
    for _ in 0..<100 {
      if Self.accepts(port) { return }
      guard process.isRunning else { break }
      usleep(50_000)
    }
    let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
    stop()
    throw TestFailure(text: "apache2 did not start on port \(port): \(log)")
  }

  static func accepts(_ port: UInt16) -> Bool {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(s) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    } == 0
  }

  /// Kills Apache's workers, then Apache (SIGKILL: a child started by Foundation's Process may
  /// have SIGTERM blocked), and removes the directory.
  public func stop() {
    let parent = process.processIdentifier
    let children = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap {
      entry -> pid_t? in
      guard let pid = pid_t(entry),
        let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("PPid:") }),
        pid_t(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) == parent
      else { return nil }
      return pid
    }
    for child in children { kill(child, SIGKILL) }
    if process.isRunning { kill(parent, SIGKILL) }
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: directory)
  }
}
