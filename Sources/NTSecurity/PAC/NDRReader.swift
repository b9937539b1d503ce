/// Reads NDR data (MS-RPCE 2.2.6 type serialization version 1, little-endian) the way the PAC
/// uses it: the common and private headers, then one top-level pointer to a structure whose
/// embedded pointers' referents follow it, depth first. Every count is checked against the bytes
/// left before anything is allocated, so a length field can never cause a huge allocation.
///
/// Offsets in errors are absolute offsets into the buffer given (the whole PAC).
struct NDRReader {
  var reader: ByteReader
  /// Where the serialized data starts (after the headers); alignment is relative to it.
  let base: Int

  /// Checks the type serialization headers of the NDR stream in `bytes[start..<end]` and returns
  /// a reader positioned at the first byte of the object (the top-level referent id).
  init(_ bytes: [UInt8], from start: Int, to end: Int, what: String) throws(NTSecurityError) {
    var r = ByteReader(bytes, from: start, to: end, error: .invalidData)
    let version = try r.u8("NDR header version")
    guard version == 1 else {
      throw r.fail("\(what): type serialization version \(version) (must be 1)", at: start)
    }
    let endianness = try r.u8("NDR header endianness")
    guard endianness == 0x10 else {
      throw r.fail(
        "\(what): NDR data representation 0x\(String(endianness, radix: 16)) (only little-endian 0x10)",
        at: start + 1)
    }
    let headerLength = try r.u16("NDR common header length")
    guard headerLength == 8 else {
      throw r.fail("\(what): common header length \(headerLength) (must be 8)", at: start + 2)
    }
    _ = try r.u32("NDR common header filler")
    let objectLength = Int(try r.u32("NDR private header object length"))
    _ = try r.u32("NDR private header filler")
    guard objectLength <= r.remaining else {
      throw r.fail(
        "\(what): object buffer length \(objectLength) exceeds the \(r.remaining) bytes left",
        at: start + 8)
    }
    r.end = r.position + objectLength
    reader = r
    base = r.position
  }

  /// A reader for a PAC buffer's structure: ``init(_:from:to:what:)``, then the top-level unique
  /// pointer, which must not be null; positioned at the structure's first member.
  init(topLevel bytes: [UInt8], from start: Int, to end: Int, what: String) throws(NTSecurityError) {
    self = try NDRReader(bytes, from: start, to: end, what: what)
    let at = position
    guard try pointer("NDR top-level pointer") else { throw fail("\(what): null top-level pointer", at: at) }
  }

  var position: Int { reader.position }

  func fail(_ message: String, at offset: Int? = nil) -> NTSecurityError {
    reader.fail(message, at: offset)
  }

  /// Skips padding so the next read starts at a multiple of `n` from the start of the data.
  mutating func align(_ n: Int) throws(NTSecurityError) {
    let pad = (n - (reader.position - base) % n) % n
    try reader.need(pad, "NDR alignment padding")
    reader.position += pad
  }

  mutating func u8(_ what: StaticString) throws(NTSecurityError) -> UInt8 { try reader.u8(what) }

  mutating func u16(_ what: StaticString) throws(NTSecurityError) -> UInt16 {
    try align(2)
    return try reader.u16(what)
  }

  mutating func u32(_ what: StaticString) throws(NTSecurityError) -> UInt32 {
    try align(4)
    return try reader.u32(what)
  }

  mutating func u64(_ what: StaticString) throws(NTSecurityError) -> UInt64 {
    try align(8)
    let low = try reader.u32(what)
    let high = try reader.u32(what)
    return UInt64(high) << 32 | UInt64(low)
  }

  /// A FILETIME: two 32-bit halves, 4-byte aligned.
  mutating func filetime(_ what: StaticString) throws(NTSecurityError) -> UInt64 {
    let low = try u32(what)
    let high = try u32(what)
    return UInt64(high) << 32 | UInt64(low)
  }

  /// A unique pointer's referent id: true when the referent follows later (non-null).
  mutating func pointer(_ what: StaticString) throws(NTSecurityError) -> Bool {
    try u32(what) != 0
  }

  mutating func bytes(_ n: Int, _ what: StaticString) throws(NTSecurityError) -> [UInt8] {
    try reader.need(n, what)
    defer { reader.position += n }
    return Array(reader.bytes[reader.position..<reader.position + n])
  }

  /// The conformance (maximum count) of a conformant array whose elements take at least
  /// `elementSize` bytes each; checked against `expected` when given and against the bytes left.
  mutating func conformance(
    _ what: String, elementSize: Int, expected: Int? = nil
  ) throws(NTSecurityError) -> Int {
    try align(4)
    let at = position
    let count = Int(try u32("NDR conformant array size"))
    if let expected, count != expected {
      throw fail("\(what): array size \(count) does not match its count \(expected)", at: at)
    }
    guard count <= reader.remaining / max(elementSize, 1) else {
      throw fail("\(what): \(count) elements cannot fit in the \(reader.remaining) bytes left", at: at)
    }
    return count
  }

  /// The referent of an `RPC_UNICODE_STRING` (a conformant varying array of WCHAR, not
  /// NUL-terminated) whose header said `length` bytes.
  mutating func unicodeString(_ what: String, length: UInt16) throws(NTSecurityError) -> String {
    let at = position
    let maximum = Int(try u32("string maximum count"))
    let offset = Int(try u32("string offset"))
    let actual = Int(try u32("string actual count"))
    guard offset == 0, actual <= maximum, actual * 2 == Int(length) else {
      throw fail(
        "\(what): string counts (max \(maximum), offset \(offset), actual \(actual)) do not match its length \(length)",
        at: at)
    }
    return try utf16(actual, what)
  }

  /// The referent of a `[string] wchar_t*` (LPWSTR): counted, NUL-terminated.
  mutating func wideString(_ what: String) throws(NTSecurityError) -> String {
    let at = position
    let maximum = Int(try u32("string maximum count"))
    let offset = Int(try u32("string offset"))
    let actual = Int(try u32("string actual count"))
    guard offset == 0, actual <= maximum, actual >= 1 else {
      throw fail(
        "\(what): string counts (max \(maximum), offset \(offset), actual \(actual)) are inconsistent", at: at
      )
    }
    var text = try utf16Units(actual, what)
    guard text.last == 0 else { throw fail("\(what): string is not NUL-terminated", at: at) }
    text.removeLast()
    return String(decoding: text, as: UTF16.self)
  }

  private mutating func utf16Units(_ count: Int, _ what: String) throws(NTSecurityError) -> [UInt16] {
    guard count <= reader.remaining / 2 else {
      throw fail("\(what): \(count) characters cannot fit in the \(reader.remaining) bytes left")
    }
    var units = [UInt16]()
    units.reserveCapacity(count)
    for _ in 0..<count { units.append(try reader.u16("UTF-16 character")) }
    return units
  }

  private mutating func utf16(_ count: Int, _ what: String) throws(NTSecurityError) -> String {
    String(decoding: try utf16Units(count, what), as: UTF16.self)
  }

  /// The referent of a `PISID` (`RPC_SID`): the sub-authority count as conformance, then the SID.
  mutating func sid(_ what: String) throws(NTSecurityError) -> SID {
    let at = position
    let count = Int(try u32("SID sub-authority conformance"))
    let revision = try reader.u8("SID revision")
    let subCount = Int(try reader.u8("SID sub-authority count"))
    guard revision == 1 else { throw fail("\(what): SID revision \(revision) (must be 1)", at: at + 4) }
    guard subCount == count, subCount <= SID.maxSubAuthorities else {
      throw fail("\(what): SID has \(subCount) sub-authorities, conformance says \(count)", at: at)
    }
    var authority: UInt64 = 0
    for _ in 0..<6 { authority = authority << 8 | UInt64(try reader.u8("SID identifier authority")) }
    var subs = [UInt32]()
    subs.reserveCapacity(subCount)
    for _ in 0..<subCount { subs.append(try reader.u32("SID sub-authority")) }
    return SID(unchecked: authority, subs)
  }

  /// The referent of a `[size_is(n)] PGROUP_MEMBERSHIP`.
  mutating func groupMemberships(_ what: String, count: Int) throws(NTSecurityError) -> [GroupMembership] {
    let n = try conformance(what, elementSize: 8, expected: count)
    var groups = [GroupMembership]()
    groups.reserveCapacity(n)
    for _ in 0..<n {
      let rid = try u32("group RID")
      let attributes = try u32("group attributes")
      groups.append(GroupMembership(relativeID: rid, attributes: GroupAttributes(rawValue: attributes)))
    }
    return groups
  }

  /// The referent of a `[size_is(n)] PKERB_SID_AND_ATTRIBUTES`, with each SID (deferred).
  mutating func sidsAndAttributes(_ what: String, count: Int) throws(NTSecurityError) -> [SIDAndAttributes] {
    let n = try conformance(what, elementSize: 8, expected: count)
    var entries = [(Bool, UInt32)]()
    entries.reserveCapacity(n)
    for _ in 0..<n {
      let present = try pointer("SID pointer")
      entries.append((present, try u32("SID attributes")))
    }
    var result = [SIDAndAttributes]()
    result.reserveCapacity(n)
    for (i, (present, attributes)) in entries.enumerated() {
      guard present else { throw fail("\(what)[\(i)]: null SID pointer") }
      result.append(SIDAndAttributes(try sid("\(what)[\(i)]"), GroupAttributes(rawValue: attributes)))
    }
    return result
  }
}

/// `GROUP_MEMBERSHIP` (MS-PAC 2.2.2): a RID in the account's domain and its `SE_GROUP_*`
/// attributes.
public struct GroupMembership: Hashable, Sendable {
  public var relativeID: UInt32
  public var attributes: GroupAttributes
  public init(relativeID: UInt32, attributes: GroupAttributes) {
    self.relativeID = relativeID
    self.attributes = attributes
  }
}
