// Lexical pieces of the resource attribute SDDL syntax (MS-DTYP 2.5.1.1), with the quirks of the
// Windows parser: C `strtoll`-style integers (decimal, leading-0 octal, 0x hex, optional sign),
// `%XXXX` UTF-16 escapes in names, bare hex digit runs for octet strings.

enum ClaimSDDLLexer {
  /// SDDL whitespace: HT, LF, VT, FF, CR and space.
  @inline(__always)
  static func isSpace(_ c: UInt8) -> Bool {
    c == 0x20 || (c >= 0x09 && c <= 0x0D)
  }

  /// Skips whitespace from `i`; throws if the text ends.
  static func skipSpace(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError) {
    while i < text.count, isSpace(text[i]) { i += 1 }
    guard i < text.count else { throw fail("resource attribute ends unexpectedly", i) }
  }

  @inline(__always)
  static func fail(_ message: String, _ offset: Int) -> NTSecurityError {
    NTSecurityError(.invalidParameter, message, offset: offset)
  }

  /// Whether `c` ends an attribute name: `!&()><=|`, space, double quote, whitespace or NUL.
  @inline(__always)
  static func endsName(_ c: UInt8) -> Bool {
    switch c {
    case UInt8(ascii: "!"), UInt8(ascii: "&"), UInt8(ascii: "("), UInt8(ascii: ")"),
      UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: "|"),
      UInt8(ascii: "\""), 0:
      return true
    default:
      return isSpace(c)
    }
  }

  /// Whether a UTF-16 code unit must be written literally and so may not be `%`-escaped:
  /// ASCII letters, digits and ``#$'*+-;?@[\]^_`{}~:/.``.
  static func mustBeLiteral(_ v: UInt16) -> Bool {
    guard v < 0x80 else { return false }
    switch UInt8(v) {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "a")...UInt8(ascii: "z"):
      return true
    case UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "'"), UInt8(ascii: "*"),
      UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ";"), UInt8(ascii: "?"),
      UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "]"),
      UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
      UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "/"),
      UInt8(ascii: "."):
      return true
    default:
      return false
    }
  }

  /// Whether a UTF-16 code unit is written as a `%XXXX` escape in a name: controls, space,
  /// non-ASCII and `!"&()<=>|%`.
  @inline(__always)
  static func mustEscape(_ c: UInt16) -> Bool {
    if c <= 0x20 || c > 0x7E { return true }
    switch UInt8(c) {
    case UInt8(ascii: "!"), UInt8(ascii: "\""), UInt8(ascii: "&"), UInt8(ascii: "("),
      UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"),
      UInt8(ascii: "|"), UInt8(ascii: "%"):
      return true
    default:
      return false
    }
  }

  /// Decodes the name in `text[start..<end]` (UTF-8 with `%XXXX` escapes) to UTF-16.
  static func decodeName(_ text: [UInt8], _ start: Int, _ end: Int) throws(NTSecurityError)
    -> [UInt16]
  {
    var units = [UInt16]()
    units.reserveCapacity(end - start)
    var pendingHigh: Int? = nil  // offset of a high surrogate still waiting for its partner
    var i = start
    while i < end {
      let c = text[i]
      if c == UInt8(ascii: "%") {
        guard end - i >= 5 else { throw fail("incomplete % escape in attribute name", i) }
        var v: UInt16 = 0
        for k in 1...4 {
          guard let d = hexValue(text[i + k]) else {
            throw fail("invalid % escape in attribute name", i)
          }
          v = v << 4 | UInt16(d)
        }
        if mustBeLiteral(v) { throw fail("character must not be %-escaped in a name", i) }
        if v == 0 { throw fail("NUL in attribute name", i) }
        if v & 0xFC00 == 0xDC00 {
          guard pendingHigh != nil else { throw fail("unpaired UTF-16 surrogate in name", i) }
          pendingHigh = nil
        } else {
          if let high = pendingHigh { throw fail("unpaired UTF-16 surrogate in name", high) }
          if v & 0xFC00 == 0xD800 { pendingHigh = i }
        }
        units.append(v)
        i += 5
        continue
      }
      if let high = pendingHigh { throw fail("unpaired UTF-16 surrogate in name", high) }
      if c < 0x80 {
        units.append(UInt16(c))
        i += 1
      } else {
        let (scalar, length) = try decodeUTF8Scalar(text, i, end)
        for u in UTF16.encode(scalar)! { units.append(u) }
        i += length
      }
    }
    if let high = pendingHigh { throw fail("unpaired UTF-16 surrogate in name", high) }
    return units
  }

  /// Decodes one multi-byte UTF-8 sequence starting at `i` (before `end`).
  static func decodeUTF8Scalar(_ text: [UInt8], _ i: Int, _ end: Int) throws(NTSecurityError)
    -> (Unicode.Scalar, Int)
  {
    guard let (value, length) = decodeUTF8Sequence(text, i, end), let scalar = Unicode.Scalar(value)
    else { throw fail("invalid UTF-8", i) }
    return (scalar, length)
  }

  /// Checks that `text[start..<end]` is well-formed UTF-8 without NUL bytes.
  static func validateUTF8(_ text: [UInt8], _ start: Int, _ end: Int) throws(NTSecurityError) {
    var i = start
    while i < end {
      let c = text[i]
      if c == 0 { throw fail("NUL in string", i) }
      if c < 0x80 {
        i += 1
      } else {
        i += try decodeUTF8Scalar(text, i, end).1
      }
    }
  }

  /// Reads an integer the way C `strtoll(…, 0)` does: optional sign, then `0x` hex, leading-`0`
  /// octal or decimal. Returns the sign and the magnitude; a magnitude beyond 64 bits fails.
  static func integer(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError)
    -> (negative: Bool, magnitude: UInt64)
  {
    let start = i
    var p = i
    var negative = false
    if p < text.count, text[p] == UInt8(ascii: "+") || text[p] == UInt8(ascii: "-") {
      negative = text[p] == UInt8(ascii: "-")
      p += 1
    }
    var base: UInt64 = 10
    if p < text.count, text[p] == UInt8(ascii: "0") {
      if p + 2 < text.count, text[p + 1] | 0x20 == UInt8(ascii: "x"), hexValue(text[p + 2]) != nil {
        base = 16
        p += 2
      } else {
        base = 8
      }
    }
    let digits = p
    var magnitude: UInt64 = 0
    var overflow = false
    while p < text.count, let d = hexValue(text[p]), UInt64(d) < base {
      let (m, o1) = magnitude.multipliedReportingOverflow(by: base)
      let (s, o2) = m.addingReportingOverflow(UInt64(d))
      if o1 || o2 { overflow = true } else { magnitude = s }
      p += 1
    }
    guard p > digits else { throw fail("expected an integer", start) }
    guard !overflow else { throw fail("integer out of range", start) }
    i = p
    return (negative, magnitude)
  }

  /// Reads a signed 64-bit integer (`strtoll` range).
  static func int64(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError) -> Int64 {
    let start = i
    let (negative, magnitude) = try integer(text, &i)
    guard magnitude <= (negative ? 1 << 63 : UInt64(Int64.max)) else {
      throw fail("integer out of range", start)
    }
    return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
  }

  /// Reads an unsigned 64-bit integer; a minus sign is allowed only before zero.
  static func uint64(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError) -> UInt64 {
    let start = i
    let (negative, magnitude) = try integer(text, &i)
    guard !negative || magnitude == 0 else { throw fail("negative unsigned value", start) }
    return magnitude
  }

  /// Appends the decimal digits of `v`.
  static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
    let start = out.count
    var x = v
    repeat {
      out.append(UInt8(ascii: "0") + UInt8(x % 10))
      x /= 10
    } while x > 0
    out[start...].reverse()
  }

  static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends `v` in lowercase hex without leading zeros.
  static func appendHex(_ v: UInt32, to out: inout [UInt8]) {
    var shift = 28
    while shift > 0, (v >> UInt32(shift)) & 0xF == 0 { shift -= 4 }
    while shift >= 0 {
      out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)])
      shift -= 4
    }
  }
}
