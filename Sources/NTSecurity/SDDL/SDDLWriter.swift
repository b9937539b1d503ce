/// Writes security descriptors as SDDL in Windows' canonical form
/// (ConvertSecurityDescriptorToStringSecurityDescriptor).
struct SDDLWriter {
  var out: [UInt8] = []
  let domain: SID?

  init(domain: SID?) {
    self.domain = domain
    out.reserveCapacity(256)
  }

  mutating func write(_ sd: SecurityDescriptor, _ info: SecurityInformation) throws(NTSecurityError) {
    if info.contains(.owner), let owner = sd.owner {
      out.append(ascii: "O:")
      owner.appendSDDL(to: &out, domain: domain)
    }
    if info.contains(.group), let group = sd.group {
      out.append(ascii: "G:")
      group.appendSDDL(to: &out, domain: domain)
    }
    if info.contains(.dacl), sd.control.contains(.daclPresent) {
      out.append(ascii: "D:")
      try writeACL(sd.dacl, flags: sd.control.rawValue, filter: nil)
    }
    if info.selectsSACL, sd.control.contains(.saclPresent) {
      out.append(ascii: "S:")
      let whole = info.contains(.sacl)
      try writeACL(sd.sacl, flags: whole ? sd.control.rawValue >> 1 : 0, filter: whole ? nil : info)
    }
  }

  /// Writes ACL flags (in DACL bit positions) and ACEs; `filter` keeps only the SACL ACE types a
  /// partial SECURITY_INFORMATION selects.
  mutating func writeACL(_ acl: ACL?, flags: UInt16, filter: SecurityInformation?) throws(NTSecurityError) {
    if flags & SecurityDescriptorControl.daclProtected.rawValue != 0 { out.append(ascii: "P") }
    if flags & SecurityDescriptorControl.daclAutoInheritRequired.rawValue != 0 { out.append(ascii: "AR") }
    if flags & SecurityDescriptorControl.daclAutoInherited.rawValue != 0 { out.append(ascii: "AI") }
    guard let acl else {
      out.append(ascii: "NO_ACCESS_CONTROL")
      return
    }
    for ace in acl.aces where filter?.selects(ace.type) ?? true {
      try writeACE(ace)
    }
  }

  mutating func writeACE(_ ace: ACE) throws(NTSecurityError) {
    guard ace.opaqueBody == nil, let code = SDDLTables.typeCode[ace.type.rawValue] else {
      throw NTSecurityError(.invalidAcl, "\(ace.type) has no SDDL form")
    }
    out.append(UInt8(ascii: "("))
    out.append(contentsOf: code)
    out.append(UInt8(ascii: ";"))
    for f in SDDLTables.aceFlags where ace.flags.rawValue & f.flag != 0 {
      out.append(UInt8(f.code >> 8))
      out.append(UInt8(f.code & 0xff))
    }
    out.append(UInt8(ascii: ";"))
    writeRights(ace.mask.rawValue, label: ace.type == .systemMandatoryLabel)
    out.append(UInt8(ascii: ";"))
    ace.objectType?.appendString(to: &out)
    out.append(UInt8(ascii: ";"))
    ace.inheritedObjectType?.appendString(to: &out)
    out.append(UInt8(ascii: ";"))
    ace.sid.appendSDDL(to: &out, domain: domain)
    if ace.type.isCallback {
      out.append(UInt8(ascii: ";"))
      try ConditionalExpression(binary: ace.applicationData).appendSDDL(to: &out, domain: domain)
    } else if ace.type == .systemResourceAttribute {
      out.append(UInt8(ascii: ";"))
      try ClaimSecurityAttribute(relativeBytes: ace.applicationData).appendSDDL(to: &out)
    }
    out.append(UInt8(ascii: ")"))
  }

  mutating func writeRights(_ mask: UInt32, label: Bool) {
    if mask == 0 { return }
    if label, mask & ~0x7 == 0 {
      for r in SDDLTables.labelRights where mask & r.mask != 0 { appendCode(r.code) }
      return
    }
    for r in SDDLTables.exactRights where r.mask == mask {
      appendCode(r.code)
      return
    }
    if mask & ~SDDLTables.rightsBits == 0 {
      for r in SDDLTables.rights where mask & r.mask != 0 { appendCode(r.code) }
      return
    }
    out.append(ascii: "0x")
    let hex: StaticString = "0123456789abcdef"
    var started = false
    hex.withUTF8Buffer { h in
      for shift in stride(from: 28, through: 0, by: -4) {
        let d = Int((mask >> UInt32(shift)) & 0xf)
        if d != 0 || started {
          out.append(h[d])
          started = true
        }
      }
    }
  }

  @inline(__always) mutating func appendCode(_ code: UInt16) {
    out.append(UInt8(code >> 8))
    out.append(UInt8(code & 0xff))
  }
}

extension SecurityDescriptor {
  /// The SDDL form (ConvertSecurityDescriptorToStringSecurityDescriptor): the parts `including`
  /// selects, SIDs as aliases where Windows uses them (domain-relative ones when `domain` is given).
  public func sddl(domain: SID? = nil, including info: SecurityInformation = .all) throws(NTSecurityError)
    -> String
  {
    var writer = SDDLWriter(domain: domain)
    try writer.write(self, info)
    return String(decoding: writer.out, as: UTF8.self)
  }
}

extension ACE {
  /// The SDDL form of this ACE, with its parentheses.
  public func sddl(domain: SID? = nil) throws(NTSecurityError) -> String {
    var writer = SDDLWriter(domain: domain)
    try writer.writeACE(self)
    return String(decoding: writer.out, as: UTF8.self)
  }
}
