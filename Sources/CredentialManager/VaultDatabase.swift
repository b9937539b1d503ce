import CKeyring
import Crypto
import Foundation
import GRDB
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// The SQLite file of a vault, through GRDB: WAL mode, `synchronous = FULL` (a commit is on disk
/// when `write` returns), writes in IMMEDIATE transactions so processes queue instead of failing,
/// and a busy timeout for other processes' writes. Blobs and attributes are sealed with AES-GCM
/// under the master key with `type ‖ normalized target` as associated data, so a sealed value
/// moved to another row does not open.
final class VaultDatabase: @unchecked Sendable {
  let pool: DatabasePool
  let key: SymmetricKey
  let path: String
  /// CredRead's own connection and its cache of sealed rows (set up once the schema exists).
  let readCache: VaultReadCache

  static let keyCheckAAD = Array("ntsec-vault-key-check".utf8)

  init(location: VaultLocation, key: SymmetricKey, vaultID: String) throws(CredentialError) {
    self.key = key
    self.path = location.databasePath
    try VaultLocation.preparePrivateDirectory(location.dataDirectory)
    // Create the file 0600 before SQLite opens it; SQLite gives -wal and -shm the same mode.
    let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw CredentialError(.accessDenied, "cannot open \(path): \(errnoText())") }
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
          try db.execute(
            sql: """
              CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
              CREATE TABLE IF NOT EXISTS credential (
                target_key TEXT NOT NULL, type INTEGER NOT NULL, target TEXT NOT NULL,
                flags INTEGER NOT NULL, comment TEXT, last_written INTEGER NOT NULL,
                persist INTEGER NOT NULL, user_name TEXT, target_alias TEXT, sealed BLOB NOT NULL,
                PRIMARY KEY (target_key, type)) WITHOUT ROWID;
              CREATE TABLE IF NOT EXISTS target_info (target_key TEXT PRIMARY KEY, info BLOB NOT NULL) WITHOUT ROWID;
              """)
          let check = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'key_check'")
          if let check {
            guard let box = try? AES.GCM.SealedBox(combined: check),
              let plain = try? AES.GCM.open(box, using: key, authenticating: VaultDatabase.keyCheckAAD),
              String(decoding: plain, as: UTF8.self) == vaultID
            else {
              throw CredentialError(.decryptionFailed, "the vault key does not open this vault")
            }
          } else {
            let box = try AES.GCM.seal(
              Array(vaultID.utf8), using: key, authenticating: VaultDatabase.keyCheckAAD)
            try db.execute(
              sql: "INSERT INTO meta (name, value) VALUES ('key_check', ?)", arguments: [box.combined!])
          }
          return .commit
        }
      }
    } catch let error as CredentialError {
      throw error
    } catch {
      throw VaultDatabase.mapped(error, "open \(path)")
    }
    readCache = try VaultReadCache(path: path)
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

  static func mapped(_ error: any Error, _ what: String) -> CredentialError {
    if let e = error as? CredentialError { return e }
    if let db = error as? DatabaseError {
      let code: WindowsError =
        switch db.resultCode {
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH: .accessDenied
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: .invalidData
        case .SQLITE_FULL, .SQLITE_IOERR: .writeFault
        default: .openFailed
        }
      return CredentialError(code, "cannot \(what): \(db.resultCode) \(db.message ?? "")")
    }
    return CredentialError(.openFailed, "cannot \(what)")
  }

  static func aad(type: CredentialType, targetKey: String) -> [UInt8] {
    var out = Array("ntsec-cred-1".utf8)
    out.append(contentsOf: CredentialMarshaling.littleEndian(type.rawValue))
    out.append(contentsOf: targetKey.utf8)
    return out
  }

  func seal(_ c: Credential, targetKey: String) throws(CredentialError) -> Data {
    var plain = CredentialCoding.encodeSealedPart(blob: c.credentialBlob.bytes, attributes: c.attributes)
    defer { wipe(&plain) }
    do {
      return try AES.GCM.seal(
        plain, using: key, authenticating: VaultDatabase.aad(type: c.type, targetKey: targetKey)
      )
      .combined!
    } catch { throw CredentialError(.invalidData, "cannot encrypt the credential") }
  }

  func open(_ sealed: Data, type: CredentialType, targetKey: String) throws(CredentialError) -> (
    [UInt8], [CredentialAttribute]
  ) {
    guard let box = try? AES.GCM.SealedBox(combined: sealed),
      var plain = try? Array(
        AES.GCM.open(box, using: key, authenticating: VaultDatabase.aad(type: type, targetKey: targetKey)))
    else {
      throw CredentialError(
        .decryptionFailed, "the stored credential for \(type) did not decrypt (tampered or moved)")
    }
    defer { wipe(&plain) }
    return try CredentialCoding.decodeSealedPart(plain)
  }

  static let columns = "target, type, flags, comment, last_written, persist, user_name, target_alias, sealed"

  func credential(from row: Row) throws(CredentialError) -> Credential {
    let target: String = row[0]
    let type = CredentialType(rawValue: UInt32(truncatingIfNeeded: row[1] as Int64))
    let sealed: Data = row[8]
    let (blob, attributes) = try open(sealed, type: type, targetKey: Normalized.key(target))
    var c = Credential(
      type: type, targetName: target, userName: row[6], credentialBlob: SecretBytes(blob),
      persist: CredentialPersist(rawValue: UInt32(truncatingIfNeeded: row[5] as Int64)),
      flags: CredentialFlags(rawValue: UInt32(truncatingIfNeeded: row[2] as Int64)), comment: row[3],
      attributes: attributes, targetAlias: row[7])
    c.lastWrittenFileTime = UInt64(bitPattern: row[4] as Int64)
    return c
  }

  func fetch(_ db: Database, targetKey: String, type: CredentialType) throws -> Row? {
    let statement = try db.cachedStatement(
      sql: "SELECT \(VaultDatabase.columns) FROM credential WHERE target_key = ? AND type = ?")
    return try Row.fetchOne(statement, arguments: [targetKey, Int64(type.rawValue)])
  }

  /// CredRead's path: the sealed row from the validated cache, opened for this call only.
  func read(targetKey: String, type: CredentialType) throws(CredentialError) -> Credential? {
    guard let row = try readCache.row(targetKey: targetKey, type: type) else { return nil }
    return try credential(from: row)
  }

  func credential(from row: VaultReadCache.SealedRow) throws(CredentialError) -> Credential {
    guard let box = row.box, var opened = try? AES.GCM.open(box, using: key, authenticating: row.aad) else {
      throw CredentialError(
        .decryptionFailed, "the stored credential for \(row.type) did not decrypt (tampered or moved)")
    }
    var plain = [UInt8](opened)
    opened.withUnsafeMutableBytes { ntsec_explicit_bzero($0.baseAddress, $0.count) }
    defer { wipe(&plain) }
    let (blob, attributes) = try CredentialCoding.decodeSealedPart(plain)
    var c = Credential(
      type: row.type, targetName: row.targetName, userName: row.userName,
      credentialBlob: SecretBytes(blob), persist: CredentialPersist(rawValue: row.persist),
      flags: CredentialFlags(rawValue: row.flags), comment: row.comment, attributes: attributes,
      targetAlias: row.targetAlias)
    c.lastWrittenFileTime = row.lastWritten
    return c
  }

  func upsert(_ db: Database, _ c: Credential, targetKey: String) throws {
    let statement = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO credential (target_key, type, target, flags, comment, last_written,
          persist, user_name, target_alias, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    try statement.execute(arguments: [
      targetKey, Int64(c.type.rawValue), c.targetName, Int64(c.flags.rawValue), c.comment,
      Int64(bitPattern: c.lastWrittenFileTime), Int64(c.persist.rawValue), c.userName, c.targetAlias,
      try seal(c, targetKey: targetKey),
    ])
  }

  /// Runs `body` in one IMMEDIATE transaction: durable when it returns.
  func transaction<T>(_ what: String, _ body: (Database) throws -> T) throws(CredentialError) -> T {
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

  /// Rows whose normalized target starts with `prefix` (all rows when nil), in target order.
  func enumerate(prefix: String?) throws(CredentialError) -> [Credential] {
    let rows: [Row]
    do {
      rows = try pool.read { db in
        if let prefix {
          let statement = try db.cachedStatement(
            sql:
              "SELECT \(VaultDatabase.columns) FROM credential WHERE target_key >= ? AND target_key < ? ORDER BY target_key, type"
          )
          return try Row.fetchAll(statement, arguments: [prefix, prefix + "\u{10FFFF}"])
        }
        return try Row.fetchAll(
          db, sql: "SELECT \(VaultDatabase.columns) FROM credential ORDER BY target_key, type")
      }
    } catch { throw VaultDatabase.mapped(error, "enumerate the vault") }
    var out: [Credential] = []
    out.reserveCapacity(rows.count)
    for row in rows { out.append(try credential(from: row)) }
    return out
  }
}
