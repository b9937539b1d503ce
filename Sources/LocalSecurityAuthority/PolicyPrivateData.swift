import Crypto
import Foundation
import GRDB
import Glibc
import NTSecurity

extension LocalSecurityAuthority.Policy {
  /// LsaStorePrivateData: keeps `data` under `key`, sealed with AES-256-GCM under the store's
  /// key (`lsa.key` beside the store: 32 random bytes, base64, root-owned 0600, made once), the
  /// key name bound as associated data so a sealed value moved to another name does not open.
  /// nil deletes the key (`ERROR_FILE_NOT_FOUND` when there is none). Needs
  /// POLICY_CREATE_SECRET. An empty key name is `ERROR_INVALID_PARAMETER`.
  public func storePrivateData(_ data: String?, forKey key: String) throws(NTSecurityError) {
    try require(.policyCreateSecret, "LsaStorePrivateData")
    guard !key.isEmpty else {
      throw NTSecurityError(.invalidParameter, "LsaStorePrivateData: empty key name")
    }
    let store = try store(create: data != nil)
    guard let data else {
      guard let store else { throw Self.noSecret(key) }
      let deleted = try store.write("delete the private data \(key)") { db in
        try db.execute(sql: "DELETE FROM private_data WHERE name = ?", arguments: [key])
        return db.changesCount
      }
      if deleted == 0 { throw Self.noSecret(key) }
      return
    }
    let sealingKey = try Self.sealingKey(configuration.policyStorePath, create: true)
    let sealed: Data
    do {
      sealed = try AES.GCM.seal(Array(data.utf8), using: sealingKey, authenticating: Self.associatedData(key))
        .combined!
    } catch {
      throw NTSecurityError(.invalidData, "cannot seal the private data \(key): \(error)")
    }
    try store!.write("store the private data \(key)") { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO private_data (name, sealed) VALUES (?, ?)", arguments: [key, sealed])
    }
  }

  /// LsaRetrievePrivateData: the data stored under `key`. Needs POLICY_GET_PRIVATE_INFORMATION.
  /// A missing key is `ERROR_FILE_NOT_FOUND` (STATUS_OBJECT_NAME_NOT_FOUND); a value that does
  /// not open under the store's key (tampered, moved, another key file) `ERROR_DECRYPTION_FAILED`.
  public func privateData(forKey key: String) throws(NTSecurityError) -> String {
    try require(.policyGetPrivateInformation, "LsaRetrievePrivateData")
    guard let store = try store(create: false) else { throw Self.noSecret(key) }
    let sealed = try store.read("read the private data \(key)") { db in
      try Data.fetchOne(db, sql: "SELECT sealed FROM private_data WHERE name = ?", arguments: [key])
    }
    guard let sealed else { throw Self.noSecret(key) }
    let sealingKey = try Self.sealingKey(configuration.policyStorePath, create: false)
    guard let box = try? AES.GCM.SealedBox(combined: sealed),
      let plain = try? AES.GCM.open(box, using: sealingKey, authenticating: Self.associatedData(key))
    else {
      throw NTSecurityError(.decryptionFailed, "the private data \(key) does not open under the store's key")
    }
    return String(decoding: plain, as: UTF8.self)
  }

  static func noSecret(_ key: String) -> NTSecurityError {
    NTSecurityError(.fileNotFound, "no private data is stored under \(key)")
  }

  static func associatedData(_ key: String) -> [UInt8] { Array("ntsec-lsa-private-data:\(key)".utf8) }

  /// The store's sealing key, made when missing and `create`; it must be root's, mode 0600.
  static func sealingKey(_ storePath: String, create: Bool) throws(NTSecurityError) -> SymmetricKey {
    let path = (storePath as NSString).deletingLastPathComponent + "/lsa.key"
    if create, access(path, F_OK) != 0 {
      let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
      _ = try HostSystem.createFileOnce(path: path, contents: bytes.base64EncodedString() + "\n", mode: 0o600)
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else {
      throw NTSecurityError(
        errno == ENOENT ? .decryptionFailed : .accessDenied,
        "cannot open the LSA sealing key \(path): \(PolicyStore.text(errno))")
    }
    defer { Glibc.close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == 0, info.st_mode & 0o077 == 0
    else {
      throw NTSecurityError(
        .accessDenied, "the LSA sealing key \(path) is not a file of root's with mode 0600")
    }
    var buffer = [UInt8](repeating: 0, count: 128)
    let count = read(fd, &buffer, buffer.count)
    let text = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard let key = Data(base64Encoded: text), key.count == 32 else {
      throw NTSecurityError(.invalidData, "the LSA sealing key \(path) is not 32 bytes of base64")
    }
    return SymmetricKey(data: key)
  }
}
