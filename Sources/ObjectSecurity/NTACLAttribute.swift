import NTSecurity

/// The `security.NTACL` extended attribute as Samba stores it (`xattr_NTACL`, NDR little-endian):
/// a version, the union level repeated, then the descriptor with the hashes that let Samba tell
/// whether the POSIX side changed since the descriptor was written.
///
/// The embedded descriptor's owner, group, SACL and DACL offsets count from the start of the
/// attribute, not from the start of the descriptor; Samba writes the parts in the order owner,
/// group, SACL, DACL and reads any order.
public struct NTACLAttribute: Hashable, Sendable {
  /// The attribute's name for a process that may write `security.*` (CAP_SYS_ADMIN).
  public static let securityName = "security.NTACL"
  /// The name this module uses without that capability (a deviation: Samba reads only
  /// `security.NTACL`).
  public static let userName = "user.NTACL"
  /// XATTR_SD_HASH_TYPE_SHA256.
  public static let sha256HashType: UInt16 = 1
  /// The description Samba's acl_xattr writes in version 4.
  public static let posixACLDescription = "posix_acl"

  /// 1 (descriptor only), 2 (with a 16-byte hash), 3 (hash type and 64-byte hash), 4 (3 plus a
  /// description, a time and the POSIX ACL hash).
  public var version: UInt16
  /// The stored descriptor.
  public var descriptor: SecurityDescriptor
  /// The hash type (versions 3 and 4): 0 none, 1 SHA-256.
  public var hashType: UInt16
  /// The descriptor hash: 16 bytes in version 2, 64 in versions 3 and 4 (SHA-256 zero-padded).
  public var hash: [UInt8]
  /// What made `systemACLHash` (version 4); Samba writes "posix_acl".
  public var hashDescription: String
  /// An NTTIME (version 4); Samba writes 0.
  public var time: UInt64
  /// SHA-256 of the POSIX side (owner, group, mode, ACLs) when the descriptor was written, padded
  /// to 64 bytes (version 4).
  public var systemACLHash: [UInt8]

  /// A version 1 attribute (no hashes: always trusted).
  public init(version1 descriptor: SecurityDescriptor) {
    self.init(
      version: 1, descriptor: descriptor, hashType: 0, hash: [], hashDescription: "", time: 0,
      systemACLHash: [])
  }

  /// A version 4 attribute as Samba's acl_xattr writes it.
  public init(version4 descriptor: SecurityDescriptor, hash: [UInt8], systemACLHash: [UInt8]) {
    self.init(
      version: 4, descriptor: descriptor, hashType: Self.sha256HashType, hash: Self.padded(hash),
      hashDescription: Self.posixACLDescription, time: 0, systemACLHash: Self.padded(systemACLHash))
  }

  /// A version 3 attribute (what `acl_xattr:ignore system acls` writes, and the form Samba hashes).
  public init(version3 descriptor: SecurityDescriptor, hash: [UInt8]) {
    self.init(
      version: 3, descriptor: descriptor, hashType: Self.sha256HashType, hash: Self.padded(hash),
      hashDescription: "", time: 0, systemACLHash: [])
  }

  init(
    version: UInt16, descriptor: SecurityDescriptor, hashType: UInt16, hash: [UInt8],
    hashDescription: String, time: UInt64, systemACLHash: [UInt8]
  ) {
    self.version = version
    self.descriptor = descriptor
    self.hashType = hashType
    self.hash = hash
    self.hashDescription = hashDescription
    self.time = time
    self.systemACLHash = systemACLHash
  }

  static func padded(_ hash: [UInt8]) -> [UInt8] {
    Array(hash.prefix(64)) + [UInt8](repeating: 0, count: max(0, 64 - hash.count))
  }
}

// MARK: - Decoding

extension NTACLAttribute {
  /// Decodes an attribute of any version. Bad input is ERROR_INVALID_SECURITY_DESCR (or the
  /// descriptor's own error) naming the byte offset.
  public init(bytes: [UInt8]) throws(NTSecurityError) {
    var r = ByteReader(bytes, error: .invalidSecurityDescriptor)
    let version = try r.u16("NTACL version")
    let level = try r.u16("NTACL union level")
    guard level == version, (1...4).contains(version) else {
      throw NTSecurityError(
        .unknownRevision, "NTACL version \(version), union level \(level) (1 to 4 expected)",
        offset: 0)
    }
    func pointer(_ what: StaticString) throws(NTSecurityError) {
      let at = r.position
      guard try r.u32(what) != 0 else {
        throw NTSecurityError(.invalidSecurityDescriptor, "NULL \(what)", offset: at)
      }
    }
    try pointer("NTACL info pointer")
    var hashType: UInt16 = 0
    var hash: [UInt8] = []
    var description = ""
    var time: UInt64 = 0
    var systemHash: [UInt8] = []
    if version >= 2 {
      try pointer("descriptor pointer")
      if version == 2 {
        hash = try Self.take(&r, 16, "version 2 hash")
      } else {
        hashType = try r.u16("hash type")
        hash = try Self.take(&r, 64, "descriptor hash")
      }
      if version == 4 {
        description = try Self.nulTerminated(&r)
        try Self.align(&r, 4)
        let low = UInt64(try r.u32("time"))
        time = low | UInt64(try r.u32("time")) << 32
        systemHash = try Self.take(&r, 64, "POSIX ACL hash")
      }
    }
    try Self.align(&r, 4)
    let descriptor = try Self.descriptor(bytes, at: r.position)
    self.init(
      version: version, descriptor: descriptor, hashType: hashType, hash: hash,
      hashDescription: description, time: time, systemACLHash: systemHash)
  }

  static func take(_ r: inout ByteReader, _ n: Int, _ what: StaticString) throws(NTSecurityError)
    -> [UInt8]
  {
    try r.need(n, what)
    defer { r.position += n }
    return Array(r.bytes[r.position..<r.position + n])
  }

  static func align(_ r: inout ByteReader, _ n: Int) throws(NTSecurityError) {
    let pad = (n - r.position % n) % n
    try r.need(pad, "alignment padding")
    r.position += pad
  }

  static func nulTerminated(_ r: inout ByteReader) throws(NTSecurityError) -> String {
    let start = r.position
    while try r.u8("description") != 0 {}
    return String(decoding: r.bytes[start..<r.position - 1], as: UTF8.self)
  }

  /// The NDR descriptor at `start`, whose offsets count from the start of `bytes`: rebuilt as a
  /// self-relative descriptor (a 20-byte header followed by all of `bytes`) for NTSecurity's
  /// reader, which checks every part.
  static func descriptor(_ bytes: [UInt8], at start: Int) throws(NTSecurityError)
    -> SecurityDescriptor
  {
    guard bytes.count - start >= 20 else {
      throw NTSecurityError(
        .invalidSecurityDescriptor,
        "truncated descriptor header: need 20 bytes, \(max(0, bytes.count - start)) left",
        offset: start)
    }
    var relative = Array(bytes[start..<start + 4])
    // NDR has no Sbz1: the byte after the revision is alignment padding, which Samba ignores.
    relative[1] = 0
    for field in 0..<4 {
      let at = start + 4 + 4 * field
      let offset =
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
        | UInt32(bytes[at + 3]) << 24
      guard offset == 0 || Int(offset) >= start + 20 || Int(offset) + 20 <= start else {
        throw NTSecurityError(
          .invalidSecurityDescriptor, "descriptor part at offset \(offset) inside its header",
          offset: at)
      }
      relative.appendLE(offset == 0 || offset > UInt32.max - 20 ? 0 : offset + 20)
    }
    relative += bytes
    do {
      return try SecurityDescriptor(bytes: relative)
    } catch {
      var shifted = error
      shifted.offset = error.offset.map { $0 < 20 ? start + $0 : $0 - 20 }
      throw shifted
    }
  }
}

// MARK: - Encoding

extension NTACLAttribute {
  /// The attribute in Samba's NDR layout.
  public var bytes: [UInt8] {
    var out: [UInt8] = []
    out.appendLE(UInt32(version) | UInt32(version) << 16)
    out.appendLE(UInt32(0x0002_0000))
    if version >= 2 { out.appendLE(UInt32(0x0002_0004)) }
    switch version {
    case 1: break
    case 2: out += Self.padded(hash).prefix(16)
    default:
      out += [UInt8(truncatingIfNeeded: hashType), UInt8(truncatingIfNeeded: hashType >> 8)]
      out += Self.padded(hash)
    }
    if version == 4 {
      out += Array(hashDescription.utf8) + [0]
      while out.count % 4 != 0 { out.append(0) }
      out.appendLE(time)
      out += Self.padded(systemACLHash)
    }
    while out.count % 4 != 0 { out.append(0) }
    return Self.ndrDescriptor(descriptor, into: out)
  }

  /// Appends `sd` to `prefix` as NDR's `security_descriptor`: header, then owner, group, SACL and
  /// DACL, each offset counted from the start of `prefix`.
  static func ndrDescriptor(_ sd: SecurityDescriptor, into prefix: [UInt8]) -> [UInt8] {
    var out = prefix
    let header = out.count
    out += [sd.revision, 0]
    let control = sd.control.union(.selfRelative).rawValue
    out += [UInt8(truncatingIfNeeded: control), UInt8(truncatingIfNeeded: control >> 8)]
    out += [UInt8](repeating: 0, count: 16)
    func part(_ field: Int, _ body: [UInt8]?) {
      guard let body else { return }
      let offset = UInt32(out.count)
      for k in 0..<4 { out[header + 4 + 4 * field + k] = UInt8(truncatingIfNeeded: offset >> (8 * k)) }
      out += body
    }
    part(0, sd.owner?.bytes)
    part(1, sd.group?.bytes)
    part(2, sd.control.contains(.saclPresent) ? sd.sacl?.bytes : nil)
    part(3, sd.control.contains(.daclPresent) ? sd.dacl?.bytes : nil)
    return out
  }
}
