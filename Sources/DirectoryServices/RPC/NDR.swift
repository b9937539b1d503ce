import NTSecurity

/// NDR20 (C706 chapter 14) little-endian marshalling, as much as the DRSUAPI and endpoint-mapper
/// calls use: primitives with their natural alignment, unique pointers (referent IDs), conformant
/// and conformant-varying arrays, NUL-terminated UTF-16 strings.
struct NDRWriter {
  private(set) var bytes: [UInt8] = []
  private var nextReferent: UInt32 = 0x0002_0000

  mutating func align(_ n: Int) {
    while bytes.count % n != 0 { bytes.append(0) }
  }

  mutating func uint8(_ v: UInt8) { bytes.append(v) }

  mutating func uint16(_ v: UInt16) {
    align(2)
    bytes += [UInt8(v & 0xFF), UInt8(v >> 8)]
  }

  mutating func uint32(_ v: UInt32) {
    align(4)
    bytes += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
  }

  mutating func raw(_ b: [UInt8]) { bytes += b }

  /// A unique (or full) pointer's referent ID, or 0 for NULL.
  mutating func pointer(_ present: Bool) {
    guard present else { return uint32(0) }
    uint32(nextReferent)
    nextReferent += 4
  }

  /// A GUID (16 bytes, aligned to 4 as its first member is a uint32).
  mutating func guid(_ g: [UInt8]) {
    align(4)
    bytes += g.count == 16 ? g : [UInt8](repeating: 0, count: 16)
  }

  /// A `[string]` wchar_t array: max count, offset 0, actual count, the UTF-16 units with a NUL.
  mutating func string(_ s: String) {
    let units = Array(s.utf16) + [0]
    uint32(UInt32(units.count))
    uint32(0)
    uint32(UInt32(units.count))
    for u in units { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
  }
}

/// Reads what ``NDRWriter`` writes; every read is bounds-checked and throws ERROR_INVALID_DATA
/// naming the field.
struct NDRReader {
  let bytes: [UInt8]
  private(set) var offset = 0
  /// What is being read, for error messages.
  let what: String

  init(_ bytes: [UInt8], what: String) {
    self.bytes = bytes
    self.what = what
  }

  var remaining: Int { bytes.count - offset }

  mutating func align(_ n: Int) throws(NTSecurityError) {
    let pad = (n - offset % n) % n
    guard offset + pad <= bytes.count else { throw truncated("alignment") }
    offset += pad
  }

  private func truncated(_ field: String) -> NTSecurityError {
    NTSecurityError(.invalidData, "\(what): truncated at \(field) (offset \(offset) of \(bytes.count))")
  }

  mutating func uint8(_ field: String) throws(NTSecurityError) -> UInt8 {
    guard offset < bytes.count else { throw truncated(field) }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func uint16(_ field: String) throws(NTSecurityError) -> UInt16 {
    try align(2)
    guard offset + 2 <= bytes.count else { throw truncated(field) }
    defer { offset += 2 }
    return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  mutating func uint32(_ field: String) throws(NTSecurityError) -> UInt32 {
    try align(4)
    guard offset + 4 <= bytes.count else { throw truncated(field) }
    defer { offset += 4 }
    return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
      | UInt32(bytes[offset + 3]) << 24
  }

  mutating func raw(_ count: Int, _ field: String) throws(NTSecurityError) -> [UInt8] {
    guard count >= 0, offset + count <= bytes.count else { throw truncated(field) }
    defer { offset += count }
    return Array(bytes[offset..<offset + count])
  }

  mutating func guid(_ field: String) throws(NTSecurityError) -> [UInt8] {
    try align(4)
    return try raw(16, field)
  }

  /// A count that sizes an array: at most what the remaining bytes could hold at `unit` bytes each.
  mutating func count(_ field: String, unit: Int) throws(NTSecurityError) -> Int {
    let n = Int(try uint32(field))
    guard n <= remaining / max(unit, 1) else {
      throw NTSecurityError(.invalidData, "\(what): \(field) of \(n) exceeds the \(remaining) bytes left")
    }
    return n
  }

  /// A `[string]` wchar_t array (conformant varying); the text without its NUL.
  mutating func string(_ field: String) throws(NTSecurityError) -> String {
    let max = try uint32(field + " max count")
    let first = try uint32(field + " offset")
    let actual = try count(field + " actual count", unit: 2)
    guard first == 0, actual <= max else {
      throw NTSecurityError(.invalidData, "\(what): \(field) offset \(first), \(actual) of \(max) units")
    }
    let raw = try raw(actual * 2, field)
    var units = (0..<actual).map { UInt16(raw[2 * $0]) | UInt16(raw[2 * $0 + 1]) << 8 }
    if units.last == 0 { units.removeLast() }
    return String(decoding: units, as: UTF16.self)
  }
}
