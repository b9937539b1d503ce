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
}
