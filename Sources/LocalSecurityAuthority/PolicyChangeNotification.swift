import Foundation
import GRDB
import Glibc
import NTSecurity
import Synchronization

extension LocalSecurityAuthority {
  /// POLICY_NOTIFICATION_INFORMATION_CLASS.
  public enum PolicyNotificationClass: UInt32, Hashable, Sendable, CaseIterable {
    case auditEventsInformation = 1, accountDomainInformation, serverRoleInformation, dnsDomainInformation
    case domainEfsInformation, domainKerberosTicketInformation, machineAccountPasswordInformation
  }

  /// LsaRegisterPolicyChangeNotification … LsaUnregisterPolicyChangeNotification: the event a
  /// registration signals, in any process, when the policy store records a change of its class
  /// (inotify on the store's directory, then the store's change counter of the class).
  ///
  /// The Win32 event handle is ``wait(timeout:)``: it returns true once per batch of changes
  /// made since the registration or the last true return, as an auto-reset event. Only
  /// PolicyNotifyAuditEventsInformation can fire: the store is the only writer of the audit
  /// policy, and the other classes are the host's join state (no EFS, no Kerberos ticket policy,
  /// no machine password kept here), which nothing here changes. Registering needs the store
  /// (root), as Windows needs a trusted caller.
  public final class PolicyChangeNotification: Sendable {
    public let informationClass: PolicyNotificationClass
    private let path: String
    private let state: Mutex<(fd: Int32, seen: Int64)>

    /// LsaRegisterPolicyChangeNotification.
    public init(_ informationClass: PolicyNotificationClass, configuration: Configuration = .current)
      throws(NTSecurityError)
    {
      self.informationClass = informationClass
      let path = configuration.policyStorePath
      self.path = path
      let store = try PolicyStore.open(path, create: true)!
      let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
      guard fd >= 0 else { throw NTSecurityError(.accessDenied, "inotify_init1: \(PolicyStore.text(errno))") }
      let directory = (path as NSString).deletingLastPathComponent
      let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO)
      guard inotify_add_watch(fd, directory, mask) >= 0 else {
        let error = errno
        Glibc.close(fd)
        throw NTSecurityError(.accessDenied, "inotify_add_watch \(directory): \(PolicyStore.text(error))")
      }
      do throws(NTSecurityError) {
        let seen = try Self.counter(store, informationClass)
        state = Mutex((fd, seen))
      } catch {
        Glibc.close(fd)
        throw error
      }
    }

    deinit { close() }

    /// LsaUnregisterPolicyChangeNotification: ``wait(timeout:)`` answers `ERROR_INVALID_HANDLE`
    /// afterwards.
    public func close() {
      state.withLock {
        if $0.fd >= 0 { Glibc.close($0.fd) }
        $0.fd = -1
      }
    }

    /// Waits until the class changed (true) or `timeout` passed (false); nil waits for ever.
    public func wait(timeout: Duration? = nil) throws(NTSecurityError) -> Bool {
      let deadline = timeout.map { ContinuousClock.now + $0 }
      while true {
        let (fd, seen) = state.withLock { ($0.fd, $0.seen) }
        guard fd >= 0 else { throw NTSecurityError(.invalidHandle, "the notification was unregistered") }
        guard let store = try PolicyStore.open(path, create: false) else {
          throw NTSecurityError(.fileNotFound, "the LSA policy store \(path) was removed")
        }
        let now = try Self.counter(store, informationClass)
        if now > seen {
          state.withLock { $0.seen = now }
          return true
        }
        var milliseconds: Int32 = -1
        if let deadline {
          let left = deadline - ContinuousClock.now
          if left <= .zero { return false }
          milliseconds = Int32(min(LocalSecurityAuthority.seconds(left) * 1000 + 1, 60_000))
        }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&poller, 1, milliseconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(fd, &buffer, buffer.count) > 0 {}
      }
    }

    static func counter(_ store: PolicyStore, _ type: PolicyNotificationClass) throws(NTSecurityError)
      -> Int64
    {
      try store.read("read the policy change counter") { db in
        try Int64.fetchOne(db, sql: "SELECT counter FROM change WHERE class = ?", arguments: [type.rawValue])
          ?? 0
      }
    }
  }
}

extension LocalSecurityAuthority.Policy {
  /// Records a change of `type` in the transaction `db` writes, for the registrations.
  static func noteChange(_ db: Database, _ type: LocalSecurityAuthority.PolicyNotificationClass) throws {
    try db.execute(
      sql:
        "INSERT INTO change (class, counter) VALUES (?, 1) ON CONFLICT(class) DO UPDATE SET counter = counter + 1",
      arguments: [type.rawValue])
  }
}
