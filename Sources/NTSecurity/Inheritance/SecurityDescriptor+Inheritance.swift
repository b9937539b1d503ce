/// CreatePrivateObjectSecurity, CreatePrivateObjectSecurityEx and
/// CreatePrivateObjectSecurityWithMultipleInheritance (MS-DTYP 2.5.3.4).
extension SecurityDescriptor {
  /// The security descriptor of a new object created under `parent`, as
  /// CreatePrivateObjectSecurityEx computes it.
  ///
  /// - Owner: the creator's owner (checked against the token unless `.avoidOwnerCheck`: it must
  ///   be the token's user, or a group of the token with `SE_GROUP_OWNER` that is not deny-only,
  ///   or the token must have SeRestorePrivilege enabled; otherwise ERROR_INVALID_OWNER); else the
  ///   parent's owner with `.defaultOwnerFromParent`; else the token's owner. The group likewise,
  ///   with the token's primary group.
  /// - DACL: the creator's DACL (inherited ACEs dropped, generic rights mapped, creator SIDs
  ///   replaced, inheritable ACEs that need it split in two on containers), followed by the
  ///   parent's inheritable ACEs with `.daclAutoInherit` unless the creator's DACL is protected;
  ///   without a creator DACL (or one marked defaulted, or one that `.defaultDescriptorForObject`
  ///   discards) the inherited ACEs alone; when nothing is inherited either, the token's default
  ///   DACL; failing that, no DACL. The SACL likewise, without a default.
  /// - A creator SACL (other than one holding only labels and resource attributes) needs
  ///   SeSecurityPrivilege enabled in the token unless `.avoidPrivilegeCheck`
  ///   (ERROR_PRIVILEGE_NOT_HELD); inherited SACL ACEs need nothing.
  /// - `.maclNoWriteUp`, `.maclNoReadUp`, `.maclNoExecuteUp` replace the creator's label with one
  ///   for the token's integrity level and those policies. Otherwise a creator label above the
  ///   token's level needs SeRelabelPrivilege (ERROR_INVALID_LABEL), and a token below Medium
  ///   labels an object that gets no label otherwise with its own level (no-write-up).
  /// - Resource attribute and central access policy ACEs are inherited with
  ///   `.saclAutoInherit` even when the creator's SACL is protected.
  /// - Control: `SE_DACL_PRESENT`/`SE_SACL_PRESENT` for the ACLs present, the creator's
  ///   `SE_DACL_PROTECTED`/`SE_SACL_PROTECTED`, and `SE_DACL_AUTO_INHERITED`/
  ///   `SE_SACL_AUTO_INHERITED` when the matching auto-inherit flag is given and the ACL did not
  ///   come from the token's default.
  ///
  /// A result whose ACL would exceed 65535 bytes is ERROR_INVALID_ACL.
  ///
  /// CREATOR OWNER SERVER and CREATOR GROUP SERVER are replaced by the token's owner and primary
  /// group (the caller's own defaults). Without a token (nil), everything that needs one must be
  /// avoided or supplied, else ERROR_NO_TOKEN.
  ///
  /// - Parameters:
  ///   - parent: the parent container's descriptor, or nil for an object without a parent.
  ///   - creator: the descriptor the creator asks for, or nil.
  ///   - isContainer: whether the new object can hold children.
  ///   - objectTypes: the new object's class GUIDs (structural and auxiliary classes for a DS
  ///     object); empty when it has none.
  ///   - token: the creator's token: default owner, group and DACL, privileges.
  ///   - mapping: the generic mapping of the object's kind.
  ///   - flags: the `SEF_*` flags; none gives CreatePrivateObjectSecurity.
  public static func inherited(
    from parent: SecurityDescriptor?, creator: SecurityDescriptor? = nil, isContainer: Bool,
    objectTypes: [GUID] = [], token: AccessToken?, mapping: GenericMapping,
    flags: AutoInheritFlags = []
  ) throws(NTSecurityError) -> SecurityDescriptor {
    let owner = try newOwner(parent, creator, token, flags)
    let group = try newGroup(parent, creator, token, flags)
    try checkSACLPrivilege(creator, token, flags)
    try checkLabel(creator, token, flags)
    let ctx = InheritanceContext(
      isContainer: isContainer, objectTypes: objectTypes, owner: owner, group: group,
      serverOwner: token?.owner ?? owner, serverGroup: token?.primaryGroup ?? group,
      mapping: mapping)

    var sd = SecurityDescriptor(owner: owner, group: group)
    let dacl = computeACL(
      parent?.presentDACL, creator: creator, isDACL: true, ctx: ctx, flags: flags,
      defaultACL: token?.defaultDACL)
    sd.apply(dacl, isDACL: true)
    var sacl = computeACL(
      parent?.presentSACL, creator: creator, isDACL: false, ctx: ctx, flags: flags, defaultACL: nil)
    if !flags.isDisjoint(with: .maclValidFlags) {
      guard let token else {
        throw NTSecurityError(.noToken, "SEF_MACL_* flags need a token for the integrity level")
      }
      sacl.relabel(token.integrityLevel, policy: flags.rawValue >> 8 & 0x7)
    } else if let token, token.integrityRID < 0x2000, !sacl.hasEffectiveLabel {
      // Below Medium, what the creator makes is labelled with its level (no-write-up).
      sacl.relabel(
        token.integrityLevel, policy: AccessMask.mandatoryLabelNoWriteUp.rawValue,
        replacingExplicit: false)
    }
    sd.apply(sacl, isDACL: false)
    try sd.validate()
    return sd
  }

  // MARK: - Owner and group

  private static func newOwner(
    _ parent: SecurityDescriptor?, _ creator: SecurityDescriptor?, _ token: AccessToken?,
    _ flags: AutoInheritFlags
  ) throws(NTSecurityError) -> SID {
    if let owner = creator?.owner {
      if !flags.contains(.avoidOwnerCheck) { try validateOwner(owner, token) }
      return owner
    }
    if flags.contains(.defaultOwnerFromParent), let owner = parent?.owner { return owner }
    guard let token else {
      throw NTSecurityError(.noToken, "no owner given and no token to take the default owner from")
    }
    return token.owner
  }

  private static func newGroup(
    _ parent: SecurityDescriptor?, _ creator: SecurityDescriptor?, _ token: AccessToken?,
    _ flags: AutoInheritFlags
  ) throws(NTSecurityError) -> SID {
    if let group = creator?.group { return group }
    if flags.contains(.defaultGroupFromParent), let group = parent?.group { return group }
    guard let token else {
      throw NTSecurityError(.noToken, "no group given and no token to take the primary group from")
    }
    return token.primaryGroup
  }

  /// The owner check of CreatePrivateObjectSecurityEx and SetPrivateObjectSecurityEx: the SID
  /// must be the token's user or an owner-capable group that is not deny-only, unless the token
  /// has SeRestorePrivilege enabled.
  static func validateOwner(_ owner: SID, _ token: AccessToken?) throws(NTSecurityError) {
    guard let token else {
      throw NTSecurityError(.noToken, "a token is needed to check the owner \(owner)")
    }
    if token.user.sid == owner && !token.user.attributes.contains(.useForDenyOnly) { return }
    let group = token.groups.contains {
      $0.sid == owner && $0.attributes.contains(.owner)
        && !$0.attributes.contains(.useForDenyOnly)
    }
    if group || token.hasEnabledPrivilege(.restore) { return }
    throw NTSecurityError(.invalidOwner, "\(owner) cannot be assigned as owner by this token")
  }

  private static func checkSACLPrivilege(
    _ creator: SecurityDescriptor?, _ token: AccessToken?, _ flags: AutoInheritFlags
  ) throws(NTSecurityError) {
    guard let creator, creator.control.contains(.saclPresent),
      !flags.contains(.avoidPrivilegeCheck)
    else { return }
    // Labels and resource attributes alone need no SeSecurityPrivilege ("SACL for a New Object").
    let aces = creator.sacl?.aces ?? []
    let free: Set<ACEType> = [.systemMandatoryLabel, .systemResourceAttribute]
    if !aces.isEmpty && aces.allSatisfy({ free.contains($0.type) }) { return }
    guard let token else {
      throw NTSecurityError(.noToken, "a token is needed to check SeSecurityPrivilege for the SACL")
    }
    guard token.hasEnabledPrivilege(.security) else {
      throw NTSecurityError(
        .privilegeNotHeld, "setting a SACL needs SeSecurityPrivilege enabled in the token")
    }
  }

  /// A label above the creator's integrity level needs SeRelabelPrivilege (ERROR_INVALID_LABEL).
  private static func checkLabel(
    _ creator: SecurityDescriptor?, _ token: AccessToken?, _ flags: AutoInheritFlags
  ) throws(NTSecurityError) {
    guard let creator, creator.control.contains(.saclPresent),
      !flags.contains(.avoidPrivilegeCheck),
      flags.isDisjoint(with: .maclValidFlags),
      let labels = creator.sacl?.aces.filter({
        $0.type == .systemMandatoryLabel && !$0.flags.contains(.inheritOnly)
      }), !labels.isEmpty
    else { return }
    guard let token else {
      throw NTSecurityError(.noToken, "a token is needed to check the label against its level")
    }
    for label in labels where label.integrityRID > token.integrityRID {
      guard token.hasEnabledPrivilege(.relabel) else {
        throw NTSecurityError(
          .invalidLabel,
          "label \(label.sid) is above the token's integrity level \(token.integrityLevel) "
            + "and SeRelabelPrivilege is not enabled")
      }
    }
  }

  // MARK: - ACLs

  /// A computed ACL: whether it is present, the ACL (nil for a NULL ACL), and its control bits.
  struct ComputedACL {
    var present = false
    var acl: ACL?
    var isProtected = false
    var autoInherited = false
  }

  private static func computeACL(
    _ parentACL: ACL?, creator: SecurityDescriptor?, isDACL: Bool, ctx: InheritanceContext,
    flags: AutoInheritFlags, defaultACL: ACL?
  ) -> ComputedACL {
    let presentBit: SecurityDescriptorControl = isDACL ? .daclPresent : .saclPresent
    let defaultedBit: SecurityDescriptorControl = isDACL ? .daclDefaulted : .saclDefaulted
    let protectedBit: SecurityDescriptorControl = isDACL ? .daclProtected : .saclProtected
    let autoInherit = flags.contains(isDACL ? .daclAutoInherit : .saclAutoInherit)
    let inherited = parentACL?.inheritedACEs(ctx) ?? []

    var creatorUsed = creator?.control.contains(presentBit) ?? false
    if creatorUsed, let creator, !inherited.isEmpty {
      // A defaulted ACL, or a default descriptor for the object type, gives way to inheritance.
      if creator.control.contains(defaultedBit) { creatorUsed = false }
      if flags.contains(.defaultDescriptorForObject), parentACL?.passesObjectSpecificACEs(ctx) == true {
        creatorUsed = false
      }
    }

    var result = ComputedACL()
    if creatorUsed, let creator {
      let creatorACL = isDACL ? creator.dacl : creator.sacl
      result.present = true
      result.isProtected = creator.control.contains(protectedBit)
      result.autoInherited = autoInherit
      let explicit = creatorACL?.explicitACEs(ctx, isProtected: result.isProtected) ?? []
      if autoInherit && !result.isProtected && !inherited.isEmpty {
        result.acl = ACL(explicit + inherited, revisions: creatorACL, parentACL)
      } else if autoInherit && !isDACL && inherited.contains(where: \.type.passesSACLProtection) {
        // Resource attributes and central access policies are inherited even into a protected
        // SACL ("SACL for a New Object").
        result.acl = ACL(
          explicit + inherited.filter(\.type.passesSACLProtection), revisions: creatorACL, parentACL)
      } else {
        result.acl = creatorACL.map { ACL(explicit, revisions: $0) }
      }
    } else if !inherited.isEmpty {
      result.present = true
      result.acl = ACL(inherited, revisions: parentACL)
      result.autoInherited = autoInherit
    } else if let defaultACL {
      result.present = true
      result.acl = ACL(defaultACL.explicitACEs(ctx, isProtected: false), revisions: defaultACL)
    }
    return result
  }

  mutating func apply(_ computed: ComputedACL, isDACL: Bool) {
    if isDACL {
      setDACL(present: computed.present, computed.acl)
      if computed.present && computed.isProtected { control.insert(.daclProtected) }
      if computed.present && computed.autoInherited { control.insert(.daclAutoInherited) }
    } else {
      setSACL(present: computed.present, computed.acl)
      if computed.present && computed.isProtected { control.insert(.saclProtected) }
      if computed.present && computed.autoInherited { control.insert(.saclAutoInherited) }
    }
  }
}

extension ACL {
  /// An ACL of `aces` whose revision is the highest of the ACLs they come from, raised to what
  /// the ACEs need (a child's ACL keeps its parent's ACL_REVISION_DS).
  init(_ aces: [ACE], revisions sources: ACL?...) {
    let revision = sources.compactMap { $0?.revision }.max() ?? ACL.revision2
    self.init(revision: max(revision, ACL.minimumRevision(for: aces)), aces: aces)
  }
}

extension ACEType {
  /// SYSTEM_RESOURCE_ATTRIBUTE and SYSTEM_SCOPED_POLICY_ID ACEs.
  var passesSACLProtection: Bool { self == .systemResourceAttribute || self == .systemScopedPolicyID }
}

extension ACE {
  /// The level of a mandatory label ACE: its SID's last sub-authority.
  var integrityRID: UInt32 {
    sid.subAuthorityCount > 0 ? sid[subAuthority: sid.subAuthorityCount - 1] : 0
  }
}

extension SecurityDescriptor.ComputedACL {
  /// Whether a label ACE applies to the object itself (not inherit-only).
  var hasEffectiveLabel: Bool {
    acl?.aces.contains { $0.type == .systemMandatoryLabel && !$0.flags.contains(.inheritOnly) }
      ?? false
  }

  /// SEF_MACL_*: explicit label ACEs give way to one for `level` with the `policy` bits, placed
  /// first; inherited labels stay after it.
  mutating func relabel(_ level: SID, policy: UInt32, replacingExplicit: Bool = true) {
    var aces = acl?.aces ?? []
    if replacingExplicit {
      aces.removeAll { $0.type == .systemMandatoryLabel && !$0.flags.contains(.inherited) }
    }
    aces.insert(
      ACE(type: .systemMandatoryLabel, mask: AccessMask(rawValue: policy), sid: level), at: 0)
    acl = ACL(aces: aces)
    present = true
  }
}
