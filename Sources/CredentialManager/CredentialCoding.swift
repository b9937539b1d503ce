import NTSecurity

/// The byte layouts the store uses: the sealed part of a vault row (blob and attributes) and a
/// whole credential for the session keyring. Little-endian lengths; decoding rejects anything
/// malformed with ERROR_INVALID_DATA.
enum CredentialCoding {
  struct Writer {
    var bytes: [UInt8] = []
    mutating func u32(_ v: UInt32) {
      for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(v >> UInt32(s) & 0xFF)) }
    }
    mutating func u64(_ v: UInt64) {
      for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(v >> UInt64(s) & 0xFF)) }
    }
    mutating func data(_ d: [UInt8]) {
      u32(UInt32(d.count))
      bytes.append(contentsOf: d)
    }
    mutating func string(_ s: String?) {
      guard let s else { return u32(UInt32.max) }
      data(Array(s.utf8))
    }
  }

  struct Reader {
    let bytes: [UInt8]
    var offset = 0
    static let bad = NTSecurityError(.invalidData, "a stored credential record is malformed")
    mutating func u32() throws(NTSecurityError) -> UInt32 {
      guard offset + 4 <= bytes.count else { throw Reader.bad }
      defer { offset += 4 }
      return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        | UInt32(bytes[offset + 3]) << 24
    }
    mutating func u64() throws(NTSecurityError) -> UInt64 {
      let lo = try u32()
      return UInt64(lo) | UInt64(try u32()) << 32
    }
    mutating func data() throws(NTSecurityError) -> [UInt8] {
      let n = Int(try u32())
      guard n <= bytes.count - offset else { throw Reader.bad }
      defer { offset += n }
      return Array(bytes[offset..<offset + n])
    }
    mutating func string() throws(NTSecurityError) -> String? {
      let n = try u32()
      if n == UInt32.max { return nil }
      offset -= 4
      return String(decoding: try data(), as: UTF8.self)
    }
  }

  static func encodeSealedPart(blob: [UInt8], attributes: [CredentialAttribute]) -> [UInt8] {
    var w = Writer()
    w.bytes.reserveCapacity(blob.count + 8)
    w.data(blob)
    w.u32(UInt32(attributes.count))
    for a in attributes {
      w.string(a.keyword)
      w.u32(a.flags)
      w.data(a.value)
    }
    return w.bytes
  }

  static func decodeSealedPart(_ bytes: [UInt8]) throws(NTSecurityError) -> ([UInt8], [CredentialAttribute]) {
    var r = Reader(bytes: bytes)
    let blob = try r.data()
    let count = try r.u32()
    guard count <= 64 else { throw Reader.bad }
    var attributes: [CredentialAttribute] = []
    for _ in 0..<count {
      let keyword = try r.string() ?? ""
      let flags = try r.u32()
      attributes.append(CredentialAttribute(keyword: keyword, flags: flags, value: try r.data()))
    }
    return (blob, attributes)
  }

  static func encodeWhole(_ c: Credential) -> [UInt8] {
    var w = Writer()
    w.u32(1)
    w.u32(c.type.rawValue)
    w.u32(c.flags.rawValue)
    w.u32(c.persist.rawValue)
    w.u64(c.lastWrittenFileTime)
    w.string(c.targetName)
    w.string(c.comment)
    w.string(c.targetAlias)
    w.string(c.userName)
    var sealed = encodeSealedPart(blob: c.credentialBlob.bytes, attributes: c.attributes)
    w.data(sealed)
    wipe(&sealed)
    return w.bytes
  }

  static func decodeWhole(_ bytes: [UInt8]) throws(NTSecurityError) -> Credential {
    var r = Reader(bytes: bytes)
    guard try r.u32() == 1 else { throw Reader.bad }
    let type = CredentialType(rawValue: try r.u32())
    let flags = CredentialFlags(rawValue: try r.u32())
    let persist = CredentialPersist(rawValue: try r.u32())
    let time = try r.u64()
    guard let target = try r.string() else { throw Reader.bad }
    let comment = try r.string()
    let alias = try r.string()
    let user = try r.string()
    var sealed = try r.data()
    defer { wipe(&sealed) }
    let (blob, attributes) = try decodeSealedPart(sealed)
    var c = Credential(
      type: type, targetName: target, userName: user, credentialBlob: SecretBytes(blob), persist: persist,
      flags: flags, comment: comment, attributes: attributes, targetAlias: alias)
    c.lastWrittenFileTime = time
    return c
  }
}
