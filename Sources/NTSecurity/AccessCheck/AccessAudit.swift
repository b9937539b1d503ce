/// Which SACL audit ACEs fire for the outcome of an access check (what AccessCheckAndAuditAlarm
/// would log), returned as data.
enum AccessAudit {
  /// An audit ACE (SYSTEM_AUDIT, its object, callback and callback-object forms) fires when it is
  /// not inherit-only, carries SUCCESSFUL_ACCESS_ACE_FLAG for a success or FAILED_ACCESS_ACE_FLAG
  /// for a failure, names an enabled or deny-only SID of the token (PRINCIPAL_SELF and OWNER
  /// RIGHTS substituted as in the DACL), names an object type in the list (object ACEs with one),
  /// has a TRUE condition (callback ACEs), and its mask, generic rights mapped, shares a right with
  /// `audited` (the granted rights on success, the requested ones on failure). Alarm ACEs are
  /// ignored, as Windows does.
  static func events(
    _ evaluation: borrowing AccessEvaluation, _ token: borrowing AccessToken,
    _ descriptor: borrowing SecurityDescriptor, sacl: ACL, success: Bool, audited: AccessMask
  ) -> [AccessAuditEvent] {
    let wantedFlag: ACEFlags = success ? .successfulAccess : .failedAccess
    return TokenSIDIndex.with(token: token, restricted: false) { index in
      var events: [AccessAuditEvent] = []
      for (i, ace) in sacl.aces.enumerated() where ace.type.isAudit && !ace.isOpaque {
        guard !ace.flags.contains(.inheritOnly), ace.flags.contains(wantedFlag) else { continue }
        var sid = ace.sid
        if let principalSelf = evaluation.principalSelf, sid == .principalSelf {
          sid = principalSelf
        } else if sid == .ownerRights {
          sid = evaluation.owner
        }
        guard !index.membership(of: sid).isEmpty else { continue }
        if ace.type.isObject, let objectType = ace.objectType,
          !evaluation.objectTypes.contains(where: { $0.objectType == objectType })
        {
          continue
        }
        if ace.type.isCallback, evaluation.condition(of: ace, restricted: false, token, descriptor) != .true {
          continue
        }
        let mask = ace.mask.mapped(by: evaluation.mapping).intersection(audited)
        guard !mask.isEmpty else { continue }
        events.append(
          AccessAuditEvent(
            outcome: success ? .success : .failure, aceIndex: i, sid: sid, accessMask: mask,
            objectType: ace.type.isObject ? ace.objectType : nil))
      }
      return events
    }
  }
}
