/// ``AccessCheck/explain(token:descriptor:desired:mapping:objectTypes:principalSelf:backupIntent:)``:
/// the steps of ``AccessEvaluation/run(_:_:)`` (the same helpers, in the same order), recording per
/// right which step granted, denied or limited it. The DACL passes read every ACE (no early stop).
extension AccessEvaluation {
  /// Steps per bit of the access mask.
  struct StepLog {
    var steps = [[AccessStep]](repeating: [], count: 32)

    mutating func add(_ step: AccessStep, for rights: AccessMask) {
      for bit in 0..<32 where rights.rawValue & (1 << UInt32(bit)) != 0 { steps[bit].append(step) }
    }
  }

  func explain(_ token: borrowing AccessToken, _ descriptor: borrowing SecurityDescriptor)
    -> AccessExplanation
  {
    let maximumAllowed = desired.contains(.maximumAllowed)
    let requested = desired.subtracting(.maximumAllowed)
    let considered = maximumAllowed ? mapping.all.union(requested) : requested
    var remaining = requested
    var privileges = PrivilegeGrants()
    var log = StepLog()

    if backupIntent {
      grantBackupRights(token, maximumAllowed: maximumAllowed, remaining: &remaining, to: &privileges)
      var left = privileges.granted
      for privilege in privileges.used {
        let rights =
          (privilege == .backup ? AccessCheck.backupRights(mapping) : AccessCheck.restoreRights(mapping))
          .intersection(left)
        log.add(AccessStep(.backupIntent, .granted, .privilege, privilege: privilege), for: rights)
        left.subtract(rights)
      }
    }

    let limit = MandatoryAccess.limit(token: token, sacl: descriptor.presentSACL, mapping: mapping) {
      condition(of: $0, restricted: false, token, descriptor)
    }
    logMandatory(limit, considered: considered.union(remaining), token, descriptor, &log)
    func done(_ status: WindowsError, _ granted: AccessMask) -> AccessExplanation {
      let granted = status == .success ? granted : []
      var rights: [RightExplanation] = []
      for bit in 0..<32 where considered.union(granted).rawValue & (1 << UInt32(bit)) != 0 {
        let right = AccessMask(rawValue: 1 << UInt32(bit))
        rights.append(
          RightExplanation(
            right: right, requested: requested.contains(right), granted: granted.contains(right),
            steps: log.steps[bit]))
      }
      return AccessExplanation(granted: granted, status: status, mandatoryLimit: limit, rights: rights)
    }
    guard remaining.isSubset(of: limit) else {
      log.add(AccessStep(.mandatory, .notGranted, .stoppedByMandatory), for: remaining.intersection(limit))
      return done(.accessDenied, [])
    }

    let before = privileges.used.count
    let refusal = grantPrivilegedRights(token, remaining: &remaining, to: &privileges)
    if refusal != nil {
      log.add(AccessStep(.privileges, .denied, .privilege, privilege: .security), for: .accessSystemSecurity)
      return done(.privilegeNotHeld, [])
    }
    for privilege in privileges.used[before...] {
      let right: AccessMask = privilege == .security ? .accessSystemSecurity : .writeOwner
      log.add(AccessStep(.privileges, .granted, .privilege, privilege: privilege), for: right)
    }
    if !maximumAllowed && remaining.isEmpty {
      return done(privileges.granted.isEmpty ? .accessDenied : .success, privileges.granted)
    }

    let needed = maximumAllowed ? nil : remaining
    let daclConsidered = needed ?? considered
    var granted = TokenSIDIndex.with(token: token, restricted: false) {
      explainPass($0, restricted: false, considered: daclConsidered, &log, token, descriptor)
    }
    if token.isRestricted {
      let scope =
        token.isWriteRestricted
        ? AccessCheck.writeRestrictedRights(mapping) : mapping.all.union(AccessMask(rawValue: 0x1F_FFFF))
      let outside = AccessMask(rawValue: ~scope.rawValue)
      log.add(
        AccessStep(.restricted, .skipped, .outsideRestrictedScope), for: daclConsidered.intersection(outside))
      if needed.map({ !$0.intersection(scope).isEmpty }) ?? true {
        let restrictedGranted = TokenSIDIndex.with(token: token, restricted: true) {
          explainPass(
            $0, restricted: true, considered: daclConsidered.intersection(scope), &log, token, descriptor)
        }
        granted.formIntersection(restrictedGranted.union(outside))
      }
    }
    granted.formIntersection(limit)
    granted.remove(.maximumAllowed)
    let decision = Decision(
      maximumAllowed: maximumAllowed, requested: requested, remaining: remaining,
      privileges: privileges.granted)
    let root = decision.outcome(granted)
    return done(root.success ? .success : .accessDenied, root.granted)
  }

  /// Records the rights the mandatory checks take away, naming the integrity label when it is
  /// the one that bounds them.
  func logMandatory(
    _ limit: AccessMask, considered: AccessMask, _ token: borrowing AccessToken,
    _ descriptor: borrowing SecurityDescriptor, _ log: inout StepLog
  ) {
    let limited = considered.subtracting(limit)
    guard !limited.isEmpty else { return }
    let sacl = descriptor.presentSACL
    let labelIndex = sacl?.aces.firstIndex {
      $0.type == .systemMandatoryLabel && !$0.isOpaque && !$0.flags.contains(.inheritOnly)
    }
    let label = labelIndex.map { sacl!.aces[$0] }
    let integrity = MandatoryAccess.integrityLimit(token: token, label: label, mapping: mapping)
    log.add(
      AccessStep(.mandatory, .limited, .integrityLabel, aceIndex: labelIndex, ace: label),
      for: limited.subtracting(integrity))
    log.add(AccessStep(.mandatory, .limited, .trustLabelOrFilter), for: limited.intersection(integrity))
  }

  /// One DACL pass as ``discretionaryPass(_:restricted:needed:tree:_:_:)`` makes it (same owner
  /// rule, same ``node(of:in:allow:_:_:restricted:_:_:_:)`` test, same masks) over every ACE,
  /// logging for the rights in `considered` the ACE that granted or denied them at the object,
  /// and the ACEs skipped for a reason worth telling. Returns the rights granted to the object.
  func explainPass(
    _ index: TokenSIDIndex, restricted: Bool, considered: AccessMask, _ log: inout StepLog,
    _ token: borrowing AccessToken, _ descriptor: borrowing SecurityDescriptor
  ) -> AccessMask {
    let pass: AccessStep.Pass = restricted ? .restricted : .discretionary
    var tree = objectTypes.isEmpty ? nil : ObjectTypeTree(objectTypes)
    guard let dacl = descriptor.presentDACL else {
      let all = mapping.all.union(desired).subtracting(.maximumAllowed)
      log.add(AccessStep(pass, .granted, .nullDACL), for: considered.intersection(all))
      return all
    }
    var masks = PassMasks()
    if !ownerRightsPresent, index.membership(of: owner).contains(.allow) {
      masks.apply(allow: true, node: 0, [.readControl, .writeDAC], &tree)
      log.add(AccessStep(pass, .granted, .ownerImplicit), for: considered.intersection(masks.granted))
    }
    let keys = PassKeys()
    let aces = dacl.aces
    for i in aces.indices {
      guard let allow = ACE.discretionaryEffect(aces[i].type, aces[i].flags, opaque: aces[i].isOpaque) else {
        continue
      }
      let open = considered.subtracting(masks.granted).subtracting(masks.denied)
      guard
        let node = node(
          of: i, in: aces, allow: allow, index, keys, restricted: restricted, tree, token, descriptor)
      else {
        if let (rule, value) = skipReason(aces[i], allow: allow, index, restricted, tree, token, descriptor) {
          log.add(
            AccessStep(pass, .skipped, rule, aceIndex: i, ace: aces[i], condition: value),
            for: open.intersection(aces[i].mask))
        }
        continue
      }
      let previous = (masks.granted, masks.denied)
      masks.apply(allow: allow, node: node, aces[i].mask, &tree)
      let rule: AccessStep.Rule = aces[i].sid == .ownerRights ? .ownerRights : .ace
      let value =
        aces[i].type.isCallback ? condition(of: aces[i], restricted: restricted, token, descriptor) : nil
      log.add(
        AccessStep(pass, .granted, rule, aceIndex: i, ace: aces[i], condition: value),
        for: considered.intersection(masks.granted.subtracting(previous.0)))
      log.add(
        AccessStep(pass, .denied, rule, aceIndex: i, ace: aces[i], condition: value),
        for: considered.intersection(masks.denied.subtracting(previous.1)))
    }
    log.add(
      AccessStep(pass, .notGranted, .noMatchingACE),
      for: considered.subtracting(masks.granted).subtracting(masks.denied))
    return masks.granted
  }

  /// Why ``node(of:in:allow:_:_:restricted:_:_:_:)`` skipped an ACE whose SID concerns the
  /// token: an allow ACE for a deny-only SID, an object type not in the list, or a condition that
  /// did not hold. Nil for an ACE whose SID is not the token's.
  func skipReason(
    _ ace: ACE, allow: Bool, _ index: TokenSIDIndex, _ restricted: Bool,
    _ tree: ObjectTypeTree?, _ token: borrowing AccessToken, _ descriptor: borrowing SecurityDescriptor
  ) -> (AccessStep.Rule, ConditionResult?)? {
    // The SID lookup node(of:…) makes (PRINCIPAL_SELF and OWNER RIGHTS standing in), repeated
    // here so that the check's own path stays as it is.
    let membership: SIDMembership
    if ace.sid == .principalSelf, let principalSelf {
      membership = index.membership(of: principalSelf)
    } else if ace.sid == .ownerRights {
      membership = index.membership(of: owner)
    } else {
      membership = index.membership(of: ace.sid)
    }
    if allow, membership == .deny { return (.denyOnlySID, nil) }
    guard membership.contains(allow ? .allow : .deny) else { return nil }
    if ace.type.isObject,
      tree.map({ $0.node(for: ace.objectType) == nil }) ?? (allow && ace.objectType != nil)
    {
      return (.objectType, nil)
    }
    if ace.type.isCallback {
      return (.condition, condition(of: ace, restricted: restricted, token, descriptor))
    }
    return nil
  }
}
