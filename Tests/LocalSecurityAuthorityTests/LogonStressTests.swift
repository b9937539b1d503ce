import Foundation
import NTSecurity
import Synchronization
import TestPeers
import Testing

@testable import LocalSecurityAuthority

#if canImport(Glibc)
  import Glibc
#endif

extension HostAccountSuites {
  /// Many logons and impersonations at once: no thread ever runs with another's credentials and
  /// nothing leaks.
  @Suite(.timeLimit(.minutes(4))) struct LogonStressTests {
    @Test(
      "1,000 logons and impersonations in 8 threads: each thread's /proc/thread-self/status is its own; no fd leaks"
    )
    func thousandLogons() throws {
      let fixture = try LogonFixture(failureDuration: .zero)
      defer { fixture.remove() }
      var users: [(name: String, uid: UInt32, gid: UInt32)] = []
      for index in 0..<8 {
        let user = try fixture.accounts.addUser("s\(index)")
        // Cheap hashes (SHA-512, 1,000 rounds) keep 1,000 PAM authentications to seconds.
        let set = try run(
          "/usr/sbin/chpasswd", ["-c", "SHA512", "-s", "1000"], input: "\(user.name):Pass-\(index)\n")
        guard set.status == 0 else { throw TestFailure(text: "chpasswd: \(set.stderr)") }
        users.append(user)
        let file = fixture.directory + "/\(index)"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("\(index)".utf8)))
        #expect(chown(file, user.uid, user.gid) == 0 && chmod(file, 0o600) == 0)
      }
      // Descriptors a leak of PAM, NSS or the LUID counter would leave: those open on files under
      // /etc, /proc, /dev/shm, /var or this test's directory (suites of other modules running in
      // this process meanwhile hold sockets, pipes and their own temporary files).
      let directory = fixture.directory
      let openFDs = {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { fd in
          guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
          else { return false }
          return ["/etc/", "/proc/", "/dev/shm/", "/var/", directory].contains { target.hasPrefix($0) }
        }.count
      }
      // Warm up (NSS, PAM modules loaded once) before counting descriptors.
      _ = try fixture.logon(users[0].name, "Pass-0")
      let before = openFDs()
      // The measure sees a descriptor left open on such a file.
      let probe = open(directory + "/0", O_RDONLY | O_CLOEXEC)
      #expect(probe >= 0 && openFDs() == before + 1)
      close(probe)

      let problems = Mutex<[String]>([])
      let count = Atomic<Int>(0)
      let running = Atomic<Bool>(true)
      let group = DispatchGroup()
      nonisolated(unsafe) let all = users
      let configuration = fixture.configuration
      for worker in 0..<8 {
        group.enter()
        Thread {
          defer { group.leave() }
          for round in 0..<125 {
            let index = (worker + round) % 8
            let user = all[index]
            do {
              var password = Array("Pass-\(index)".utf8)
              let token = try LocalSecurityAuthority.logonUser(
                user.name, password: &password, type: round % 2 == 0 ? .interactive : .network,
                configuration: configuration)
              try LocalSecurityAuthority.withImpersonation(token, configuration: configuration) {
                let mine = try threadCredentials()
                if mine.uid != user.uid || mine.gid != user.gid || mine.groups != [user.gid] {
                  problems.withLock { $0.append("worker \(worker) as \(user.name): \(mine)") }
                }
                if openError(directory + "/\(index)", O_RDWR) != 0 {
                  problems.withLock { $0.append("\(user.name) cannot open its file") }
                }
                if openError(directory + "/\((index + 1) % 8)", O_RDONLY) != EACCES {
                  problems.withLock { $0.append("\(user.name) opens another user's file") }
                }
              }
              let after = try threadCredentials()
              if after.uid != 0 || after.gid != 0 {
                problems.withLock { $0.append("worker \(worker) after revert: \(after)") }
              }
              count.add(1, ordering: .relaxed)
            } catch {
              problems.withLock { $0.append("worker \(worker): \(error)") }
            }
          }
        }.start()
      }
      // A thread that never impersonates keeps root's credentials throughout.
      let watcherDone = DispatchSemaphore(value: 0)
      Thread {
        defer { watcherDone.signal() }
        while running.load(ordering: .relaxed) {
          if let mine = try? threadCredentials(), mine.uid != 0 || mine.gid != 0 {
            problems.withLock { $0.append("the watcher thread has \(mine)") }
          }
          usleep(1000)
        }
      }.start()
      group.wait()
      running.store(false, ordering: .relaxed)
      watcherDone.wait()
      #expect(count.load(ordering: .relaxed) == 1000)
      #expect(problems.withLock { $0 } == [])
      let after = openFDs()
      // A small margin for other suites opening such files meanwhile; a leak per logon would be
      // hundreds.
      #expect(after <= before + 4, "open descriptors: \(before) before, \(after) after")
    }
  }
}
