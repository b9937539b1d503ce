import Foundation
import NTSecurity
import Synchronization
import TestPeers
import Testing

@testable import LocalSecurityAuthority

#if canImport(Glibc)
  import Glibc
#endif

/// Runs `body` on a new thread and waits for it.
func onNewThread<T>(_ body: @escaping () throws -> T) throws -> T {
  nonisolated(unsafe) var outcome: Result<T, any Error>?
  nonisolated(unsafe) let work = body
  let done = DispatchSemaphore(value: 0)
  let thread = Thread {
    outcome = Result { try work() }
    done.signal()
  }
  thread.start()
  done.wait()
  return try outcome!.get()
}

/// The effective uid and gid and the groups of the calling thread, from /proc/thread-self/status.
func threadCredentials() throws -> (uid: UInt32, gid: UInt32, groups: [UInt32]) {
  let text = try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
  func field(_ key: String) -> [UInt32] {
    let line = text.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
    return line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap {
      UInt32($0)
    }
  }
  return (field("Uid")[1], field("Gid")[1], field("Groups"))
}

/// open(2) of `path` with `flags`: 0 when it opened (then closed), else errno.
func openError(_ path: String, _ flags: Int32) -> Int32 {
  let fd = open(path, flags | O_CLOEXEC, 0o600)
  if fd < 0 { return errno }
  close(fd)
  return 0
}

extension HostAccountSuites {
  /// ImpersonateLoggedOnUser, SetThreadToken, RevertToSelf on one thread of this (root) process.
  @Suite struct ThreadImpersonationTests {
    @Test("An impersonating thread opens files as the user while another thread keeps root's access")
    func perThreadFileAccess() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("i", password: "Right-0ne")
      let token = try fixture.logon(user.name, "Right-0ne")
      let directory = fixture.directory
      let mine = directory + "/mine"
      let roots = directory + "/roots"
      #expect(FileManager.default.createFile(atPath: mine, contents: Data("user".utf8)))
      #expect(FileManager.default.createFile(atPath: roots, contents: Data("root".utf8)))
      #expect(chown(mine, user.uid, user.gid) == 0 && chmod(mine, 0o600) == 0 && chmod(roots, 0o600) == 0)

      let impersonating = DispatchSemaphore(value: 0)
      let checked = DispatchSemaphore(value: 0)
      // The other thread: checks while the first one impersonates.
      let other = Thread {
        impersonating.wait()
        defer { checked.signal() }
        var log: [String] = []
        if let credentials = try? threadCredentials(), credentials.uid != 0 {
          log.append("uid \(credentials.uid)")
        }
        if openError(roots, O_RDWR) != 0 { log.append("root cannot open its file") }
        otherLog.withLock { $0 = log }
      }
      other.start()
      let log = try onNewThread { () throws -> [String] in
        var log: [String] = []
        try LocalSecurityAuthority.withImpersonation(token, configuration: fixture.configuration) {
          let credentials = try threadCredentials()
          if credentials.uid != user.uid || credentials.gid != user.gid || credentials.groups != [user.gid] {
            log.append("impersonating: \(credentials)")
          }
          if openError(mine, O_RDWR) != 0 { log.append("the user cannot open its file") }
          if openError(roots, O_RDONLY) != EACCES { log.append("the user opens root's file") }
          if openError(directory + "/new", O_WRONLY | O_CREAT) != EACCES {
            log.append("the user creates a file in root's directory")
          }
          let threadToken = try LocalSecurityAuthority.threadToken(configuration: fixture.configuration)
          if threadToken?.user.sid != token.user.sid {
            log.append("OpenThreadToken: \(String(describing: threadToken))")
          }
          if !LocalSecurityAuthority.isImpersonating { log.append("not impersonating") }
          impersonating.signal()
          checked.wait()
        }
        let after = try threadCredentials()
        if after.uid != 0 || after.gid != 0 { log.append("after revert: \(after)") }
        if openError(roots, O_RDWR) != 0 { log.append("after revert root cannot open its file") }
        if LocalSecurityAuthority.isImpersonating { log.append("still impersonating") }
        return log
      }
      #expect(log == [])
      #expect(otherLog.withLock { $0 } == [])
    }

    @Test("withImpersonation reverts when its body throws; SetThreadToken(nil) reverts")
    func revertOnThrow() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("j", password: "Right-0ne")
      let token = try fixture.logon(user.name, "Right-0ne")
      struct Thrown: Error {}
      let uids = try onNewThread { () throws -> [UInt32] in
        var uids: [UInt32] = []
        do {
          try LocalSecurityAuthority.withImpersonation(token, configuration: fixture.configuration) {
            uids.append(try threadCredentials().uid)
            throw Thrown()
          }
        } catch is Thrown {}
        uids.append(try threadCredentials().uid)
        try LocalSecurityAuthority.setThreadToken(token, configuration: fixture.configuration)
        uids.append(try threadCredentials().uid)
        try LocalSecurityAuthority.setThreadToken(nil)
        uids.append(try threadCredentials().uid)
        return uids
      }
      #expect(uids == [user.uid, 0, user.uid, 0])
    }

    @Test(
      "ImpersonateAnonymousToken runs the thread as nobody; ImpersonateSelf keeps the process's credentials")
    func anonymousAndSelf() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let file = fixture.directory + "/root-only"
      #expect(
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8)) && chmod(file, 0o600) == 0)
      let id = try run("/usr/bin/id", ["-u", "nobody"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      let nobody = try #require(UInt32(id))
      let log = try onNewThread { () throws -> [String] in
        var log: [String] = []
        try LocalSecurityAuthority.impersonateAnonymousToken()
        let anonymous = try threadCredentials()
        if anonymous.uid != nobody || !anonymous.groups.isEmpty { log.append("anonymous: \(anonymous)") }
        if openError(file, O_RDONLY) != EACCES { log.append("anonymous opens root's file") }
        LocalSecurityAuthority.revertToSelf()
        try LocalSecurityAuthority.impersonateSelf(configuration: fixture.configuration)
        if !LocalSecurityAuthority.isImpersonating { log.append("ImpersonateSelf: not impersonating") }
        if try threadCredentials().uid != 0 || openError(file, O_RDWR) != 0 {
          log.append("ImpersonateSelf is not root")
        }
        LocalSecurityAuthority.revertToSelf()
        expectError(.badImpersonationLevel) {
          try LocalSecurityAuthority.impersonateSelf(
            level: .identification, configuration: fixture.configuration)
        }
        if LocalSecurityAuthority.isImpersonating { log.append("still impersonating") }
        return log
      }
      #expect(log == [])
    }

    @Test(
      "An Identification-level token is refused with ERROR_BAD_IMPERSONATION_LEVEL; the thread stays itself")
    func identificationLevel() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("k", password: "Right-0ne")
      var token = try fixture.logon(user.name, "Right-0ne", type: .network)
      token.impersonationLevel = .identification
      let uid = try onNewThread { () throws -> UInt32 in
        expectError(.badImpersonationLevel) {
          try LocalSecurityAuthority.impersonateLoggedOnUser(token, configuration: fixture.configuration)
        }
        return try threadCredentials().uid
      }
      #expect(uid == 0)
      let restricted = try token.restricted(restricting: [.everyone])
      var usable = restricted
      usable.impersonationLevel = .impersonation
      expectError(.accessDenied) {
        try LocalSecurityAuthority.impersonateLoggedOnUser(usable, configuration: fixture.configuration)
      }
    }
  }
}

extension HostAccountSuites {
  /// CreateProcessAsUser and `ntsec runas` with real users.
  @Suite struct ProcessCreationTests {
    @Test("ntsec runas --user runs the command with the user's uid, gid and groups and no capability")
    func runas() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let extra = try fixture.accounts.addGroup("r")
      let user = try fixture.addUser("r", password: "Right-0ne", groups: [extra.name])
      let environment = [
        "NTSEC_PAM_SERVICE": fixture.service, "NTSEC_SMB_CONF": "",
        "NTSEC_MACHINE_SID_FILE": fixture.directory + "/machine-sid",
        "NTSEC_LUID_COUNTER": fixture.directory + "/luid",
        "NTSEC_PRIVILEGED_LUID_COUNTER": fixture.directory + "/luid-privileged",
        "NTSEC_LSA_STORE": fixture.configuration.policyStorePath,
      ]
      let status = try ntsec(
        [
          "runas", "--user", user.name, "--", "/bin/grep", "-E",
          "^(Uid|Gid|Groups|CapEff|CapPrm|NoNewPrivs):",
          "/proc/self/status",
        ], environment: environment)
      #expect(status.status == 0, "\(status.stderr)")
      let lines = status.stdout.split(separator: "\n").map {
        $0.split(whereSeparator: { $0 == "\t" || $0 == " " })
      }
      let fields = Dictionary(
        lines.map { (String($0[0]), $0.dropFirst().map(String.init)) }, uniquingKeysWith: { a, _ in a })
      #expect(fields["Uid:"] == Array(repeating: String(user.uid), count: 4))
      #expect(fields["Gid:"] == Array(repeating: String(user.gid), count: 4))
      #expect(Set(fields["Groups:"] ?? []) == [String(user.gid), String(extra.gid)])
      #expect(fields["CapEff:"] == ["0000000000000000"] && fields["CapPrm:"] == ["0000000000000000"])
      #expect(fields["NoNewPrivs:"] == ["0"])
      // The user is denied what root may do; the exit status is the command's.
      let denied = try ntsec(
        ["runas", "--user", user.name, "--", "/bin/cat", "/etc/shadow"], environment: environment)
      #expect(denied.status == 1 && denied.stderr.contains("Permission denied"), "\(denied.stderr)")
      let restricted = try ntsec(
        [
          "runas", "--user", user.name, "--no-new-privileges", "--", "/bin/grep", "NoNewPrivs",
          "/proc/self/status",
        ],
        environment: environment)
      #expect(restricted.stdout.contains("NoNewPrivs:\t1"), "\(restricted.stdout) \(restricted.stderr)")
      // With --password-stdin the user is logged on through PAM first.
      let logged = try ntsec(
        ["runas", "--user", user.name, "--password-stdin", "--", "/usr/bin/id", "-u"], input: "Right-0ne\n",
        environment: environment)
      #expect(logged.status == 0 && logged.stdout == "\(user.uid)\n", "\(logged.stderr)")
      let wrong = try ntsec(
        ["runas", "--user", user.name, "--password-stdin", "--", "/usr/bin/id"], input: "Wrong-0ne\n",
        environment: environment)
      #expect(wrong.status != 0 && wrong.stderr.contains("ERROR_LOGON_FAILURE"), "\(wrong.stderr)")
    }

    @Test("ImpersonateNamedPipeClient: a thread of the server takes the Unix-socket client's credentials")
    func namedPipeClient() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let extra = try fixture.accounts.addGroup("n")
      let user = try fixture.addUser("n", password: "Right-0ne", groups: [extra.name])
      let path = fixture.directory + "/pipe"
      let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
      #expect(server >= 0)
      defer { close(server) }
      var address = sockaddr_un()
      address.sun_family = sa_family_t(AF_UNIX)
      withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
      }
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
      }
      #expect(bound == 0 && chmod(path, 0o777) == 0 && listen(server, 1) == 0)
      let token = try fixture.logon(user.name, "Right-0ne", type: .batch)
      let client = try LocalSecurityAuthority.createProcess(
        as: token, executable: "/usr/bin/python3",
        arguments: [
          "-c", "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.recv(1)",
          path,
        ],
        configuration: fixture.configuration)
      let connection = accept(server, nil, nil)
      #expect(connection >= 0)
      defer { close(connection) }
      let peer = try LocalSecurityAuthority.namedPipeClientToken(
        socket: connection, configuration: fixture.configuration)
      #expect(peer.user.sid == token.user.sid && peer.type == .impersonation)
      let extraSID = try SID(authority: 22, [2, extra.gid])
      #expect(peer.groups.map(\.sid).contains(extraSID))
      let seen = try onNewThread { () throws -> (UInt32, [UInt32]) in
        try LocalSecurityAuthority.impersonateNamedPipeClient(
          socket: connection, configuration: fixture.configuration)
        defer { LocalSecurityAuthority.revertToSelf() }
        let mine = try threadCredentials()
        return (mine.uid, mine.groups.sorted())
      }
      #expect(seen.0 == user.uid && seen.1 == [user.gid, extra.gid].sorted())
      #expect(write(connection, "x", 1) == 1)
      var status: Int32 = -1
      #expect(waitpid(client, &status, 0) == client && status == 0)
      // An unconnected socket has no peer (a listening one reports its own process).
      let lonely = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
      defer { close(lonely) }
      expectError(.invalidHandle) {
        _ = try LocalSecurityAuthority.namedPipeClientToken(
          socket: lonely, configuration: fixture.configuration)
      }
    }

    @Test("CreateProcessAsUser refuses an impersonation token (ERROR_BAD_TOKEN_TYPE) and a missing program")
    func createProcessErrors() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("p", password: "Right-0ne")
      let network = try fixture.logon(user.name, "Right-0ne", type: .network)
      expectError(.badTokenType) {
        _ = try LocalSecurityAuthority.createProcess(
          as: network, executable: "/bin/true", configuration: fixture.configuration)
      }
      let token = try fixture.logon(user.name, "Right-0ne", type: .batch)
      expectError(.fileNotFound) {
        _ = try LocalSecurityAuthority.createProcess(
          as: token, executable: "/nonexistent/\(fixture.accounts.tag)", configuration: fixture.configuration)
      }
      let pid = try LocalSecurityAuthority.createProcess(
        as: token, executable: "/bin/sh", arguments: ["-c", "test \"$(id -u)\" = \(user.uid)"],
        configuration: fixture.configuration)
      var status: Int32 = -1
      #expect(waitpid(pid, &status, 0) == pid)
      #expect(status == 0)
    }
  }
}

/// What the other thread of `perThreadFileAccess` found.
private let otherLog = Mutex<[String]>([])
