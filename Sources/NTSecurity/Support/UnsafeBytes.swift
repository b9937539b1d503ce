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
