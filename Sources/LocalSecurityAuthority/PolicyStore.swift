import Foundation
import GRDB
import Glibc
import NTSecurity
import Synchronization

/// The LSA policy store: one SQLite file (GRDB), root-owned mode 0600 in a directory only root
/// may enter (mode 0700), in WAL mode with `synchronous = FULL`, so a write that returned is on
/// disk and a process killed in the middle of one leaves the last committed state (SQLite rolls
/// the WAL's uncommitted frames back on the next open). Writes run in IMMEDIATE transactions:
/// processes queue on the busy timeout instead of failing.
///
/// Tables: `account_right` (SID, right name), `setting` (the audit policy), `change` (a counter per
/// notification class), `private_data`
/// (sealed LsaStorePrivateData values), `logon_session` (the logons LogonUser made).
final class PolicyStore: Sendable {
  let queue: DatabaseQueue
  let path: String

  private init(queue: DatabaseQueue, path: String) {
    self.queue = queue
    self.path = path
  }

  /// Opens the store, creating its directory and file when `create` (root only). Returns nil
  /// when the store does not exist and `create` is false. Throws `ERROR_ACCESS_DENIED` when the
  /// caller is not root or the file or its directory is not root's alone, and `ERROR_INVALID_DATA`
  /// when the file is not a policy store SQLite can read.
  static func open(_ path: String, create: Bool) throws(NTSecurityError) -> PolicyStore? {
    let directory = (path as NSString).deletingLastPathComponent
    var info = stat()
    if lstat(path, &info) != 0 {
      let error = errno
      guard error == ENOENT else {
        throw NTSecurityError(
          .accessDenied, "the LSA policy store \(path) cannot be examined: \(text(error))")
      }
      guard create else { return nil }
    }
    guard geteuid() == 0 else {
      throw NTSecurityError(.accessDenied, "the LSA policy store \(path) is open to root only")
    }
    try prepareDirectory(directory)
    try creationLock.withLock { _ throws(NTSecurityError) in try prepareFile(path) }
    var configuration = GRDB.Configuration()
    configuration.journalMode = .wal
    configuration.busyMode = .timeout(30)
    configuration.label = "ntsec-lsa"
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    do {
      let queue = try openQueue(path, configuration)
      try queue.inDatabase { db in
        try db.inTransaction(.immediate) {
          try prepareSchema(db)
          return .commit
        }
      }
      return PolicyStore(queue: queue, path: path)
    } catch {
      throw mapped(error, "open the LSA policy store \(path)")
    }
  }

  /// Serialises the file checks and the one raw open that creates the file, so that no connection
  /// of this process opens the file while a descriptor that is about to close is open on it.
  private static let creationLock = Mutex(())

  /// Creates the file 0600 when missing (a raw descriptor, closed before SQLite opens the file) and
  /// checks what it is. An existing file is examined with lstat only: closing any descriptor of a
  /// file drops every POSIX lock the process holds on it, SQLite's included, so another thread's
  /// open connection would lose its locks and another process could reset the WAL under its commit.
  private static func prepareFile(_ path: String) throws(NTSecurityError) {
    var info = stat()
    if lstat(path, &info) != 0 {
      let fd = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
      if fd >= 0 {
        Glibc.close(fd)
      } else if errno != EEXIST {
        throw NTSecurityError(.accessDenied, "cannot create the LSA policy store \(path): \(text(errno))")
      }
      guard lstat(path, &info) == 0 else {
        throw NTSecurityError(
          .accessDenied, "the LSA policy store \(path) cannot be examined: \(text(errno))")
      }
    }
    guard info.st_mode & S_IFMT == S_IFREG, info.st_uid == 0, info.st_mode & 0o077 == 0, info.st_nlink == 1
    else {
      throw NTSecurityError(
        .accessDenied, "the LSA policy store \(path) is not a regular file of root's with mode 0600")
    }
  }

  /// Opens the queue, retrying while SQLite answers SQLITE_BUSY at once (another process
  /// recovering or checkpointing the WAL as this one opens; sqlite.org/wal.html).
  private static func openQueue(_ path: String, _ configuration: GRDB.Configuration) throws -> DatabaseQueue {
    for attempt in 0... {
      do { return try DatabaseQueue(path: path, configuration: configuration) } catch let error
        as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 200
      {
        usleep(50_000)
      }
    }
    fatalError("unreachable")
  }

  private static func prepareSchema(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE IF NOT EXISTS account_right (
          sid TEXT NOT NULL, right_name TEXT NOT NULL, PRIMARY KEY (sid, right_name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS setting (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS change (class INTEGER PRIMARY KEY, counter INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS private_data (name TEXT PRIMARY KEY, sealed BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS logon_session (
          luid INTEGER PRIMARY KEY, boot_id TEXT NOT NULL, pid INTEGER NOT NULL,
          start_time INTEGER NOT NULL, user_sid TEXT NOT NULL, user_name TEXT NOT NULL,
          domain TEXT NOT NULL, logon_type INTEGER NOT NULL, package TEXT NOT NULL,
          logon_server TEXT NOT NULL, dns_domain TEXT NOT NULL, upn TEXT NOT NULL,
          logon_time REAL NOT NULL);
        """)
  }

  /// The store's directory: created 0700 when missing; it must be root's and closed to others.
  private static func prepareDirectory(_ directory: String) throws(NTSecurityError) {
    if mkdir(directory, 0o700) != 0, errno != EEXIST {
      throw NTSecurityError(.accessDenied, "cannot create \(directory): \(text(errno))")
    }
    var info = stat()
    guard lstat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == 0,
      info.st_mode & 0o077 == 0
    else {
      throw NTSecurityError(
        .accessDenied, "\(directory) must be a directory of root's that no one else may enter (mode 0700)")
    }
  }

  /// Runs `body` in an IMMEDIATE transaction and commits it.
  func write<T>(_ what: String, _ body: (Database) throws -> T) throws(NTSecurityError) -> T {
    try transaction(.immediate, what, body)
  }

  /// Runs `body` in a read transaction.
  func read<T>(_ what: String, _ body: (Database) throws -> T) throws(NTSecurityError) -> T {
    try transaction(.deferred, what, body)
  }

  private func transaction<T>(
    _ kind: Database.TransactionKind, _ what: String, _ body: (Database) throws -> T
  ) throws(NTSecurityError) -> T {
    do {
      return try queue.inDatabase { db in
        var result: T?
        try db.inTransaction(kind) {
          result = try body(db)
          return .commit
        }
        return result!
      }
    } catch {
      throw Self.mapped(error, what)
    }
  }

  static func mapped(_ error: any Error, _ what: String) -> NTSecurityError {
    if let error = error as? NTSecurityError { return error }
    guard let error = error as? DatabaseError else {
      return NTSecurityError(.openFailed, "cannot \(what): \(error)")
    }
    let code: WindowsError =
      switch error.resultCode {
      case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH: .accessDenied
      case .SQLITE_CORRUPT, .SQLITE_NOTADB: .invalidData
      case .SQLITE_FULL, .SQLITE_IOERR: .writeFault
      default: .openFailed
      }
    return NTSecurityError(code, "cannot \(what): \(error.resultCode) \(error.message ?? "")")
  }

  static func text(_ error: Int32) -> String { String(cString: strerror(error)) }
}
