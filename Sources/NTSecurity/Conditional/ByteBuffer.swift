/// A growable byte buffer for the hot paths of conditional expression conversion: appends are a
/// store and a count increment, without the uniqueness checks of `Array`. It owns its memory
/// (non-copyable, freed when it goes out of scope).
///
/// This file and `Support/UnsafeBytes.swift` (`RawWriter`) are where the module's conversions
/// write through raw pointers; see docs/ARCHITECTURE.md for the measurement that keeps them.
struct ByteBuffer: ~Copyable {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  /// An empty buffer that has not allocated yet (a placeholder to swap a kept buffer into).
  init() {
    capacity = 0
    base = UnsafeMutablePointer(bitPattern: MemoryLayout<UInt8>.alignment)!
  }

  deinit { if capacity > 0 { base.deallocate() } }

  /// Forgets the bytes written, keeping the memory for reuse.
  mutating func removeAll() { count = 0 }

  /// Makes room for `n` more bytes.
  @inline(__always)
  mutating func reserve(_ n: Int) {
    if count + n > capacity { grow(count + n) }
  }

  private mutating func grow(_ needed: Int) {
    let newCapacity = max(needed, capacity * 2)
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.update(from: base, count: count)
    if capacity > 0 { base.deallocate() }
    base = newBase
    capacity = newCapacity
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  /// Appends without checking capacity; call `reserve` first.
  @inline(__always)
  mutating func appendUnchecked(_ byte: UInt8) {
    base[count] = byte
    count += 1
  }

  mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { source in
      guard !source.isEmpty else { return }
      reserve(source.count)
      (base + count).update(from: source.baseAddress!, count: source.count)
      count += source.count
    }
  }

  mutating func append(_ bytes: [UInt8]) {
    guard !bytes.isEmpty else { return }
    reserve(bytes.count)
    bytes.withUnsafeBufferPointer { source in
      (base + count).update(from: source.baseAddress!, count: source.count)
    }
    count += bytes.count
  }

  /// Appends the ASCII bytes `text[range]` as UTF-16LE code units.
  mutating func appendWidened(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
    let ascii = UnsafeBufferPointer(rebasing: text[range])
    reserve(2 * ascii.count)
    let target = UnsafeMutableRawPointer(base + count)
    for k in 0..<ascii.count {
      target.storeBytes(of: UInt16(ascii[k]).littleEndian, toByteOffset: 2 * k, as: UInt16.self)
    }
    count += 2 * ascii.count
  }

  @inline(__always)
  mutating func appendLE(_ v: UInt16) {
    reserve(2)
    base[count] = UInt8(truncatingIfNeeded: v)
    base[count + 1] = UInt8(truncatingIfNeeded: v >> 8)
    count += 2
  }

  @inline(__always)
  mutating func appendLE(_ v: UInt32) {
    reserve(4)
    storeLE(v, at: count)
    count += 4
  }

  mutating func appendLE(_ v: UInt64) {
    appendLE(UInt32(truncatingIfNeeded: v))
    appendLE(UInt32(truncatingIfNeeded: v >> 32))
  }

  /// Overwrites four bytes at `offset` with a little-endian value.
  @inline(__always)
  func storeLE(_ v: UInt32, at offset: Int) {
    base[offset] = UInt8(truncatingIfNeeded: v)
    base[offset + 1] = UInt8(truncatingIfNeeded: v >> 8)
    base[offset + 2] = UInt8(truncatingIfNeeded: v >> 16)
    base[offset + 3] = UInt8(truncatingIfNeeded: v >> 24)
  }

  /// Appends the binary form of a SID (MS-DTYP 2.4.2.2).
  mutating func append(_ sid: SID) {
    reserve(sid.length)
    var w = RawWriter(UnsafeMutableRawPointer(base + count))
    sid.write(to: &w)
    count += w.offset
  }

  /// Appends the SDDL form of a SID (an alias where Windows writes one).
  mutating func appendSDDL(_ sid: SID, domain: SID?) {
    reserve(SID.maxStringLength)
    var w = RawWriter(UnsafeMutableRawPointer(base + count))
    sid.writeSDDL(to: &w, domain: domain)
    count += w.offset
  }

  /// Writes the bytes at `range` (of those written) to `w`.
  func write(_ range: Range<Int>, to w: inout RawWriter) {
    w.bytes(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
  }

  /// Appends the bytes written to `out`.
  func append(to out: inout [UInt8]) {
    out.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
  }

  /// The bytes written, padded with zeros to a multiple of four when `aligned`.
  func array(aligned: Bool = false) -> [UInt8] {
    let total = aligned ? (count + 3) & ~3 : count
    guard total > 0 else { return [] }
    return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
      buffer.baseAddress!.update(from: base, count: count)
      for k in count..<total { buffer[k] = 0 }
      initialized = total
    }
  }

  /// Appends UTF-16LE `bytes[start..<end]` converted to UTF-8; an unpaired surrogate is written
  /// as its own three-byte sequence. Returns whether the text holds a double quote.
  @discardableResult
  mutating func appendUTF8(fromUTF16LE bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    // A UTF-16 code unit needs at most three bytes of UTF-8 (a surrogate pair, four for two).
    reserve(3 * (end - start) / 2)
    let units = UnsafeBufferPointer(rebasing: bytes[start..<end])
    var quote = false
    var i = 0
    while i + 1 < units.count {
      let u = UInt16(units[i]) | UInt16(units[i + 1]) << 8
      i += 2
      if u < 0x80 {
        quote = quote || u == 0x22
        appendUnchecked(UInt8(u))
        continue
      }
      var scalar = UInt32(u)
      if u & 0xFC00 == 0xD800, i + 1 < units.count {
        let low = UInt16(units[i]) | UInt16(units[i + 1]) << 8
        if low & 0xFC00 == 0xDC00 {
          scalar = 0x10000 + (UInt32(u & 0x3FF) << 10 | UInt32(low & 0x3FF))
          i += 2
        }
      }
      if scalar < 0x800 {
        appendUnchecked(UInt8(0xC0 | scalar >> 6))
        appendUnchecked(UInt8(0x80 | scalar & 0x3F))
      } else if scalar < 0x10000 {
        appendUnchecked(UInt8(0xE0 | scalar >> 12))
        appendUnchecked(UInt8(0x80 | scalar >> 6 & 0x3F))
        appendUnchecked(UInt8(0x80 | scalar & 0x3F))
      } else {
        appendUnchecked(UInt8(0xF0 | scalar >> 18))
        appendUnchecked(UInt8(0x80 | scalar >> 12 & 0x3F))
        appendUnchecked(UInt8(0x80 | scalar >> 6 & 0x3F))
        appendUnchecked(UInt8(0x80 | scalar & 0x3F))
      }
    }
    return quote
  }
}
