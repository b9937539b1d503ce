/// Bounds-checked little-endian reads over a byte buffer. Every failure is an
/// `NTSecurityError` naming the byte offset.
@usableFromInline
package struct ByteReader {
  @usableFromInline package let bytes: [UInt8]
  /// The offset of the next byte to read.
  @usableFromInline package var position: Int
  /// One past the last readable byte.
  @usableFromInline package var end: Int
  @usableFromInline let error: WindowsError

  @inlinable
  package init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil, error: WindowsError) {
    self.bytes = bytes
    self.position = start
    self.end = min(end ?? bytes.count, bytes.count)
    self.error = error
  }

  @inlinable package var remaining: Int { end - position }

  @inlinable
  func fail(_ message: String, at offset: Int? = nil) -> NTSecurityError {
    NTSecurityError(error, message, offset: offset ?? position)
  }

  @inline(__always) @usableFromInline
  package mutating func need(_ n: Int, _ what: StaticString) throws(NTSecurityError) {
    if _slowPath(n < 0 || position + n > end) { throw truncated(n, what) }
  }

  @inline(never) @usableFromInline
  func truncated(_ n: Int, _ what: StaticString) -> NTSecurityError {
    fail("truncated \(what): need \(n) bytes, \(max(0, end - position)) left")
  }

  @inline(__always) @usableFromInline
  package mutating func u8(_ what: StaticString = "byte") throws(NTSecurityError) -> UInt8 {
    try need(1, what)
    defer { position += 1 }
    return bytes[position]
  }

  @inline(__always) @usableFromInline
  package mutating func u16(_ what: StaticString = "16-bit value") throws(NTSecurityError) -> UInt16 {
    try need(2, what)
    defer { position += 2 }
    return load(position, as: UInt16.self)
  }

  @inline(__always) @usableFromInline
  package mutating func u32(_ what: StaticString = "32-bit value") throws(NTSecurityError) -> UInt32 {
    try need(4, what)
    defer { position += 4 }
    return load(position, as: UInt32.self)
  }
}

extension Array where Element == UInt8 {
  @inlinable mutating func appendLE(_ v: UInt16) {
    append(UInt8(truncatingIfNeeded: v))
    append(UInt8(truncatingIfNeeded: v >> 8))
  }
  @inlinable package mutating func appendLE(_ v: UInt32) {
    append(UInt8(truncatingIfNeeded: v))
    append(UInt8(truncatingIfNeeded: v >> 8))
    append(UInt8(truncatingIfNeeded: v >> 16))
    append(UInt8(truncatingIfNeeded: v >> 24))
  }
  @inlinable package mutating func appendLE(_ v: UInt64) {
    appendLE(UInt32(truncatingIfNeeded: v))
    appendLE(UInt32(truncatingIfNeeded: v >> 32))
  }
  /// Overwrites a little-endian 16-bit value at `offset`.
  @inlinable mutating func storeLE(_ v: UInt16, at offset: Int) {
    self[offset] = UInt8(truncatingIfNeeded: v)
    self[offset + 1] = UInt8(truncatingIfNeeded: v >> 8)
  }
  /// Overwrites a little-endian 32-bit value at `offset`.
  @inlinable mutating func storeLE(_ v: UInt32, at offset: Int) {
    self[offset] = UInt8(truncatingIfNeeded: v)
    self[offset + 1] = UInt8(truncatingIfNeeded: v >> 8)
    self[offset + 2] = UInt8(truncatingIfNeeded: v >> 16)
    self[offset + 3] = UInt8(truncatingIfNeeded: v >> 24)
  }
  /// Appends ASCII text.
  @inlinable mutating func append(ascii s: StaticString) {
    s.withUTF8Buffer { append(contentsOf: $0) }
  }
}
