/// Writes security descriptors as SDDL in Windows' canonical form
/// (ConvertSecurityDescriptorToStringSecurityDescriptor).
///
/// The text goes straight into the result string's storage: `bound` computes a length no output
/// can exceed (conditions and claims are rendered first, since their length is not fixed).
struct SDDLWriter {
  let domain: SID?

  /// The most an ACE can take without its condition or claim: `(TT;` + 8 flags + 17 rights + two
  /// GUIDs + the longest SID + separators.
  static let aceBound = 1 + 2 + 1 + 16 + 1 + 34 + 1 + 36 + 1 + 36 + 1 + SID.maxStringLength + 2

  /// The condition or claim text of the callback and resource attribute ACEs of an ACL, all in one
  /// buffer: `ranges[k]` is the text of the k-th selected ACE (empty for the others).
  struct Extras {
    var ranges: [Range<Int>] = []
    var total: Int { ranges.last?.upperBound ?? 0 }
  }

  func extras(_ acl: ACL?, filter: SecurityInformation?, into text: inout ByteBuffer)
    throws(NTSecurityError) -> Extras?
  {
    guard let acl, acl.aces.contains(where: { $0.type.isCallback || $0.type == .systemResourceAttribute })
    else { return nil }
    var extras = Extras()
    extras.ranges.reserveCapacity(acl.aces.count)
    for index in acl.aces.indices where filter?.selects(acl.aces[index].type) ?? true {
      let type = acl.aces[index].type
      let start = text.count
      if acl.aces[index].isOpaque {
      } else if type.isCallback {
        try ConditionalExpression.appendSDDL(
          ofBinary: acl.aces[index].applicationData, to: &text, domain: domain)
      } else if type == .systemResourceAttribute {
        let claim = try ClaimSecurityAttribute(relativeBytes: acl.aces[index].applicationData)
        try claim.checkSDDLExpressible()
        var claimText = [UInt8]()
        claim.appendSDDL(to: &claimText, domain: domain)
        text.append(claimText)
      }
      extras.ranges.append(start..<text.count)
    }
    return extras
  }

  func write(_ sd: SecurityDescriptor, _ info: SecurityInformation) throws(NTSecurityError) -> String {
    let daclSelected = info.contains(.dacl) && sd.control.contains(.daclPresent)
    let saclSelected = info.selectsSACL && sd.control.contains(.saclPresent)
    let saclFilter: SecurityInformation? = info.contains(.sacl) ? nil : info
    var text = ByteBuffer(capacity: 64)
    let daclExtras = daclSelected ? try extras(sd.dacl, filter: nil, into: &text) : nil
    let saclExtras = saclSelected ? try extras(sd.sacl, filter: saclFilter, into: &text) : nil
    if daclSelected { try SDDLWriter.checkExpressible(sd.dacl, filter: nil, sacl: false) }
    if saclSelected { try SDDLWriter.checkExpressible(sd.sacl, filter: saclFilter, sacl: true) }
    var bound = 4 + 2 * (2 + SID.maxStringLength)
    for (selected, acl) in [(daclSelected, sd.dacl), (saclSelected, sd.sacl)] where selected {
      bound += 2 + 5 + 17 + (acl?.aces.count ?? 0) * SDDLWriter.aceBound
    }
    bound += text.count
    return String(utf8Capacity: bound) { w in
      if info.contains(.owner), let owner = sd.owner {
        w.ascii("O:")
        owner.writeSDDL(to: &w, domain: domain)
      }
      if info.contains(.group), let group = sd.group {
        w.ascii("G:")
        group.writeSDDL(to: &w, domain: domain)
      }
      if daclSelected {
        w.ascii("D:")
        writeACL(sd.dacl, flags: sd.control.rawValue, filter: nil, extras: daclExtras, text: text, to: &w)
      }
      if saclSelected {
        w.ascii("S:")
        writeACL(
          sd.sacl, flags: saclFilter == nil ? sd.control.rawValue >> 1 : 0, filter: saclFilter,
          extras: saclExtras, text: text, to: &w)
      }
    }
  }

  /// Every selected ACE must have an SDDL type code (unknown and compound types have none) and be
  /// of a kind its ACL can hold in SDDL: the parser, like Windows, takes system ACEs only in a SACL,
  /// and resource attribute ACEs only for Everyone.
  static func checkExpressible(_ acl: ACL?, filter: SecurityInformation?, sacl: Bool)
    throws(NTSecurityError)
  {
    guard let aces = acl?.aces else { return }
    for index in aces.indices where filter?.selects(aces[index].type) ?? true {
      let type = aces[index].type
      if aces[index].isOpaque || SDDLTables.typeCode[Int(type.rawValue)] == 0 {
        throw NTSecurityError(.invalidAcl, "\(type) has no SDDL form")
      }
      if type.isSystem != sacl {
        throw NTSecurityError(.invalidAcl, "\(type) in a \(sacl ? "SACL" : "DACL") has no SDDL form")
      }
      if type == .systemResourceAttribute, aces[index].sid != SDDLAlias.world {
        throw NTSecurityError(.invalidAcl, "a resource attribute ACE for \(aces[index].sid) has no SDDL form")
      }
    }
  }

  /// Writes ACL flags (in DACL bit positions) and ACEs; `filter` keeps only the SACL ACE types a
  /// partial SECURITY_INFORMATION selects.
  func writeACL(
    _ acl: ACL?, flags: UInt16, filter: SecurityInformation?, extras: Extras?, text: borrowing ByteBuffer,
    to w: inout RawWriter
  ) {
    if flags & SecurityDescriptorControl.daclProtected.rawValue != 0 { w.ascii("P") }
    if flags & SecurityDescriptorControl.daclAutoInheritRequired.rawValue != 0 { w.ascii("AR") }
    if flags & SecurityDescriptorControl.daclAutoInherited.rawValue != 0 { w.ascii("AI") }
    guard let acl else {
      w.ascii("NO_ACCESS_CONTROL")
      return
    }
    var k = 0
    let aces = acl.aces
    for i in aces.indices where filter?.selects(aces[i].type) ?? true {
      writeACE(aces[i], extra: extras?.ranges[k], text: text, to: &w)
      k += 1
    }
  }

  @inline(__always)
  func writeACE(_ ace: ACE, extra: Range<Int>?, text: borrowing ByteBuffer, to w: inout RawWriter) {
    let code = SDDLTables.typeCode[Int(ace.type.rawValue)]
    w.u8(UInt8(ascii: "("))
    if code > 0xff { w.u8(UInt8(code >> 8)) }
    w.u8(UInt8(code & 0xff))
    w.u8(UInt8(ascii: ";"))
    let flags = ace.flags.rawValue
    if flags != 0 {
      for f in SDDLTables.aceFlags where flags & f.flag != 0 { w.u16(f.code.byteSwapped) }
    }
    w.u8(UInt8(ascii: ";"))
    SDDLWriter.writeRights(ace.mask.rawValue, label: ace.type == .systemMandatoryLabel, to: &w)
    w.u8(UInt8(ascii: ";"))
    if let o = ace.objectType { o.writeString(to: &w) }
    w.u8(UInt8(ascii: ";"))
    if let o = ace.inheritedObjectType { o.writeString(to: &w) }
    w.u8(UInt8(ascii: ";"))
    ace.sid.writeSDDL(to: &w, domain: domain)
    if let extra, ace.type.isCallback || ace.type == .systemResourceAttribute {
      w.u8(UInt8(ascii: ";"))
      text.write(extra, to: &w)
    }
    w.u8(UInt8(ascii: ")"))
  }

  /// Rights as Windows writes them: FA/FR/FW/FX/KA/KR/KW/KX for an exact match, two-letter codes
  /// in ascending bit order when every bit has one, NW/NR/NX for a mandatory label, otherwise
  /// lowercase hex.
  static func writeRights(_ mask: UInt32, label: Bool, to w: inout RawWriter) {
    if mask == 0 { return }
    if label, mask & ~0x7 == 0 {
      for r in SDDLTables.labelRights where mask & r.mask != 0 { w.u16(r.code.byteSwapped) }
      return
    }
    for r in SDDLTables.exactRights where r.mask == mask {
      w.u16(r.code.byteSwapped)
      return
    }
    if mask & ~SDDLTables.rightsBits == 0 {
      for r in SDDLTables.rights where mask & r.mask != 0 { w.u16(r.code.byteSwapped) }
      return
    }
    w.ascii("0x")
    var started = false
    for shift in stride(from: 28, through: 0, by: -4) {
      let d = UInt8((mask >> UInt32(shift)) & 0xf)
      if d != 0 || started {
        w.u8(d < 10 ? 48 + d : 87 + d)
        started = true
      }
    }
  }
}

extension SecurityDescriptor {
  /// The SDDL form (ConvertSecurityDescriptorToStringSecurityDescriptor): the parts `including`
  /// selects, SIDs as aliases where Windows uses them (domain-relative ones when `domain` is given).
  public func sddl(domain: SID? = nil, including info: SecurityInformation = .all) throws(NTSecurityError)
    -> String
  {
    try SDDLWriter(domain: domain).write(self, info)
  }
}

extension ACE {
  /// The SDDL form of this ACE, with its parentheses.
  public func sddl(domain: SID? = nil) throws(NTSecurityError) -> String {
    let acl = ACL(revision: 4, aces: [self])
    let system = type.isSystem
    let sd = system ? SecurityDescriptor(sacl: acl) : SecurityDescriptor(dacl: acl)
    let text = try SDDLWriter(domain: domain).write(sd, system ? .sacl : .dacl)
    return String(text.dropFirst(2))
  }
}
