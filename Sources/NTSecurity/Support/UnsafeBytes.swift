// The module's unsafe byte access, in one place (docs/ARCHITECTURE.md gives the measurements
// that keep each part):
// - `RawWriter` and the builders over it: the binary and SDDL encoders write into memory sized in
//   advance, with no bounds or uniqueness checks per byte.
// - `ByteReader.load`: the unaligned little-endian load behind every bounds-checked read.
// - The byte views of `SID`'s and `GUID`'s inline storage (below).

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

extension ByteReader {
  /// Loads a little-endian value at `offset` (already bounds-checked by `need`).
  @inline(__always) @usableFromInline
  func load<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
    bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
  }
}

// The byte views of the inline storage of `SID` (fifteen 32-bit sub-authority slots) and `GUID`
// (sixteen bytes). Both are tuples so that neither value allocates (`InlineArray` would do it
// safely but needs macOS 26; the package supports macOS 15), and these are the only functions
// that address the tuples as bytes. Each is a bounded copy, load or store whose range the caller
// has checked (`ByteReader.need`, a count of at most 15).

extension SID {
  /// Stores `value` in slot `i`, little-endian: the slots are the sub-authorities' wire form.
  @inlinable @inline(__always)
  mutating func storeSlot(_ value: UInt32, at i: Int) {
    withUnsafeMutableBytes(of: &slots) {
      $0.storeBytes(of: value.littleEndian, toByteOffset: i * 4, as: UInt32.self)
    }
  }

  /// The sub-authority in slot `i`.
  @inlinable @inline(__always)
  func slot(_ i: Int) -> UInt32 {
    withUnsafeBytes(of: slots) { UInt32(littleEndian: $0.load(fromByteOffset: i * 4, as: UInt32.self)) }
  }

  /// Whether the first `n` sub-authorities of both SIDs are equal.
  @inlinable
  func samePrefix(_ other: SID, _ n: Int) -> Bool {
    withUnsafeBytes(of: slots) { a in
      withUnsafeBytes(of: other.slots) { b in
        for k in 0..<n
        where a.load(fromByteOffset: k * 4, as: UInt32.self) != b.load(fromByteOffset: k * 4, as: UInt32.self)
        {
          return false
        }
        return true
      }
    }
  }

  /// Feeds the used slots' bytes to `hasher`.
  func hashSlots(into hasher: inout Hasher) {
    withUnsafeBytes(of: slots) {
      hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<Int(count) * 4]))
    }
  }

  /// Copies `count` wire-form sub-authorities from `bytes[p...]` into the slots.
  mutating func copySlots(from bytes: [UInt8], at p: Int, count: Int) {
    withUnsafeMutableBytes(of: &slots) { slots in
      bytes.withUnsafeBytes { src in
        slots.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[p..<p + 4 * count]))
      }
    }
  }

  /// Appends the used slots, which are the sub-authorities' wire form.
  @inlinable
  func writeSlots(to out: inout RawWriter) {
    withUnsafeBytes(of: slots) { out.bytes(UnsafeRawBufferPointer(rebasing: $0[0..<Int(count) * 4])) }
  }

  /// A SID from binary bytes the caller has already validated (revision 1, count ≤ 15, length).
  static func validated(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> SID {
    var authority: UInt64 = 0
    for k in 2..<8 { authority = authority << 8 | UInt64(bytes[start + k]) }
    var sid = SID(unchecked: authority)
    let count = Int(bytes[start + 1])
    withUnsafeMutableBytes(of: &sid.slots) { slots in
      slots.copyMemory(
        from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start + 8..<start + 8 + 4 * count])))
    }
    sid.count = UInt8(count)
    return sid
  }
}

extension GUID {
  /// The 16 wire bytes.
  public var wireBytes: [UInt8] {
    withUnsafeBytes(of: bytes) { Array($0) }
  }

  public static func == (a: GUID, b: GUID) -> Bool {
    withUnsafeBytes(of: a.bytes) { x in withUnsafeBytes(of: b.bytes) { y in x.elementsEqual(y) } }
  }

  public func hash(into h: inout Hasher) { withUnsafeBytes(of: bytes) { h.combine(bytes: $0) } }

  /// Sets wire byte `k` (0..<16).
  @inline(__always)
  mutating func setWireByte(_ value: UInt8, at k: Int) {
    withUnsafeMutableBytes(of: &bytes) { $0[k] = value }
  }

  /// Copies the 16 wire bytes at `bytes[p...]`.
  mutating func copyWireBytes(from source: [UInt8], at p: Int) {
    withUnsafeMutableBytes(of: &bytes) { dst in
      source.withUnsafeBytes { src in
        dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[p..<p + 16]))
      }
    }
  }
}
