/// The mandatory part of the access check, which Windows runs before anything else: the process
/// trust label, access filters and mandatory integrity control (MIC). These checks never grant;
/// they bound what the rest of the check may grant.
enum MandatoryAccess {
  /// Every bit: no mandatory restriction.
  static let unrestricted = AccessMask(rawValue: 0xFFFF_FFFF)

  /// The rights the mandatory checks leave open. `condition` evaluates an access filter ACE's
  /// condition (against the normal pass's SIDs).
  static func limit(
    token: borrowing AccessToken, sacl: ACL?, mapping: GenericMapping,
    condition: (ACE) -> ConditionResult
  ) -> AccessMask {
    var limit = unrestricted
    var label: ACE?
    if let sacl {
      var trustLabelSeen = false
      for ace in sacl.aces where !ace.isOpaque && !ace.flags.contains(.inheritOnly) {
        switch ace.type {
        case .systemProcessTrustLabel where !trustLabelSeen:
          // The first trust label counts. A token carries no trust level here, so it dominates
          // only the lowest label (S-1-19-0-0); any other label bounds access to its mask.
          trustLabelSeen = true
          if !(ace.sid.identifierAuthority == 19 && ace.sid.subAuthorities.allSatisfy { $0 == 0 }) {
            limit.formIntersection(ace.mask.union(.accessSystemSecurity))
          }
        case .systemAccessFilter:
          // Each filter whose condition is not TRUE bounds access to its mask.
          if condition(ace) != .true { limit.formIntersection(ace.mask.union(.accessSystemSecurity)) }
        case .systemMandatoryLabel where label == nil:
          label = ace
        default:
          break
        }
      }
    }
    limit.formIntersection(integrityLimit(token: token, label: label, mapping: mapping))
    return limit
  }

  /// Mandatory integrity control: when the token's level is below the object's (an object without
  /// a label is Medium with NO_WRITE_UP), only the rights the label's policy allows remain. A token
  /// whose mandatory policy lacks `TOKEN_MANDATORY_POLICY_NO_WRITE_UP` is not checked at all.
  static func integrityLimit(token: borrowing AccessToken, label: ACE?, mapping: GenericMapping)
    -> AccessMask
  {
    guard token.mandatoryPolicy.contains(.noWriteUp) else { return unrestricted }
    let labelRID = label?.sid.lastSubAuthority ?? 0x2000
    // The token's label (the lowest, should it hold several), Medium when there is none.
    guard token.integrityRID < labelRID else { return unrestricted }
    let policy =
      label.map {
        $0.mask.intersection([.mandatoryLabelNoWriteUp, .mandatoryLabelNoReadUp, .mandatoryLabelNoExecuteUp])
      } ?? .mandatoryLabelNoWriteUp
    var allowed = allowedRights(policy: policy, mapping: mapping)
    // SeRelabelPrivilege lets the caller change the label, which needs WRITE_OWNER.
    if token.hasEnabledPrivilege(.relabel) { allowed.insert(.writeOwner) }
    return allowed
  }

  /// The rights a label policy (NO_WRITE_UP, NO_READ_UP, NO_EXECUTE_UP) leaves to a token below the
  /// label. Rights shared between the generic mappings stay when any category that holds them is
  /// allowed: READ_CONTROL counts as read, SYNCHRONIZE as execute, and DELETE, WRITE_DAC,
  /// WRITE_OWNER and ACCESS_SYSTEM_SECURITY as write.
  static func allowedRights(policy: AccessMask, mapping: GenericMapping) -> AccessMask {
    if policy.isEmpty { return mapping.all }
    let canRead = !policy.contains(.mandatoryLabelNoReadUp)
    let canWrite = !policy.contains(.mandatoryLabelNoWriteUp)
    let canExecute = !policy.contains(.mandatoryLabelNoExecuteUp)
    let readRights = mapping.read.union(.readControl)
    let writeRights = mapping.write.union([.delete, .writeDAC, .writeOwner, .accessSystemSecurity])
    let executeRights = mapping.execute.subtracting(mapping.read).union(.synchronize)
    var allowed = mapping.read.union(mapping.execute).union([.synchronize, .readControl])
    if canWrite { allowed.formUnion(mapping.all) }
    if !canRead {
      var kept: AccessMask = []
      if canWrite { kept.formUnion(writeRights) }
      if canExecute { kept.formUnion(executeRights) }
      allowed.subtract(readRights.subtracting(kept))
    }
    if !canExecute {
      var kept: AccessMask = []
      if canWrite { kept.formUnion(writeRights) }
      if canRead { kept.formUnion(readRights) }
      allowed.subtract(executeRights.subtracting(kept))
    }
    if !canWrite {
      var kept: AccessMask = []
      if canExecute { kept.formUnion(executeRights) }
      if canRead { kept.formUnion(readRights) }
      allowed.subtract(writeRights.subtracting(kept))
    }
    return allowed
  }
}
