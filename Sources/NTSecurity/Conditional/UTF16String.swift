/// Text as conditional expressions store it: UTF-16 code units, kept as they are so that any binary
/// value (even an unpaired surrogate) survives decoding and re-encoding unchanged.
public struct UTF16String: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
  /// The UTF-16 code units.
  public var utf16: [UInt16]

  /// Wraps UTF-16 code units.
  public init(utf16: [UInt16]) { self.utf16 = utf16 }

  /// The UTF-16 form of `string`.
  public init(_ string: String) { self.utf16 = Array(string.utf16) }

  public init(stringLiteral value: String) { self.init(value) }

  /// The text as a Swift string; unpaired surrogates become U+FFFD.
  public var description: String { String(decoding: utf16, as: UTF16.self) }

  /// Whether there are no code units.
  public var isEmpty: Bool { utf16.isEmpty }
}

extension UTF16String {
  /// Converts UTF-8 `text[start..<end]` to UTF-16LE bytes appended to `out`. Surrogates encoded
  /// on their own in three bytes (WTF-8) are accepted, so that text written by
  /// `appendUTF8(fromUTF16LE:)` reads back exactly. Throws `ERROR_INVALID_ACE_CONDITION` at the
  /// first invalid byte.
  static func appendUTF16LE(fromUTF8 text: [UInt8], _ start: Int, _ end: Int, to out: inout ByteBuffer)
    throws(NTSecurityError)
  {
    var i = start
    while i < end {
      let b0 = text[i]
      if b0 < 0x80 {
        out.append(b0)
        out.append(0)
        i += 1
        continue
      }
      guard let (scalar, length) = decodeUTF8Sequence(text, i, end) else {
        throw conditionError("invalid UTF-8", at: i)
      }
      if scalar >= 0x10000 {
        let v = scalar - 0x10000
        out.appendLE(UInt16(0xD800 + (v >> 10)))
        out.appendLE(UInt16(0xDC00 + (v & 0x3FF)))
      } else {
        out.appendLE(UInt16(scalar))
      }
      i += length
    }
  }

  /// Converts UTF-16LE `bytes[start..<end]` to UTF-8 appended to `out`; an unpaired surrogate is
  /// written as its own three-byte sequence. Returns whether the text holds a double quote.
  @discardableResult
  static func appendUTF8(
    fromUTF16LE bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to out: inout ByteBuffer
  ) -> Bool {
    // A UTF-16 code unit needs at most three bytes of UTF-8 (a surrogate pair, four for two).
    out.reserve(3 * (end - start) / 2)
    let units = UnsafeBufferPointer(rebasing: bytes[start..<end])
    var quote = false
    var i = 0
    while i + 1 < units.count {
      let u = UInt16(units[i]) | UInt16(units[i + 1]) << 8
      i += 2
      if u < 0x80 {
        quote = quote || u == 0x22
        out.appendUnchecked(UInt8(u))
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
        out.appendUnchecked(UInt8(0xC0 | scalar >> 6))
        out.appendUnchecked(UInt8(0x80 | scalar & 0x3F))
      } else if scalar < 0x10000 {
        out.appendUnchecked(UInt8(0xE0 | scalar >> 12))
        out.appendUnchecked(UInt8(0x80 | scalar >> 6 & 0x3F))
        out.appendUnchecked(UInt8(0x80 | scalar & 0x3F))
      } else {
        out.appendUnchecked(UInt8(0xF0 | scalar >> 18))
        out.appendUnchecked(UInt8(0x80 | scalar >> 12 & 0x3F))
        out.appendUnchecked(UInt8(0x80 | scalar >> 6 & 0x3F))
        out.appendUnchecked(UInt8(0x80 | scalar & 0x3F))
      }
    }
    return quote
  }
}
