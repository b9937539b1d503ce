extension ConditionParser {
  /// Parses `@User.name`, `@Device.name` or `@Resource.name` (class names in any case). The name
  /// runs to the first whitespace or one of `!&()<=>|"`; `%hhhh` stands for one UTF-16 code unit.
  mutating func parsePrefixedAttribute() throws(NTSecurityError) -> ConditionalToken {
    let at = position
    position += 1  // '@'
    var kind = -1
    for (index, prefix) in ConditionParser.attributeClasses.enumerated()
    where position + prefix.count <= text.count {
      var matches = true
      for k in 0..<prefix.count where asciiLower(text[position + k]) != prefix[k] {
        matches = false
        break
      }
      if matches {
        kind = index
        position += prefix.count
        break
      }
    }
    guard kind >= 0 else { throw fail("unknown attribute class (expected User, Device or Resource)", at: at) }
    let nameStart = position
    while position < text.count, !endsPrefixedName(text[position]) { position += 1 }
    guard position < text.count else { throw fail("attribute name runs to the end of the text", at: at) }
    guard position > nameStart else { throw fail("empty attribute name", at: nameStart) }
    let name = UTF16String(utf16: try decodeEscapedName(nameStart, position))
    switch kind {
    case 0: return .userAttribute(name)
    case 1: return .deviceAttribute(name)
    default: return .resourceAttribute(name)
    }
  }

  static let attributeClasses: [[UInt8]] = [
    Array("user.".utf8), Array("device.".utf8), Array("resource.".utf8),
  ]

  /// Whether `c` ends an `@Class.` attribute name.
  func endsPrefixedName(_ c: UInt8) -> Bool {
    switch c {
    case UInt8(ascii: "!"), UInt8(ascii: "&"), UInt8(ascii: "("), UInt8(ascii: ")"),
      UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "|"),
      UInt8(ascii: "\""):
      true
    default: isSpace(c)
    }
  }

  /// Decodes an attribute name: UTF-8 text with `%hhhh` escapes for UTF-16 code units.
  func decodeEscapedName(_ start: Int, _ end: Int) throws(NTSecurityError) -> [UInt16] {
    if let plain = UTF16String.asciiUnits(text, start, end, stopAt: UInt8(ascii: "%")) { return plain }
    var units = [UInt16]()
    units.reserveCapacity(end - start)
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
        units.append(v)
        i += 5
      } else if c < 0x80 {
        units.append(UInt16(c))
        i += 1
      } else {
        var j = i + 1
        while j < end, text[j] >= 0x80 { j += 1 }
        units.append(contentsOf: try UTF16String.decodeUTF8(text, i, j))
        i = j
      }
    }
    return units
  }

  /// Parses a literal wrapped in one or more parentheses, as in `Member_of (SID(BA))`.
  mutating func parseParenthesisedLiteral() throws(NTSecurityError) -> ConditionalToken {
    var opened = 0
    while position < text.count, text[position] == UInt8(ascii: "(") {
      opened += 1
      position += 1
      skipSpace()
    }
    guard position < text.count else { throw fail("condition has no closing ')'") }
    let literal = try parseLiteral(depth: 0)
    for _ in 0..<opened {
      skipSpace()
      guard position < text.count, text[position] == UInt8(ascii: ")") else {
        throw fail("expected ')' after the literal")
      }
      position += 1
    }
    return literal
  }

  /// Parses a literal: a number, `"string"`, `#octets`, `SID(…)` or a `{…}` composite.
  mutating func parseLiteral(depth: Int) throws(NTSecurityError) -> ConditionalToken {
    guard position < text.count else { throw fail("expected a value") }
    switch text[position] {
    case UInt8(ascii: "#"): return parseOctetString()
    case UInt8(ascii: "\""): return try parseString()
    case UInt8(ascii: "{"): return try parseComposite(depth: depth + 1)
    case UInt8(ascii: "S"), UInt8(ascii: "s"): return try parseSID()
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
      return try parseInteger()
    default: throw fail("expected a value")
    }
  }

  /// `#` followed by hex digits, where `#` also stands for `0`; an odd count implies a leading 0.
  mutating func parseOctetString() -> ConditionalToken {
    position += 1
    let start = position
    while position < text.count, text[position] == UInt8(ascii: "#") || hexValue(text[position]) != nil {
      position += 1
    }
    var bytes = [UInt8]()
    bytes.reserveCapacity((position - start + 1) / 2)
    var i = start
    if (position - start) & 1 == 1 {
      bytes.append(nibble(text[i]))
      i += 1
    }
    while i < position {
      bytes.append(nibble(text[i]) << 4 | nibble(text[i + 1]))
      i += 2
    }
    return .octetString(bytes)
  }

  private func nibble(_ c: UInt8) -> UInt8 { hexValue(c) ?? 0 }

  /// `"…"`: everything up to the next double quote (SDDL has no escapes in strings).
  mutating func parseString() throws(NTSecurityError) -> ConditionalToken {
    let at = position
    let start = position + 1
    var end = start
    while end < text.count, text[end] != UInt8(ascii: "\"") { end += 1 }
    guard end < text.count else { throw fail("unterminated string", at: at) }
    position = end + 1
    return .unicodeString(UTF16String(utf16: try UTF16String.decodeUTF8(text, start, end)))
  }

  /// `{literal, literal, …}`.
  mutating func parseComposite(depth: Int) throws(NTSecurityError) -> ConditionalToken {
    guard depth <= ConditionalExpression.maxCompositeDepth else {
      throw fail("composites nested too deeply")
    }
    position += 1  // '{'
    var items = [ConditionalToken]()
    while true {
      skipSpace()
      guard position < text.count else { throw fail("unterminated composite") }
      if text[position] == UInt8(ascii: "}") {
        position += 1
        return .composite(items)
      }
      if !items.isEmpty {
        guard text[position] == UInt8(ascii: ",") else { throw fail("expected ',' or '}' in composite") }
        position += 1
        skipSpace()
      }
      items.append(try parseLiteral(depth: depth))
    }
  }

  /// `SID(…)` with a SID string or alias inside (the keyword in any case).
  mutating func parseSID() throws(NTSecurityError) -> ConditionalToken {
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
      (sid, position) = try SID.parseSDDL(text, at: position, domain: domain)
    } catch  where error.code == .invalidSid {
      throw conditionError("invalid SID: \(error.message)", at: error.offset ?? position)
    }
    skipSpace()
    guard position < text.count, text[position] == UInt8(ascii: ")") else {
      throw fail("expected ')' to close SID(")
    }
    position += 1
    return .sid(sid)
  }

  /// An integer: optional sign, then decimal, `0` octal or `0x` hex digits, not followed by a
  /// letter, digit or other attribute-name character. The magnitude must fit in 64 bits.
  mutating func parseInteger() throws(NTSecurityError) -> ConditionalToken {
    let at = position
    var sign = ConditionalIntegerSign.none
    if text[position] == UInt8(ascii: "+") {
      sign = .positive
      position += 1
    } else if text[position] == UInt8(ascii: "-") {
      sign = .negative
      position += 1
    }
    guard position < text.count, isDigit(text[position]) else { throw fail("expected a number", at: at) }
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
    return .int64(value, sign: sign, base: base)
  }
}

@inline(__always)
func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
