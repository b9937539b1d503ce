/// Parses SDDL text (MS-DTYP 2.5.1) into a security descriptor, accepting what Windows'
/// ConvertStringSecurityDescriptorToSecurityDescriptor accepts and rejecting what it rejects.
struct SDDLParser {
  let text: [UInt8]
  let domain: SID?
  var i = 0

  init(_ text: [UInt8], domain: SID?) {
    self.text = text
    self.domain = domain
  }

  @inline(__always) func peek(_ k: Int = 0) -> UInt8? { i + k < text.count ? text[i + k] : nil }

  func fail(_ code: WindowsError, _ message: String, at offset: Int? = nil) -> NTSecurityError {
    NTSecurityError(code, message, offset: offset ?? i)
  }

  mutating func parseDescriptor() throws(NTSecurityError) -> SecurityDescriptor {
    var sd = SecurityDescriptor()
    var seen: Set<UInt8> = []
    while i < text.count {
      let section = text[i]
      guard peek(1) == UInt8(ascii: ":") else {
        throw fail(.invalidParameter, "expected O:, G:, D: or S:")
      }
      guard seen.insert(section).inserted else {
        throw fail(.invalidParameter, "section \(Character(Unicode.Scalar(section))): appears twice")
      }
      let sectionStart = i
      i += 2
      switch section {
      case UInt8(ascii: "O"):
        sd.owner = try parseOwnerOrGroup()
      case UInt8(ascii: "G"):
        sd.group = try parseOwnerOrGroup()
      case UInt8(ascii: "D"):
        let (acl, flags, isNull) = try parseACL()
        sd.dacl = isNull ? nil : acl
        sd.control.insert(.daclPresent)
        sd.control.formUnion(SecurityDescriptorControl(rawValue: flags))
      case UInt8(ascii: "S"):
        let (acl, flags, isNull) = try parseACL()
        sd.sacl = isNull ? nil : acl
        sd.control.insert(.saclPresent)
        sd.control.formUnion(SecurityDescriptorControl(rawValue: flags << 1))
      default:
        throw fail(.invalidParameter, "unknown section", at: sectionStart)
      }
    }
    return sd
  }

  mutating func parseOwnerOrGroup() throws(NTSecurityError) -> SID {
    let (sid, end) = try SID.parseSDDL(text, at: i, domain: domain)
    i = end
    return sid
  }

  /// Parses ACL flags and ACEs; returns the ACL, the DACL-position control flags, and whether it
  /// was `NO_ACCESS_CONTROL` (a NULL ACL).
  mutating func parseACL() throws(NTSecurityError) -> (ACL, UInt16, Bool) {
    var flags: UInt16 = 0
    var isNull = false
    flagLoop: while let c = peek() {
      switch c {
      case UInt8(ascii: "P"):
        flags |= SecurityDescriptorControl.daclProtected.rawValue
        i += 1
      case UInt8(ascii: "A") where peek(1) == UInt8(ascii: "R"):
        flags |= SecurityDescriptorControl.daclAutoInheritRequired.rawValue
        i += 2
      case UInt8(ascii: "A") where peek(1) == UInt8(ascii: "I"):
        flags |= SecurityDescriptorControl.daclAutoInherited.rawValue
        i += 2
      case UInt8(ascii: "N") where matches("NO_ACCESS_CONTROL"):
        isNull = true
        i += 17
      default:
        break flagLoop
      }
    }
    var aces = [ACE]()
    var sawObjectType = false
    var convertedObjectACEs = 0
    while peek() == UInt8(ascii: "(") {
      if isNull { throw fail(.invalidParameter, "ACEs after NO_ACCESS_CONTROL") }
      var ace = try parseACE()
      if ace.type.isObject {
        sawObjectType = true
        // An object ACE with neither GUID becomes the plain type, as Windows does; Windows has
        // already sized the ACL for the object form (4 more bytes) and chosen revision 4.
        if ace.objectType == nil, ace.inheritedObjectType == nil,
          let plain = SDDLParser.plainType[ace.type.rawValue]
        {
          ace.type = plain
          convertedObjectACEs += 1
        }
      }
      aces.append(ace)
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
  static let plainType: [UInt8: ACEType] = [
    ACEType.accessAllowedObject.rawValue: .accessAllowed,
    ACEType.accessDeniedObject.rawValue: .accessDenied,
    ACEType.systemAuditObject.rawValue: .systemAudit,
    ACEType.systemAlarmObject.rawValue: .systemAlarm,
  ]

  func matches(_ s: StaticString) -> Bool {
    let n = s.utf8CodeUnitCount
    guard i + n <= text.count else { return false }
    return s.withUTF8Buffer { buf in
      for k in 0..<n where text[i + k] != buf[k] { return false }
      return true
    }
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

  mutating func expectSemicolon(_ what: StaticString) throws(NTSecurityError) {
    guard peek() == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "expected ';' after \(what)")
    }
    i += 1
  }

  mutating func parseACE() throws(NTSecurityError) -> ACE {
    let aceStart = i
    i += 1  // '('
    // Type.
    guard let typeEnd = fieldEnd(), text[typeEnd] == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "malformed ACE", at: aceStart)
    }
    guard let type = SDDLParser.aceType(text[i..<typeEnd]) else {
      throw fail(.invalidAcl, "unknown ACE type")
    }
    i = typeEnd + 1
    // Flags.
    guard let flagsEnd = fieldEnd(), text[flagsEnd] == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "malformed ACE", at: aceStart)
    }
    var flags: UInt8 = 0
    while i < flagsEnd {
      guard i + 1 < flagsEnd,
        let f = SDDLTables.aceFlagByCode[SDDLTables.key(text[i], text[i + 1])]
      else { throw fail(.invalidAcl, "unknown ACE flag") }
      flags |= f
      i += 2
    }
    i += 1
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
    let trusteeStart = i
    let sid: SID
    do {
      let (s, end) = try SID.parseSDDL(text, at: i, domain: domain)
      sid = s
      i = end
    } catch {
      throw error.code == .noneMapped ? error : fail(.invalidAcl, error.message, at: error.offset)
    }
    var ace = ACE(
      type: type, flags: ACEFlags(rawValue: flags), mask: AccessMask(rawValue: mask), sid: sid,
      objectType: objectType, inheritedObjectType: inheritedObjectType)
    if type.isCallback || type == .systemResourceAttribute {
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
        let (claim, end) = try ClaimSecurityAttribute.parseSDDL(text, at: i)
        ace.applicationData = claim.relativeBytes
        i = end
      } else {
        let (condition, end) = try ConditionalExpression.parseSDDL(text, at: i, domain: domain)
        ace.applicationData = condition.binary
        i = end
      }
    }
    guard peek() == UInt8(ascii: ")") else {
      throw fail(.invalidAcl, "expected ')' to close the ACE")
    }
    i += 1
    return ace
  }

  static func aceType(_ code: ArraySlice<UInt8>) -> ACEType? {
    for (c, t) in SDDLTables.aceTypes where c.utf8CodeUnitCount == code.count {
      if c.withUTF8Buffer({ $0.elementsEqual(code) }) { return t }
    }
    return nil
  }

  mutating func parseGUIDField(_ type: ACEType, _ aceStart: Int) throws(NTSecurityError) -> GUID? {
    guard let end = fieldEnd(), text[end] == UInt8(ascii: ";") else {
      throw fail(.invalidAcl, "malformed ACE", at: aceStart)
    }
    defer { i = end + 1 }
    if end == i { return nil }
    guard type.isObject else { throw fail(.invalidAcl, "object GUID on a non-object ACE") }
    guard let guid = GUID.parse(text, i, end) else { throw fail(.invalidAcl, "malformed GUID") }
    return guid
  }

  /// Rights: a number (hex `0x`, octal `0`, or decimal, as `wcstoul` reads it) or two-letter codes.
  mutating func parseRights(end: Int) throws(NTSecurityError) -> UInt32 {
    guard i < end else { return 0 }
    let c = text[i]
    if (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-")
      || c == UInt8(ascii: "+")
    {
      return try parseNumericRights(end: end)
    }
    var mask: UInt32 = 0
    while i < end {
      if text[i] == UInt8(ascii: " ") {
        i += 1
        if i == end { throw fail(.invalidAcl, "trailing space in rights") }
        continue
      }
      guard i + 1 < end, let m = SDDLTables.parseRights[SDDLTables.key(text[i], text[i + 1])] else {
        throw fail(.invalidAcl, "unknown access right")
      }
      mask |= m
      i += 2
    }
    return mask
  }

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
    var overflow = false
    while j < end, let d = hexValue(text[j]), UInt64(d) < base {
      value = value * base + UInt64(d)
      if value > UInt64(UInt32.max) { overflow = true; value = UInt64(UInt32.max) }
      j += 1
    }
    guard j > digitsStart, j == end else { throw fail(.invalidAcl, "malformed numeric access mask", at: j) }
    if overflow { return UInt32.max }
    let v = UInt32(value)
    return negative ? 0 &- v : v
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
    let utf8 = Array(sddl.utf8)
    var parser = SDDLParser(utf8, domain: domain)
    do {
      self = try parser.parseDescriptor()
      try validate()
    } catch {
      var e = error
      if let off = e.offset, off <= utf8.count, !sddl.utf8.allSatisfy({ $0 < 0x80 }) {
        e.offset = String(decoding: utf8[..<off], as: UTF8.self).count
      }
      throw e
    }
  }
}
