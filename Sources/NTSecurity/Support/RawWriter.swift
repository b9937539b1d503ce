/// Writes little-endian values into memory that has been sized in advance (the encoders compute
/// exact lengths first, so every write is in bounds by construction).
@usableFromInline
struct RawWriter {
  @usableFromInline let base: UnsafeMutableRawPointer
  @usableFromInline var offset = 0

  @inlinable init(_ base: UnsafeMutableRawPointer) { self.base = base }

  @inlinable mutating func u8(_ v: UInt8) {
    base.storeBytes(of: v, toByteOffset: offset, as: UInt8.self)
    offset += 1
  }
  @inlinable mutating func u16(_ v: UInt16) {
    base.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt16.self)
    offset += 2
  }
  @inlinable mutating func u32(_ v: UInt32) {
    base.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt32.self)
    offset += 4
  }
  @inlinable mutating func u32(_ v: UInt32, at position: Int) {
    base.storeBytes(of: v.littleEndian, toByteOffset: position, as: UInt32.self)
  }
  @inlinable mutating func bytes(_ source: UnsafeRawBufferPointer) {
    guard let from = source.baseAddress, source.count > 0 else { return }
    (base + offset).copyMemory(from: from, byteCount: source.count)
    offset += source.count
  }
  @inlinable mutating func bytes(_ source: [UInt8]) {
    source.withUnsafeBytes { bytes($0) }
  }
  /// Writes `v` in decimal ASCII.
  @inlinable mutating func decimal(_ v: UInt32) {
    if v < 10 {
      u8(UInt8(ascii: "0") + UInt8(v))
      return
    }
    var digits = 0
    var x = v
    while x > 0 {
      digits += 1
      x /= 10
    }
    x = v
    var k = offset + digits - 1
    while x > 0 {
      base.storeBytes(of: UInt8(ascii: "0") + UInt8(x % 10), toByteOffset: k, as: UInt8.self)
      x /= 10
      k -= 1
    }
    offset += digits
  }
  @inlinable mutating func ascii(_ s: StaticString) {
    s.withUTF8Buffer { bytes(UnsafeRawBufferPointer($0)) }
  }
  /// Writes a GUID's 16 bytes in their wire order.
  @inlinable mutating func guid(_ g: GUID) {
    withUnsafeBytes(of: g.bytes) { bytes($0) }
  }

  @inlinable mutating func zeros(_ n: Int) {
    (base + offset).initializeMemory(as: UInt8.self, repeating: 0, count: n)
    offset += n
  }
}

extension Array where Element == UInt8 {
  /// Appends what `body` writes, at most `maxCount` bytes (through a buffer on the stack).
  @inlinable
  mutating func append(upTo maxCount: Int, _ body: (inout RawWriter) -> Void) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxCount) { buffer in
      var writer = RawWriter(UnsafeMutableRawPointer(buffer.baseAddress!))
      body(&writer)
      append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress, count: writer.offset))
    }
  }

  /// An array of exactly `count` bytes filled by `body`.
  @inlinable
  init(exactly count: Int, _ body: (inout RawWriter) -> Void) {
    self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
      guard count > 0 else {
        initialized = 0
        return
      }
      var writer = RawWriter(UnsafeMutableRawPointer(buffer.baseAddress!))
      body(&writer)
      precondition(writer.offset == count, "encoder wrote \(writer.offset) of \(count) bytes")
      initialized = count
    }
  }
}

extension String {
  /// A string of the UTF-8 (here ASCII) bytes `body` writes straight into its storage, at most
  /// `maxCount`.
  @inlinable
  init(utf8Capacity maxCount: Int, _ body: (inout RawWriter) -> Void) {
    self.init(unsafeUninitializedCapacity: maxCount) { buffer in
      var writer = RawWriter(UnsafeMutableRawPointer(buffer.baseAddress!))
      body(&writer)
      precondition(writer.offset <= maxCount, "wrote \(writer.offset) bytes into \(maxCount)")
      return writer.offset
    }
  }
}
