/// One access check in progress: the inputs, checked by ``AccessCheck``, and the steps.
///
/// The token and the descriptor are borrowed through pointers for the duration of the check
/// (``AccessCheck`` scopes them), so the evaluation copies without touching reference counts.
struct AccessEvaluation {
  let token: UnsafePointer<AccessToken>
  let descriptor: UnsafePointer<SecurityDescriptor>
  let owner: SID
  let desired: AccessMask
  let mapping: GenericMapping
  let objectTypes: UnsafeBufferPointer<ObjectTypeEntry>
  let principalSelf: SID?
  let backupIntent: Bool
  /// Whether an ACE for OWNER RIGHTS that is not inherit-only replaces the owner's implicit rights.
  let ownerRightsPresent: Bool

  init(
    token: UnsafePointer<AccessToken>, descriptor: UnsafePointer<SecurityDescriptor>, owner: SID,
    desired: AccessMask, mapping: GenericMapping, objectTypes: UnsafeBufferPointer<ObjectTypeEntry>,
    principalSelf: SID?,
    backupIntent: Bool
  ) {
    self.token = token
    self.descriptor = descriptor
    self.owner = owner
    self.desired = desired
    self.mapping = mapping
    self.objectTypes = objectTypes
    self.principalSelf = principalSelf
    self.backupIntent = backupIntent
    var ownerRights = false
    if descriptor.pointee.control.contains(.daclPresent), let dacl = descriptor.pointee.dacl {
      let ownerRightsSID = SID.ownerRights
      dacl.aces.withUnsafeBufferPointer { aces in
        for i in aces.indices
        where !aces[i].isOpaque && !aces[i].flags.contains(.inheritOnly)
          && aces[i].sid.quickEquals(ownerRightsSID)
        {
          ownerRights = true
          break
        }
      }
    }
    ownerRightsPresent = ownerRights
  }

  /// The DACL, or nil when it is NULL or absent.
  var dacl: ACL? { descriptor.pointee.presentDACL }
  var sacl: ACL? { descriptor.pointee.presentSACL }

  /// The object's resource attributes, read when a condition needs them.
  var resourceAttributes: [ClaimSecurityAttribute] { AccessEvaluation.resourceAttributes(of: sacl) }

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
  func conditionSIDs(restricted: Bool) -> [SIDAndAttributes] {
    if restricted { return token.pointee.restrictingSIDs }
    var user = token.pointee.user
    if !user.attributes.contains(.useForDenyOnly) { user.attributes.insert(.enabled) }
    return [user] + token.pointee.groups
  }

  /// Evaluates a callback ACE's condition (for a deny ACE, deny-only SIDs and claims count too);
  /// data that is not a valid condition is UNKNOWN.
  func condition(of ace: ACE, restricted: Bool) -> ConditionResult {
    let context = ConditionContext(
      token: token.pointee, sids: conditionSIDs(restricted: restricted),
      resourceAttributes: resourceAttributes,
      principalSelf: principalSelf, forDenyACE: ace.type.isDeny)
    return ConditionalExpression.evaluate(applicationData: ace.applicationData, in: context)
  }

  func run() -> AccessCheckResult {
    let maximumAllowed = desired.contains(.maximumAllowed)
    let requested = desired.subtracting(.maximumAllowed)
    var remaining = requested
    var privilegeGranted: AccessMask = []
    var used: [Privilege] = []

    // Backup intent: the I/O manager grants these before the security reference monitor runs.
    if backupIntent {
      for (privilege, rights) in [
        (Privilege.backup, AccessCheck.backupRights(mapping)), (.restore, AccessCheck.restoreRights(mapping)),
      ] {
        let wanted = maximumAllowed ? rights : remaining.intersection(rights)
        if !wanted.isEmpty, token.pointee.hasEnabledPrivilege(privilege) {
          privilegeGranted.formUnion(wanted)
          remaining.subtract(wanted)
          used.append(privilege)
        }
      }
    }

    // Mandatory checks first: they can only deny.
    let limit = MandatoryAccess.limit(token: token, sacl: sacl, mapping: mapping) {
      condition(of: $0, restricted: false)
    }
    guard remaining.isSubset(of: limit) else { return finish(.accessDenied, requested: requested) }

    // Privileges.
    if remaining.contains(.accessSystemSecurity) {
      guard token.pointee.hasEnabledPrivilege(.security) else {
        return finish(.privilegeNotHeld, requested: requested)
      }
      privilegeGranted.insert(.accessSystemSecurity)
      remaining.remove(.accessSystemSecurity)
      used.append(.security)
    }
    if remaining.contains(.writeOwner) {
      for privilege in [Privilege.takeOwnership, .relabel] where token.pointee.hasEnabledPrivilege(privilege)
      {
        privilegeGranted.insert(.writeOwner)
        remaining.remove(.writeOwner)
        used.append(privilege)
        break
      }
    }
    if !maximumAllowed && remaining.isEmpty {
      // Everything asked for came from privileges (asking for nothing is denied).
      return finish(
        privilegeGranted.isEmpty ? .accessDenied : .success, granted: privilegeGranted, requested: requested,
        used: used)
    }

    // The DACL: the normal pass, then the restricted one.
    let needed = maximumAllowed ? nil : remaining
    let lookups = (dacl?.aces.count ?? 0) + 1
    var tree = objectTypes.isEmpty ? nil : ObjectTypeTree(Array(objectTypes))
    var granted = TokenSIDIndex.with(
      user: token.pointee.user, entries: token.pointee.groups, lookups: lookups
    ) {
      discretionaryPass($0, restricted: false, needed: needed, tree: &tree)
    }
    if token.pointee.isRestricted {
      let scope =
        token.pointee.isWriteRestricted
        ? AccessCheck.writeRestrictedRights(mapping) : mapping.all.union(AccessMask(rawValue: 0x1F_FFFF))
      let scopedNeed = needed?.intersection(scope)
      if scopedNeed.map({ !$0.isEmpty }) ?? true {
        var restrictedTree = objectTypes.isEmpty ? nil : ObjectTypeTree(Array(objectTypes))
        let restrictedGranted = TokenSIDIndex.with(
          user: nil, entries: token.pointee.restrictingSIDs, lookups: lookups
        ) {
          discretionaryPass($0, restricted: true, needed: scopedNeed, tree: &restrictedTree)
        }
        let outside = AccessMask(rawValue: ~scope.rawValue)
        granted.formIntersection(restrictedGranted.union(outside))
        if var t = tree, let r = restrictedTree {
          for k in t.granted.indices { t.granted[k].formIntersection(r.granted[k].union(outside)) }
          tree = t
        }
      }
    }
    granted.formIntersection(limit)
    granted.remove(.maximumAllowed)

    // The outcome: the root's, and one per object type node.
    func outcome(_ dacl: AccessMask) -> (granted: AccessMask, success: Bool) {
      if maximumAllowed {
        let all = privilegeGranted.union(dacl)
        return (all, !all.isEmpty && remaining.isSubset(of: all))
      }
      return (requested, !requested.isEmpty && remaining.isSubset(of: dacl))
    }
    let root = outcome(granted)
    var nodes: [ObjectTypeAccess] = []
    if let tree {
      nodes.reserveCapacity(objectTypes.count)
      let reportable = maximumAllowed ? MandatoryAccess.unrestricted : requested
      for (k, entry) in objectTypes.enumerated() {
        let node = tree.granted[k].intersection(limit).subtracting(.maximumAllowed)
        let result = outcome(node)
        nodes.append(
          ObjectTypeAccess(
            level: entry.level, objectType: entry.objectType,
            granted: result.success ? result.granted : privilegeGranted.union(node).intersection(reportable),
            status: result.success ? .success : .accessDenied))
      }
    }
    return finish(
      root.success ? .success : .accessDenied, granted: root.granted, requested: requested, used: used,
      nodes: nodes)
  }

  /// Builds the result: nothing granted and no privileges on failure; audit events either way.
  func finish(
    _ status: WindowsError, granted: AccessMask = [], requested: AccessMask, used: [Privilege] = [],
    nodes: [ObjectTypeAccess]? = nil
  ) -> AccessCheckResult {
    let success = status == .success
    let nodeResults =
      nodes
      ?? objectTypes.map {
        ObjectTypeAccess(
          level: $0.level, objectType: $0.objectType, granted: success ? granted : [], status: status)
      }
    var audits: [AccessAuditEvent] = []
    if let sacl, sacl.aces.contains(where: { $0.type.isAudit }) {
      audits = AccessAudit.events(
        self, sacl: sacl, success: success,
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
    _ index: TokenSIDIndex, restricted: Bool, needed: AccessMask?, tree: inout ObjectTypeTree?
  ) -> AccessMask {
    guard let dacl else {
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
    dacl.aces.withUnsafeBufferPointer { aces in
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
          let result = condition(of: aces[i], restricted: restricted)
          if allow ? result != .true : result == .false { continue }
        }
        apply(allow: allow, node: node, aces[i].mask)
        if stopEarly, need.isSubset(of: granted) || !need.isDisjoint(with: denied) { break }
      }
    }
    return granted
  }
}

extension ACEType {
  /// SYSTEM_AUDIT ACEs of any flavour (plain, object, callback, callback object).
  var isAudit: Bool { [0x02, 0x07, 0x0D, 0x0F].contains(rawValue) }
}
