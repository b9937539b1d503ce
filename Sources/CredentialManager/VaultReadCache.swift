import Crypto
import Foundation
import GRDBSQLite
import NTSecurity
import Synchronization

/// CredRead's fast path: one long-lived read-only SQLite connection of its own and a
/// process-local cache of *sealed* rows (ciphertext plus the clear metadata), keyed by type and
/// normalized target. Every read first asks the connection for `PRAGMA data_version`, which
/// changes whenever any other connection — this process's GRDB writer or another process —
/// has committed since the previous call; on a change the whole cache is dropped. A hit costs
/// that pragma, a dictionary lookup and one AES-GCM open, so a read never returns a row older
/// than the last commit, and plaintext exists only for the duration of the call, as before.
final class VaultReadCache: Sendable {
  struct Key: Hashable, Sendable {
    let targetKey: String
    let type: UInt32
  }

  /// A row as stored: clear metadata and the still-sealed blob and attributes.
  struct SealedRow: Sendable {
    let targetName: String
    let type: CredentialType
    let flags: UInt32
    let comment: String?
    let lastWritten: UInt64
    let persist: UInt32
    let userName: String?
    let targetAlias: String?
    let box: AES.GCM.SealedBox?
    let aad: [UInt8]
  }

  struct State: ~Copyable {
    let connection: VaultReadConnection
    var version: Int64 = -1
    var rows: [Key: SealedRow] = [:]
  }

  /// At most this many sealed rows are kept (about 150 bytes each for a short password).
  static let capacity = 131_072
  private let state: Mutex<State>

  init(path: String) throws(CredentialError) {
    state = Mutex(State(connection: try VaultReadConnection(path: path)))
  }

  /// The stored row for this key, or nil; validated against `data_version` first.
  func row(targetKey: String, type: CredentialType) throws(CredentialError) -> SealedRow? {
    let key = Key(targetKey: targetKey, type: type.rawValue)
    let result: Result<SealedRow?, CredentialError> = state.withLock { state in
      do throws(CredentialError) {
        let version = try state.connection.dataVersion()
        if version != state.version {
          state.rows.removeAll()
          state.version = version
        }
        if let hit = state.rows[key] { return .success(hit) }
        // Fetched after the version check: if a commit slips in between, the row is newer than
        // `version`, and the next read sees a changed version and drops it. Never older.
        guard let row = try state.connection.fetch(targetKey: targetKey, type: type) else {
          return .success(nil)
        }
        if state.rows.count >= VaultReadCache.capacity { state.rows.remove(at: state.rows.startIndex) }
        state.rows[key] = row
        return .success(row)
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }
}

/// The raw SQLite read connection behind `VaultReadCache` with its two prepared statements.
/// Used only under the cache's lock; closed in deinit.
final class VaultReadConnection: @unchecked Sendable {
  private var db: OpaquePointer?
  private var versionStatement: OpaquePointer?
  private var selectStatement: OpaquePointer?
  private let path: String

  init(path: String) throws(CredentialError) {
    self.path = path
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE
    guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
      let text = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      throw CredentialError(.openFailed, "cannot open \(path) for reading: \(text)")
    }
    sqlite3_busy_timeout(db, 60_000)
    try check(sqlite3_exec(db, "PRAGMA query_only = 1", nil, nil, nil), "configure the read connection")
    try check(
      sqlite3_prepare_v3(
        db, "PRAGMA data_version", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &versionStatement, nil),
      "prepare the version check")
    try check(
      sqlite3_prepare_v3(
        db, "SELECT \(VaultDatabase.columns) FROM credential WHERE target_key = ? AND type = ?", -1,
        UInt32(SQLITE_PREPARE_PERSISTENT), &selectStatement, nil),
      "prepare the credential read")
  }

  deinit {
    sqlite3_finalize(versionStatement)
    sqlite3_finalize(selectStatement)
    sqlite3_close_v2(db)
  }

  private func check(_ code: Int32, _ what: String) throws(CredentialError) {
    guard code != SQLITE_OK else { return }
    let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? ""
    let windows: WindowsError =
      switch code & 0xFF {
      case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY, SQLITE_AUTH: .accessDenied
      case SQLITE_CORRUPT, SQLITE_NOTADB: .invalidData
      case SQLITE_IOERR, SQLITE_FULL: .writeFault
      default: .openFailed
      }
    throw CredentialError(windows, "cannot \(what) in \(path): \(message)")
  }

  /// `PRAGMA data_version`: a value that changes when another connection commits.
  func dataVersion() throws(CredentialError) -> Int64 {
    let statement = versionStatement
    defer { sqlite3_reset(statement) }
    let code = sqlite3_step(statement)
    guard code == SQLITE_ROW else {
      try check(code == SQLITE_DONE ? SQLITE_ERROR : code, "read the data version")
      return -1
    }
    return sqlite3_column_int64(statement, 0)
  }

  /// The row for this key, still sealed.
  func fetch(targetKey: String, type: CredentialType) throws(CredentialError) -> VaultReadCache.SealedRow? {
    let statement = selectStatement
    defer {
      sqlite3_reset(statement)
      sqlite3_clear_bindings(statement)
    }
    var key = targetKey
    let bound = key.withUTF8 { utf8 in
      utf8.withMemoryRebound(to: CChar.self) { text in
        sqlite3_bind_text(statement, 1, text.baseAddress, Int32(text.count), VaultReadConnection.transient)
      }
    }
    try check(bound, "bind the target")
    try check(sqlite3_bind_int64(statement, 2, Int64(type.rawValue)), "bind the type")
    let code = sqlite3_step(statement)
    if code == SQLITE_DONE { return nil }
    guard code == SQLITE_ROW else {
      try check(code, "read the vault")
      return nil
    }
    guard let target = text(statement, 0) else {
      throw CredentialError(.invalidData, "a stored credential has no target name")
    }
    let storedType = CredentialType(rawValue: UInt32(truncatingIfNeeded: sqlite3_column_int64(statement, 1)))
    var sealed: [UInt8] = []
    if let p = sqlite3_column_blob(statement, 8) {
      let n = Int(sqlite3_column_bytes(statement, 8))
      sealed = Array(UnsafeRawBufferPointer(start: p, count: n))
    }
    return VaultReadCache.SealedRow(
      targetName: target, type: storedType,
      flags: UInt32(truncatingIfNeeded: sqlite3_column_int64(statement, 2)), comment: text(statement, 3),
      lastWritten: UInt64(bitPattern: sqlite3_column_int64(statement, 4)),
      persist: UInt32(truncatingIfNeeded: sqlite3_column_int64(statement, 5)), userName: text(statement, 6),
      targetAlias: text(statement, 7), box: try? AES.GCM.SealedBox(combined: sealed),
      aad: VaultDatabase.aad(type: storedType, targetKey: Normalized.key(target)))
  }

  private func text(_ statement: OpaquePointer?, _ column: Int32) -> String? {
    guard sqlite3_column_type(statement, column) != SQLITE_NULL,
      let p = sqlite3_column_text(statement, column)
    else { return nil }
    let n = Int(sqlite3_column_bytes(statement, column))
    return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
  }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
