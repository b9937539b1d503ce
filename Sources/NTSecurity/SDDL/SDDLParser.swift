/// Parses SDDL text (MS-DTYP 2.5.1) into a security descriptor, accepting what Windows'
/// ConvertStringSecurityDescriptorToSecurityDescriptor accepts and rejecting what it rejects.
///
/// Beyond the grammar, Windows (as recorded by Samba's and Wine's tests run on Windows) is lenient
/// in places, and this parser follows it: spaces (not tabs) may stand before a section, after
/// `D:`/`S:`, between ACL flags, between ACEs and at the end; inside an ACE each field may start
/// with spaces, rights may have spaces between codes (not after the last), and a SID alias (not an
/// `S-1-…` SID) may be followed by spaces. ACE types, ACE flags, rights, ACL flags and SID
/// aliases are case-insensitive; section letters are not. The rules are listed with their
/// evidence in SDDLWindowsRulesTests.
struct SDDLParser: ~Copyable {
  let text: UnsafeBufferPointer<UInt8>
  let domain: SID?
  /// The text as an array, made only for the parsers of conditions and claims.
  var textArray: [UInt8]?
  var i = 0
  /// Working memory for conditions, made on first use and kept for the next ones.
  var conditionScratch: ConditionScratch?

  init(_ text: UnsafeBufferPointer<UInt8>, domain: SID?) {
    self.text = text
    self.domain = domain
  }

  @inline(__always) func peek(_ k: Int = 0) -> UInt8? { i + k < text.count ? text[i + k] : nil }

  func fail(_ code: WindowsError, _ message: String, at offset: Int? = nil) -> NTSecurityError {
    NTSecurityError(code, message, offset: offset ?? i)
  }

  /// Skips spaces (only U+0020: Windows rejects a tab where it accepts a space).
  @inline(__always) mutating func skipSpaces() {
    while i < text.count, text[i] == UInt8(ascii: " ") { i += 1 }
  }

  mutating func parseDescriptor(into sd: inout SecurityDescriptor) throws(NTSecurityError) {
    var seen: UInt32 = 0
    while true {
      skipSpaces()
      guard i < text.count else { break }
      let section = text[i]
      guard peek(1) == UInt8(ascii: ":") else {
        throw fail(.invalidParameter, "expected O:, G:, D: or S:")
      }
      let bit: UInt32 = 1 << UInt32(section & 31)
      guard seen & bit == 0 else {
        throw fail(.invalidParameter, "section \(Character(Unicode.Scalar(section))): appears twice")
      }
      seen |= bit
      let sectionStart = i
      i += 2
      switch section {
      case UInt8(ascii: "O"):
        sd.owner = try parseOwnerOrGroup()
      case UInt8(ascii: "G"):
        sd.group = try parseOwnerOrGroup()
      case UInt8(ascii: "D"):
        let (acl, flags, isNull) = try parseACL(sacl: false)
        sd.dacl = isNull ? nil : acl
        sd.control.insert(.daclPresent)
        sd.control.formUnion(SecurityDescriptorControl(rawValue: flags))
      case UInt8(ascii: "S"):
        let (acl, flags, isNull) = try parseACL(sacl: true)
        sd.sacl = isNull ? nil : acl
        sd.control.insert(.saclPresent)
        sd.control.formUnion(SecurityDescriptorControl(rawValue: flags << 1))
      default:
        throw fail(.invalidParameter, "unknown section", at: sectionStart)
      }
    }
  }

  mutating func parseOwnerOrGroup() throws(NTSecurityError) -> SID {
    let (sid, end, isAlias) = try SID.parseInSDDL(text, at: i, domain: domain)
    i = end
    // Windows takes spaces after an alias but not after an `S-1-…` SID (as in an ACE's trustee).
    // Windows' error code for this is not recorded; ERROR_INVALID_SID is this library's choice.
    if !isAlias, peek() == UInt8(ascii: " ") { throw fail(.invalidSid, "space after SID") }
    return sid
  }

  /// Parses ACL flags and ACEs; returns the ACL, the DACL-position control flags, and whether it
  /// was `NO_ACCESS_CONTROL` (a NULL ACL).
  mutating func parseACL(sacl: Bool) throws(NTSecurityError) -> (ACL, UInt16, Bool) {
    var flags: UInt16 = 0
    var isNull = false
    flagLoop: while true {
      skipSpaces()
      guard let c = peek() else { break }
      switch asciiUpper(c) {
      case UInt8(ascii: "P"):
        flags |= SecurityDescriptorControl.daclProtected.rawValue
        i += 1
      case UInt8(ascii: "A") where peek(1).map(asciiUpper) == UInt8(ascii: "R"):
        flags |= SecurityDescriptorControl.daclAutoInheritRequired.rawValue
        i += 2
      case UInt8(ascii: "A") where peek(1).map(asciiUpper) == UInt8(ascii: "I"):
        flags |= SecurityDescriptorControl.daclAutoInherited.rawValue
        i += 2
      case UInt8(ascii: "N") where matchesIgnoringCase("NO_ACCESS_CONTROL"):
        isNull = true
        i += 17
      default:
        break flagLoop
      }
    }
    var aces = [ACE]()
    aces.reserveCapacity(8)
    var sawObjectType = false
    var convertedObjectACEs = 0
    while peek() == UInt8(ascii: "(") {
      if isNull { throw fail(.invalidParameter, "ACEs after NO_ACCESS_CONTROL") }
      aces.append(try parseACE(sacl: sacl))
      if aces[aces.count - 1].type.isObject {
        sawObjectType = true
        // An object ACE with neither GUID becomes the plain type, as Windows does; Windows has
        // already sized the ACL for the object form (4 more bytes) and chosen revision 4.
        let last = aces.count - 1
        if aces[last].objectType == nil, aces[last].inheritedObjectType == nil,
          let plain = SDDLParser.plainType(aces[last].type)
        {
          aces[last].type = plain
          convertedObjectACEs += 1
        }
      }
      skipSpaces()
    }
    if let c = peek(), peek(1) != UInt8(ascii: ":") || !(c == 79 || c == 71 || c == 68 || c == 83) {
      throw fail(.invalidParameter, "unexpected character in ACL")
    }
    let acl = ACL(
      revision: sawObjectType ? ACL.revisionDS : ACL.revision2, aces: aces,
      slack: [UInt8](repeating: 0, count: 4 * convertedObjectACEs))
    return (acl, flags, isNull)
  }

  /// Object ACE types Windows turns into their plain counterparts when no GUID is given.
  static func plainType(_ type: ACEType) -> ACEType? {
    switch type {
    case .accessAllowedObject: return .accessAllowed
    case .accessDeniedObject: return .accessDenied
    case .systemAuditObject: return .systemAudit
    case .systemAlarmObject: return .systemAlarm
    default: return nil
    }
  }

  /// Whether the text at `i` is `s` (uppercase ASCII), ignoring the case of the text.
  func matchesIgnoringCase(_ s: StaticString) -> Bool {
    let n = s.utf8CodeUnitCount
    guard i + n <= text.count else { return false }
    return s.withUTF8Buffer { buf in
      for k in 0..<n where asciiUpper(text[i + k]) != buf[k] { return false }
      return true
    }
  }

  /// The text as an array (kept once made).
  mutating func source() -> [UInt8] {
    if let textArray { return textArray }
    let array = Array(text)
    textArray = array
    return array
  }

  /// Index of the next ';' or ')' from `i`, or nil at the end of the text.
  func fieldEnd() -> Int? {
    var j = i
    while j < text.count {
      let c = text[j]
      if c == UInt8(ascii: ";") || c == UInt8(ascii: ")") { return j }
      j += 1
    }
    return nil
  }

  mutating func parseACE(sacl: Bool) throws(NTSecurityError) -> ACE {
    let aceStart = i
    i += 1  // '('
    let type = try parseACEType(sacl: sacl, aceStart)
    let flags = try parseACEFlags(aceStart)
    // Rights.
    guard let rightsEnd = fieldEnd(), text[rightsEnd] == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "malformed ACE", at: aceStart)
    }
    let mask = try parseRights(end: rightsEnd)
    i = rightsEnd + 1
    // Object type and inherited object type.
    let objectType = try parseGUIDField(type, aceStart)
    let inheritedObjectType = try parseGUIDField(type, aceStart)
    // Trustee.
    skipSpaces()
    let trusteeStart = i
    let sid = try parseTrustee()
    var applicationData: [UInt8] = []
    if type.isCallback || type == .systemResourceAttribute {
      applicationData = try parseApplicationData(type, trustee: sid, trusteeStart)
    }
    guard peek() == UInt8(ascii: ")") else {
      // What cannot continue a trustee ("S-1-5-32-544-)", "BAX)") makes the SID malformed.
      if applicationData.isEmpty, let c = peek(),
        c == UInt8(ascii: "-") || hexValue(c) != nil || (asciiUpper(c) >= 65 && asciiUpper(c) <= 90)
      {
        throw fail(.invalidAcl, "malformed trustee SID", at: trusteeStart)
      }
      throw fail(.invalidAcl, "expected ')' to close the ACE")
    }
    i += 1
    return ACE(
      type: type, flags: ACEFlags(rawValue: flags), mask: AccessMask(rawValue: mask), sid: sid,
      objectType: objectType, inheritedObjectType: inheritedObjectType, applicationData: applicationData)
  }

  /// The ACE type field and its `;`. Leading spaces are skipped (Windows takes "( D;"), trailing
  /// ones are not ("(D ;").
  @inline(__always)
  mutating func parseACEType(sacl: Bool, _ aceStart: Int) throws(NTSecurityError) -> ACEType {
    skipSpaces()
    guard let typeEnd = fieldEnd(), text[typeEnd] == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "malformed ACE", at: aceStart)
    }
    let typeLength = typeEnd - i
    guard typeLength == 1 || typeLength == 2,
      let type = SDDLTables.aceType(text[i], typeLength == 2 ? text[i + 1] : nil)
    else {
      throw fail(.invalidAcl, "unknown ACE type")
    }
    // Windows rejects an audit ACE in a DACL; each ACE type belongs to one kind of ACL.
    // Windows' error code for this is not recorded; ERROR_INVALID_ACL is this library's choice.
    guard type.isSystem == sacl else {
      throw fail(.invalidAcl, sacl ? "\(type) cannot be in a SACL" : "\(type) cannot be in a DACL")
    }
    i = typeEnd + 1
    return type
  }

  /// The ACE flags field (two-letter codes, spaces between them but not after the last) and its
  /// `;`.
  @inline(__always)
  mutating func parseACEFlags(_ aceStart: Int) throws(NTSecurityError) -> UInt8 {
    guard let flagsEnd = fieldEnd(), text[flagsEnd] == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "malformed ACE", at: aceStart)
    }
    skipSpaces()
    var flags: UInt8 = 0
    while i < flagsEnd {
      if text[i] == UInt8(ascii: " ") {
        i += 1
        if i == flagsEnd { throw fail(.invalidAcl, "trailing space in ACE flags") }
        continue
      }
      guard i + 1 < flagsEnd,
        case let f = SDDLTables.aceFlag(asciiUpper(text[i]), asciiUpper(text[i + 1])), f != 0
      else { throw fail(.invalidAcl, "unknown ACE flag") }
      flags |= f
      i += 2
    }
    i += 1
    return flags
  }

  /// The trustee: an `S-1-…` SID or an alias (which spaces may follow).
  @inline(__always)
  mutating func parseTrustee() throws(NTSecurityError) -> SID {
    do {
      let (sid, end, isAlias) = try SID.parseInSDDL(text, at: i, domain: domain)
      i = end
      if isAlias { skipSpaces() }
      return sid
    } catch {
      // Windows gives ERROR_INVALID_ACL for a bad trustee (Wine's tests, run on Windows).
      throw error.code == .noneMapped ? error : fail(.invalidAcl, error.message, at: error.offset)
    }
  }

  /// The seventh field of a callback ACE (a condition) or a resource attribute ACE (a claim), as
  /// the ACE's application data.
  mutating func parseApplicationData(_ type: ACEType, trustee sid: SID, _ trusteeStart: Int)
    throws(NTSecurityError) -> [UInt8]
  {
    guard peek() == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "\(type) needs a condition or attribute after the trustee")
    }
    i += 1
    guard peek() == UInt8(ascii: "(") else {
      throw fail(.invalidAcl, "expected '(' to open the ACE's extra data")
    }
    if type == .systemResourceAttribute {
      guard sid == SDDLAlias.world else {
        throw fail(.invalidAcl, "resource attribute ACE trustee must be WD (S-1-1-0)", at: trusteeStart)
      }
      let (claim, end) = try ClaimSecurityAttribute.parseSDDL(source(), at: i)
      i = end
      return claim.relativeBytes
    }
    if conditionScratch == nil { conditionScratch = ConditionScratch(capacity: 256) }
    let (condition, end) = try ConditionalExpression.parseSDDL(
      source(), at: i, domain: domain, scratch: &conditionScratch!)
    i = end
    return condition.binary
  }

  /// An object-type GUID field: empty (or only spaces, as Windows takes), or the 36-character
  /// form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in either case, with no braces and nothing after.
  @inline(__always)
  mutating func parseGUIDField(_ type: ACEType, _ aceStart: Int) throws(NTSecurityError) -> GUID? {
    if i < text.count, text[i] == UInt8(ascii: ";") {
      i += 1
      return nil
    }
    guard let end = fieldEnd(), text[end] == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "malformed ACE", at: aceStart)
    }
    defer { i = end + 1 }
    skipSpaces()
    if end == i { return nil }
    guard type.isObject else { throw fail(.invalidAcl, "object GUID on a non-object ACE") }
    guard let guid = GUID.parse(text, i, end) else { throw fail(.invalidAcl, "malformed GUID") }
    return guid
  }

  /// Rights: a number (hex `0x`, octal `0`, or decimal, as `wcstoul` reads it) or two-letter codes
  /// in any case. Spaces may come before the rights and between codes, not after the last one.
  mutating func parseRights(end: Int) throws(NTSecurityError) -> UInt32 {
    var j = i
    while j < end, text[j] == UInt8(ascii: " ") { j += 1 }
    if j < end {
      let c = text[j]
      if (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-")
        || c == UInt8(ascii: "+")
      {
        i = j
        return try parseNumericRights(end: end)
      }
    }
    var mask: UInt32 = 0
    while i < end {
      if text[i] == UInt8(ascii: " ") {
        i += 1
        if i == end { throw fail(.invalidAcl, "trailing space in rights") }
        continue
      }
      guard i + 1 < end,
        case let m = SDDLTables.rightsMask(asciiUpper(text[i]), asciiUpper(text[i + 1])), m != 0
      else {
        throw fail(.invalidAcl, "unknown access right")
      }
      mask |= m
      i += 2
    }
    return mask
  }

  /// A numeric access mask as Windows reads it (`wcstoul`): a value past 32 bits saturates at
  /// 0xFFFFFFFF, and a leading `-` negates the (saturated) value modulo 2^32.
  mutating func parseNumericRights(end: Int) throws(NTSecurityError) -> UInt32 {
    var j = i
    var negative = false
    if text[j] == UInt8(ascii: "-") || text[j] == UInt8(ascii: "+") {
      negative = text[j] == UInt8(ascii: "-")
      j += 1
    }
    var base: UInt64 = 10
    if j + 1 < end, text[j] == UInt8(ascii: "0"), text[j + 1] | 0x20 == UInt8(ascii: "x") {
      base = 16
      j += 2
    } else if j < end, text[j] == UInt8(ascii: "0") {
      base = 8
    }
    let digitsStart = j
    var value: UInt64 = 0
    while j < end, let d = hexValue(text[j]), UInt64(d) < base {
      value = min(value * base + UInt64(d), UInt64(UInt32.max) + 1)
      j += 1
    }
    guard j > digitsStart, j == end else { throw fail(.invalidAcl, "malformed numeric access mask", at: j) }
    let v = UInt32(min(value, UInt64(UInt32.max)))
    return negative ? 0 &- v : v
  }
}

extension SDDLParser {
  /// The offset of the first NUL byte, eight bytes at a time.
  static func firstNUL(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    let raw = UnsafeRawBufferPointer(bytes)
    var k = 0
    while k + 8 <= raw.count {
      let x = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
      if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 { break }
      k += 8
    }
    while k < raw.count {
      if raw[k] == 0 { return k }
      k += 1
    }
    return nil
  }
}

extension SDDLAlias {
  /// Everyone (S-1-1-0).
  static let world = SID(unchecked: 1, [0])
}

extension SecurityDescriptor {
  /// Parses SDDL (ConvertStringSecurityDescriptorToSecurityDescriptor). Domain-relative aliases
  /// (DA, DU, EA, …) resolve against `domain`. Errors carry the Windows error code and the
  /// character offset of the problem.
  public init(sddl: String, domain: SID? = nil) throws(NTSecurityError) {
    var sddl = sddl
    var failure: NTSecurityError?
    var result = SecurityDescriptor()
    sddl.withUTF8 { utf8 in
      var parser = SDDLParser(utf8, domain: domain)
      do throws(NTSecurityError) {
        // Windows reads SDDL as a NUL-terminated string; a NUL inside the text is an error here
        // rather than a silent end of input.
        if let nul = SDDLParser.firstNUL(utf8) {
          throw NTSecurityError(.invalidParameter, "NUL character in SDDL", offset: nul)
        }
        try parser.parseDescriptor(into: &result)
        try result.validate()
      } catch {
        // Offsets count characters, as a person reading the text would.
        var e = error
        if let off = e.offset, off <= utf8.count, !utf8.allSatisfy({ $0 < 0x80 }) {
          e.offset = String(decoding: UnsafeBufferPointer(rebasing: utf8[..<off]), as: UTF8.self).count
        }
        failure = e
      }
    }
    if let failure { throw failure }
    self = result
  }
}
