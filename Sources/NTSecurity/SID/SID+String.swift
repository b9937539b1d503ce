extension SID: CustomStringConvertible, LosslessStringConvertible {
  /// The longest string form: `S-1-` and a 14-character authority, then fifteen `-4294967295`.
  static let maxStringLength = 4 + 14 + 15 * 11

  /// The string form Windows' `ConvertSidToStringSid` writes: `S-1-5-32-544`, with the authority in
  /// uppercase hex without leading zeros (`0x12A05F200`) when it does not fit in 32 bits.
  public var description: String {
    String(utf8Capacity: SID.maxStringLength) { writeString(to: &$0) }
  }

  /// Appends the string form as ASCII bytes.
  func appendString(to out: inout [UInt8]) {
    out.append(upTo: SID.maxStringLength) { writeString(to: &$0) }
  }

  /// Writes the string form (at most `maxStringLength` bytes).
  func writeString(to w: inout RawWriter) {
    w.u8(UInt8(ascii: "S"))
    w.u8(UInt8(ascii: "-"))
    w.u8(UInt8(ascii: "1"))
    w.u8(UInt8(ascii: "-"))
    if identifierAuthority >= 1 << 32 {
      // As Windows prints it: uppercase hex without leading zeros.
      w.u8(UInt8(ascii: "0"))
      w.u8(UInt8(ascii: "x"))
      var started = false
      for shift in stride(from: 44, through: 0, by: -4) {
        let d = UInt8((identifierAuthority >> UInt64(shift)) & 0xf)
        if d != 0 || started {
          w.u8(d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "A") + d - 10)
          started = true
        }
      }
    } else {
      w.decimal(UInt32(identifierAuthority))
    }
    for k in 0..<subAuthorityCount {
      w.u8(UInt8(ascii: "-"))
      w.decimal(self[subAuthority: k])
    }
  }

  /// Parses the `S-R-I-S…` form (`ConvertStringSidToSid`); the authority and sub-authorities may be
  /// decimal or `0x` hexadecimal. Returns nil on failure; use `init(parsing:)` for the error.
  public init?(_ description: String) {
    guard let sid = try? SID(parsing: description) else { return nil }
    self = sid
  }

  /// Parses the `S-R-I-S…` form, or a two-letter SDDL alias when `domain` allows it.
  /// Throws `ERROR_INVALID_SID` with the offset of the first bad character.
  public init(parsing text: String, domain: SID? = nil) throws(NTSecurityError) {
    let utf8 = Array(text.utf8)
    let (sid, end) = try SID.parseSDDL(utf8, at: 0, domain: domain)
    guard end == utf8.count else {
      throw NTSecurityError(.invalidSid, "trailing characters after SID", offset: end)
    }
    self = sid
  }

  /// Parses a SID in SDDL text starting at `start`: either the `S-1-…` form (an upper- or lowercase
  /// `S`) or a two-letter alias (`BA`, `DA`, …). Domain-relative aliases need `domain`.
  /// Returns the SID and the offset one past it.
  package static func parseSDDL(_ text: [UInt8], at start: Int, domain: SID?) throws(NTSecurityError)
    -> (SID, Int)
  {
    let (sid, end, _) = try parse(text, at: start, domain: domain, windows: false)
    return (sid, end)
  }

  /// Parses a SID where ConvertStringSecurityDescriptorToSecurityDescriptor reads one (owner,
  /// group, ACE trustee), with the quirks Windows shows there (see `parseNumeric(_:at:windows:)`),
  /// after skipping leading spaces. Aliases are matched case-insensitively (`lg` is `LG`).
  /// Returns the SID, the offset one past it, and whether it was written as an alias (only an
  /// alias may be followed by spaces).
  static func parseInSDDL<Text: RandomAccessCollection<UInt8>>(
    _ text: Text, at start: Int, domain: SID?
  ) throws(NTSecurityError) -> (sid: SID, end: Int, isAlias: Bool) where Text.Index == Int {
    try parse(text, at: start, domain: domain, windows: true)
  }

  /// The `S-1-…` form or a two-letter alias at `start`; `windows` adds the SDDL parser's leniency
  /// (leading spaces, case-insensitive aliases, Windows' number quirks).
  private static func parse<Text: RandomAccessCollection<UInt8>>(
    _ text: Text, at start: Int, domain: SID?, windows: Bool
  ) throws(NTSecurityError) -> (sid: SID, end: Int, isAlias: Bool) where Text.Index == Int {
    var start = start
    if windows { while start < text.count, text[start] == UInt8(ascii: " ") { start += 1 } }
    if start + 1 < text.count, text[start] | 0x20 == UInt8(ascii: "s"), text[start + 1] == UInt8(ascii: "-") {
      let (sid, end) = try parseNumeric(text, at: start, windows: windows)
      return (sid, end, false)
    }
    guard start + 1 < text.count else {
      throw NTSecurityError(.invalidSid, "expected a SID", offset: start)
    }
    let (a, b) =
      windows ? (asciiUpper(text[start]), asciiUpper(text[start + 1])) : (text[start], text[start + 1])
    guard let sid = try SDDLAlias.resolve(a, b, domain: domain, offset: start) else {
      throw NTSecurityError(.invalidSid, "unknown SID alias", offset: start)
    }
    return (sid, start + 2, true)
  }

  /// Parses `S-1-…` at `start`, stopping at the first character that cannot continue it.
  ///
  /// With `windows`, it reads numbers as Windows' SDDL parser does (MS-DTYP 2.4.2.1 plus the
  /// behaviour recorded on Windows): spaces may precede the revision and the authority (not a
  /// sub-authority); a revision written in hex (`S-0x1-…`) makes every later number hex even
  /// without `0x`; a sub-authority above 4294967295 is clamped to 4294967295 instead of failing.
  static func parseNumeric<Text: RandomAccessCollection<UInt8>>(
    _ text: Text, at start: Int, windows: Bool = false
  ) throws(NTSecurityError) -> (SID, Int) where Text.Index == Int {
    var i = start + 2
    var allHex = false
    /// Reads one number; `clamp` saturates at `limit` instead of failing.
    func number(limit: UInt64, clamp: Bool = false) throws(NTSecurityError) -> (UInt64, hex: Bool) {
      let begin = i
      var value: UInt64 = 0
      var hex = allHex
      if i + 2 < text.count, text[i] == UInt8(ascii: "0"), text[i + 1] | 0x20 == UInt8(ascii: "x"),
        hexValue(text[i + 2]) != nil
      {
        i += 2
        hex = true
      }
      let digitsStart = i
      if hex {
        // "D:" after a hex value is the next SDDL section, not a digit.
        while i < text.count, let d = hexValue(text[i]),
          !(text[i] | 0x20 == UInt8(ascii: "d") && i + 1 < text.count && text[i + 1] == UInt8(ascii: ":"))
        {
          value = value << 4 | UInt64(d)
          if value > limit {
            guard clamp else { throw NTSecurityError(.invalidSid, "SID value too large", offset: begin) }
            value = limit
          }
          i += 1
        }
      } else {
        while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") {
          value = value * 10 + UInt64(text[i] - UInt8(ascii: "0"))
          if value > limit {
            guard clamp else { throw NTSecurityError(.invalidSid, "SID value too large", offset: begin) }
            value = limit
          }
          i += 1
        }
      }
      if i == digitsStart { throw NTSecurityError(.invalidSid, "expected a number in SID", offset: begin) }
      return (value, hex)
    }
    @inline(__always) func skipSpaces() {
      if windows { while i < text.count, text[i] == UInt8(ascii: " ") { i += 1 } }
    }
    skipSpaces()
    let revisionStart = i
    let (revision, revisionIsHex) = try number(limit: 255)
    guard revision == 1 else {
      throw NTSecurityError(.invalidSid, "SID revision \(revision) (must be 1)", offset: revisionStart)
    }
    if windows, revisionIsHex { allHex = true }
    guard i < text.count, text[i] == UInt8(ascii: "-") else {
      throw NTSecurityError(.invalidSid, "SID has no identifier authority", offset: i)
    }
    i += 1
    skipSpaces()
    let authority = try number(limit: (1 << 48) - 1).0
    var sid = SID(unchecked: authority)
    // A '-' continues the SID only when a digit follows.
    while i + 1 < text.count, text[i] == UInt8(ascii: "-"),
      allHex
        ? hexValue(text[i + 1]) != nil
        : (text[i + 1] >= UInt8(ascii: "0") && text[i + 1] <= UInt8(ascii: "9"))
    {
      i += 1
      if sid.subAuthorityCount == SID.maxSubAuthorities {
        throw NTSecurityError(.invalidSid, "more than 15 sub-authorities", offset: i)
      }
      sid.appendUnchecked(UInt32(try number(limit: UInt64(UInt32.max), clamp: windows).0))
    }
    return (sid, i)
  }
}

/// The ASCII uppercase of a byte (other bytes unchanged).
@inline(__always)
func asciiUpper(_ c: UInt8) -> UInt8 {
  c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") ? c - 0x20 : c
}

@inline(__always)
func hexValue(_ c: UInt8) -> UInt8? {
  switch c {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
  default: return nil
  }
}
