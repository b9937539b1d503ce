import NTSecurity

/// The byte layouts the store uses: the sealed part of a vault row (blob and attributes) and a
/// whole credential for the session keyring. Little-endian lengths; decoding rejects anything
/// malformed with ERROR_INVALID_DATA.
enum CredentialCoding {
  /// Length-prefixed fields over NTSecurity's little-endian `appendLE`.
  struct Writer {
    var bytes: [UInt8] = []
    mutating func u32(_ v: UInt32) { bytes.appendLE(v) }
    mutating func u64(_ v: UInt64) { bytes.appendLE(v) }
    mutating func data(_ d: [UInt8]) {
      u32(UInt32(d.count))
      bytes.append(contentsOf: d)
    }
    mutating func string(_ s: String?) {
      guard let s else { return u32(UInt32.max) }
      data(Array(s.utf8))
    }
  }

  /// Length-prefixed fields over NTSecurity's bounds-checked `ByteReader` (ERROR_INVALID_DATA
  /// with the offset of what is missing).
  struct Reader {
    var reader: ByteReader
    static let bad = NTSecurityError(.invalidData, "a stored credential record is malformed")
    init(bytes: [UInt8]) { reader = ByteReader(bytes, error: .invalidData) }
    mutating func u32() throws(NTSecurityError) -> UInt32 { try reader.u32("stored credential field") }
    mutating func u64() throws(NTSecurityError) -> UInt64 {
      let lo = try u32()
      return UInt64(lo) | UInt64(try u32()) << 32
    }
    mutating func data() throws(NTSecurityError) -> [UInt8] {
      let n = Int(try u32())
      try reader.need(n, "stored credential data")
      defer { reader.position += n }
      return Array(reader.bytes[reader.position..<reader.position + n])
    }
    mutating func string() throws(NTSecurityError) -> String? {
      if try u32() == UInt32.max { return nil }
      reader.position -= 4
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
