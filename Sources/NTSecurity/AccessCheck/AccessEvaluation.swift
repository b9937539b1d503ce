/// One access check in progress: the inputs, checked by ``AccessCheck``, and the steps.
///
/// It lives for one call of ``AccessCheck`` and is never copied (`~Copyable`). The token and the
/// descriptor are not stored but lent to each step (`borrowing`), so a check copies neither, nor
/// touches their reference counts.
struct AccessEvaluation: ~Copyable {
  let owner: SID
  let desired: AccessMask
  let mapping: GenericMapping
  let objectTypes: [ObjectTypeEntry]
  let principalSelf: SID?
  let backupIntent: Bool
  /// Whether an ACE for OWNER RIGHTS that is not inherit-only replaces the owner's implicit rights.
  let ownerRightsPresent: Bool

  init(
    descriptor: borrowing SecurityDescriptor, owner: SID,
    desired: AccessMask, mapping: GenericMapping, objectTypes: [ObjectTypeEntry],
    principalSelf: SID?,
    backupIntent: Bool
  ) {
    self.owner = owner
    self.desired = desired
    self.mapping = mapping
    self.objectTypes = objectTypes
    self.principalSelf = principalSelf
    self.backupIntent = backupIntent
    var ownerRights = false
    if descriptor.control.contains(.daclPresent), let dacl = descriptor.dacl {
      let ownerRightsSID = SID.ownerRights
      for i in dacl.aces.indices
      where !dacl.aces[i].isOpaque && !dacl.aces[i].flags.contains(.inheritOnly)
        && dacl.aces[i].sid.quickEquals(ownerRightsSID)
      {
        ownerRights = true
        break
      }
    }
    ownerRightsPresent = ownerRights
  }

  /// The claims of the SACL's SYSTEM_RESOURCE_ATTRIBUTE ACEs (inherit-only ones excepted); ACEs
  /// whose data does not decode are left out.
  static func resourceAttributes(of sacl: ACL?) -> [ClaimSecurityAttribute] {
    guard let sacl else { return [] }
    return sacl.aces.compactMap { ace in
      guard ace.type == .systemResourceAttribute, !ace.isOpaque, !ace.flags.contains(.inheritOnly) else {
        return nil
      }
      return try? ClaimSecurityAttribute(relativeBytes: ace.applicationData)
    }
  }

  /// The SIDs `Member_of` sees in a pass: the user (enabled unless deny-only) and the groups, or
  /// the restricting SIDs.
  static func conditionSIDs(restricted: Bool, _ token: borrowing AccessToken) -> [SIDAndAttributes] {
    if restricted { return token.restrictingSIDs }
    var user = token.user
    if !user.attributes.contains(.useForDenyOnly) { user.attributes.insert(.enabled) }
    return [user] + token.groups
  }

  /// Evaluates a callback ACE's condition (for a deny ACE, deny-only SIDs and claims count too);
  /// data that is not a valid condition is UNKNOWN.
  func condition(
    of ace: ACE, restricted: Bool, _ token: borrowing AccessToken, _ descriptor: borrowing SecurityDescriptor
  ) -> ConditionResult {
    let context = ConditionContext(
      token: copy token, sids: AccessEvaluation.conditionSIDs(restricted: restricted, token),
      resourceAttributes: AccessEvaluation.resourceAttributes(of: descriptor.presentSACL),
      principalSelf: principalSelf, forDenyACE: ace.type.isDeny)
    return ConditionalExpression.evaluate(applicationData: ace.applicationData, in: context)
  }

  /// The check, in Windows' order: backup intent, the mandatory limit, privileges, then the DACL
  /// (the normal pass and, for a restricted token, the restricted one).
  func run(_ token: borrowing AccessToken, _ descriptor: borrowing SecurityDescriptor) -> AccessCheckResult {
    let maximumAllowed = desired.contains(.maximumAllowed)
    let requested = desired.subtracting(.maximumAllowed)
    var remaining = requested
    var privileges = PrivilegeGrants()

    // Backup intent: the I/O manager grants these before the security reference monitor runs.
    if backupIntent {
      grantBackupRights(token, maximumAllowed: maximumAllowed, remaining: &remaining, to: &privileges)
    }

    // Mandatory checks first: they can only deny.
    let limit = MandatoryAccess.limit(token: token, sacl: descriptor.presentSACL, mapping: mapping) {
      condition(of: $0, restricted: false, token, descriptor)
    }
    guard remaining.isSubset(of: limit) else {
      return finish(.accessDenied, requested: requested, token, descriptor)
    }

    if let refusal = grantPrivilegedRights(token, remaining: &remaining, to: &privileges) {
      return finish(refusal, requested: requested, token, descriptor)
    }
    if !maximumAllowed && remaining.isEmpty {
      // Everything asked for came from privileges (asking for nothing is denied).
      return finish(
        privileges.granted.isEmpty ? .accessDenied : .success, granted: privileges.granted,
        requested: requested, used: privileges.used, token, descriptor)
    }

    let decision = Decision(
      maximumAllowed: maximumAllowed, requested: requested, remaining: remaining,
      privileges: privileges.granted)
    return discretionaryOutcome(decision, limit: limit, used: privileges.used, token, descriptor)
  }

  /// ACCESS_SYSTEM_SECURITY from SeSecurityPrivilege (`ERROR_PRIVILEGE_NOT_HELD` without it) and
  /// WRITE_OWNER from SeTakeOwnershipPrivilege or SeRelabelPrivilege; nil when the check goes on.
  @inline(__always)
  func grantPrivilegedRights(
    _ token: borrowing AccessToken, remaining: inout AccessMask, to privileges: inout PrivilegeGrants
  ) -> WindowsError? {
    if remaining.contains(.accessSystemSecurity) {
      guard token.hasEnabledPrivilege(.security) else { return .privilegeNotHeld }
      privileges.grant(.accessSystemSecurity, by: .security, remaining: &remaining)
    }
    if remaining.contains(.writeOwner) {
      for privilege in [Privilege.takeOwnership, .relabel] where token.hasEnabledPrivilege(privilege) {
        privileges.grant(.writeOwner, by: privilege, remaining: &remaining)
        break
      }
    }
    return nil
  }

  /// The DACL's passes within the mandatory limit, and the outcome: the root's, and one per object
  /// type node.
  @inline(__always)
  func discretionaryOutcome(
    _ decision: Decision, limit: AccessMask, used: [Privilege], _ token: borrowing AccessToken,
    _ descriptor: borrowing SecurityDescriptor
  ) -> AccessCheckResult {
    let needed = decision.maximumAllowed ? nil : decision.remaining
    var (granted, tree) = discretionaryAccess(needed: needed, token, descriptor)
    granted.formIntersection(limit)
    granted.remove(.maximumAllowed)
    let root = decision.outcome(granted)
    var nodes: [ObjectTypeAccess] = []
    if let tree { nodes = objectTypeResults(tree, limit: limit, decision) }
    return finish(
      root.success ? .success : .accessDenied, granted: root.granted, requested: decision.requested,
      used: used, nodes: nodes, token, descriptor)
  }

  /// How rights the DACL grants become the check's outcome.
  struct Decision {
    let maximumAllowed: Bool
    let requested: AccessMask
    /// What privileges left for the DACL to grant.
    let remaining: AccessMask
    let privileges: AccessMask

    /// With MAXIMUM_ALLOWED, what privileges and the DACL grant (success when that is not empty
    /// and covers the request); otherwise the request, granted when the DACL covers the rest.
    func outcome(_ dacl: AccessMask) -> (granted: AccessMask, success: Bool) {
      if maximumAllowed {
        let all = privileges.union(dacl)
        return (all, !all.isEmpty && remaining.isSubset(of: all))
      }
      return (requested, !requested.isEmpty && remaining.isSubset(of: dacl))
    }
  }

  /// One result per node of the object type list; a failed node reports what it would have had.
  func objectTypeResults(_ tree: ObjectTypeTree, limit: AccessMask, _ decision: Decision)
    -> [ObjectTypeAccess]
  {
    var nodes: [ObjectTypeAccess] = []
    nodes.reserveCapacity(objectTypes.count)
    let reportable = decision.maximumAllowed ? MandatoryAccess.unrestricted : decision.requested
    for (k, entry) in objectTypes.enumerated() {
      let node = tree.granted[k].intersection(limit).subtracting(.maximumAllowed)
      let result = decision.outcome(node)
      nodes.append(
        ObjectTypeAccess(
          level: entry.level, objectType: entry.objectType,
          granted: result.success ? result.granted : decision.privileges.union(node).intersection(reportable),
          status: result.success ? .success : .accessDenied))
    }
    return nodes
  }

  /// The rights privileges grant in a check, and the privileges used.
  struct PrivilegeGrants {
    var granted: AccessMask = []
    var used: [Privilege] = []

    /// Records `rights` as granted by `privilege`, and no longer needed from the DACL.
    mutating func grant(_ rights: AccessMask, by privilege: Privilege, remaining: inout AccessMask) {
      granted.formUnion(rights)
      remaining.subtract(rights)
      used.append(privilege)
    }
  }

  /// With backup intent, SeBackupPrivilege and SeRestorePrivilege grant their rights (all of them
  /// for MAXIMUM_ALLOWED, else those still needed).
  func grantBackupRights(
    _ token: borrowing AccessToken, maximumAllowed: Bool, remaining: inout AccessMask,
    to privileges: inout PrivilegeGrants
  ) {
    for (privilege, rights) in [
      (Privilege.backup, AccessCheck.backupRights(mapping)), (.restore, AccessCheck.restoreRights(mapping)),
    ] {
      let wanted = maximumAllowed ? rights : remaining.intersection(rights)
      if !wanted.isEmpty, token.hasEnabledPrivilege(privilege) {
        privileges.grant(wanted, by: privilege, remaining: &remaining)
      }
    }
  }

  /// The rights the DACL grants: the normal pass, intersected, for a restricted token, with the
  /// restricted pass over the rights it decides. With an object type list, also each node's.
  func discretionaryAccess(
    needed: AccessMask?, _ token: borrowing AccessToken, _ descriptor: borrowing SecurityDescriptor
  ) -> (granted: AccessMask, tree: ObjectTypeTree?) {
    var tree = objectTypes.isEmpty ? nil : ObjectTypeTree(objectTypes)
    var granted = TokenSIDIndex.with(token: token, restricted: false) {
      discretionaryPass($0, restricted: false, needed: needed, tree: &tree, token, descriptor)
    }
    guard token.isRestricted else { return (granted, tree) }
    let scope =
      token.isWriteRestricted
      ? AccessCheck.writeRestrictedRights(mapping) : mapping.all.union(AccessMask(rawValue: 0x1F_FFFF))
    let scopedNeed = needed?.intersection(scope)
    guard scopedNeed.map({ !$0.isEmpty }) ?? true else { return (granted, tree) }
    var restrictedTree = objectTypes.isEmpty ? nil : ObjectTypeTree(objectTypes)
    let restrictedGranted = TokenSIDIndex.with(token: token, restricted: true) {
      discretionaryPass($0, restricted: true, needed: scopedNeed, tree: &restrictedTree, token, descriptor)
    }
    let outside = AccessMask(rawValue: ~scope.rawValue)
    granted.formIntersection(restrictedGranted.union(outside))
    if var t = tree, let r = restrictedTree {
      for k in t.granted.indices { t.granted[k].formIntersection(r.granted[k].union(outside)) }
      tree = t
    }
    return (granted, tree)
  }

  /// Builds the result: nothing granted and no privileges on failure; audit events either way.
  func finish(
    _ status: WindowsError, granted: AccessMask = [], requested: AccessMask, used: [Privilege] = [],
    nodes: [ObjectTypeAccess]? = nil, _ token: borrowing AccessToken,
    _ descriptor: borrowing SecurityDescriptor
  ) -> AccessCheckResult {
    let success = status == .success
    let nodeResults =
      nodes
      ?? objectTypes.map {
        ObjectTypeAccess(
          level: $0.level, objectType: $0.objectType, granted: success ? granted : [], status: status)
      }
    var audits: [AccessAuditEvent] = []
    if let sacl = descriptor.presentSACL, sacl.aces.contains(where: { $0.type.isAudit }) {
      audits = AccessAudit.events(
        self, token, descriptor, sacl: sacl, success: success,
        audited: success ? granted : requested.union(desired.contains(.maximumAllowed) ? mapping.all : []))
    }
    return AccessCheckResult(
      granted: success ? granted : [], status: status, objectTypes: nodeResults,
      privilegesUsed: success ? used.map { LUIDAndAttributes($0, .usedForAccess) } : [],
      auditEvents: audits)
  }

  /// One pass over the DACL with the SIDs of `index`. Returns the rights granted to the object
  /// (the root); with an object type list, `tree` holds every node's. In a normal check (`needed`
  /// given, no object types) the pass stops as soon as the outcome is known.
  func discretionaryPass(
    _ index: TokenSIDIndex, restricted: Bool, needed: AccessMask?, tree: inout ObjectTypeTree?,
    _ token: borrowing AccessToken, _ descriptor: borrowing SecurityDescriptor
  ) -> AccessMask {
    guard let dacl = descriptor.presentDACL else {
      // NULL or absent DACL: everything.
      let all = mapping.all.union(desired).subtracting(.maximumAllowed)
      tree?.grantAll(all)
      return all
    }
    var masks = PassMasks()
    if !ownerRightsPresent, index.membership(of: owner).contains(.allow) {
      masks.apply(allow: true, node: 0, [.readControl, .writeDAC], &tree)
    }
    let stopEarly = needed != nil && tree == nil
    let need = needed ?? []
    if stopEarly, need.isSubset(of: masks.granted) { return masks.granted }
    let keys = PassKeys()
    let aces = dacl.aces
    for i in aces.indices {
      guard let allow = ACE.discretionaryEffect(aces[i].type, aces[i].flags, opaque: aces[i].isOpaque),
        let node = node(
          of: i, in: aces, allow: allow, index, keys, restricted: restricted, tree, token, descriptor)
      else { continue }
      masks.apply(allow: allow, node: node, aces[i].mask, &tree)
      if stopEarly, need.isSubset(of: masks.granted) || !need.isDisjoint(with: masks.denied) { break }
    }
    return masks.granted
  }

  /// The keys of the two SIDs a pass stands in for another: PRINCIPAL_SELF and OWNER RIGHTS.
  struct PassKeys {
    let ownerRights = TokenSIDIndex.key(SID.ownerRights)
    let principalSelf = TokenSIDIndex.key(SID.principalSelf)
  }

  /// The object type node `aces[i]` acts on (0, the object, for a non-object ACE), or nil
  /// when the ACE does not apply in this pass: its SID is not one of the pass's (PRINCIPAL_SELF
  /// and OWNER RIGHTS standing for the principal and the owner), its object type is not in the
  /// list (an object allow ACE with a type and no list), or its condition does not hold (a deny
  /// ACE applies unless its condition is FALSE).
  @inline(__always)
  func node(
    of i: Int, in aces: [ACE], allow: Bool, _ index: TokenSIDIndex, _ keys: PassKeys, restricted: Bool,
    _ tree: ObjectTypeTree?, _ token: borrowing AccessToken, _ descriptor: borrowing SecurityDescriptor
  ) -> Int? {
    let key = TokenSIDIndex.key(aces[i].sid)
    let membership: SIDMembership
    if key == keys.principalSelf, let principalSelf, aces[i].sid == .principalSelf {
      membership = index.membership(of: principalSelf)
    } else if key == keys.ownerRights, aces[i].sid == .ownerRights {
      membership = index.membership(of: owner)
    } else {
      membership = index.membership(key: key, aces[i].sid)
    }
    guard membership.contains(allow ? .allow : .deny) else { return nil }
    var node = 0
    let type = aces[i].type
    if type.isObject {
      if let tree {
        guard let n = tree.node(for: aces[i].objectType) else { return nil }
        node = n
      } else if allow, aces[i].objectType != nil {
        return nil
      }
    }
    if type.isCallback {
      let result = condition(of: aces[i], restricted: restricted, token, descriptor)
      if allow ? result != .true : result == .false { return nil }
    }
    return node
  }

  /// The rights a pass has granted and denied so far, at the root; with an object type list the
  /// tree keeps every node's and the root's are read from it.
  struct PassMasks {
    var granted: AccessMask = []
    var denied: AccessMask = []

    @inline(__always)
    mutating func apply(allow: Bool, node: Int, _ mask: AccessMask, _ tree: inout ObjectTypeTree?) {
      if tree != nil {
        if allow { tree!.grant(node, mask) } else { tree!.deny(node, mask) }
        granted = tree!.granted[0]
        denied = tree!.denied[0]
      } else if allow {
        granted.formUnion(mask.subtracting(denied))
      } else {
        denied.formUnion(mask.subtracting(granted))
      }
    }
  }
}

extension ACE {
  /// In a DACL pass: true for an access-allowed ACE of any flavour, false for an access-denied
  /// one, nil for an ACE the pass skips (inherit-only, opaque, or another type).
  @inline(__always)
  static func discretionaryEffect(_ type: ACEType, _ flags: ACEFlags, opaque: Bool) -> Bool? {
    guard !flags.contains(.inheritOnly), !opaque else { return nil }
    switch type.rawValue {
    case 0x00, 0x05, 0x09, 0x0B: return true
    case 0x01, 0x06, 0x0A, 0x0C: return false
    default: return nil
    }
  }
}

extension ACEType {
  /// SYSTEM_AUDIT ACEs of any flavour (plain, object, callback, callback object).
  var isAudit: Bool { [0x02, 0x07, 0x0D, 0x0F].contains(rawValue) }
}
