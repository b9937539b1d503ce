extension ConditionParser {
  /// Writes a local attribute token for an `attr-char1` word.
  mutating func writeLocalAttribute(_ word: Range<Int>) {
    out.append(0xF8)
    out.appendLE(UInt32(2 * word.count))
    appendWidened(word)
    values += 1
  }

  /// Appends ASCII `text[range]` as UTF-16LE.
  mutating func appendWidened(_ range: Range<Int>) {
    out.appendWidened(text, range)
  }

  /// Parses `@User.name`, `@Device.name` or `@Resource.name` (class names in any case). The name
  /// runs to the first whitespace or one of `!&()<=>|"`; `%hhhh` stands for one UTF-16 code unit.
  mutating func parsePrefixedAttribute() throws(NTSecurityError) {
    let at = position
    position += 1  // '@'
    var code: UInt8 = 0
    for (prefix, prefixCode) in ConditionParser.attributeClasses
    where position + prefix.count <= text.count {
      var matches = true
      for k in 0..<prefix.count where asciiLower(text[position + k]) != prefix[k] {
        matches = false
        break
      }
      if matches {
        code = prefixCode
        position += prefix.count
        break
      }
    }
    guard code != 0 else {
      throw fail("unknown attribute class (expected User, Device or Resource)", at: at)
    }
    let nameStart = position
    var plain = true
    while position < text.count {
      let c = text[position]
      if endsPrefixedName(c) { break }
      if c == UInt8(ascii: "%") || c >= 0x80 { plain = false }
      position += 1
    }
    guard position < text.count else {
      throw fail("attribute name runs to the end of the text", at: at)
    }
    guard position > nameStart else { throw fail("empty attribute name", at: nameStart) }
    out.append(code)
    let lengthAt = out.count
    out.appendLE(UInt32(0))
    if plain {
      appendWidened(nameStart..<position)
    } else {
      try appendEscapedName(nameStart, position)
    }
    out.storeLE(UInt32(out.count - lengthAt - 4), at: lengthAt)
    values += 1
  }

  static let attributeClasses: [([UInt8], UInt8)] = [
    (Array("user.".utf8), 0xF9), (Array("device.".utf8), 0xFB), (Array("resource.".utf8), 0xFA),
  ]

  /// Whether `c` ends an `@Class.` attribute name: whitespace or one of `!"&()<=>|`.
  @inline(__always)
  func endsPrefixedName(_ c: UInt8) -> Bool {
    inASCIISet(c, low: 0x7000_0347_0000_3E00, high: 0x1000_0000_0000_0000)
  }

  /// Appends an attribute name as UTF-16LE: UTF-8 text with `%hhhh` escapes for code units.
  mutating func appendEscapedName(_ start: Int, _ end: Int) throws(NTSecurityError) {
    var i = start
    while i < end {
      let c = text[i]
      if c == UInt8(ascii: "%") {
        guard i + 4 < end else { throw fail("'%' escape needs four hex digits", at: i) }
        var v: UInt16 = 0
        for k in 1...4 {
          guard let d = hexValue(text[i + k]) else {
            throw fail("'%' escape needs four hex digits", at: i)
          }
          v = v << 4 | UInt16(d)
        }
        // The binary form cannot hold a NUL inside a name (found by FuzzSDDL).
        guard v != 0 else { throw fail("'%0000' (NUL) in an attribute name", at: i) }
        out.appendLE(v)
        i += 5
      } else if c < 0x80 {
        out.append(c)
        out.append(0)
        i += 1
      } else {
        var j = i + 1
        while j < end, text[j] >= 0x80 { j += 1 }
        try UTF16String.appendUTF16LE(fromUTF8: source, i, j, to: &out)
        i = j
      }
    }
  }

  /// Parses a literal wrapped in one or more parentheses, as in `Member_of (SID(BA))`.
  mutating func parseParenthesisedLiteral() throws(NTSecurityError) {
    var opened = 0
    while position < text.count, text[position] == UInt8(ascii: "(") {
      opened += 1
      position += 1
      skipSpace()
    }
    try parseLiteral(depth: 0)
    values += 1
    for _ in 0..<opened {
      skipSpace()
      guard position < text.count, text[position] == UInt8(ascii: ")") else {
        throw fail("expected ')' after the literal")
      }
      position += 1
    }
  }

  /// Parses a literal: a number, `"string"`, `#octets`, `SID(…)` or a `{…}` composite.
  mutating func parseLiteral(depth: Int) throws(NTSecurityError) {
    guard position < text.count else { throw fail("expected a value") }
    switch text[position] {
    case UInt8(ascii: "#"): parseOctetString()
    case UInt8(ascii: "\""): try parseString()
    case UInt8(ascii: "{"): try parseComposite(depth: depth + 1)
    case UInt8(ascii: "S"), UInt8(ascii: "s"): try parseSID()
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
      try parseInteger()
    default: throw fail("expected a value")
    }
  }

  /// `#` followed by hex digits, where `#` also stands for `0`; an odd count implies a leading 0.
  mutating func parseOctetString() {
    position += 1
    let start = position
    while position < text.count,
      text[position] == UInt8(ascii: "#") || hexValue(text[position]) != nil
    {
      position += 1
    }
    let digits = position - start
    out.append(0x18)
    out.appendLE(UInt32((digits + 1) / 2))
    var i = start
    if digits & 1 == 1 {
      out.append(nibble(text[i]))
      i += 1
    }
    while i < position {
      out.append(nibble(text[i]) << 4 | nibble(text[i + 1]))
      i += 2
    }
  }

  private func nibble(_ c: UInt8) -> UInt8 { hexValue(c) ?? 0 }

  /// `"…"`: everything up to the next double quote (SDDL has no escapes in strings).
  mutating func parseString() throws(NTSecurityError) {
    let at = position
    let start = position + 1
    var end = start
    var ascii = true
    while end < text.count, text[end] != UInt8(ascii: "\"") {
      if text[end] >= 0x80 { ascii = false }
      end += 1
    }
    guard end < text.count else { throw fail("unterminated string", at: at) }
    out.append(0x10)
    let lengthAt = out.count
    out.appendLE(UInt32(0))
    if ascii {
      appendWidened(start..<end)
    } else {
      try UTF16String.appendUTF16LE(fromUTF8: source, start, end, to: &out)
    }
    out.storeLE(UInt32(out.count - lengthAt - 4), at: lengthAt)
    position = end + 1
  }

  /// `{literal, literal, …}`.
  mutating func parseComposite(depth: Int) throws(NTSecurityError) {
    guard depth <= ConditionalExpression.maxCompositeDepth else {
      throw fail("composites nested too deeply")
    }
    position += 1  // '{'
    out.append(0x50)
    let lengthAt = out.count
    out.appendLE(UInt32(0))
    var first = true
    while true {
      skipSpace()
      guard position < text.count else { throw fail("unterminated composite") }
      if text[position] == UInt8(ascii: "}") {
        position += 1
        out.storeLE(UInt32(out.count - lengthAt - 4), at: lengthAt)
        return
      }
      if !first {
        guard text[position] == UInt8(ascii: ",") else {
          throw fail("expected ',' or '}' in composite")
        }
        position += 1
        skipSpace()
      }
      first = false
      try parseLiteral(depth: depth)
    }
  }

  /// `SID(…)` with a SID string or alias inside (the keyword in any case).
  mutating func parseSID() throws(NTSecurityError) {
    let at = position
    guard position + 4 <= text.count, asciiLower(text[position + 1]) == UInt8(ascii: "i"),
      asciiLower(text[position + 2]) == UInt8(ascii: "d"), text[position + 3] == UInt8(ascii: "(")
    else {
      throw fail("expected a value", at: at)
    }
    position += 4
    skipSpace()
    let sid: SID
    do throws(NTSecurityError) {
      (sid, position) = try SID.parseSDDL(source, at: position, domain: domain)
    } catch  where error.code == .invalidSid {
      throw conditionError("invalid SID: \(error.message)", at: error.offset ?? position)
    }
    skipSpace()
    guard position < text.count, text[position] == UInt8(ascii: ")") else {
      throw fail("expected ')' to close SID(")
    }
    position += 1
    out.append(0x51)
    out.appendLE(UInt32(sid.length))
    out.append(sid)
  }

  /// An integer: optional sign, then decimal, `0` octal or `0x` hex digits, not followed by a
  /// letter, digit or other attribute-name character. The magnitude must fit in 64 bits.
  mutating func parseInteger() throws(NTSecurityError) {
    let at = position
    var sign = ConditionalIntegerSign.none
    if text[position] == UInt8(ascii: "+") {
      sign = .positive
      position += 1
    } else if text[position] == UInt8(ascii: "-") {
      sign = .negative
      position += 1
    }
    guard position < text.count, isDigit(text[position]) else {
      throw fail("expected a number", at: at)
    }
    var base = ConditionalIntegerBase.decimal
    var radix: UInt64 = 10
    if text[position] == UInt8(ascii: "0"), let next = peek(1) {
      if next | 0x20 == UInt8(ascii: "x"), let h = peek(2), hexValue(h) != nil {
        base = .hexadecimal
        radix = 16
        position += 2
      } else if isDigit(next) {
        base = .octal
        radix = 8
      }
    }
    var magnitude: UInt64 = 0
    while position < text.count, let d = hexValue(text[position]), UInt64(d) < radix {
      let (shifted, o1) = magnitude.multipliedReportingOverflow(by: radix)
      let (sum, o2) = shifted.addingReportingOverflow(UInt64(d))
      guard !o1, !o2 else { throw fail("number does not fit in 64 bits", at: at) }
      magnitude = sum
      position += 1
    }
    if position < text.count, isAttributeChar(text[position]) {
      throw fail("malformed number", at: at)
    }
    let value = Int64(bitPattern: sign == .negative ? 0 &- magnitude : magnitude)
    out.reserve(11)
    out.appendUnchecked(0x04)
    var bits = UInt64(bitPattern: value)
    for _ in 0..<8 {
      out.appendUnchecked(UInt8(truncatingIfNeeded: bits))
      bits >>= 8
    }
    out.appendUnchecked(sign.rawValue)
    out.appendUnchecked(base.rawValue)
  }
}

@inline(__always)
func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
