import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import LocalSecurityAuthority

#if canImport(Glibc)
  import Glibc
#endif

extension HostAccountSuites {
  /// `ntsec lsa` end to end, and the store's crash safety: SIGKILL during `lsa rights add`.
  @Suite struct PolicyCommandTests {
    static func environment(_ directory: String) -> [String: String] {
      [
        "NTSEC_LSA_STORE": directory + "/lsa/lsa.sqlite", "NTSEC_SMB_CONF": "",
        "NTSEC_MACHINE_SID_FILE": directory + "/machine-sid",
      ]
    }

    @Test("ntsec lsa rights add|list|remove, policy show --json, sessions --json")
    func commands() throws {
      let directory = try makeTemporaryDirectory("ntsec-lsa")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let environment = Self.environment(directory)
      let add = try ntsec(
        ["lsa", "rights", "add", "root", "SeBackupPrivilege", "SeDenyNetworkLogonRight"],
        environment: environment)
      #expect(add.status == 0, "\(add.stderr)")
      let list = try ntsec(["lsa", "rights", "list", "S-1-22-1-0"], environment: environment)
      #expect(list.stdout == "SeBackupPrivilege\nSeDenyNetworkLogonRight\n", "\(list.stderr)")
      let holders = try ntsec(
        ["lsa", "rights", "list", "--right", "sebackupprivilege"], environment: environment)
      #expect(holders.stdout.hasPrefix("S-1-22-1-0 "), "\(holders.stdout) \(holders.stderr)")
      let bad = try ntsec(["lsa", "rights", "add", "root", "SeNoSuchPrivilege"], environment: environment)
      #expect(bad.status != 0 && bad.stderr.contains("ERROR_NO_SUCH_PRIVILEGE"), "\(bad.stderr)")
      let remove = try ntsec(["lsa", "rights", "remove", "root", "--all"], environment: environment)
      #expect(remove.status == 0, "\(remove.stderr)")
      let none = try ntsec(["lsa", "rights", "list", "root"], environment: environment)
      #expect(none.status != 0 && none.stderr.contains("ERROR_FILE_NOT_FOUND"), "\(none.stderr)")
      let show = try ntsec(["lsa", "policy", "show", "--json"], environment: environment)
      #expect(show.status == 0, "\(show.stderr)")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
      let account = try #require(object["accountDomain"] as? [String: Any])
      let machine = try String(contentsOfFile: directory + "/machine-sid", encoding: .utf8)
      #expect(account["sid"] as? String == machine.trimmingCharacters(in: .whitespacesAndNewlines))
      #expect((object["primaryDomain"] as? [String: Any])?["name"] as? String == "WORKGROUP")
      #expect(object["serverRole"] as? String == "PolicyServerRolePrimary")
      let sessions = try ntsec(["lsa", "sessions", "--json"], environment: environment)
      #expect(sessions.status == 0, "\(sessions.stderr)")
      #expect(try JSONSerialization.jsonObject(with: Data(sessions.stdout.utf8)) is [Any])
    }

    @Test(
      "SIGKILL during ntsec lsa rights add, 1,000 times: every add that returned success is there, the store opens"
    )
    func killDuringAdd() throws {
      let directory = try makeTemporaryDirectory("ntsec-lsa-kill")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let environment = ProcessInfo.processInfo.environment.merging(Self.environment(directory)) { $1 }
      let path = try #require(builtProduct("ntsec"), "ntsec is not built")
      // Seed the store so that every run finds it (the first open is not what is measured).
      #expect(
        try ntsec(["lsa", "rights", "add", "S-1-5-21-9-9-9-1", "SeDebugPrivilege"], environment: environment)
          .status == 0)
      let total = 1000
      let batch = 20
      // The window the kills fall in: adapted after each batch so that about half the runs finish
      // (a run's time depends on the machine's load).
      var window = 250_000.0
      var random = SplitMix64(seed: 0x15A_C0FFEE)
      var committed: [Int] = []
      var killed = 0
      var index = 0
      let started = ContinuousClock.now
      let environ = environment.map { "\($0.key)=\($0.value)" }
      while index < total {
        // Each run is killed at its own random moment of the window after it starts: in its
        // startup, the open, the write or the exit. The children are not
        // reaped before they are killed, so no pid can be reused by another process meanwhile.
        var running: [(index: Int, pid: pid_t, deadline: ContinuousClock.Instant)] = []
        for i in index..<min(index + batch, total) {
          let arguments = [
            path, "lsa", "rights", "add", "S-1-5-21-1-2-3-\(i)", "SeBackupPrivilege", "SeServiceLogonRight",
          ]
          let pid = try spawnQuietly(path, arguments, environ)
          running.append((i, pid, ContinuousClock.now + .microseconds(Int64(random.next() % UInt64(window)))))
        }
        for run in running.sorted(by: { $0.deadline < $1.deadline }) {
          let left = run.deadline - ContinuousClock.now
          if left > .zero {
            Thread.sleep(
              forTimeInterval: Double(left.components.attoseconds) / 1e18 + Double(left.components.seconds))
          }
          kill(run.pid, SIGKILL)
        }
        for run in running {
          var status: Int32 = 0
          while waitpid(run.pid, &status, 0) < 0 && errno == EINTR {}
          // WIFEXITED and WEXITSTATUS: low 7 bits zero, exit status in bits 8–15.
          if status & 0x7f == 0 && (status >> 8) & 0xff == 0 {
            committed.append(run.index)
          } else {
            killed += 1
          }
        }
        let finished = committed.filter { $0 >= index }.count
        if finished * 10 < batch * 3 { window *= 1.5 } else if finished * 10 > batch * 7 { window /= 1.5 }
        index += batch
      }
      let elapsed = ContinuousClock.now - started
      print(
        "killDuringAdd: \(total) runs, \(killed) killed, \(committed.count) committed, \(elapsed), window \(Int(window / 1000)) ms"
      )
      #expect(killed > total / 10, "the kills must land during the runs")
      #expect(committed.count > total / 20, "some runs must finish")
      var configuration = isolatedConfiguration(directory)
      configuration.policyStorePath = directory + "/lsa/lsa.sqlite"
      let store = try #require(try PolicyStore.open(configuration.policyStorePath, create: false))
      let check = try store.read("check") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
      #expect(check == ["ok"])
      let policy = try LocalSecurityAuthority.Policy(access: .policyAllAccess, configuration: configuration)
      var lost: [String] = []
      for i in committed {
        do {
          let rights = try policy.accountRights(of: try SID(authority: 5, [21, 1, 2, 3, UInt32(i)]))
          if rights != ["SeBackupPrivilege", "SeServiceLogonRight"] { lost.append("\(i): \(rights)") }
        } catch {
          lost.append("\(i): \(error)")
        }
      }
      #expect(lost.isEmpty, "committed rights lost: \(lost.prefix(20))")
      // No half-done add: an account has both rights or none.
      let partial = try store.read("partial") { db in
        try Int.fetchOne(
          db,
          sql:
            "SELECT count(*) FROM (SELECT sid FROM account_right GROUP BY sid HAVING count(*) = 1) WHERE sid LIKE 'S-1-5-21-1-2-3-%'"
        )
      }
      #expect(partial == 0)
    }
  }
}

/// posix_spawn with standard output and error to /dev/null; the caller reaps the child.
func spawnQuietly(_ path: String, _ arguments: [String], _ environment: [String]) throws -> pid_t {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  let argv = arguments.map { strdup($0) } + [nil]
  let envp = environment.map { strdup($0) } + [nil]
  defer { (argv + envp).forEach { free($0) } }
  var pid: pid_t = 0
  let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
  guard result == 0 else {
    throw TestFailure(text: "posix_spawn \(path): \(String(cString: strerror(result)))")
  }
  return pid
}
