/// SetPrivateObjectSecurity and SetPrivateObjectSecurityEx.
extension SecurityDescriptor {
  /// Applies the parts of `modification` that `information` selects to this (existing object's)
  /// descriptor, as SetPrivateObjectSecurityEx does.
  ///
  /// - Owner (`.owner`): the modification's owner, checked against the token unless
  ///   `.avoidOwnerCheck` or `.avoidPrivilegeCheck` is given (ERROR_INVALID_OWNER; no owner in the
  ///   modification is ERROR_INVALID_OWNER too). Group (`.group`): the modification's group
  ///   (ERROR_INVALID_PRIMARY_GROUP without one).
  /// - DACL (`.dacl`), with auto-inheritance (`.daclAutoInherit`, or `SE_DACL_AUTO_INHERIT_REQ` in
  ///   the modification's control):
  ///   - a protected modification (`SE_DACL_PROTECTED`, or `.protectedDacl` in `information`)
  ///     replaces the DACL, its INHERITED_ACE bits turned off;
  ///   - when this descriptor's DACL is protected and the modification's is not, the modification
  ///     is copied as it is (its INHERITED_ACE bits are the caller's business);
  ///   - otherwise the new DACL is the modification's explicit ACEs followed by this
  ///     descriptor's inherited ACEs: inherited ACEs cannot be changed this way.
  ///
  ///   `SE_DACL_AUTO_INHERITED` is set. Without auto-inheritance the modification's DACL replaces
  ///   this one and its control bits are taken over. `.unprotectedDacl` clears protection.
  ///   In every case inheritable ACEs with generic rights or creator SIDs are split in two and
  ///   effective ones resolved, as ``inherited(from:creator:isContainer:objectTypes:token:mapping:flags:)``
  ///   does for a container.
  /// - SACL (`.sacl`) likewise. `.label`, `.attribute`, `.scope`, `.processTrustLabel` and
  ///   `.accessFilter` alone replace only the SACL ACEs of their type. As Windows documents, no
  ///   privilege is checked for the SACL: the resource manager checks access before calling.
  public mutating func setPrivateObjectSecurity(
    _ information: SecurityInformation, from modification: SecurityDescriptor,
    flags: AutoInheritFlags = [], mapping: GenericMapping, token: AccessToken?
  ) throws(NTSecurityError) {
    var result = self
    if information.contains(.owner) {
      guard let owner = modification.owner else {
        throw NTSecurityError(.invalidOwner, "the modification descriptor has no owner")
      }
      if flags.isDisjoint(with: [.avoidOwnerCheck, .avoidPrivilegeCheck]) {
        try SecurityDescriptor.validateOwner(owner, token)
      }
      result.owner = owner
      result.control.remove(.ownerDefaulted)
    }
    if information.contains(.group) {
      guard let group = modification.group else {
        throw NTSecurityError(.invalidPrimaryGroup, "the modification descriptor has no group")
      }
      result.group = group
      result.control.remove(.groupDefaulted)
    }
    let ctx = InheritanceContext(
      isContainer: true, objectTypes: [], owner: result.owner ?? .creatorOwner,
      group: result.group ?? .creatorGroup,
      serverOwner: token?.owner ?? result.owner ?? .creatorOwnerServer,
      serverGroup: token?.primaryGroup ?? result.group ?? .creatorGroupServer, mapping: mapping)
    if information.contains(.dacl) {
      let merged = mergedACL(modification, information, flags, ctx, isDACL: true)
      result.control.subtract([.daclProtected, .daclAutoInherited, .daclDefaulted])
      result.apply(merged, isDACL: true)
    }
    if information.contains(.sacl) {
      let merged = mergedACL(modification, information, flags, ctx, isDACL: false)
      result.control.subtract([.saclProtected, .saclAutoInherited, .saclDefaulted])
      result.apply(merged, isDACL: false)
    } else if information.selectsSACL {
      // Partial SACL: only the ACE types selected change.
      var aces = result.sacl?.aces.filter { !information.selects($0.type) } ?? []
      let wanted = modification.sacl?.aces.filter { information.selects($0.type) } ?? []
      aces += ACL(aces: wanted).explicitACEs(ctx, isProtected: true, keepInherited: true)
      let keepAI = result.control.contains(.saclAutoInherited)
      let keepP = result.control.contains(.saclProtected)
      result.setSACL(present: true, ACL(aces: aces))
      if keepAI { result.control.insert(.saclAutoInherited) }
      if keepP { result.control.insert(.saclProtected) }
    }
    try result.validate()
    self = result
  }

  private func mergedACL(
    _ modification: SecurityDescriptor, _ information: SecurityInformation,
    _ flags: AutoInheritFlags, _ ctx: InheritanceContext, isDACL: Bool
  ) -> ComputedACL {
    let presentBit: SecurityDescriptorControl = isDACL ? .daclPresent : .saclPresent
    let protectedBit: SecurityDescriptorControl = isDACL ? .daclProtected : .saclProtected
    let requestBit: SecurityDescriptorControl =
      isDACL ? .daclAutoInheritRequired : .saclAutoInheritRequired
    let autoInheritedBit: SecurityDescriptorControl =
      isDACL ? .daclAutoInherited : .saclAutoInherited
    let autoInherit =
      flags.contains(isDACL ? .daclAutoInherit : .saclAutoInherit)
      || modification.control.contains(requestBit)
    var isProtected = modification.control.contains(protectedBit)
    if information.contains(isDACL ? .protectedDacl : .protectedSacl) { isProtected = true }
    if information.contains(isDACL ? .unprotectedDacl : .unprotectedSacl) { isProtected = false }

    let newACL = isDACL ? modification.dacl : modification.sacl
    let currentACL = isDACL ? presentDACL : presentSACL
    var result = ComputedACL()
    result.present = modification.control.contains(presentBit)
    result.isProtected = isProtected
    guard result.present else { return result }
    guard autoInherit else {
      result.acl = newACL.map {
        ACL(aces: $0.explicitACEs(ctx, isProtected: isProtected, keepInherited: true))
      }
      result.autoInherited = modification.control.contains(autoInheritedBit)
      return result
    }
    result.autoInherited = true
    if isProtected {
      result.acl = newACL.map { ACL(aces: $0.explicitACEs(ctx, isProtected: true)) }
    } else if control.contains(protectedBit) {
      result.acl = newACL.map {
        ACL(aces: $0.explicitACEs(ctx, isProtected: false, keepInherited: true))
      }
    } else {
      let explicit = newACL?.explicitACEs(ctx, isProtected: false) ?? []
      let inherited = currentACL?.aces.filter { $0.flags.contains(.inherited) } ?? []
      result.acl =
        newACL == nil && inherited.isEmpty ? nil : ACL(aces: explicit + inherited)
    }
    return result
  }
}
