/// A security descriptor (MS-DTYP 2.4.6): control flags, owner, group, SACL and DACL.
///
/// A *NULL DACL* (`.daclPresent` with `dacl == nil`) grants everyone everything; an *absent DACL*
/// (no `.daclPresent`) means the same to AccessCheck but is kept apart; an *empty DACL* (an ACL with
/// no ACEs) grants nothing. The same three states exist for the SACL.
public struct SecurityDescriptor: Hashable, Sendable {
  /// SDDL_REVISION_1: the only SDDL revision Windows defines.
  public static let sddlRevision1: UInt32 = 1

  /// SECURITY_DESCRIPTOR_REVISION.
  public var revision: UInt8 = 1
  /// The Sbz1 byte; resource managers may use it when `.rmControlValid` is set.
  public var resourceManagerControl: UInt8 = 0
  /// The control flags. `.daclPresent` and `.saclPresent` say whether each ACL is present.
  public var control: SecurityDescriptorControl
  public var owner: SID?
  public var group: SID?
  public var sacl: ACL?
  public var dacl: ACL?

  /// Creates a descriptor; the present flags follow the ACLs given.
  public init(
    owner: SID? = nil, group: SID? = nil, dacl: ACL? = nil, sacl: ACL? = nil,
    control: SecurityDescriptorControl = []
  ) {
    self.owner = owner
    self.group = group
    self.dacl = dacl
    self.sacl = sacl
    var c = control
    c.insert(.selfRelative)
    if dacl != nil { c.insert(.daclPresent) }
    if sacl != nil { c.insert(.saclPresent) }
    self.control = c
  }

  /// Whether the DACL is present but NULL (everyone gets full access).
  public var hasNullDACL: Bool { control.contains(.daclPresent) && dacl == nil }

  /// Whether the SACL is present but NULL.
  public var hasNullSACL: Bool { control.contains(.saclPresent) && sacl == nil }

  /// Sets the DACL as SetSecurityDescriptorDacl does: `present == false` removes it, a nil ACL with
  /// `present == true` makes a NULL DACL.
  public mutating func setDACL(present: Bool, _ acl: ACL?, defaulted: Bool = false) {
    dacl = present ? acl : nil
    setFlag(.daclPresent, present)
    setFlag(.daclDefaulted, present && defaulted)
  }

  /// Sets the SACL as SetSecurityDescriptorSacl does.
  public mutating func setSACL(present: Bool, _ acl: ACL?, defaulted: Bool = false) {
    sacl = present ? acl : nil
    setFlag(.saclPresent, present)
    setFlag(.saclDefaulted, present && defaulted)
  }

  private mutating func setFlag(_ f: SecurityDescriptorControl, _ on: Bool) {
    if on { control.insert(f) } else { control.remove(f) }
  }

  /// The length of the self-relative form (GetSecurityDescriptorLength).
  public var length: Int {
    20 + (owner?.length ?? 0) + (group?.length ?? 0) + (presentSACL?.size ?? 0)
      + (presentDACL?.size ?? 0)
  }

  var presentDACL: ACL? { control.contains(.daclPresent) ? dacl : nil }
  var presentSACL: ACL? { control.contains(.saclPresent) ? sacl : nil }
}

extension SecurityDescriptor {
  /// Decodes a self-relative security descriptor. Components may appear in any order and may
  /// share bytes, as Windows' readers allow; ACLs may be larger than their ACEs.
  public init(bytes: [UInt8]) throws(NTSecurityError) {
    var reader = ByteReader(bytes, error: .invalidSecurityDescriptor)
    let revision = try reader.u8("security descriptor revision")
    guard revision == 1 else {
      throw NTSecurityError(
        .unknownRevision, "security descriptor revision \(revision) (must be 1)", offset: 0)
    }
    let sbz1 = try reader.u8("Sbz1")
    let control = SecurityDescriptorControl(rawValue: try reader.u16("control"))
    let offsets = (
      owner: Int(try reader.u32("owner offset")), group: Int(try reader.u32("group offset")),
      sacl: Int(try reader.u32("SACL offset")), dacl: Int(try reader.u32("DACL offset"))
    )
    func component(_ offset: Int, _ what: StaticString) throws(NTSecurityError) -> ByteReader? {
      guard offset != 0 else { return nil }
      guard offset >= 20, offset < bytes.count else {
        throw NTSecurityError(
          .invalidSecurityDescriptor, "\(what) offset \(offset) outside the descriptor", offset: offset)
      }
      return ByteReader(bytes, from: offset, error: .invalidSecurityDescriptor)
    }
    self.init(control: control)
    // What was read is now a self-relative descriptor, whatever the flag said.
    self.control = control.union(.selfRelative)
    self.resourceManagerControl = sbz1
    if var r = try component(offsets.owner, "owner") { owner = try SID.read(&r) }
    if var r = try component(offsets.group, "group") { group = try SID.read(&r) }
    if control.contains(.saclPresent), var r = try component(offsets.sacl, "SACL") {
      sacl = try ACL.read(&r)
    }
    if control.contains(.daclPresent), var r = try component(offsets.dacl, "DACL") {
      dacl = try ACL.read(&r)
    }
  }

  /// The self-relative binary form in Windows' layout: header, SACL, DACL, owner, group.
  public var bytes: [UInt8] {
    let sacl = presentSACL
    let dacl = presentDACL
    let saclSize = sacl?.size ?? 0
    let daclSize = dacl?.size ?? 0
    let total = 20 + saclSize + daclSize + (owner?.length ?? 0) + (group?.length ?? 0)
    return [UInt8](exactly: total) { out in
      out.u8(revision)
      out.u8(resourceManagerControl)
      out.u16(control.union(.selfRelative).rawValue)
      out.zeros(16)
      if let sacl {
        out.u32(UInt32(out.offset), at: 12)
        sacl.write(to: &out)
      }
      if let dacl {
        out.u32(UInt32(out.offset), at: 16)
        dacl.write(to: &out)
      }
      if let owner {
        out.u32(UInt32(out.offset), at: 4)
        owner.write(to: &out)
      }
      if let group {
        out.u32(UInt32(out.offset), at: 8)
        group.write(to: &out)
      }
    }
  }

  /// Checks the limits of the binary form: every ACE and ACL must fit in 16 bits (an ACL that fits
  /// implies ACEs that fit).
  public func validate() throws(NTSecurityError) {
    try ACL.validate(presentSACL)
    try ACL.validate(presentDACL)
  }
}

extension ACL {
  static func validate(_ acl: ACL?) throws(NTSecurityError) {
    guard let acl else { return }
    let size = acl.size
    guard size <= 0xFFFF else {
      throw NTSecurityError(.invalidAcl, "ACL of \(size) bytes exceeds 65535")
    }
  }
}
