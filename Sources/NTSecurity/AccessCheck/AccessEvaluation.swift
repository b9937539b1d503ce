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

    // Privileges.
    if remaining.contains(.accessSystemSecurity) {
      guard token.hasEnabledPrivilege(.security) else {
        return finish(.privilegeNotHeld, requested: requested, token, descriptor)
      }
      privileges.grant(.accessSystemSecurity, by: .security, remaining: &remaining)
    }
    if remaining.contains(.writeOwner) {
      for privilege in [Privilege.takeOwnership, .relabel] where token.hasEnabledPrivilege(privilege) {
        privileges.grant(.writeOwner, by: privilege, remaining: &remaining)
        break
      }
    }
    if !maximumAllowed && remaining.isEmpty {
      // Everything asked for came from privileges (asking for nothing is denied).
      return finish(
        privileges.granted.isEmpty ? .accessDenied : .success, granted: privileges.granted,
        requested: requested, used: privileges.used, token, descriptor)
    }

    // The DACL: the normal pass, then the restricted one.
    var (granted, tree) = discretionaryAccess(needed: maximumAllowed ? nil : remaining, token, descriptor)
    granted.formIntersection(limit)
    granted.remove(.maximumAllowed)

    // The outcome: the root's, and one per object type node.
    let decision = Decision(
      maximumAllowed: maximumAllowed, requested: requested, remaining: remaining,
      privileges: privileges.granted)
    let root = decision.outcome(granted)
    var nodes: [ObjectTypeAccess] = []
    if let tree { nodes = objectTypeResults(tree, limit: limit, decision) }
    return finish(
      root.success ? .success : .accessDenied, granted: root.granted, requested: requested,
      used: privileges.used, nodes: nodes, token, descriptor)
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
    var granted: AccessMask = []
    var denied: AccessMask = []
    func apply(allow: Bool, node: Int, _ mask: AccessMask) {
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
    if !ownerRightsPresent, index.membership(of: owner).contains(.allow) {
      apply(allow: true, node: 0, [.readControl, .writeDAC])
    }
    let stopEarly = needed != nil && tree == nil
    let need = needed ?? []
    if stopEarly, need.isSubset(of: granted) { return granted }
    let selfSID = principalSelf
    let ownerRightsKey = TokenSIDIndex.key(SID.ownerRights)
    let principalSelfKey = TokenSIDIndex.key(SID.principalSelf)
    let aces = dacl.aces
    for i in aces.indices {
      let flags = aces[i].flags
      guard !flags.contains(.inheritOnly), !aces[i].isOpaque else { continue }
      let type = aces[i].type
      let allow: Bool
      switch type.rawValue {
      case 0x00, 0x05, 0x09, 0x0B: allow = true
      case 0x01, 0x06, 0x0A, 0x0C: allow = false
      default: continue
      }
      let key = TokenSIDIndex.key(aces[i].sid)
      let membership: SIDMembership
      if key == principalSelfKey, let selfSID, aces[i].sid == .principalSelf {
        membership = index.membership(of: selfSID)
      } else if key == ownerRightsKey, aces[i].sid == .ownerRights {
        membership = index.membership(of: owner)
      } else {
        membership = index.membership(key: key, aces[i].sid)
      }
      guard membership.contains(allow ? .allow : .deny) else { continue }
      var node = 0
      if type.isObject {
        if let t = tree {
          guard let n = t.node(for: aces[i].objectType) else { continue }
          node = n
        } else if allow, aces[i].objectType != nil {
          continue
        }
      }
      if type.isCallback {
        let result = condition(of: aces[i], restricted: restricted, token, descriptor)
        if allow ? result != .true : result == .false { continue }
      }
      apply(allow: allow, node: node, aces[i].mask)
      if stopEarly, need.isSubset(of: granted) || !need.isDisjoint(with: denied) { break }
    }
    return granted
  }
}

extension ACEType {
  /// SYSTEM_AUDIT ACEs of any flavour (plain, object, callback, callback object).
  var isAudit: Bool { [0x02, 0x07, 0x0D, 0x0F].contains(rawValue) }
}
