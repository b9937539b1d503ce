import Crypto
import Foundation
import GRDBSQLite
import NTSecurity
import Synchronization

/// CredRead's fast path: one long-lived read-only SQLite connection of its own and a
/// process-local cache of *sealed* rows (ciphertext only), keyed by type and normalized target.
/// Every read first checks for commits: the WAL-index header in the mapped `-shm` file
/// (`WALIndexHeader`) unchanged since the last check means none; otherwise the connection is
/// asked for `PRAGMA data_version`, which changes whenever any other connection — this process's
/// GRDB writer or another process — has committed since the previous call, and on a change the
/// whole cache is dropped. A miss reads the row, its manifest bucket and the manifest root in one
/// statement (one snapshot) and checks the row's version (`VaultManifest`) before caching it. A
/// hit costs the header comparison (no lock, no system call), a dictionary lookup and one AES-GCM
/// open, so a read never returns a row older than the last commit, and plaintext exists only for
/// the duration of the call.
final class VaultReadCache: Sendable {
  /// Compared by the bytes of the key (`Normalized.equal`), never by canonical equivalence.
  struct Key: Hashable, Sendable {
    let targetKey: String
    let type: UInt32
    static func == (a: Key, b: Key) -> Bool { a.type == b.type && Normalized.equal(a.targetKey, b.targetKey) }
    func hash(into hasher: inout Hasher) {
      hasher.combine(type)
      Normalized.hash(targetKey, into: &hasher)
    }
  }

  /// A row as stored, already checked against the manifest: the sealed credential and the
  /// associated data (with the row's version) it opens with.
  struct SealedRow: Sendable {
    let targetName: String
    let box: AES.GCM.SealedBox?
    let aad: [UInt8]
  }

  /// What one miss reads, from one snapshot.
  struct Fetched {
    var root: Data?
    var bucket: Data?
    var target: String?
    var version: Int64??
    var sealed: [UInt8]
  }

  struct State: ~Copyable {
    let connection: VaultReadConnection
    var version: Int64 = -1
    var rows: [Key: SealedRow] = [:]
    /// The opened manifest root and buckets, by the exact sealed bytes they came from.
    var root: (sealed: Data, root: VaultManifest.Root)?
    var buckets: [Int: (sealed: Data, entries: [VaultManifest.EntryKey: UInt64])] = [:]
    /// The `-shm` header mapping (after the first version check, in WAL mode) and the trusted
    /// header read just before the last `data_version` check.
    var walIndex: WALIndexHeader?
    var mappingTried = false
    var seen: WALIndexHeader.Snapshot?
    /// How many checks went through `data_version` (tests: the fast path is taken).
    var transactionChecks = 0
  }

  /// At most this many sealed rows are kept (about 150 bytes each for a short password).
  static let capacity = 131_072
  private let state: Mutex<State>
  private let key: SymmetricKey

  private let path: String

  init(path: String, key: SymmetricKey) throws(NTSecurityError) {
    self.key = key
    self.path = path
    state = Mutex(State(connection: try VaultReadConnection(path: path)))
  }

  /// The stored row for this key, or nil; validated against `data_version` first.
  func row(targetKey: String, type: CredentialType) throws(NTSecurityError) -> SealedRow? {
    let key = Key(targetKey: targetKey, type: type.rawValue)
    let masterKey = self.key
    let result: Result<SealedRow?, NTSecurityError> = state.withLock { state in
      do throws(NTSecurityError) {
        try validate(&state)
        if let hit = state.rows[key] { return .success(hit) }
        // Fetched after the version check: if a commit slips in between, the row is newer than
        // `version`, and the next read sees a changed version and drops it. Never older.
        let index = VaultManifest.bucket(type: type.rawValue, targetKey: targetKey)
        let f = try state.connection.fetch(targetKey: targetKey, type: type, bucket: index)
        let root: VaultManifest.Root
        if let cached = state.root, cached.sealed == f.root {
          root = cached.root
        } else {
          root = try VaultManifest.openRoot(f.root, key: masterKey)
          state.root = f.root.map { ($0, root) }
          state.buckets.removeAll()
        }
        let entries: [VaultManifest.EntryKey: UInt64]
        if let cached = state.buckets[index], cached.sealed == f.bucket {
          entries = cached.entries
        } else {
          entries = try VaultManifest.openBucket(
            f.bucket, index: index, version: root.bucketVersions[index], key: masterKey)
          if let sealed = f.bucket { state.buckets[index] = (sealed, entries) }
        }
        let shown = f.target ?? targetKey
        guard
          let rowVersion = try VaultRow.verify(
            type: type, targetKey: targetKey, shownAs: shown, rowVersion: f.version,
            recorded: entries[VaultManifest.EntryKey(type: type.rawValue, targetKey: targetKey)])
        else { return .success(nil) }
        let row = SealedRow(
          targetName: shown, box: try? AES.GCM.SealedBox(combined: f.sealed),
          aad: VaultRow.aad(type: type.rawValue, targetKey: targetKey, version: rowVersion))
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

extension VaultReadCache {
  /// Whether the `-shm` header is mapped, and how many checks took a read transaction.
  var validation: (mapped: Bool, transactionChecks: Int) {
    state.withLock { ($0.walIndex != nil, $0.transactionChecks) }
  }

  /// Drops the cache when anything was committed since the last check. Fast path: the trusted
  /// WAL-index header equals the one read before the last `data_version` check, so nothing was
  /// committed since. Otherwise the header is read first and `PRAGMA data_version` asked after
  /// it: rows cached from here on are never older than that header, and any later commit changes
  /// the header and sends the next read down this path again.
  fileprivate func validate(_ state: inout State) throws(NTSecurityError) {
    if let index = state.walIndex, let now = index.read(), now == state.seen { return }
    let before = state.walIndex?.read()
    state.transactionChecks += 1
    let version = try state.connection.dataVersion()
    if version != state.version {
      state.rows.removeAll()
      state.version = version
    }
    state.seen = before
    if !state.mappingTried {
      // Mapped only now: the connection has read in WAL mode and holds its shared lock.
      state.mappingTried = true
      if try state.connection.inWALMode(), let region = state.connection.sharedMemoryRegion() {
        state.walIndex = WALIndexHeader(region: region)
      }
    }
  }
}

/// The raw SQLite read connection behind `VaultReadCache` with its two prepared statements.
/// Not `Sendable`: the cache's `Mutex` owns it, and it is used only under that lock; closed in
/// deinit.
final class VaultReadConnection {
  private var db: OpaquePointer?
  private var versionStatement: OpaquePointer?
  private var selectStatement: OpaquePointer?
  private let path: String

  init(path: String) throws(NTSecurityError) {
    self.path = path
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE
    guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
      let text = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      throw NTSecurityError(.openFailed, "cannot open \(path) for reading: \(text)")
    }
    sqlite3_busy_timeout(db, 60_000)
    try check(sqlite3_exec(db, "PRAGMA query_only = 1", nil, nil, nil), "configure the read connection")
    try check(
      sqlite3_prepare_v3(
        db, "PRAGMA data_version", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &versionStatement, nil),
      "prepare the version check")
    try check(
      sqlite3_prepare_v3(
        db,
        """
        SELECT (SELECT value FROM meta WHERE name = 'manifest'), (SELECT sealed FROM manifest WHERE bucket = ?3),
          c.target, c.version, c.sealed, c.type
        FROM (SELECT 1) LEFT JOIN credential c ON c.target_key = ?1 AND c.type = ?2
        """, -1,
        UInt32(SQLITE_PREPARE_PERSISTENT), &selectStatement, nil),
      "prepare the credential read")
  }

  deinit {
    sqlite3_finalize(versionStatement)
    sqlite3_finalize(selectStatement)
    sqlite3_close_v2(db)
  }

  private func check(_ code: Int32, _ what: String) throws(NTSecurityError) {
    guard code != SQLITE_OK else { return }
    let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? ""
    let windows: WindowsError =
      switch code & 0xFF {
      case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY, SQLITE_AUTH: .accessDenied
      case SQLITE_CORRUPT, SQLITE_NOTADB: .invalidData
      case SQLITE_IOERR, SQLITE_FULL: .writeFault
      default: .openFailed
      }
    throw NTSecurityError(windows, "cannot \(what) in \(path): \(message)")
  }

  /// `PRAGMA data_version`: a value that changes when another connection commits.
  func dataVersion() throws(NTSecurityError) -> Int64 {
    let statement = versionStatement
    defer { sqlite3_reset(statement) }
    let code = sqlite3_step(statement)
    guard code == SQLITE_ROW else {
      try check(code == SQLITE_DONE ? SQLITE_ERROR : code, "read the data version")
      return -1
    }
    return sqlite3_column_int64(statement, 0)
  }

  /// Whether the database is in WAL mode (`PRAGMA journal_mode`).
  func inWALMode() throws(NTSecurityError) -> Bool {
    var statement: OpaquePointer?
    try check(
      sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nil), "prepare the journal mode query")
    defer { sqlite3_finalize(statement) }
    guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else {
      return false
    }
    return String(cString: text) == "wal"
  }

  /// The first 32 KiB region of SQLite's own mapping of the `-shm` file (the WAL index with its
  /// header), through the VFS's xShmMap without extending it; nil when SQLite has none mapped.
  /// Valid until the connection closes.
  func sharedMemoryRegion() -> UnsafeRawPointer? {
    var file: UnsafeMutablePointer<sqlite3_file>?
    guard sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK, let file,
      let methods = file.pointee.pMethods, methods.pointee.iVersion >= 2, let map = methods.pointee.xShmMap
    else { return nil }
    var region: UnsafeMutableRawPointer?
    guard map(file, 0, 32768, 0, &region) == SQLITE_OK, let region else { return nil }
    return UnsafeRawPointer(region)
  }

  /// The row for this key, still sealed, with the manifest root and the row's bucket, all from
  /// one statement (one snapshot).
  func fetch(targetKey: String, type: CredentialType, bucket: Int) throws(NTSecurityError)
    -> VaultReadCache.Fetched
  {
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
    try check(sqlite3_bind_int64(statement, 3, Int64(bucket)), "bind the bucket")
    let code = sqlite3_step(statement)
    guard code == SQLITE_ROW else {
      try check(code == SQLITE_DONE ? SQLITE_ERROR : code, "read the vault")
      return VaultReadCache.Fetched(sealed: [])
    }
    var f = VaultReadCache.Fetched(
      root: blob(statement, 0).map { Data($0) }, bucket: blob(statement, 1).map { Data($0) }, sealed: [])
    if sqlite3_column_type(statement, 5) != SQLITE_NULL {
      f.target = text(statement, 2)
      f.version = .some(
        sqlite3_column_type(statement, 3) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, 3))
      f.sealed = blob(statement, 4) ?? []
    }
    return f
  }

  private func blob(_ statement: OpaquePointer?, _ column: Int32) -> [UInt8]? {
    guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return nil }
    guard let p = sqlite3_column_blob(statement, column) else { return [] }
    return Array(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, column))))
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
