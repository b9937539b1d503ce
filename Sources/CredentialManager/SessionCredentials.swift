import Crypto
import NTSecurity

/// CRED_PERSIST_SESSION credentials: each one a `user` key in the kernel session keyring, named
/// `ntsec:cred:TYPE:SHA256(normalized target)` and readable only by processes in the session.
enum SessionCredentials {
  static let prefix = "ntsec:cred:"

  static func description(type: CredentialType, targetKey: String) -> String {
    let digest = SHA256.hash(data: Array(targetKey.utf8)).map { String(format2: $0) }.joined()
    return "\(prefix)\(type.rawValue):\(digest)"
  }

  static func write(_ c: Credential, targetKey: String) throws(NTSecurityError) {
    var payload = CredentialCoding.encodeWhole(c)
    defer { wipe(&payload) }
    guard payload.count <= 32767 else {
      throw NTSecurityError(
        .invalidParameter, "a session credential this large does not fit the kernel keyring")
    }
    try KernelKeyring.add(description: description(type: c.type, targetKey: targetKey), payload: payload)
  }

  static func read(type: CredentialType, targetKey: String) -> Credential? {
    guard var payload = KernelKeyring.read(description: description(type: type, targetKey: targetKey)) else {
      return nil
    }
    defer { wipe(&payload) }
    return try? CredentialCoding.decodeWhole(payload)
  }

  @discardableResult
  static func delete(type: CredentialType, targetKey: String) -> Bool {
    KernelKeyring.remove(description: description(type: type, targetKey: targetKey))
  }

  static func all() -> [Credential] {
    KernelKeyring.list().compactMap { id, description -> Credential? in
      guard description.hasPrefix(prefix), var payload = KernelKeyring.read(id) else { return nil }
      defer { wipe(&payload) }
      return try? CredentialCoding.decodeWhole(payload)
    }
  }
}

extension String {
  init(format2 byte: UInt8) {
    let digits = Array("0123456789abcdef")
    self = String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }
}
