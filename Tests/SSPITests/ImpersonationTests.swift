import Foundation
import NTSecurity
import SSPI
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension SSPISuite.Tokens {
  /// The calling thread's effective uid and groups (/proc/thread-self/status).
  static func threadIdentity() throws -> (uid: UInt32, groups: [String]) {
    let text = try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
    func field(_ key: String) -> [String] {
      let line = text.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
      return line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }
    return (UInt32(field("Uid")[1]) ?? .max, field("Groups"))
  }

  /// Runs `body` on a thread of its own and waits for it.
  static func onNewThread<T>(_ body: @escaping () throws -> T) throws -> T {
    nonisolated(unsafe) var outcome: Result<T, any Error>?
    nonisolated(unsafe) let work = body
    let done = DispatchSemaphore(value: 0)
    Thread {
      outcome = Result { try work() }
      done.signal()
    }.start()
    done.wait()
    return try outcome!.get()
  }

  @Test(
    "ImpersonateSecurityContext gives the thread a local-account client's real credentials, only that thread")
  func impersonationChangesThreadCredentials() throws {
    let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
    try #require(getuid() == 0, "the real-credentials path needs a root test process")
    let x = try exchange(clientCredentials: try nobodyCredentials())
    let file = NSTemporaryDirectory() + "ntsec-sspi-imp-\(getpid())"
    #expect(FileManager.default.createFile(atPath: file, contents: Data("root".utf8)))
    defer { try? FileManager.default.removeItem(atPath: file) }
    #expect(chmod(file, 0o600) == 0)
    let context = x.server.context
    let (inside, opened, after) = try Self.onNewThread { () throws -> (UInt32, Int32, UInt32) in
      try context.impersonate()
      let uid = try Self.threadIdentity().uid
      let fd = open(file, O_RDONLY | O_CLOEXEC)
      let error = fd < 0 ? errno : 0
      if fd >= 0 { close(fd) }
      try context.revert()
      return (uid, error, try Self.threadIdentity().uid)
    }
    #expect(inside == nobody)
    #expect(opened == EACCES, "the client may not read root's 0600 file")
    #expect(after == 0)
    #expect(try Self.threadIdentity().uid == 0, "other threads keep root")
  }

  @Test("At identification level the impersonating thread runs as the anonymous account with no groups")
  func identificationLevelRunsAnonymous() throws {
    try #require(getuid() == 0)
    let x = try exchange(requirements: [.mutualAuth, .identify], clientCredentials: try nobodyCredentials())
    let context = x.server.context
    let (uid, groups) = try Self.onNewThread { () throws -> (UInt32, [String]) in
      try context.impersonate()
      defer { try? context.revert() }
      #expect(SSPI.threadToken?.impersonationLevel == .identification)
      return try Self.threadIdentity()
    }
    #expect(uid == (getpwnam("nobody")?.pointee.pw_uid ?? 65534))
    #expect(groups.isEmpty, "\(groups)")
  }
}
