internal import CKeyring
import Crypto
import Foundation
import GRDB
import NTSecurity

/// One credential row of the vault. The whole credential — type, target, user name, comment,
/// alias, persistence, flags, last-written time, attributes and blob (`CredentialCoding`'s
/// whole-credential layout) — is sealed with AES-GCM; the associated data is
/// `"ntsec-cred-2" ‖ type ‖ version ‖ target key`. The clear columns hold only what lookups
/// need (target key, type, the target name for messages, the version); the others are NULL or 0.
enum VaultRow {
  static func aad(type: UInt32, targetKey: String, version: UInt64) -> [UInt8] {
    var w = CredentialCoding.Writer(bytes: Array("ntsec-cred-2".utf8))
    w.u32(type)
    w.u64(version)
    w.bytes.append(contentsOf: targetKey.utf8)
    return w.bytes
  }

  /// The first format's associated data (only the blob and attributes were sealed).
  static func firstFormatAAD(type: UInt32, targetKey: String) -> [UInt8] {
    Array("ntsec-cred-1".utf8) + CredentialMarshaling.littleEndian(type) + Array(targetKey.utf8)
  }

  static func seal(_ c: Credential, targetKey: String, version: UInt64, key: SymmetricKey)
    throws(NTSecurityError)
    -> Data
  {
    var plain = CredentialCoding.encodeWhole(c)
    defer { wipe(&plain) }
    do {
      return try AES.GCM.seal(
        plain, using: key, authenticating: aad(type: c.type.rawValue, targetKey: targetKey, version: version)
      ).combined!
    } catch { throw NTSecurityError(.invalidData, "cannot encrypt the credential") }
  }

  static func name(_ type: CredentialType, _ target: String) -> String { "\(type) credential \"\(target)\"" }

  /// Opens a sealed row whose authenticated version is `version`, checking that what it holds
  /// is the credential the row is filed under.
  static func open(
    _ box: AES.GCM.SealedBox?, aad: [UInt8], type: CredentialType, targetKey: String, shownAs target: String,
    key: SymmetricKey
  ) throws(NTSecurityError) -> Credential {
    guard let box, var opened = try? AES.GCM.open(box, using: key, authenticating: aad) else {
      throw NTSecurityError(
        .decryptionFailed, "the stored \(name(type, target)) did not decrypt (tampered, moved or rolled back)"
      )
    }
    var plain = [UInt8](opened)
    opened.withUnsafeMutableBytes { ntsec_explicit_bzero($0.baseAddress, $0.count) }
    defer { wipe(&plain) }
    let c = try CredentialCoding.decodeWhole(plain)
    guard c.type == type, Normalized.equal(Normalized.key(c.targetName), targetKey) else {
      throw NTSecurityError(.decryptionFailed, "the stored \(name(type, target)) holds another credential")
    }
    return c
  }

  /// The check every read makes: the row's version must be the one the manifest records.
  /// `row` is nil when the table has no such row. Returns nil for a credential that does not exist.
  static func verify(
    type: CredentialType, targetKey: String, shownAs target: String, rowVersion: Int64??, recorded: UInt64?
  ) throws(NTSecurityError) -> UInt64? {
    switch (rowVersion, recorded) {
    case (nil, nil):
      return nil
    case (nil, .some):
      throw NTSecurityError(
        .decryptionFailed, "the \(name(type, target)) was removed outside the vault (tampered or rolled back)"
      )
    case (.some(nil), _):
      throw NTSecurityError(
        .decryptionFailed,
        "the stored \(name(type, target)) has the old format in a converted vault (rolled back)")
    case (.some(.some(let v)), let r):
      guard let r, UInt64(bitPattern: v) == r else {
        throw NTSecurityError(
          .decryptionFailed,
          "the stored \(name(type, target)) is not the version the vault recorded (rolled back)")
      }
      return r
    }
  }

  /// Seals every first-format row again in the current format under the key the current rule
  /// gives its target. A row that does not open stays as it is and is reported when read.
  static func migrateFirstFormat(_ db: Database, key: SymmetricKey, editor: VaultManifest.Editor) throws {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT target_key, type, target, flags, comment, last_written, persist, user_name, target_alias, sealed
        FROM credential WHERE version IS NULL
        """)
    for row in rows {
      let oldKey: String = row[0]
      let typeValue = UInt32(truncatingIfNeeded: row[1] as Int64)
      let target: String = row[2]
      let sealed: Data = row[9]
      guard let box = try? AES.GCM.SealedBox(combined: sealed),
        var plain = try? Array(
          AES.GCM.open(box, using: key, authenticating: firstFormatAAD(type: typeValue, targetKey: oldKey)))
      else { continue }
      defer { wipe(&plain) }
      let (blob, attributes) = try CredentialCoding.decodeSealedPart(plain)
      var c = Credential(
        type: CredentialType(rawValue: typeValue), targetName: target, userName: row[7],
        credentialBlob: SecretBytes(blob),
        persist: CredentialPersist(rawValue: UInt32(truncatingIfNeeded: row[6] as Int64)),
        flags: CredentialFlags(rawValue: UInt32(truncatingIfNeeded: row[3] as Int64)), comment: row[4],
        attributes: attributes, targetAlias: row[8])
      c.lastWrittenFileTime = UInt64(bitPattern: row[5] as Int64)
      defer { c.credentialBlob.clear() }
      try db.execute(
        sql: "DELETE FROM credential WHERE target_key = ? AND type = ?",
        arguments: [oldKey, Int64(typeValue)])
      try VaultWriter(db: db, key: key, editor: editor).upsert(c, targetKey: Normalized.key(target))
    }
  }
}

/// The row operations of one write transaction; the manifest is sealed again at its end.
struct VaultWriter {
  let db: Database
  let key: SymmetricKey
  let editor: VaultManifest.Editor

  /// The stored credential, verified against the manifest; nil when there is none.
  func fetch(targetKey: String, type: CredentialType) throws -> Credential? {
    let row = try Row.fetchOne(
      db, sql: "SELECT target, version, sealed FROM credential WHERE target_key = ? AND type = ?",
      arguments: [targetKey, Int64(type.rawValue)])
    let recorded = try editor.version(type: type.rawValue, targetKey: targetKey)
    let target: String = row?[0] ?? targetKey
    let rowVersion: Int64?? = row.map { $0[1] as Int64? }
    guard
      let version = try VaultRow.verify(
        type: type, targetKey: targetKey, shownAs: target, rowVersion: rowVersion, recorded: recorded),
      let row
    else { return nil }
    let sealed: Data = row[2]
    return try VaultRow.open(
      try? AES.GCM.SealedBox(combined: sealed),
      aad: VaultRow.aad(type: type.rawValue, targetKey: targetKey, version: version), type: type,
      targetKey: targetKey, shownAs: target, key: key)
  }

  /// Creates or replaces the row with a new version.
  func upsert(_ c: Credential, targetKey: String) throws {
    let version = try editor.bump(type: c.type.rawValue, targetKey: targetKey)
    let statement = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO credential (target_key, type, target, flags, comment, last_written,
          persist, user_name, target_alias, sealed, version) VALUES (?, ?, ?, 0, NULL, 0, 0, NULL, NULL, ?, ?)
        """)
    try statement.execute(arguments: [
      targetKey, Int64(c.type.rawValue), c.targetName,
      try VaultRow.seal(c, targetKey: targetKey, version: version, key: key), Int64(bitPattern: version),
    ])
  }

  /// Removes the row; true when there was one.
  @discardableResult
  func delete(targetKey: String, type: CredentialType) throws -> Bool {
    try db.execute(
      sql: "DELETE FROM credential WHERE target_key = ? AND type = ?",
      arguments: [targetKey, Int64(type.rawValue)])
    let removed = db.changesCount > 0
    if try removed || editor.version(type: type.rawValue, targetKey: targetKey) != nil {
      try editor.set(type: type.rawValue, targetKey: targetKey, version: nil)
    }
    return removed
  }
}

/// What CredEnumerate found: every credential that opened, and an error for each that did not.
public struct CredentialEnumeration: Sendable {
  /// The credentials, in target order.
  public var credentials: [Credential]
  /// One ERROR_DECRYPTION_FAILED (or ERROR_INVALID_DATA) per stored credential that could not be
  /// returned (tampered, rolled back or removed outside the vault), naming its target.
  public var failures: [NTSecurityError]
}

extension VaultDatabase {
  /// Runs `body` with a writer in one IMMEDIATE transaction and seals the manifest again.
  func write<T>(_ what: String, _ body: (VaultWriter) throws -> T) throws(NTSecurityError) -> T {
    try transaction(what) { db in
      let writer = VaultWriter(db: db, key: key, editor: try VaultManifest.Editor(db, key: key))
      let result = try body(writer)
      try writer.editor.flush()
      return result
    }
  }

  /// CredRead's path: the sealed row from the validated cache, opened for this call only.
  func read(targetKey: String, type: CredentialType) throws(NTSecurityError) -> Credential? {
    guard let row = try readCache.row(targetKey: targetKey, type: type) else { return nil }
    return try VaultRow.open(
      row.box, aad: row.aad, type: type, targetKey: targetKey, shownAs: row.targetName, key: key)
  }

  /// Rows whose target key starts with `prefix` (is `prefix` with `exact`; all rows when nil), in
  /// target order, from one snapshot; rows that fail their checks are reported, not thrown.
  func enumerate(prefix: String?, exact: Bool = false) throws(NTSecurityError) -> CredentialEnumeration {
    let key = self.key
    do {
      return try pool.read { db in
        let editor = try VaultManifest.Editor(db, key: key)
        let rows: [Row]
        let columns = "target_key, type, target, version, sealed"
        if let prefix, exact {
          rows = try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM credential WHERE target_key = ? ORDER BY type",
            arguments: [prefix])
        } else if let prefix {
          rows = try Row.fetchAll(
            db,
            sql:
              "SELECT \(columns) FROM credential WHERE target_key >= ? AND target_key < ? ORDER BY target_key, type",
            arguments: [prefix, prefix + "\u{10FFFF}"])
        } else {
          rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM credential ORDER BY target_key, type")
        }
        var result = CredentialEnumeration(credentials: [], failures: [])
        result.credentials.reserveCapacity(rows.count)
        var seen = Set<VaultManifest.EntryKey>()
        for row in rows {
          let targetKey: String = row[0]
          let type = CredentialType(rawValue: UInt32(truncatingIfNeeded: row[1] as Int64))
          let target: String = row[2]
          seen.insert(VaultManifest.EntryKey(type: type.rawValue, targetKey: targetKey))
          do throws(NTSecurityError) {
            let recorded: UInt64?
            do { recorded = try editor.version(type: type.rawValue, targetKey: targetKey) } catch {
              throw VaultDatabase.mapped(error, "read the vault's version record")
            }
            guard
              let version = try VaultRow.verify(
                type: type, targetKey: targetKey, shownAs: target, rowVersion: .some(row[3] as Int64?),
                recorded: recorded)
            else { continue }
            let sealed: Data = row[4]
            result.credentials.append(
              try VaultRow.open(
                try? AES.GCM.SealedBox(combined: sealed),
                aad: VaultRow.aad(type: type.rawValue, targetKey: targetKey, version: version), type: type,
                targetKey: targetKey, shownAs: target, key: key))
          } catch {
            result.failures.append(error)
          }
        }
        // Recorded credentials whose rows are gone were removed outside the vault. Checked when
        // enumerating everything (it opens every bucket); CredRead checks the one it reads.
        for index in 0..<VaultManifest.bucketCount
        where prefix == nil && editor.root.bucketVersions[index] != 0 {
          for (entry, _) in try editor.entries(index) where !seen.contains(entry) {
            result.failures.append(
              NTSecurityError(
                .decryptionFailed,
                "the \(VaultRow.name(CredentialType(rawValue: entry.type), entry.targetKey)) was removed outside the vault (tampered or rolled back)"
              ))
          }
        }
        return result
      }
    } catch { throw VaultDatabase.mapped(error, "enumerate the vault") }
  }
}
