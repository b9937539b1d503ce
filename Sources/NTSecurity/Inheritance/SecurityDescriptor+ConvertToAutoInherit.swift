/// ConvertToAutoInheritPrivateObjectSecurity.
extension SecurityDescriptor {
  /// This descriptor in the auto-inheritance format, as ConvertToAutoInheritPrivateObjectSecurity
  /// makes it.
  ///
  /// The ACEs `parent` would pass on to this object (computed as
  /// ``inherited(from:creator:isContainer:objectTypes:token:mapping:flags:)`` does, with this
  /// descriptor's owner and group) decide which of this descriptor's ACEs were inherited: an ACE
  /// counts as inherited when the parent passes on ACEs of the same type, trustee, flags (apart
  /// from INHERITED_ACE) and GUIDs whose rights together cover its rights (the match need not be
  /// one to one). Those ACEs get INHERITED_ACE; ACEs already marked keep it.
  ///
  /// - An ACL with no inherited ACE becomes protected (`SE_DACL_PROTECTED`,
  ///   `SE_SACL_PROTECTED`).
  /// - In the DACL, explicit ACEs are moved before inherited ones, unless that would move an
  ///   allow ACE past a deny ACE (or the reverse): then the DACL is left as it was and
  ///   protected.
  /// - `SE_DACL_AUTO_INHERITED` and `SE_SACL_AUTO_INHERITED` are set; owner and group are kept.
  public func convertedToAutoInherit(
    parent: SecurityDescriptor?, objectTypes: [GUID] = [], isContainer: Bool,
    mapping: GenericMapping
  ) -> SecurityDescriptor {
    let ctx = InheritanceContext(
      isContainer: isContainer, objectTypes: objectTypes, owner: owner ?? .creatorOwner,
      group: group ?? .creatorGroup, serverOwner: owner ?? .creatorOwnerServer,
      serverGroup: group ?? .creatorGroupServer, mapping: mapping)
    var sd = self
    if let acl = presentDACL {
      let (converted, protect) = acl.convertedToAutoInherit(
        parent?.presentDACL?.inheritedACEs(ctx) ?? [], reorder: true)
      sd.dacl = converted
      if protect { sd.control.insert(.daclProtected) }
    }
    if let acl = presentSACL {
      let (converted, protect) = acl.convertedToAutoInherit(
        parent?.presentSACL?.inheritedACEs(ctx) ?? [], reorder: false)
      sd.sacl = converted
      if protect { sd.control.insert(.saclProtected) }
    }
    sd.control.formUnion([.daclAutoInherited, .saclAutoInherited])
    return sd
  }
}

extension ACL {
  /// Marks the ACEs `parentACEs` cover as inherited; returns the new ACL and whether it must be
  /// protected.
  fileprivate func convertedToAutoInherit(_ parentACEs: [ACE], reorder: Bool) -> (ACL, Bool) {
    func key(_ ace: ACE) -> ACE {
      var k = ace
      k.flags.remove(.inherited)
      k.mask = []
      return k
    }
    var rights = [ACE: AccessMask]()
    for ace in parentACEs { rights[key(ace), default: []].formUnion(ace.mask) }
    var marked = aces
    var inherited = [Bool](repeating: false, count: aces.count)
    for (i, ace) in aces.enumerated() {
      if ace.flags.contains(.inherited) {
        inherited[i] = true
      } else if !ace.isOpaque, let covered = rights[key(ace)], covered.isSuperset(of: ace.mask) {
        inherited[i] = true
        marked[i].flags.insert(.inherited)
      }
    }
    guard inherited.contains(true) else { return (self, true) }
    guard reorder else {
      var acl = self
      acl.aces = marked
      return (acl, false)
    }
    // Explicit ACEs first: allowed only when no inherited allow (deny) ACE would move after an
    // explicit deny (allow) ACE that followed it.
    for i in aces.indices where inherited[i] {
      for j in aces.indices where j > i && !inherited[j] {
        let a = aces[i].type
        let b = aces[j].type
        if (a.isAllow && b.isDeny) || (a.isDeny && b.isAllow) { return (self, true) }
      }
    }
    var acl = self
    acl.aces =
      marked.indices.filter { !inherited[$0] }.map { marked[$0] }
      + marked.indices.filter { inherited[$0] }.map { marked[$0] }
    return (acl, false)
  }
}
