import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A throwaway MIT Kerberos realm: `krb5kdc` on 127.0.0.1 with free ports, its database and
/// configuration in a temporary directory, removed by ``stop()``. The twin of `scripts/test-realm`.
///
/// The realm `NTSEC.TEST` has `user@NTSEC.TEST` (password ``userPassword``, generated for each
/// realm; a forwardable TGT in ``ccache``), and `host/localhost` (ok_to_auth_as_delegate, for
/// S4U2Self) and `HTTP/localhost` with random keys in ``keytab``. ``ntlmUserFile`` holds
/// `NTSEC:user:PASSWORD` for gss-ntlmssp. Needs Debian's krb5-kdc, krb5-admin-server and
/// krb5-user (scripts/install-deps).
public final class KerberosTestRealm: Sendable {
  public static let realmName = "NTSEC.TEST"
  public static let user = "user"
  public static let userPrincipal = "user@NTSEC.TEST"
  /// Host-based service names of the two service principals.
  public static let hostService = "host@localhost"
  public static let httpService = "HTTP@localhost"

  public let directory: URL
  public let kdcPort: UInt16
  /// The password of `user@NTSEC.TEST` (and of `NTSEC\\user` for NTLM), random for each realm.
  public let userPassword = randomPassword()
  /// The KDC database's master password, random for each realm.
  private let masterPassword = randomPassword()
  /// The KDC's watchdog shell, once started.
  private let kdc = Mutex<Process?>(nil)

  public var krb5Config: String { directory.appendingPathComponent("krb5.conf").path }
  public var kdcConfig: String { directory.appendingPathComponent("kdc.conf").path }
  /// The user's credential cache ("FILE:…").
  public var ccache: String { "FILE:" + directory.appendingPathComponent("ccache").path }
  /// The services' keytab ("FILE:…").
  public var keytab: String { "FILE:" + directory.appendingPathComponent("keytab").path }
  public var ntlmUserFile: String { directory.appendingPathComponent("ntlm-users").path }

  /// The variables that point MIT krb5 (and gss-ntlmssp) at this realm.
  public var environment: [String: String] {
    [
      "KRB5_CONFIG": krb5Config, "KRB5_KDC_PROFILE": kdcConfig, "KRB5CCNAME": ccache,
      "KRB5_KTNAME": keytab, "KRB5RCACHEDIR": directory.path, "NTLM_USER_FILE": ntlmUserFile,
    ]
  }

  /// A failure to set the realm up, with the command and what it printed.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public let description: String
  }

  /// Sets the realm up and starts the KDC; returns once the KDC has issued the user's TGT.
  public static func start() throws(Failure) -> KerberosTestRealm {
    let base = URL(fileURLWithPath: NSTemporaryDirectory())
    let dir = base.appendingPathComponent("ntsec-realm-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
      throw Failure(description: "cannot create \(dir.path): \(error)")
    }
    let realm = KerberosTestRealm(directory: dir, kdcPort: try freePort())
    do {
      try realm.setUp(adminPort: try freePort())
    } catch {
      realm.stop()
      throw error
    }
    return realm
  }

  private init(directory: URL, kdcPort: UInt16) {
    self.directory = directory
    self.kdcPort = kdcPort
  }

  deinit { stop() }

  /// Sets this realm's variables in the current process (MIT krb5 reads them when a call makes a
  /// new library context, so set them before the first GSS-API call that should see them).
  public func exportEnvironment() {
    for (key, value) in environment { setenv(key, value, 1) }
  }

  /// Stops the KDC and removes the directory. Safe to call twice.
  ///
  /// SIGKILL, because a child started by Foundation's Process inherits the spawning thread's
  /// signal mask, in which SIGTERM is blocked; the KDC has nothing to flush.
  public func stop() {
    if let text = try? String(contentsOf: directory.appendingPathComponent("kdc.pid"), encoding: .utf8),
      let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
    {
      kill(pid, SIGKILL)
    }
    kdc.withLock { watchdog in
      if let watchdog, watchdog.isRunning { kill(watchdog.processIdentifier, SIGKILL) }
      watchdog = nil
    }
    try? FileManager.default.removeItem(at: directory)
  }

  /// Gets a TGT for `principal` into `ccache` with `kinit` (password on stdin).
  public func kinit(_ principal: String, password: String, ccache: String, extraArguments: [String] = [])
    throws(Failure)
  {
    try run(
      "/usr/bin/kinit", extraArguments + [principal], input: password + "\n",
      environment: ["KRB5CCNAME": ccache])
  }

  /// Runs a command with this realm's environment; throws with its output when it fails.
  @discardableResult
  public func run(
    _ path: String, _ arguments: [String], input: String? = nil, environment extra: [String: String] = [:]
  )
    throws(Failure) -> String
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.merging(extra) {
      $1
    }
    let output = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = stdin
    do { try process.run() } catch { throw Failure(description: "cannot run \(path): \(error)") }
    // kinit may exit (KDC not up yet) before it reads the password: EPIPE, not a fatal SIGPIPE
    if let input { try? writeWithoutSIGPIPE(Data(input.utf8), to: stdin.fileHandleForWriting) }
    try? stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw Failure(
        description:
          "\(path) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
    }
    return text
  }

  private func write(_ name: String, _ text: String) throws(Failure) {
    do { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) } catch
    {
      throw Failure(description: "cannot write \(name): \(error)")
    }
  }

  private func setUp(adminPort: UInt16) throws(Failure) {
    let d = directory.path
    let realm = Self.realmName
    try write(
      "krb5.conf",
      """
      [libdefaults]
        default_realm = \(realm)
        dns_lookup_kdc = false
        dns_lookup_realm = false
        dns_canonicalize_hostname = false
        rdns = false
        forwardable = true
        udp_preference_limit = 1
        default_ccache_name = FILE:\(d)/ccache
        default_keytab_name = FILE:\(d)/keytab
        default_client_keytab_name = FILE:\(d)/client.keytab
      [realms]
        \(realm) = {
          kdc = 127.0.0.1:\(kdcPort)
          admin_server = 127.0.0.1:\(adminPort)
        }
      [domain_realm]
        localhost = \(realm)

      """)
    try write(
      "kdc.conf",
      """
      [kdcdefaults]
        kdc_ports = \(kdcPort)
        kdc_tcp_ports = \(kdcPort)
      [realms]
        \(realm) = {
          database_name = \(d)/principal
          key_stash_file = \(d)/stash
          acl_file = \(d)/kadm5.acl
          kadmind_port = \(adminPort)
          max_life = 10h
          max_renewable_life = 7d
          master_key_type = aes256-cts-hmac-sha1-96
          supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
        }
      [logging]
        kdc = FILE:\(d)/kdc.log

      """)
    try write("kadm5.acl", "")
    try write("ntlm-users", "NTSEC:\(Self.user):\(userPassword)\n")
    try run("/usr/sbin/kdb5_util", ["-r", realm, "create", "-s", "-P", masterPassword])
    try run(
      "/usr/sbin/kadmin.local", ["-r", realm],
      input: """
        addprinc -pw \(userPassword) \(Self.user)
        addprinc -randkey +ok_to_auth_as_delegate host/localhost
        addprinc -randkey HTTP/localhost
        ktadd -k \(d)/keytab -norandkey host/localhost HTTP/localhost

        """)
    // krb5kdc runs under a small shell watchdog that kills it and removes the directory once
    // this process is gone, however it ends (a crash or a killed test run skips stop()).
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c",
      #"/usr/sbin/krb5kdc -n -P "$1/kdc.pid" >/dev/null 2>&1 & k=$!; "#
        + #"while kill -0 "$2" 2>/dev/null && kill -0 "$k" 2>/dev/null; do sleep 0.2; done; "#
        + #"kill -9 "$k" 2>/dev/null; rm -rf "$1""#,
      "kdc-watchdog", d, String(getpid()),
    ]
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { throw Failure(description: "cannot start krb5kdc: \(error)") }
    kdc.withLock { $0 = process }
    var lastError: Failure?
    for _ in 0..<200 {
      do {
        try kinit(Self.user, password: userPassword, ccache: ccache, extraArguments: ["-f"])
        return
      } catch {
        lastError = error
        guard process.isRunning else { break }
        usleep(25_000)
      }
    }
    let log = (try? String(contentsOf: directory.appendingPathComponent("kdc.log"), encoding: .utf8)) ?? ""
    throw Failure(
      description: "the KDC did not answer: \(lastError?.description ?? "krb5kdc exited")\n\(log)")
  }

  /// A TCP/UDP port on 127.0.0.1 that was free a moment ago.
  public static func freePort() throws(Failure) -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard ok else { throw Failure(description: "cannot bind a port on 127.0.0.1") }
    return UInt16(bigEndian: address.sin_port)
  }
}
