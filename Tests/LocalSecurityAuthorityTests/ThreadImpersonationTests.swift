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

/// What the other thread of `perThreadFileAccess` found.
private let otherLog = Mutex<[String]>([])
