import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import LocalSecurityAuthority

#if canImport(Glibc)
  import Glibc
#endif

/// A process started for a test (through setpriv), stopped at deinit.
final class ChildProcess {
  let process = Process()
  let pid: Int32

  /// Starts `setpriv ARGS /usr/bin/python3 -c SCRIPT`; the script prints its pid once its
  /// credentials are final, then sleeps.
  /// `dropEffective` capabilities leave the effective set (capset); `seccomp` installs a seccomp
  /// filter that allows every call (PR_SET_SECCOMP, SECCOMP_MODE_FILTER; needs no_new_privs).
  init(setpriv arguments: [String], dropEffective: [Int] = [], seccomp: Bool = false) throws {
    let drop = dropEffective.reduce(0) { $0 | 1 << $1 }
    let script = """
      import ctypes, os, sys, time
      libc = ctypes.CDLL(None, use_errno=True)
      header = (ctypes.c_uint32 * 2)(0x20080522, 0)
      data = (ctypes.c_uint32 * 6)()
      if \(drop):
          assert libc.capget(header, data) == 0
          data[0] &= ~\(drop)
          assert libc.capset(header, data) == 0
      if \(seccomp ? 1 : 0):
          class Instruction(ctypes.Structure):
              _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]
          class Program(ctypes.Structure):
              _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Instruction))]
          allow = (Instruction * 1)(Instruction(0x06, 0, 0, 0x7FFF0000))
          program = Program(1, allow)
          assert libc.prctl(22, 2, ctypes.byref(program), 0, 0) == 0
      print(os.getpid(), flush=True)
      time.sleep(120)
      """
    process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
    process.arguments = arguments + ["/usr/bin/python3", "-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    var line = Data()
    while let byte = try pipe.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8)
    {
      line.append(byte)
    }
    guard let pid = Int32(String(decoding: line, as: UTF8.self)) else {
      process.terminate()
      throw TestFailure(text: "setpriv \(arguments) did not start: \(String(decoding: line, as: UTF8.self))")
    }
    self.pid = pid
  }

  deinit {
    kill(pid, SIGKILL)
    process.waitUntilExit()
  }
}

extension HostAccountSuites {
  /// OpenProcessToken of processes started with chosen uids, groups and capabilities, through
  /// `ntsec whoami --json --pid`.
  @Suite struct ProcessTokenTests {
    /// No Samba, and a machine SID file of the tests' own (token building never needs one here).
    let environment = ["NTSEC_SMB_CONF": "", "NTSEC_MACHINE_SID_FILE": "/tmp/ntsec-lsa-unused/machine-sid"]

    struct Token {
      var user: String
      var groups: [String: [String]]
      var privileges: [String: [String]]
      var integrity: String
      var owner: String
      var primaryGroup: String
    }

    func whoami(_ pid: Int32) throws -> Token {
      let result = try ntsec(["whoami", "--json", "--pid", String(pid)], environment: environment)
      #expect(result.status == 0, "\(result.stderr)")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      let groups = (object["groups"] as? [[String: Any]] ?? []).map {
        ($0["sid"] as? String ?? "", $0["attributes"] as? [String] ?? [])
      }
      let privileges = (object["privileges"] as? [[String: Any]] ?? []).map {
        ($0["name"] as? String ?? "", $0["attributes"] as? [String] ?? [])
      }
      return Token(
        user: object["user"] as? String ?? "", groups: Dictionary(groups, uniquingKeysWith: { a, _ in a }),
        privileges: Dictionary(privileges, uniquingKeysWith: { a, _ in a }),
        integrity: object["integrity_level"] as? String ?? "", owner: object["owner"] as? String ?? "",
        primaryGroup: object["primary_group"] as? String ?? "")
    }

    /// The groups every token of a process started here holds besides its Unix groups. SERVICE
    /// when the tests themselves run inside a system service's cgroup.
    func logonGroups(_ pid: Int32) throws -> Set<String> {
      var groups: Set<String> = ["S-1-1-0", "S-1-5-32-545", "S-1-5-11", "S-1-2-0"]
      let cgroup = (try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)) ?? ""
      if cgroup.split(separator: "\n").contains(where: {
        $0.contains("/system.slice/") && $0.hasSuffix(".service")
      }) {
        groups.insert("S-1-5-6")
      }
      let session = (try? String(contentsOfFile: "/proc/\(pid)/sessionid", encoding: .utf8)) ?? ""
      if let id = UInt32(session), id != UInt32.max { groups.insert("S-1-5-5-0-\(id)") }
      return groups
    }

    @Test(
      "A user with groups and ambient capabilities: exactly its SIDs, Medium, the mapped privileges enabled")
    func userWithCapabilities() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let group = try accounts.addGroup("g")
      let user = try accounts.addUser("u")
      let caps = "+sys_ptrace,+chown,+dac_read_search"
      let child = try ChildProcess(setpriv: [
        "--reuid=\(user.uid)", "--regid=\(user.gid)", "--groups=\(group.gid),4", "--inh-caps=\(caps)",
        "--ambient-caps=\(caps)",
      ])
      let token = try whoami(child.pid)
      #expect(token.user == "S-1-22-1-\(user.uid)")
      let unixGroups: Set<String> = ["S-1-22-2-\(user.gid)", "S-1-22-2-\(group.gid)", "S-1-22-2-4"]
      #expect(Set(token.groups.keys) == unixGroups.union(try logonGroups(child.pid)))
      #expect(token.groups["S-1-22-2-\(group.gid)"] == ["mandatory", "enabled_by_default", "enabled"])
      #expect(token.integrity == "S-1-16-8192")
      #expect(token.owner == token.user && token.primaryGroup == "S-1-22-2-\(user.gid)")
      #expect(
        token.privileges == [
          "SeDebugPrivilege": ["enabled"], "SeTakeOwnershipPrivilege": ["enabled"],
          "SeBackupPrivilege": ["enabled"],
        ])
    }

    @Test("A child that dropped a capability from its effective set shows the privilege disabled")
    func droppedCapability() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let user = try accounts.addUser("d")
      let caps = "+sys_ptrace,+chown"
      let child = try ChildProcess(
        setpriv: [
          "--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--inh-caps=\(caps)",
          "--ambient-caps=\(caps)",
        ], dropEffective: [0])
      let token = try whoami(child.pid)
      #expect(token.privileges == ["SeDebugPrivilege": ["enabled"], "SeTakeOwnershipPrivilege": []])
    }

    @Test("no_new_privs without a seccomp filter: Medium, no privileges, only the primary group")
    func noNewPrivileges() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let user = try accounts.addUser("n")
      let child = try ChildProcess(setpriv: [
        "--no-new-privs", "--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups",
      ])
      let token = try whoami(child.pid)
      #expect(token.user == "S-1-22-1-\(user.uid)")
      #expect(Set(token.groups.keys) == Set(["S-1-22-2-\(user.gid)"]).union(try logonGroups(child.pid)))
      #expect(token.privileges.isEmpty)
      #expect(token.integrity == "S-1-16-8192")
    }

    @Test("no_new_privs and a seccomp filter (a sandbox): Low")
    func sandboxIsLow() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let user = try accounts.addUser("s")
      let child = try ChildProcess(
        setpriv: ["--no-new-privs", "--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups"],
        seccomp: true)
      let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
      try #require(status.contains("Seccomp:\t2"), "the child has no seccomp filter")
      let token = try whoami(child.pid)
      #expect(token.user == "S-1-22-1-\(user.uid)")
      #expect(token.integrity == "S-1-16-4096")
    }

    @Test(
      "Root without every capability: High, BUILTIN\\Administrators as owner, the dropped privilege absent")
    func rootWithoutEveryCapability() throws {
      let child = try ChildProcess(setpriv: ["--bounding-set=-sys_time", "--clear-groups"])
      let token = try whoami(child.pid)
      #expect(token.user == "S-1-22-1-0")
      #expect(token.groups["S-1-5-32-544"] == ["mandatory", "enabled_by_default", "enabled", "owner"])
      #expect(token.owner == "S-1-5-32-544")
      #expect(token.integrity == "S-1-16-12288")
      #expect(token.privileges["SeSystemtimePrivilege"] == nil)
      #expect(token.privileges["SeDebugPrivilege"] == ["enabled"])
      #expect(token.privileges["SeShutdownPrivilege"] == ["enabled"])
    }

    @Test("Another user's process opens only with SeDebugPrivilege (CAP_SYS_PTRACE) or as its user")
    func openingOtherProcesses() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let user = try accounts.addUser("a")
      let other = try accounts.addUser("b")
      let target = try ChildProcess(setpriv: [
        "--reuid=\(other.uid)", "--regid=\(other.gid)", "--clear-groups",
      ])
      let ntsecPath = try #require(builtProduct("ntsec"))
      func whoamiAs(_ uid: UInt32, _ gid: UInt32, caps: String?, pid: Int32) throws -> (Int32, String) {
        var arguments = ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups"]
        if let caps { arguments += ["--inh-caps=\(caps)", "--ambient-caps=\(caps)"] }
        let result = try run(
          "/usr/bin/setpriv", arguments + [ntsecPath, "whoami", "--json", "--pid", String(pid)],
          environment: environment)
        return (result.status, result.stdout + result.stderr)
      }
      let denied = try whoamiAs(user.uid, user.gid, caps: nil, pid: target.pid)
      #expect(denied.0 != 0 && denied.1.contains("ERROR_ACCESS_DENIED"), "\(denied.1)")
      let ownUser = try whoamiAs(other.uid, other.gid, caps: nil, pid: target.pid)
      #expect(ownUser.0 == 0 && ownUser.1.contains("S-1-22-1-\(other.uid)"), "\(ownUser.1)")
      let debug = try whoamiAs(user.uid, user.gid, caps: "+sys_ptrace", pid: target.pid)
      #expect(debug.0 == 0 && debug.1.contains("S-1-22-1-\(other.uid)"), "\(debug.1)")
      let missing = try ntsec(["whoami", "--pid", "999999999"], environment: environment)
      #expect(missing.status != 0 && missing.stderr.contains("ERROR_INVALID_PARAMETER"), "\(missing.stderr)")
    }

    @Test("OpenThreadToken: a thread that changed its own euid has an impersonation token, the others none")
    func threadToken() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let user = try accounts.addUser("t")
      // A thread sets its own effective uid with the raw system call (glibc's setresuid would
      // change every thread), then reports the process and thread ids.
      let script = """
        import ctypes, os, sys, threading, time
        libc = ctypes.CDLL(None, use_errno=True)
        ready = threading.Event()
        def impersonate():
            assert libc.syscall(117, -1, \(user.uid), -1) == 0
            print(os.getpid(), threading.get_native_id(), flush=True)
            ready.set()
            time.sleep(120)
        threading.Thread(target=impersonate, daemon=True).start()
        ready.wait()
        time.sleep(120)
        """
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
      process.arguments = ["-c", script]
      let pipe = Pipe()
      process.standardOutput = pipe
      try process.run()
      defer {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
      }
      var line = Data()
      while let byte = try pipe.fileHandleForReading.read(upToCount: 1), !byte.isEmpty,
        byte != Data("\n".utf8)
      {
        line.append(byte)
      }
      let ids = String(decoding: line, as: UTF8.self).split(separator: " ").compactMap { Int32($0) }
      try #require(ids.count == 2, "python printed \(String(decoding: line, as: UTF8.self))")
      let configuration = LocalSecurityAuthority.Configuration(sambaConfigurationPath: nil)
      let token = try #require(
        try LocalSecurityAuthority.threadToken(ids[1], process: ids[0], configuration: configuration))
      #expect(token.user.sid.description == "S-1-22-1-\(user.uid)")
      #expect(token.type == .impersonation && token.impersonationLevel == .impersonation)
      #expect(
        try LocalSecurityAuthority.threadToken(ids[0], process: ids[0], configuration: configuration) == nil)
      #expect(
        try LocalSecurityAuthority.processToken(ids[0], configuration: configuration).user.sid.description
          == "S-1-22-1-0")
      #expect(try LocalSecurityAuthority.threadToken(configuration: configuration) == nil)
    }

    @Test(
      "whoami with no argument: this process's token in whoami /all's layout; its JSON feeds access-check")
    func whoamiSelf() throws {
      let table = try ntsec(["whoami"], environment: environment)
      #expect(table.status == 0)
      #expect(table.stdout.contains("USER INFORMATION") && table.stdout.contains("PRIVILEGES INFORMATION"))
      #expect(table.stdout.contains("unix user\\root") && table.stdout.contains("S-1-22-1-0"))
      #expect(table.stdout.contains("BUILTIN\\Administrators"))
      #expect(!FileManager.default.fileExists(atPath: "/tmp/ntsec-lsa-unused"))
      let json = try ntsec(["whoami", "--json"], environment: environment)
      let path = "/tmp/ntsec-lsa-token-\(UUID().uuidString.prefix(8)).json"
      try json.stdout.write(toFile: path, atomically: true, encoding: .utf8)
      defer { try? FileManager.default.removeItem(atPath: path) }
      let allowed = try ntsec([
        "access-check", "--token", path, "--sd", "O:BAG:BAD:(A;;FA;;;BA)", "--desired", "0x1",
      ])
      #expect(allowed.status == 0 && allowed.stdout.contains("granted"), "\(allowed.stdout)\(allowed.stderr)")
    }

    @Test(
      "The integrity table: Low in a no_new_privs seccomp sandbox, System with every capability, High, Medium"
    )
    func integrityTable() throws {
      var c = ProcessCredentials()
      c.capabilities.permitted = .max
      #expect(LocalSecurityAuthority.integrityLevel(c) == .systemLabel)
      c.capabilities.permitted = .max & ~(1 << 25)
      #expect(LocalSecurityAuthority.integrityLevel(c) == .highLabel)
      c.effectiveUID = 1000
      #expect(LocalSecurityAuthority.integrityLevel(c) == .mediumLabel)
      c.noNewPrivileges = true
      #expect(LocalSecurityAuthority.integrityLevel(c) == .mediumLabel)
      c.seccomp = 2
      #expect(LocalSecurityAuthority.integrityLevel(c) == .lowLabel)
      c.effectiveUID = 0
      #expect(LocalSecurityAuthority.integrityLevel(c) == .lowLabel)
    }

    @Test(
      "AdjustTokenPrivileges on this process: capset really changes the effective set; ERROR_NOT_ALL_ASSIGNED"
    )
    func adjustOwnPrivileges() throws {
      // Capabilities are per thread: run on a thread of its own so no other test sees the change.
      nonisolated(unsafe) var outcome: Result<[String], any Error> = .success([])
      let done = DispatchSemaphore(value: 0)
      let thread = Thread {
        defer { done.signal() }
        outcome = Result {
          var log: [String] = []
          let before = try HostSystem.capabilities()
          guard before.effective & 1 << 2 != 0 else {
            return ["CAP_DAC_READ_SEARCH is not effective to start with"]
          }
          let off = try LocalSecurityAuthority.adjustProcessPrivileges(newState: [
            LUIDAndAttributes(.backup, [])
          ])
          let afterOff = try HostSystem.capabilities()
          if afterOff.effective & 1 << 2 != 0 {
            log.append("SeBackup disabled but CAP_DAC_READ_SEARCH effective")
          }
          if afterOff.permitted != before.permitted { log.append("the permitted set changed") }
          if off.status != .success || off.previousState != [LUIDAndAttributes(.backup, [.enabled])] {
            log.append("disable: \(off)")
          }
          let token = try LocalSecurityAuthority.processToken()
          if token.privileges.first(where: { $0.luid == Privilege.backup.luid })?.attributes != [] {
            log.append("the process token does not show SeBackup disabled")
          }
          let on = try LocalSecurityAuthority.adjustProcessPrivileges(newState: [
            LUIDAndAttributes(.backup, [.enabled]), LUIDAndAttributes(.createToken, [.enabled]),
          ])
          if on.status != .notAllAssigned { log.append("enable with one not held: \(on.status)") }
          if try HostSystem.capabilities().effective & 1 << 2 == 0 { log.append("SeBackup not re-enabled") }
          if try !LocalSecurityAuthority.checkTokenMembership(.builtinAdministrators) {
            log.append("CheckTokenMembership(None, Administrators) is false for root")
          }
          if try LocalSecurityAuthority.checkTokenMembership(.localSystem) {
            log.append("root is not SYSTEM")
          }
          return log
        }
      }
      thread.start()
      done.wait()
      #expect(try outcome.get() == [])
    }
  }
}
