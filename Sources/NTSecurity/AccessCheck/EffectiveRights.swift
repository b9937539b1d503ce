extension AccessCheck {
  /// GetEffectiveRightsFromAcl: the rights `acl` grants a trustee whose SIDs are `trustee` and
  /// `groups` (pass every group the trustee belongs to, Everyone included; nothing is looked up).
  ///
  /// The ACEs are read as for `MAXIMUM_ALLOWED`: allow ACEs grant what no earlier deny ACE denied,
  /// deny ACEs deny what no earlier allow ACE granted. Inherit-only ACEs and object ACEs that name
  /// an object type are skipped; callback ACEs count as UNKNOWN (their allow ACEs do not apply,
  /// their deny ACEs do). There are no owner rights, privileges or mandatory labels here.
  public static func effectiveRights(of trustee: SID, groups: [SID] = [], in acl: ACL) -> AccessMask {
    let sids = [trustee] + groups
    var granted: AccessMask = []
    var denied: AccessMask = []
    for ace in acl.aces where !ace.isOpaque && !ace.flags.contains(.inheritOnly) {
      guard ace.type.isAllow || ace.type.isDeny, sids.contains(ace.sid) else { continue }
      if ace.type.isObject, ace.objectType != nil { continue }
      if ace.type.isAllow {
        if ace.type.isCallback { continue }
        granted.formUnion(ace.mask.subtracting(denied))
      } else {
        denied.formUnion(ace.mask.subtracting(granted))
      }
    }
    return granted
  }

  /// GetAuditedPermissionsFromAcl: the rights whose successful and whose failed use `acl`'s audit
  /// ACEs audit for a trustee whose SIDs are `trustee` and `groups`. Inherit-only ACEs are skipped.
  public static func auditedRights(of trustee: SID, groups: [SID] = [], in acl: ACL) -> (
    success: AccessMask, failure: AccessMask
  ) {
    let sids = [trustee] + groups
    var success: AccessMask = []
    var failure: AccessMask = []
    for ace in acl.aces where !ace.isOpaque && ace.type.isAudit && !ace.flags.contains(.inheritOnly) {
      guard sids.contains(ace.sid) else { continue }
      if ace.flags.contains(.successfulAccess) { success.formUnion(ace.mask) }
      if ace.flags.contains(.failedAccess) { failure.formUnion(ace.mask) }
    }
    return (success, failure)
  }
}
