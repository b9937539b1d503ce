internal import CKeyring
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// The calling process's kernel session keyring (keyctl(2)), holding `user` keys private to the
/// processes that possess the session: CRED_PERSIST_SESSION credentials and the cached
/// passphrase-derived vault key. Everything here vanishes when the logon session ends.
enum KernelKeyring {
  static let session: Int32 = NTSEC_KEY_SPEC_SESSION_KEYRING
  /// KEY_POS_ALL: only processes possessing the key (through the session keyring) may use it.
  static let possessorOnly: UInt32 = 0x3f00_0000

  /// The session keyring's serial, or ERROR_NO_SUCH_LOGON_SESSION when there is none.
  static func sessionKeyring() throws(NTSecurityError) -> Int32 {
    let id = ntsec_keyring_id(session, 0)
    guard id > 0 else {
      throw NTSecurityError(.noSuchLogonSession, "no kernel session keyring: \(errnoText())")
    }
    return id
  }

  static func add(description: String, payload: [UInt8]) throws(NTSecurityError) {
    // The resolved keyring, not KEY_SPEC_SESSION_KEYRING: without a session keyring of its own
    // add_key(2) would make one that dies with this process, where reads fall back to the user
    // session keyring.
    let keyring = try sessionKeyring()
    let id = payload.withUnsafeBytes { ntsec_add_user_key(description, $0.baseAddress, $0.count, keyring) }
    guard id > 0 else {
      throw NTSecurityError(
        errno == EDQUOT || errno == EINVAL ? .invalidParameter : .noSuchLogonSession,
        "cannot add a key to the session keyring: \(errnoText())")
    }
    _ = ntsec_setperm_key(id, possessorOnly)
  }

  static func search(description: String) -> Int32? {
    let id = ntsec_search_user_key(session, description)
    return id > 0 ? id : nil
  }

  /// The payload of a key; nil when it is gone (revoked, expired or unlinked meanwhile).
  static func read(_ key: Int32) -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = buffer.withUnsafeMutableBytes { ntsec_read_key(key, $0.baseAddress, $0.count) }
      guard n >= 0 else { return nil }
      if n <= buffer.count {
        let out = Array(buffer[..<Int(n)])
        wipe(&buffer)
        return out
      }
      wipe(&buffer)
      buffer = [UInt8](repeating: 0, count: Int(n))
    }
  }

  static func read(description: String) -> [UInt8]? { search(description: description).flatMap(read) }

  static func remove(description: String) -> Bool {
    guard let id = search(description: description), let keyring = try? sessionKeyring() else { return false }
    return ntsec_unlink_key(id, keyring) == 0
  }

  /// (serial, description) of the user keys directly in the session keyring.
  static func list() -> [(Int32, String)] {
    guard let keyring = try? sessionKeyring(), let raw = read(keyring) else { return [] }
    var out: [(Int32, String)] = []
    for i in stride(from: 0, to: raw.count - 3, by: 4) {
      let id = Int32(
        bitPattern: UInt32(raw[i]) | UInt32(raw[i + 1]) << 8 | UInt32(raw[i + 2]) << 16 | UInt32(raw[i + 3])
          << 24)
      var buffer = [CChar](repeating: 0, count: 4200)
      let n = buffer.withUnsafeMutableBufferPointer { ntsec_describe_key(id, $0.baseAddress, $0.count) }
      guard n > 0 else { continue }
      let text = String(
        decoding: buffer.prefix(max(0, Int(n) - 1)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
      // "type;uid;gid;perm;description"
      let fields = text.split(separator: ";", maxSplits: 4, omittingEmptySubsequences: false)
      guard fields.count == 5, fields[0] == "user" else { continue }
      out.append((id, String(fields[4])))
    }
    return out
  }

  /// Makes the calling process join a new, empty anonymous session keyring (as `keyctl session -`).
  static func joinNewSession() -> Bool { ntsec_join_session_keyring(nil) > 0 }
}
