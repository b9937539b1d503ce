// The SDDL form of a resource attribute (MS-DTYP 2.5.1.1), the 7th field of an `RA` ACE:
//
//   ("name",T?,flags,value,value,…)
//
// The name ends at the first of `!&()><=|`, a double quote or whitespace; `%XXXX` stands for one
// UTF-16 code unit (and may not be used for letters, digits and ``#$'*+-;?@[\]^_`{}~:/.``).
// Whitespace may follow the name before its closing quote. Flags are a C integer (decimal, 0x hex
// or leading-0 octal) within 32 bits and without bits 0xff00. Values follow the type:
//   TI  C integers (signed 64-bit)        TU  C integers, 0 to 2^64-1
//   TB  C integers equal to 0 or 1        TS  "text" (no escapes; no double quote inside)
//   TD  SIDs, S-1-… or an alias           TX  runs of hex digits; '#' counts as 0 and an odd
//                                             count gains a leading 0 ("abc" is 0a bc)
// Whitespace may surround the commas between values and precede the closing parenthesis. At least
// one value is required.

extension ClaimSecurityAttribute {
  /// Parses the SDDL form of a resource attribute, `("name",TI,0x0,1,2,3)`, the whole of `sddl`.
  /// `domain` resolves domain-relative SID aliases in `TD` values.
  ///
  /// Throws `ERROR_INVALID_PARAMETER` with the offset of the offending character; a bad `TD` SID
  /// throws the SID parser's error (`ERROR_INVALID_SID`, or `ERROR_NONE_MAPPED` for a domain alias
  /// without `domain`).
  public init(sddl: String, domain: SID? = nil) throws(NTSecurityError) {
    let text = Array(sddl.utf8)
    let (attribute, end) = try Self.parseSDDL(text, at: 0, domain: domain)
    guard end == text.count else {
      throw ClaimSDDLLexer.fail("unexpected text after the resource attribute", end)
    }
    self = attribute
  }

  /// Parses SDDL `("name",TI,0x0,1,2,3)`; `start` indexes the `(`. Returns the attribute and the
  /// index one past its `)`. `domain` resolves domain-relative SID aliases in `TD` values.
  ///
  /// Throws `ERROR_INVALID_PARAMETER` with the offset (an index into `text`) of the offending
  /// character; a bad `TD` SID throws the SID parser's error (`ERROR_INVALID_SID`, or
  /// `ERROR_NONE_MAPPED` for a domain alias without `domain`).
  package static func parseSDDL(_ text: [UInt8], at start: Int, domain: SID? = nil)
    throws(NTSecurityError) -> (ClaimSecurityAttribute, Int)
  {
    guard start >= 0, start < text.count, text[start] == UInt8(ascii: "(") else {
      throw ClaimSDDLLexer.fail("expected '(' to start a resource attribute", start)
    }
    var i = start + 1
    let name = try parseName(text, &i)
    let typeLetter = try parseTypeLetter(text, &i)
    let flags = try parseFlags(text, &i)
    let values = try parseValues(text, &i, typeLetter: typeLetter, domain: domain)
    return (ClaimSecurityAttribute(name: name, flags: flags, values: values), i + 1)
  }

  /// Parses `"name"` at `i` (spaces may precede the closing quote) and steps past the quote.
  private static func parseName(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError) -> String {
    typealias L = ClaimSDDLLexer
    guard i < text.count, text[i] == UInt8(ascii: "\"") else {
      throw L.fail("expected '\"' to start the attribute name", i)
    }
    let nameStart = i + 1
    i = nameStart
    while i < text.count, !L.endsName(text[i]) { i += 1 }
    guard i < text.count else { throw L.fail("unterminated attribute name", nameStart) }
    guard i > nameStart else { throw L.fail("empty attribute name", nameStart) }
    let name: String
    if text[nameStart..<i].allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "%") }) {
      name = String(decoding: text[nameStart..<i], as: UTF8.self)
    } else {
      name = String(decoding: try L.decodeName(text, nameStart, i), as: UTF16.self)
    }
    while i < text.count, L.isSpace(text[i]) { i += 1 }
    guard i < text.count, text[i] == UInt8(ascii: "\"") else {
      throw L.fail("expected '\"' to end the attribute name", i)
    }
    i += 1
    return name
  }

  /// Parses `,T?,` at `i` and returns the type letter (`I`, `U`, `S`, `D`, `X` or `B`).
  private static func parseTypeLetter(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError) -> UInt8 {
    typealias L = ClaimSDDLLexer
    guard i < text.count, text[i] == UInt8(ascii: ",") else {
      throw L.fail("expected ',' after the attribute name", i)
    }
    guard i + 1 < text.count, text[i + 1] == UInt8(ascii: "T") else {
      throw L.fail("expected an attribute type (TI, TU, TS, TD, TX or TB)", i + 1)
    }
    guard i + 2 < text.count else { throw L.fail("expected an attribute type", i + 2) }
    let typeLetter = text[i + 2]
    switch typeLetter {
    case UInt8(ascii: "I"), UInt8(ascii: "U"), UInt8(ascii: "S"), UInt8(ascii: "D"),
      UInt8(ascii: "X"), UInt8(ascii: "B"):
      break
    default:
      throw L.fail("unknown attribute type", i + 1)
    }
    guard i + 3 < text.count, text[i + 3] == UInt8(ascii: ",") else {
      throw L.fail("expected ',' after the attribute type", i + 3)
    }
    i += 4
    return typeLetter
  }

  /// Parses the flags and the comma after them at `i`: a C integer within 32 bits, without the
  /// reserved bits 0xff00.
  private static func parseFlags(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError)
    -> ClaimSecurityAttributeFlags
  {
    typealias L = ClaimSDDLLexer
    let flagsStart = i
    guard i < text.count,
      text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")
        || (text[i] >= UInt8(ascii: "0") && text[i] <= UInt8(ascii: "9"))
    else { throw L.fail("expected attribute flags", i) }
    let rawFlags = try L.uint64(text, &i)
    guard rawFlags <= UInt64(UInt32.max) else {
      throw L.fail("attribute flags exceed 32 bits", flagsStart)
    }
    guard rawFlags & 0xFF00 == 0 else {
      throw L.fail("attribute flags use the reserved bits 0xff00", flagsStart)
    }
    guard i < text.count, text[i] == UInt8(ascii: ",") else {
      throw L.fail("expected ',' after the attribute flags", i)
    }
    i += 1
    return ClaimSecurityAttributeFlags(rawValue: UInt32(rawFlags))
  }

  /// Parses the comma-separated values of type `typeLetter` at `i`, up to (not past) the closing
  /// `)`; at least one is required.
  private static func parseValues(_ text: [UInt8], _ i: inout Int, typeLetter: UInt8, domain: SID?)
    throws(NTSecurityError) -> ClaimValues
  {
    typealias L = ClaimSDDLLexer
    var ints = [Int64]()
    var uints = [UInt64]()
    var strings = [String]()
    var blobs = [[UInt8]]()
    var first = true
    while true {
      try L.skipSpace(text, &i)
      if text[i] == UInt8(ascii: ")") { break }
      if !first {
        guard text[i] == UInt8(ascii: ",") else { throw L.fail("expected ',' between values", i) }
        i += 1
        try L.skipSpace(text, &i)
      }
      first = false
      let valueStart = i
      switch typeLetter {
      case UInt8(ascii: "I"):
        ints.append(try L.int64(text, &i))
      case UInt8(ascii: "U"):
        uints.append(try L.uint64(text, &i))
      case UInt8(ascii: "B"):
        let v = try L.uint64(text, &i)
        guard v <= 1 else { throw L.fail("TB values must be 0 or 1", valueStart) }
        uints.append(v)
      case UInt8(ascii: "S"):
        strings.append(try parseQuoted(text, &i))
      case UInt8(ascii: "D"):
        let (sid, end) = try SID.parseSDDL(text, at: i, domain: domain)
        blobs.append(ClaimValues.sidPayload(sid))
        i = end
      default:
        blobs.append(try parseOctets(text, &i))
      }
    }
    let values: ClaimValues
    switch typeLetter {
    case UInt8(ascii: "I"): values = .int64(ints)
    case UInt8(ascii: "U"): values = .uint64(uints)
    case UInt8(ascii: "B"): values = .boolean(uints)
    case UInt8(ascii: "S"): values = .string(strings)
    case UInt8(ascii: "D"): values = .sid(blobs)
    default: values = .octetString(blobs)
    }
    guard values.count > 0 else { throw L.fail("resource attribute without values", i) }
    return values
  }

  /// Parses `"text"` at `i`: everything up to the next double quote, as UTF-8.
  private static func parseQuoted(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError)
    -> String
  {
    guard text[i] == UInt8(ascii: "\"") else {
      throw ClaimSDDLLexer.fail("expected '\"' to start a string value", i)
    }
    let start = i + 1
    var end = start
    while end < text.count, text[end] != UInt8(ascii: "\"") { end += 1 }
    guard end < text.count else {
      throw ClaimSDDLLexer.fail("unterminated string value", i)
    }
    try ClaimSDDLLexer.validateUTF8(text, start, end)
    i = end + 1
    return String(decoding: text[start..<end], as: UTF8.self)
  }

  /// Parses a run of hex digits (and `#`, read as 0) at `i` into bytes; an odd count gains a
  /// leading 0.
  private static func parseOctets(_ text: [UInt8], _ i: inout Int) throws(NTSecurityError)
    -> [UInt8]
  {
    let start = i
    var end = start
    while end < text.count, text[end] == UInt8(ascii: "#") || hexValue(text[end]) != nil {
      end += 1
    }
    guard end > start else { throw ClaimSDDLLexer.fail("expected an octet string", start) }
    @inline(__always) func nibble(_ c: UInt8) -> UInt8 { hexValue(c) ?? 0 }
    var bytes = [UInt8]()
    bytes.reserveCapacity((end - start + 1) / 2)
    var p = start
    if (end - start) & 1 == 1 {
      bytes.append(nibble(text[p]))
      p += 1
    }
    while p < end {
      bytes.append(nibble(text[p]) << 4 | nibble(text[p + 1]))
      p += 2
    }
    i = end
    return bytes
  }

  /// Appends the SDDL form with its parentheses: the name with `%XXXX` escapes, the type, the
  /// flags in lowercase hex (`0x0`), then the values: decimal integers, `"text"`, SIDs (aliases
  /// where one applies; `domain` enables the domain-relative ones), lowercase hex octets.
  ///
  /// Values SDDL cannot express (see `checkSDDLExpressible()`, which the descriptor writer calls
  /// first) are written as faithfully as possible and will not parse back. A `TB` value other than
  /// 0 is written as `1`.
  package func appendSDDL(to out: inout [UInt8], domain: SID? = nil) {
    typealias L = ClaimSDDLLexer
    out.append(UInt8(ascii: "("))
    out.append(UInt8(ascii: "\""))
    for unit in name.utf16 {
      if L.mustEscape(unit) {
        out.append(UInt8(ascii: "%"))
        for shift in stride(from: 12, through: 0, by: -4) {
          out.append(L.hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
      } else {
        out.append(UInt8(truncatingIfNeeded: unit))
      }
    }
    out.append(UInt8(ascii: "\""))
    out.append(UInt8(ascii: ","))
    out.append(UInt8(ascii: "T"))
    out.append(values.sddlTypeLetter)
    out.append(ascii: ",0x")
    L.appendHex(flags.rawValue, to: &out)
    switch values {
    case .int64(let v):
      for x in v {
        out.append(UInt8(ascii: ","))
        if x < 0 { out.append(UInt8(ascii: "-")) }
        L.appendDecimal(x.magnitude, to: &out)
      }
    case .uint64(let v):
      for x in v {
        out.append(UInt8(ascii: ","))
        L.appendDecimal(x, to: &out)
      }
    case .boolean(let v):
      for x in v {
        out.append(UInt8(ascii: ","))
        out.append(x == 0 ? UInt8(ascii: "0") : UInt8(ascii: "1"))
      }
    case .string(let v):
      for s in v {
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: s.utf8)
        out.append(UInt8(ascii: "\""))
      }
    case .sid(let v):
      for payload in v {
        out.append(UInt8(ascii: ","))
        if let sid = ClaimValues.decodeSIDPayload(payload) {
          sid.appendSDDL(to: &out, domain: domain)
        } else {
          Self.appendHexBytes(payload, to: &out)
        }
      }
    case .octetString(let v):
      for bytes in v {
        out.append(UInt8(ascii: ","))
        Self.appendHexBytes(bytes, to: &out)
      }
    }
    out.append(UInt8(ascii: ")"))
  }

  /// Throws `ERROR_INVALID_PARAMETER` when this attribute holds something SDDL cannot express, so
  /// that `appendSDDL(to:domain:)` would write text that does not parse back: no values, flags in
  /// the reserved bits 0xff00, a `"`
  /// inside a `TS` value, a `TD` payload that is not a SID, or an empty `TX` value.
  package func checkSDDLExpressible() throws(NTSecurityError) {
    func fail(_ why: String) -> NTSecurityError {
      NTSecurityError(.invalidParameter, "resource attribute \(why) has no SDDL form")
    }
    guard values.count > 0 else { throw fail("with no values") }
    guard flags.rawValue & 0xFF00 == 0 else { throw fail("with flags in the reserved bits 0xff00") }
    switch values {
    case .string(let v) where v.contains(where: { $0.utf8.contains(UInt8(ascii: "\"")) }):
      throw fail("string containing '\"'")
    case .sid(let v) where v.contains(where: { ClaimValues.decodeSIDPayload($0) == nil }):
      throw fail("SID value that is not a SID")
    case .octetString(let v) where v.contains(where: \.isEmpty):
      throw fail("empty octet string")
    default: break
    }
  }

  private static func appendHexBytes(_ bytes: [UInt8], to out: inout [UInt8]) {
    for b in bytes {
      out.append(ClaimSDDLLexer.hexDigits[Int(b >> 4)])
      out.append(ClaimSDDLLexer.hexDigits[Int(b & 0xF)])
    }
  }

  /// The SDDL form without a domain SID (domain SIDs are written as `S-1-5-21-…`).
  public var sddl: String { sddl(domain: nil) }

  /// The SDDL form with its parentheses: the name with `%XXXX` escapes, the type, the flags in
  /// lowercase hex (`0x0`), then the values: decimal integers, `"text"`, SIDs (aliases where one
  /// applies; `domain` enables the domain-relative ones), lowercase hex octets. Values SDDL cannot
  /// express are written as faithfully as possible and do not parse back.
  public func sddl(domain: SID?) -> String {
    var out = [UInt8]()
    appendSDDL(to: &out, domain: domain)
    return String(decoding: out, as: UTF8.self)
  }
}
