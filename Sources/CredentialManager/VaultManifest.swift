import Crypto
import Foundation
import GRDB
import NTSecurity

/// The vault's authenticated record of every row's version, so that a single row rolled back
/// to an older copy (its old `sealed` value, or the whole old row) is detected.
///
/// Every write takes the next value of a vault-wide generation counter as the row's version,
/// binds it into the row's AES-GCM associated data, and records `(type, target key) → version`
/// in one of 256 buckets. Each bucket is sealed under the master key with its own version (the
/// generation of its last change) as associated data, and the root — the generation and the
/// 256 bucket versions — is sealed in `meta`. A reader checks the row's version against its
/// bucket and the bucket's against the root, all from one snapshot: an older row, an older
/// bucket or an older root no longer agrees with the rest. What it cannot see is the whole file
/// replaced by an older copy (root, buckets and rows together): that needs state outside the
/// file (docs/credential-vault.md).
struct VaultManifest {
  static let bucketCount = 256
  static let rootAAD = Array("ntsec-manifest-root-1".utf8)

  /// A row's identity, compared by the bytes of its key (`Normalized.equal`).
  struct EntryKey: Hashable, Sendable {
    let type: UInt32
    let targetKey: String
    static func == (a: EntryKey, b: EntryKey) -> Bool {
      a.type == b.type && Normalized.equal(a.targetKey, b.targetKey)
    }
    func hash(into hasher: inout Hasher) {
      hasher.combine(type)
      Normalized.hash(targetKey, into: &hasher)
    }
  }

  struct Root: Sendable {
    var generation: UInt64
    var bucketVersions: [UInt64]
  }

  static func bucket(type: UInt32, targetKey: String) -> Int {
    // FNV-1a: only spreads rows over buckets; integrity comes from the seals.
    var h: UInt32 = 2_166_136_261
    for b in CredentialMarshaling.littleEndian(type) + Array(targetKey.utf8) {
      h = (h ^ UInt32(b)) &* 16_777_619
    }
    return Int(h % UInt32(bucketCount))
  }

  static func bucketAAD(_ index: Int, version: UInt64) -> [UInt8] {
    var w = CredentialCoding.Writer(bytes: Array("ntsec-manifest-bucket-1".utf8))
    w.u32(UInt32(index))
    w.u64(version)
    return w.bytes
  }

  static let tampered = "the vault's version record"

  static func openRoot(_ sealed: Data?, key: SymmetricKey) throws(NTSecurityError) -> Root {
    guard let sealed else {
      throw NTSecurityError(.decryptionFailed, "\(tampered) is missing (the vault was tampered with)")
    }
    guard let box = try? AES.GCM.SealedBox(combined: sealed),
      let plain = try? Array(AES.GCM.open(box, using: key, authenticating: rootAAD))
    else { throw NTSecurityError(.decryptionFailed, "\(tampered) did not decrypt (tampered)") }
    var r = CredentialCoding.Reader(bytes: plain)
    guard try r.u32() == 1, try r.u32() == UInt32(bucketCount) else { throw CredentialCoding.Reader.bad }
    let generation = try r.u64()
    var versions: [UInt64] = []
    versions.reserveCapacity(bucketCount)
    for _ in 0..<bucketCount { versions.append(try r.u64()) }
    return Root(generation: generation, bucketVersions: versions)
  }

  static func sealRoot(_ root: Root, key: SymmetricKey) throws(NTSecurityError) -> Data {
    var w = CredentialCoding.Writer()
    w.u32(1)
    w.u32(UInt32(bucketCount))
    w.u64(root.generation)
    for v in root.bucketVersions { w.u64(v) }
    return try seal(w.bytes, key: key, aad: rootAAD)
  }

  /// The entries of bucket `index`, which the root says is at `version` (0: never written).
  static func openBucket(_ sealed: Data?, index: Int, version: UInt64, key: SymmetricKey)
    throws(NTSecurityError)
    -> [EntryKey: UInt64]
  {
    guard let sealed else {
      if version == 0 { return [:] }
      throw NTSecurityError(.decryptionFailed, "\(tampered) has lost a bucket (the vault was tampered with)")
    }
    guard let box = try? AES.GCM.SealedBox(combined: sealed),
      let plain = try? Array(
        AES.GCM.open(box, using: key, authenticating: bucketAAD(index, version: version)))
    else {
      throw NTSecurityError(.decryptionFailed, "\(tampered) does not match (rolled back or tampered)")
    }
    var r = CredentialCoding.Reader(bytes: plain)
    let count = try r.u32()
    var entries: [EntryKey: UInt64] = [:]
    entries.reserveCapacity(Int(min(count, 1 << 20)))
    for _ in 0..<count {
      let type = try r.u32()
      let v = try r.u64()
      guard let k = try r.string() else { throw CredentialCoding.Reader.bad }
      entries[EntryKey(type: type, targetKey: k)] = v
    }
    return entries
  }

  static func sealBucket(_ entries: [EntryKey: UInt64], index: Int, version: UInt64, key: SymmetricKey)
    throws(NTSecurityError) -> Data
  {
    var w = CredentialCoding.Writer()
    w.u32(UInt32(entries.count))
    for (k, v) in entries {
      w.u32(k.type)
      w.u64(v)
      w.string(k.targetKey)
    }
    return try seal(w.bytes, key: key, aad: bucketAAD(index, version: version))
  }

  static func seal(_ plain: [UInt8], key: SymmetricKey, aad: [UInt8]) throws(NTSecurityError) -> Data {
    do { return try AES.GCM.seal(plain, using: key, authenticating: aad).combined! } catch {
      throw NTSecurityError(.invalidData, "cannot seal the vault's version record")
    }
  }

  /// The manifest as one write transaction changes it: loaded once, changed buckets and the
  /// root sealed again at `flush`.
  final class Editor {
    let db: Database
    let key: SymmetricKey
    var root: Root
    var buckets: [Int: [EntryKey: UInt64]] = [:]
    var dirty: Set<Int> = []

    init(_ db: Database, key: SymmetricKey) throws {
      self.db = db
      self.key = key
      root = try VaultManifest.openRoot(
        try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'manifest'"), key: key)
    }

    /// A new empty manifest (a new vault, or one being migrated from the first format).
    init(creatingIn db: Database, key: SymmetricKey) {
      self.db = db
      self.key = key
      root = Root(generation: 0, bucketVersions: Array(repeating: 0, count: VaultManifest.bucketCount))
    }

    func entries(_ index: Int) throws -> [EntryKey: UInt64] {
      if let e = buckets[index] { return e }
      let sealed = try Data.fetchOne(
        db, sql: "SELECT sealed FROM manifest WHERE bucket = ?", arguments: [index])
      let e = try VaultManifest.openBucket(
        sealed, index: index, version: root.bucketVersions[index], key: key)
      buckets[index] = e
      return e
    }

    func version(type: UInt32, targetKey: String) throws -> UInt64? {
      try entries(VaultManifest.bucket(type: type, targetKey: targetKey))[
        EntryKey(type: type, targetKey: targetKey)]
    }

    /// Records a new version for the row and returns it.
    func bump(type: UInt32, targetKey: String) throws -> UInt64 {
      root.generation += 1
      try set(type: type, targetKey: targetKey, version: root.generation)
      return root.generation
    }

    func set(type: UInt32, targetKey: String, version: UInt64?) throws {
      let index = VaultManifest.bucket(type: type, targetKey: targetKey)
      var e = try entries(index)
      e[EntryKey(type: type, targetKey: targetKey)] = version
      buckets[index] = e
      dirty.insert(index)
    }

    func flush() throws {
      guard !dirty.isEmpty else { return }
      root.generation += 1
      for index in dirty.sorted() {
        root.bucketVersions[index] = root.generation
        let sealed = try VaultManifest.sealBucket(
          buckets[index] ?? [:], index: index, version: root.generation, key: key)
        try db.execute(
          sql: "INSERT OR REPLACE INTO manifest (bucket, sealed) VALUES (?, ?)", arguments: [index, sealed])
      }
      try db.execute(
        sql: "INSERT OR REPLACE INTO meta (name, value) VALUES ('manifest', ?)",
        arguments: [try VaultManifest.sealRoot(root, key: key)])
      dirty.removeAll()
    }
  }
}
