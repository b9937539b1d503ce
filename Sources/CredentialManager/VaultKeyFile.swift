import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// `vault.key`: `name value` lines — `ntsec-vault-key 1`, `id UUID`,
/// `protection key-file|machine-bound|passphrase|secret-service`, then `key BASE64` (+ `portable
/// yes` when chosen explicitly) for a plain key file, `share BASE64` and `wrapped BASE64` for a
/// machine-bound one, `scrypt N r p SALT` and `wrapped BASE64` for a passphrase. Parsed from bytes
/// (no `String` of the file is made), which the reader wipes.
struct VaultKeyFile {
  var id: String
  var protection: VaultKeyProtection
  var key: [UInt8]?
  var share: [UInt8]?
  var portable = false
  var scrypt: (n: Int, r: Int, p: Int, salt: [UInt8])?
  var wrapped: [UInt8]?

  static let scryptN = 1 << 15
  static let wrapAAD = Array("ntsec-vault-master-key".utf8)

  init(id: String, protection: VaultKeyProtection) {
    self.id = id
    self.protection = protection
  }

  /// The file's bytes; the caller wipes them after writing.
  func bytes() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    func line(_ parts: [String], secret: [UInt8]? = nil) {
      out.append(contentsOf: parts.joined(separator: " ").utf8)
      if let secret {
        out.append(0x20)
        var encoded = Base64.encode(secret)
        out.append(contentsOf: encoded)
        wipe(&encoded)
      }
      out.append(0x0A)
    }
    line(["ntsec-vault-key", "1"])
    line(["id", id])
    line(["protection", protection.rawValue])
    if let key { line(["key"], secret: key) }
    if portable { line(["portable", "yes"]) }
    if let share { line(["share"], secret: share) }
    if let s = scrypt { line(["scrypt", "\(s.n)", "\(s.r)", "\(s.p)"], secret: s.salt) }
    if let wrapped { line(["wrapped"], secret: wrapped) }
    return out
  }

  static func parse(_ bytes: [UInt8], path: String) throws(NTSecurityError) -> VaultKeyFile {
    let bad = NTSecurityError(.invalidData, "\(path) is not a vault key file")
    var fields: [String: [ArraySlice<UInt8>]] = [:]
    for line in bytes.split(separator: 0x0A) {
      let parts = line.split(separator: 0x20)
      guard let name = parts.first else { continue }
      fields[String(decoding: name, as: UTF8.self)] = Array(parts.dropFirst())
    }
    func text(_ name: String) -> String? { fields[name]?.first.map { String(decoding: $0, as: UTF8.self) } }
    func secret(_ name: String, index: Int = 0) -> [UInt8]? {
      guard let f = fields[name], f.count > index else { return nil }
      return Base64.decode(f[index])
    }
    guard text("ntsec-vault-key") == "1", let id = text("id"),
      let p = text("protection"), let protection = VaultKeyProtection(rawValue: p)
    else { throw bad }
    var file = VaultKeyFile(id: id, protection: protection)
    switch protection {
    case .keyFile:
      guard let k = secret("key"), k.count == 32 else { throw bad }
      file.key = k
      file.portable = text("portable") == "yes"
    case .machineBound:
      guard let s = secret("share"), s.count == 32, let w = secret("wrapped") else { throw bad }
      file.share = s
      file.wrapped = w
    case .passphrase:
      guard let s = fields["scrypt"], s.count == 4,
        let n = Int(String(decoding: s[0], as: UTF8.self)),
        let r = Int(String(decoding: s[1], as: UTF8.self)),
        let pp = Int(String(decoding: s[2], as: UTF8.self)), let salt = secret("scrypt", index: 3),
        let w = secret("wrapped")
      else { throw bad }
      file.scrypt = (n, r, pp, salt)
      file.wrapped = w
    case .secretService, .automatic:
      break
    }
    return file
  }

  /// Reads the file into bytes the caller wipes.
  static func readBytes(_ path: String) throws(NTSecurityError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { throw NTSecurityError(.accessDenied, "cannot read \(path): \(errnoText())") }
    defer { close(fd) }
    // One buffer, reserved up front so it is never reallocated (which would leave a copy).
    var out = [UInt8](repeating: 0, count: 16_384)
    var count = 0
    while count < out.count {
      let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else {
        wipe(&out)
        throw NTSecurityError(.accessDenied, "cannot read \(path): \(errnoText())")
      }
      if n == 0 { break }
      count += n
    }
    guard count < out.count else {
      wipe(&out)
      throw NTSecurityError(.invalidData, "\(path) is too large for a vault key file")
    }
    let result = Array(out[..<count])
    wipe(&out)
    return result
  }
}
