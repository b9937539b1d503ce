import NTSecIO
import NTSecurity

/// Renders a security descriptor for people (like icacls or ConvertFrom-SddlString): one ACE a
/// line, with account names for well-known SIDs and names for access rights.
struct DescriptorExplainer {
  let domain: SID?
  /// The kind of object (`--type`) whose names the rights get; nil names each object-specific
  /// bit by all its meanings (`CREATE_CHILD/READ_DATA`).
  var names: RightNames? = nil

  func trustee(_ sid: SID) -> String {
    if let name = sid.wellKnownAccountName(domain: domain) { return "\(name) (\(sid))" }
    return sid.description
  }

  static let typeNames: [UInt8: String] = [
    0x00: "ALLOW", 0x01: "DENY", 0x02: "AUDIT", 0x03: "ALARM", 0x05: "ALLOW OBJECT",
    0x06: "DENY OBJECT", 0x07: "AUDIT OBJECT", 0x08: "ALARM OBJECT", 0x09: "ALLOW IF",
    0x0A: "DENY IF", 0x0B: "ALLOW OBJECT IF", 0x0C: "DENY OBJECT IF", 0x0D: "AUDIT IF",
    0x0E: "ALARM IF", 0x0F: "AUDIT OBJECT IF", 0x10: "ALARM OBJECT IF", 0x11: "LABEL",
    0x12: "ATTRIBUTE", 0x13: "SCOPED POLICY", 0x14: "TRUST LABEL", 0x15: "ACCESS FILTER",
  ]

  static let exactNames: [(UInt32, String)] = [
    (0x001F_01FF, "full control (FILE_ALL_ACCESS)"), (0x0013_01BF, "modify"),
    (0x0012_00A9, "read and execute"), (0x0012_0089, "read (FILE_GENERIC_READ)"),
    (0x0012_0116, "write (FILE_GENERIC_WRITE)"), (0x0012_00A0, "execute (FILE_GENERIC_EXECUTE)"),
    (0x000F_003F, "KEY_ALL_ACCESS"), (0x0002_0019, "KEY_READ"), (0x0002_0006, "KEY_WRITE"),
  ]

  static let bitNames: [(UInt32, String)] = [
    (0x1, "CREATE_CHILD/READ_DATA"), (0x2, "DELETE_CHILD/WRITE_DATA"), (0x4, "LIST_CHILDREN/APPEND_DATA"),
    (0x8, "SELF_WRITE/READ_EA"), (0x10, "READ_PROPERTY/WRITE_EA"), (0x20, "WRITE_PROPERTY/EXECUTE"),
    (0x40, "DELETE_TREE/DELETE_CHILD"), (0x80, "LIST_OBJECT/READ_ATTRIBUTES"),
    (0x100, "CONTROL_ACCESS/WRITE_ATTRIBUTES"), (0x10000, "DELETE"), (0x20000, "READ_CONTROL"),
    (0x40000, "WRITE_DAC"), (0x80000, "WRITE_OWNER"), (0x100000, "SYNCHRONIZE"),
    (0x100_0000, "ACCESS_SYSTEM_SECURITY"), (0x200_0000, "MAXIMUM_ALLOWED"),
    (0x1000_0000, "GENERIC_ALL"), (0x2000_0000, "GENERIC_EXECUTE"), (0x4000_0000, "GENERIC_WRITE"),
    (0x8000_0000, "GENERIC_READ"),
  ]

  static let labelNames: [(UInt32, String)] = [
    (0x1, "NO_WRITE_UP"), (0x2, "NO_READ_UP"), (0x4, "NO_EXECUTE_UP"),
  ]

  func rights(_ ace: ACE) -> [String] {
    let m = ace.mask.rawValue
    if m == 0 { return [] }
    let table: [(UInt32, String)]
    if ace.type == .systemMandatoryLabel {
      table = DescriptorExplainer.labelNames
    } else {
      if let exact = DescriptorExplainer.exactNames.first(where: { $0.0 == m }),
        names == nil
          || (names == .registry ? exact.1.hasPrefix("KEY_") : names == .file || names == .directory)
      {
        return [exact.1]
      }
      if let names { return names.names(ace.mask) }
      table = DescriptorExplainer.bitNames
    }
    var names = [String]()
    var rest = m
    for (bit, name) in table where m & bit != 0 {
      names.append(name)
      rest &= ~bit
    }
    if rest != 0 { names.append("0x" + String(rest, radix: 16)) }
    return names
  }

  static let flagNames: [(UInt8, String)] = [
    (0x01, "OI"), (0x02, "CI"), (0x04, "NP"), (0x08, "IO"), (0x10, "ID"), (0x20, "CR"), (0x40, "SA"),
    (0x80, "FA"),
  ]

  func flags(_ ace: ACE) -> [String] {
    DescriptorExplainer.flagNames.filter { ace.flags.rawValue & $0.0 != 0 }.map(\.1)
  }

  func aclFlags(_ sd: SecurityDescriptor, sacl: Bool) -> [String] {
    let c = sd.control
    var out = [String]()
    if c.contains(sacl ? .saclProtected : .daclProtected) { out.append("protected") }
    if c.contains(sacl ? .saclAutoInheritRequired : .daclAutoInheritRequired) {
      out.append("auto-inherit requested")
    }
    if c.contains(sacl ? .saclAutoInherited : .daclAutoInherited) { out.append("auto-inherited") }
    return out
  }

  func extra(_ ace: ACE) -> String? {
    if ace.type.isCallback {
      return try? ConditionalExpression(binary: ace.applicationData).sddl(domain: domain)
    }
    if ace.type == .systemResourceAttribute {
      return try? ClaimSecurityAttribute(relativeBytes: ace.applicationData).sddl
    }
    return nil
  }

  /// " (kind name)" for a GUID of the standard AD schema, else "".
  func schemaName(_ guid: GUID, _ ace: ACE?) -> String {
    let name =
      ace.map { ADSchemaNames.objectType(guid, mask: $0.mask) } ?? ADSchemaNames.inheritedObjectType(guid)
    return name.map { " (\($0))" } ?? ""
  }

  /// The icacls form of an allow or deny ACE (nil for other types).
  func icacls(_ ace: ACE) -> String? {
    guard ace.type.isAllow || ace.type.isDeny else { return nil }
    return IcaclsLine.line(
      ace, trustee: ace.sid.wellKnownAccountName(domain: domain) ?? ace.sid.description, names: names ?? .file
    )
  }

  func text(_ sd: SecurityDescriptor) throws -> String {
    var lines = [String]()
    lines.append("Owner: " + (sd.owner.map(trustee) ?? "(none)"))
    lines.append("Group: " + (sd.group.map(trustee) ?? "(none)"))
    for (name, isSACL) in [("DACL", false), ("SACL", true)] {
      let present = sd.control.contains(isSACL ? .saclPresent : .daclPresent)
      let acl = isSACL ? sd.sacl : sd.dacl
      var header = "\(name): "
      if !present {
        header += "absent"
      } else if let acl {
        header += "\(acl.aces.count) ACE" + (acl.aces.count == 1 ? "" : "s")
        if acl.aces.isEmpty, !isSACL {
          header += " (no one has access; the owner may still read and change it)"
        }
      } else {
        header += "NULL (no access control: everyone has full access)"
      }
      let f = aclFlags(sd, sacl: isSACL)
      if present, !f.isEmpty { header += " [" + f.joined(separator: ", ") + "]" }
      lines.append(header)
      for (i, ace) in (acl?.aces ?? []).enumerated() {
        let kind = DescriptorExplainer.typeNames[ace.type.rawValue] ?? ace.type.description
        var line = "  [\(i)] \(kind) \(trustee(ace.sid)): "
        let r = rights(ace)
        line += r.isEmpty ? "(no rights)" : r.joined(separator: ", ")
        let fl = flags(ace)
        if !fl.isEmpty { line += "  flags " + fl.joined(separator: " ") }
        if let o = ace.objectType { line += "  object \(o)" + schemaName(o, ace) }
        if let o = ace.inheritedObjectType { line += "  inherited-object \(o)" + schemaName(o, nil) }
        if let x = extra(ace) { line += "  " + (ace.type.isCallback ? "if " : "") + x }
        lines.append(line)
        if let icacls = icacls(ace) { lines.append("      icacls: " + icacls) }
      }
    }
    return lines.joined(separator: "\n")
  }

  func json(_ sd: SecurityDescriptor) throws -> String {
    var w = JSONWriter(.compact)
    func sidJSON(_ name: String, _ sid: SID?) {
      w.key(name)
      guard let sid else { return w.string(nil) }
      w.beginObject()
      w.field("sid", sid.description)
      w.field("name", sid.wellKnownAccountName(domain: domain))
      w.endObject()
    }
    func aclJSON(_ name: String, sacl isSACL: Bool) {
      w.key(name)
      guard sd.control.contains(isSACL ? .saclPresent : .daclPresent) else { return w.string(nil) }
      w.beginObject()
      guard let acl = isSACL ? sd.sacl : sd.dacl else {
        w.field("null", literal: true)
        if !isSACL { w.field("summary", "everyone has full access") }
        w.field("flags", strings: aclFlags(sd, sacl: isSACL))
        w.key("aces")
        w.beginArray()
        w.endArray()
        return w.endObject()
      }
      w.field("null", literal: false)
      if acl.aces.isEmpty, !isSACL { w.field("summary", "no one has access") }
      w.field("revision", literal: acl.revision)
      w.field("flags", strings: aclFlags(sd, sacl: isSACL))
      w.key("aces")
      w.beginArray()
      for ace in acl.aces {
        w.beginObject()
        w.field("type", ace.type.description)
        sidJSON("trustee", ace.sid)
        w.field("mask", "0x" + String(ace.mask.rawValue, radix: 16))
        w.field("rights", strings: rights(ace))
        w.field("flags", strings: flags(ace))
        if let o = ace.objectType { w.field("object_type", o.description) }
        if let o = ace.inheritedObjectType { w.field("inherited_object_type", o.description) }
        if let o = ace.objectType, let name = ADSchemaNames.objectType(o, mask: ace.mask) {
          w.field("object_type_name", name)
        }
        if let o = ace.inheritedObjectType, let name = ADSchemaNames.inheritedObjectType(o) {
          w.field("inherited_object_type_name", name)
        }
        if let icacls = icacls(ace) { w.field("icacls", icacls) }
        if let x = extra(ace) { w.field("extra", x) }
        w.endObject()
      }
      w.endArray()
      w.endObject()
    }
    w.beginObject()
    sidJSON("owner", sd.owner)
    sidJSON("group", sd.group)
    w.field("control", "0x" + String(sd.control.rawValue, radix: 16))
    aclJSON("dacl", sacl: false)
    aclJSON("sacl", sacl: true)
    w.endObject()
    return w.text
  }
}
