internal import CKeyring
import Crypto
import Foundation
import GRDB
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// The SQLite file of a vault, through GRDB: WAL mode, `synchronous = FULL` (a commit is on disk
/// when `write` returns), writes in IMMEDIATE transactions so processes queue instead of failing,
/// and a busy timeout for other processes' writes.
///
/// Every field a call returns is sealed with AES-GCM under the master key (`VaultRow`); the
/// associated data binds the row's type, target key and version, and `VaultManifest` records the
/// version, so a sealed value moved to another row, an edited column or a row rolled back to an
/// older copy does not open. Rows of the first format (only the blob and attributes sealed) are
/// sealed again in the new one when the vault is opened.
final class VaultDatabase: Sendable {
  let pool: DatabasePool
  let key: SymmetricKey
  let path: String
  /// CredRead's own connection and its cache of sealed rows (set up once the schema exists).
  let readCache: VaultReadCache

  static let keyCheckAAD = Array("ntsec-vault-key-check".utf8)

  init(location: VaultLocation, key: SymmetricKey, vaultID: String) throws(NTSecurityError) {
    self.key = key
    self.path = location.databasePath
    try VaultLocation.preparePrivateDirectory(location.dataDirectory)
    // Create the file 0600 before SQLite opens it; SQLite gives -wal and -shm the same mode.
    let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw NTSecurityError(.accessDenied, "cannot open \(path): \(errnoText())") }
    close(fd)
    try VaultLocation.checkPrivateFile(path)
    var config = Configuration()
    config.busyMode = .timeout(60)
    config.label = "ntsec-vault"
    config.maximumReaderCount = 8
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    do {
      pool = try VaultDatabase.openPool(path: path, configuration: config)
      try pool.writeWithoutTransaction { db in
        try db.inTransaction(.immediate) {
          try VaultDatabase.prepareSchema(db, key: key, vaultID: vaultID)
          return .commit
        }
      }
    } catch let error as NTSecurityError {
      throw error
    } catch {
      throw VaultDatabase.mapped(error, "open \(path)")
    }
    readCache = try VaultReadCache(path: path, key: key)
  }

  /// Creates the tables, checks the key, and moves a vault of the first format to the current one.
  static func prepareSchema(_ db: Database, key: SymmetricKey, vaultID: String) throws {
    try db.execute(
      sql: """
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS credential (
          target_key TEXT NOT NULL, type INTEGER NOT NULL, target TEXT NOT NULL,
          flags INTEGER NOT NULL, comment TEXT, last_written INTEGER NOT NULL,
          persist INTEGER NOT NULL, user_name TEXT, target_alias TEXT, sealed BLOB NOT NULL,
          PRIMARY KEY (target_key, type)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS target_info (target_key TEXT PRIMARY KEY, info BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS manifest (bucket INTEGER PRIMARY KEY, sealed BLOB NOT NULL);
        """)
    if try !db.columns(in: "credential").contains(where: { $0.name == "version" }) {
      try db.execute(sql: "ALTER TABLE credential ADD COLUMN version INTEGER")
    }
    let check = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'key_check'")
    if let check {
      guard let box = try? AES.GCM.SealedBox(combined: check),
        let plain = try? AES.GCM.open(box, using: key, authenticating: VaultDatabase.keyCheckAAD),
        String(decoding: plain, as: UTF8.self) == vaultID
      else {
        throw NTSecurityError(.decryptionFailed, "the vault key does not open this vault")
      }
    } else {
      let box = try AES.GCM.seal(Array(vaultID.utf8), using: key, authenticating: VaultDatabase.keyCheckAAD)
      try db.execute(
        sql: "INSERT INTO meta (name, value) VALUES ('key_check', ?)", arguments: [box.combined!])
    }
    guard try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'manifest'") == nil else { return }
    // No version record yet: a new vault, or one of the first format. A vault that has rows of
    // the current format but lost its record was tampered with: leave it failing closed.
    guard try Int.fetchOne(db, sql: "SELECT count(*) FROM credential WHERE version IS NOT NULL") == 0 else {
      return
    }
    let editor = VaultManifest.Editor(creatingIn: db, key: key)
    try VaultRow.migrateFirstFormat(db, key: key, editor: editor)
    editor.dirty.insert(0)
    try editor.flush()
  }

  /// Opens the pool, retrying for up to 10 s while SQLite answers SQLITE_BUSY without consulting
  /// the busy timeout: a connection that opens while another process's last connection is
  /// cleaning up the WAL, or recovering it, gets SQLITE_BUSY at once (sqlite.org/wal.html, 9).
  static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
    var attempts = 0
    while true {
      do { return try DatabasePool(path: path, configuration: configuration) } catch let error
        as DatabaseError
        where error.resultCode == .SQLITE_BUSY && attempts < 100
      {
        attempts += 1
        usleep(100_000)
      }
    }
  }

  static func mapped(_ error: any Error, _ what: String) -> NTSecurityError {
    if let e = error as? NTSecurityError { return e }
    if let db = error as? DatabaseError {
      let code: WindowsError =
        switch db.resultCode {
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH: .accessDenied
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: .invalidData
        case .SQLITE_FULL, .SQLITE_IOERR: .writeFault
        default: .openFailed
        }
      return NTSecurityError(code, "cannot \(what): \(db.resultCode) \(db.message ?? "")")
    }
    return NTSecurityError(.openFailed, "cannot \(what)")
  }

  /// Runs `body` in one IMMEDIATE transaction: durable when it returns.
  func transaction<T>(_ what: String, _ body: (Database) throws -> T) throws(NTSecurityError) -> T {
    do {
      return try pool.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        return result!
      }
    } catch { throw VaultDatabase.mapped(error, what) }
  }

}
