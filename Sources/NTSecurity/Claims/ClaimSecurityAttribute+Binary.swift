// The self-relative binary form, CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 (MS-DTYP 2.4.10.1).
//
// Layout, as Windows writes it inside a SYSTEM_RESOURCE_ATTRIBUTE_ACE:
//
//   0  u32 Name        offset of the name (always 16 + 4 * ValueCount)
//   4  u16 ValueType
//   6  u16 Reserved    0
//   8  u32 Flags
//  12  u32 ValueCount
//  16  u32 Values[ValueCount]   offsets of the values
//      the name, UTF-16LE with a terminating NUL
//      the values, in order, packed with no alignment:
//        TI/TU/TB  8 bytes little-endian
//        TS        UTF-16LE with a terminating NUL
//        TD/TX     u32 length, then that many bytes
//      zero bytes up to a multiple of 4, so that the ACE size stays a multiple of 4
//
// All offsets are relative to the start of the structure.

extension ClaimSecurityAttribute {
  /// The size of the fixed header before the value offsets.
  static let headerSize = 16

  /// Decodes the relative form that follows the SID in a `SYSTEM_RESOURCE_ATTRIBUTE_ACE`; all
  /// offsets are relative to the start of `relativeBytes`, and trailing bytes (the ACE padding)
  /// are ignored.
  ///
  /// Throws `ERROR_INVALID_ACL` with the byte offset (within `relativeBytes`) of the bad field for
  /// truncated data, offsets out of range, an unterminated or empty name, an unknown value type or
  /// UTF-16 that is not well formed. The `Reserved` field is not checked.
  public init(relativeBytes bytes: [UInt8]) throws(NTSecurityError) {
    var reader = ByteReader(bytes, error: .invalidAcl)
    let nameOffset = try reader.u32("claim name offset")
    let type = try reader.u16("claim value type")
    _ = try reader.u16("claim reserved field")
    let flags = try reader.u32("claim flags")
    let count = Int(try reader.u32("claim value count"))
    guard count <= reader.remaining / 4 else {
      throw NTSecurityError(
        .invalidAcl, "claim value count \(count) exceeds the data", offset: 12)
    }
    let name = try Self.readString(bytes, at: Int(nameOffset), field: 0)
    guard !name.isEmpty else {
      throw NTSecurityError(.invalidAcl, "empty claim name", offset: Int(nameOffset))
    }
    let first = Self.headerSize
    func offset(_ i: Int) -> Int {
      let p = first + 4 * i
      return Int(bytes[p]) | Int(bytes[p + 1]) << 8 | Int(bytes[p + 2]) << 16 | Int(bytes[p + 3]) << 24
    }
    let values: ClaimValues
    switch type {
    case 0x1:
      var v = [Int64]()
      v.reserveCapacity(count)
      for i in 0..<count {
        v.append(Int64(bitPattern: try Self.read64(bytes, at: offset(i), field: first + 4 * i)))
      }
      values = .int64(v)
    case 0x2, 0x6:
      var v = [UInt64]()
      v.reserveCapacity(count)
      for i in 0..<count { v.append(try Self.read64(bytes, at: offset(i), field: first + 4 * i)) }
      values = type == 0x2 ? .uint64(v) : .boolean(v)
    case 0x3:
      var v = [String]()
      v.reserveCapacity(count)
      for i in 0..<count { v.append(try Self.readString(bytes, at: offset(i), field: first + 4 * i)) }
      values = .string(v)
    case 0x5, 0x10:
      var v = [[UInt8]]()
      v.reserveCapacity(count)
      for i in 0..<count { v.append(try Self.readOctets(bytes, at: offset(i), field: first + 4 * i)) }
      values = type == 0x5 ? .sid(v) : .octetString(v)
    default:
      throw NTSecurityError(.invalidAcl, "unknown claim value type \(type)", offset: 4)
    }
    self.init(
      name: name, flags: ClaimSecurityAttributeFlags(rawValue: flags), values: values)
  }

  /// The relative form exactly as Windows lays it out after the SID of a
  /// `SYSTEM_RESOURCE_ATTRIBUTE_ACE`: header, value offsets, name, values in order with no
  /// alignment, then zero bytes up to a multiple of 4. The ACE is its 8-byte header, the SID and
  /// these bytes, so its `AceSize` is `8 + sid.length + relativeBytes.count`.
  public var relativeBytes: [UInt8] {
    let count = values.count
    let namePos = Self.headerSize + 4 * count
    var out = [UInt8]()
    out.reserveCapacity(namePos + 2 * name.utf16.count + 2 + estimatedValueSize)
    out.appendLE(UInt32(truncatingIfNeeded: namePos))
    out.appendLE(valueType)
    out.appendLE(UInt16(0))
    out.appendLE(flags.rawValue)
    out.appendLE(UInt32(truncatingIfNeeded: count))
    out.append(contentsOf: repeatElement(0, count: 4 * count))
    Self.appendUTF16Z(name, to: &out)
    func mark(_ i: Int) {
      out.storeLE(UInt32(truncatingIfNeeded: out.count), at: Self.headerSize + 4 * i)
    }
    switch values {
    case .int64(let v):
      for (i, x) in v.enumerated() {
        mark(i)
        out.appendLE(UInt64(bitPattern: x))
      }
    case .uint64(let v), .boolean(let v):
      for (i, x) in v.enumerated() {
        mark(i)
        out.appendLE(x)
      }
    case .string(let v):
      for (i, s) in v.enumerated() {
        mark(i)
        Self.appendUTF16Z(s, to: &out)
      }
    case .sid(let v), .octetString(let v):
      for (i, s) in v.enumerated() {
        mark(i)
        out.appendLE(UInt32(truncatingIfNeeded: s.count))
        out.append(contentsOf: s)
      }
    }
    while out.count & 3 != 0 { out.append(0) }
    return out
  }

  /// A cheap upper estimate of the bytes the values take, for reserving capacity.
  private var estimatedValueSize: Int {
    switch values {
    case .int64(let v): return 8 * v.count + 3
    case .uint64(let v), .boolean(let v): return 8 * v.count + 3
    case .string(let v): return v.reduce(3) { $0 + 2 * $1.utf8.count + 2 }
    case .sid(let v), .octetString(let v): return v.reduce(3) { $0 + 4 + $1.count }
    }
  }

  static func appendUTF16Z(_ s: String, to out: inout [UInt8]) {
    for unit in s.utf16 {
      out.append(UInt8(truncatingIfNeeded: unit))
      out.append(UInt8(truncatingIfNeeded: unit >> 8))
    }
    out.append(0)
    out.append(0)
  }

  /// Reads 8 bytes at `offset`; `field` is where the offset itself is stored.
  static func read64(_ bytes: [UInt8], at offset: Int, field: Int) throws(NTSecurityError) -> UInt64 {
    guard offset <= bytes.count - 8 else {
      throw NTSecurityError(.invalidAcl, "claim value offset \(offset) out of range", offset: field)
    }
    var v: UInt64 = 0
    for k in (0..<8).reversed() { v = v << 8 | UInt64(bytes[offset + k]) }
    return v
  }

  /// Reads a length-prefixed octet string at `offset`.
  static func readOctets(_ bytes: [UInt8], at offset: Int, field: Int) throws(NTSecurityError)
    -> [UInt8]
  {
    guard offset <= bytes.count - 4 else {
      throw NTSecurityError(.invalidAcl, "claim value offset \(offset) out of range", offset: field)
    }
    let length =
      Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
      | Int(bytes[offset + 3]) << 24
    guard length <= bytes.count - offset - 4 else {
      throw NTSecurityError(
        .invalidAcl, "claim octet string of \(length) bytes overruns the data", offset: offset)
    }
    return Array(bytes[offset + 4..<offset + 4 + length])
  }

  /// Reads a NUL-terminated UTF-16LE string at `offset`, rejecting unpaired surrogates.
  static func readString(_ bytes: [UInt8], at offset: Int, field: Int) throws(NTSecurityError)
    -> String
  {
    guard offset < bytes.count else {
      throw NTSecurityError(.invalidAcl, "claim string offset \(offset) out of range", offset: field)
    }
    // Find the terminator, noting whether every code unit is ASCII.
    var p = offset
    var ascii = true
    while true {
      guard p + 1 < bytes.count else {
        throw NTSecurityError(.invalidAcl, "unterminated claim string", offset: offset)
      }
      let high = bytes[p + 1]
      let low = bytes[p]
      if high == 0 && low == 0 { break }
      if high != 0 || low >= 0x80 { ascii = false }
      p += 2
    }
    let length = (p - offset) / 2
    if ascii {
      return String(utf8Capacity: length) { w in
        for k in 0..<length { w.u8(bytes[offset + 2 * k]) }
      }
    }
    var units = [UInt16]()
    units.reserveCapacity(length)
    for k in 0..<length {
      units.append(UInt16(bytes[offset + 2 * k]) | UInt16(bytes[offset + 2 * k + 1]) << 8)
    }
    if let bad = firstUnpairedSurrogate(units) {
      throw NTSecurityError(.invalidAcl, "unpaired UTF-16 surrogate", offset: offset + 2 * bad)
    }
    return String(decoding: units, as: UTF16.self)
  }
}

/// The index of the first UTF-16 surrogate without its partner, if any.
func firstUnpairedSurrogate(_ units: [UInt16]) -> Int? {
  var i = 0
  while i < units.count {
    let u = units[i]
    if u & 0xFC00 == 0xD800 {
      guard i + 1 < units.count, units[i + 1] & 0xFC00 == 0xDC00 else { return i }
      i += 2
    } else if u & 0xFC00 == 0xDC00 {
      return i
    } else {
      i += 1
    }
  }
  return nil
}
