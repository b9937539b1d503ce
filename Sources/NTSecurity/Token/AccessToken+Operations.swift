/// The token API's operations, with Windows' rules and error codes.
extension AccessToken {
  /// The attributes Windows gives every restricting SID: mandatory, enabled by default, enabled.
  static let restrictingSIDAttributes: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]

  /// CreateRestrictedToken: a restricted copy of this token, of the same type.
  ///
  /// - `disabling`: SIDs made deny-only (`SE_GROUP_USE_FOR_DENY_ONLY` set, `ENABLED` and
  ///   `ENABLED_BY_DEFAULT` cleared), the user SID and mandatory groups included. SIDs the token
  ///   does not hold are ignored.
  /// - `deleting`: privileges removed; ones the token does not hold are ignored. Ignored with
  ///   `.disableMaxPrivilege`, which removes every privilege but SeChangeNotifyPrivilege.
  /// - `restricting`: restricting SIDs, always enabled. When this token is already restricted the
  ///   new list is the intersection of the two; duplicates are kept as given.
  public func restricted(
    disabling: [SID] = [], deleting: [LUID] = [], restricting: [SID] = [],
    flags: RestrictionFlags = []
  ) -> AccessToken {
    var token = self
    if !disabling.isEmpty {
      let denyOnly: (inout SIDAndAttributes) -> Void = { entry in
        guard disabling.contains(entry.sid) else { return }
        entry.attributes.remove([.enabled, .enabledByDefault])
        entry.attributes.insert(.useForDenyOnly)
      }
      denyOnly(&token.user)
      for i in token.groups.indices { denyOnly(&token.groups[i]) }
    }
    if flags.contains(.disableMaxPrivilege) {
      token.privileges.removeAll { $0.luid != Privilege.changeNotify.luid }
    } else if !deleting.isEmpty {
      token.privileges.removeAll { deleting.contains($0.luid) }
    }
    if !restricting.isEmpty {
      let kept =
        isRestricted ? restricting.filter { sid in restrictingSIDs.contains { $0.sid == sid } } : restricting
      token.restrictingSIDs = kept.map { SIDAndAttributes($0, Self.restrictingSIDAttributes) }
    }
    token.restrictionFlags.formUnion(flags.subtracting(.disableMaxPrivilege))
    token.statistics.tokenID = .allocate()
    token.statistics.modifiedID = token.statistics.tokenID
    return token
  }

  /// DuplicateToken: an impersonation token at `impersonationLevel`.
  public func duplicate(impersonationLevel: ImpersonationLevel) throws(NTSecurityError)
    -> AccessToken
  {
    try duplicate(impersonationLevel: impersonationLevel, type: .impersonation)
  }

  /// DuplicateTokenEx: a copy of `type`. From an impersonation token, the copy's level cannot be
  /// above the source's, and a primary token needs a source at `.impersonation` or above
  /// (`ERROR_BAD_IMPERSONATION_LEVEL` otherwise). The copy gets a new token id.
  public func duplicate(impersonationLevel: ImpersonationLevel, type newType: TokenType)
    throws(NTSecurityError) -> AccessToken
  {
    if type == .impersonation {
      if newType == .impersonation, impersonationLevel > self.impersonationLevel {
        throw NTSecurityError(
          .badImpersonationLevel,
          "cannot raise the impersonation level from \(self.impersonationLevel) to \(impersonationLevel)"
        )
      }
      if newType == .primary, self.impersonationLevel < .impersonation {
        throw NTSecurityError(
          .badImpersonationLevel,
          "a primary token needs an impersonation token at SecurityImpersonation or above")
      }
    }
    var token = self
    token.type = newType
    token.impersonationLevel = impersonationLevel
    token.statistics.tokenID = .allocate()
    token.statistics.modifiedID = token.statistics.tokenID
    return token
  }

  /// The outcome of AdjustTokenPrivileges or AdjustTokenGroups: the previous state of what
  /// changed, and `ERROR_SUCCESS` or `ERROR_NOT_ALL_ASSIGNED` (the call still succeeds then).
  public struct Adjustment<Entry: Hashable & Sendable>: Hashable, Sendable {
    /// The entries that changed, with their attributes before the change.
    public var previousState: [Entry]
    /// `ERROR_SUCCESS`, or `ERROR_NOT_ALL_ASSIGNED` when some entry named something the token
    /// does not hold.
    public var status: WindowsError
  }

  /// AdjustTokenPrivileges. With `disableAll`, every privilege is disabled and `newState` is
  /// ignored. Otherwise each entry enables (`SE_PRIVILEGE_ENABLED`), disables (no attribute) or
  /// removes for good (`SE_PRIVILEGE_REMOVED`) a privilege the token holds; entries for
  /// privileges it does not hold make the status `ERROR_NOT_ALL_ASSIGNED`.
  @discardableResult
  public mutating func adjustPrivileges(disableAll: Bool = false, newState: [LUIDAndAttributes] = [])
    -> Adjustment<LUIDAndAttributes>
  {
    var previous: [LUIDAndAttributes] = []
    var status = WindowsError.success
    if disableAll {
      for i in privileges.indices where privileges[i].attributes.contains(.enabled) {
        previous.append(privileges[i])
        privileges[i].attributes.remove(.enabled)
      }
    } else {
      for change in newState {
        guard let i = privileges.firstIndex(where: { $0.luid == change.luid }) else {
          status = .notAllAssigned
          continue
        }
        let before = privileges[i]
        if change.attributes.contains(.removed) {
          previous.append(before)
          privileges.remove(at: i)
          continue
        }
        var after = before
        if change.attributes.contains(.enabled) {
          after.attributes.insert(.enabled)
        } else {
          after.attributes.remove(.enabled)
        }
        if after != before {
          previous.append(before)
          privileges[i] = after
        }
      }
    }
    if !previous.isEmpty { touch() }
    return Adjustment(previousState: previous, status: status)
  }

  /// AdjustTokenGroups. With `resetToDefault`, every group returns to its default state
  /// (enabled exactly when `SE_GROUP_ENABLED_BY_DEFAULT`) and `newState` is ignored. Otherwise
  /// each entry enables (`SE_GROUP_ENABLED`) or disables a group. Disabling a mandatory group
  /// throws `ERROR_CANT_DISABLE_MANDATORY`, enabling a deny-only group throws
  /// `ERROR_CANT_ENABLE_DENY_ONLY` (nothing changes then); entries for groups the token does not
  /// hold make the status `ERROR_NOT_ALL_ASSIGNED`.
  @discardableResult
  public mutating func adjustGroups(resetToDefault: Bool = false, newState: [SIDAndAttributes] = [])
    throws(NTSecurityError) -> Adjustment<SIDAndAttributes>
  {
    var updated = groups
    var previous: [SIDAndAttributes] = []
    var status = WindowsError.success
    func set(_ i: Int, enabled: Bool) throws(NTSecurityError) {
      let before = updated[i]
      if !enabled, before.attributes.contains(.mandatory) {
        throw NTSecurityError(.cantDisableMandatory, "\(before.sid) is a mandatory group")
      }
      if enabled, before.attributes.contains(.useForDenyOnly) {
        throw NTSecurityError(.cantEnableDenyOnly, "\(before.sid) is a deny-only group")
      }
      var after = before
      if enabled { after.attributes.insert(.enabled) } else { after.attributes.remove(.enabled) }
      if after != before {
        previous.append(before)
        updated[i] = after
      }
    }
    if resetToDefault {
      for i in updated.indices
      where !updated[i].attributes.contains(.mandatory)
        && !updated[i].attributes.contains(.useForDenyOnly)
        && !updated[i].attributes.contains(.integrity)
      {
        try set(i, enabled: updated[i].attributes.contains(.enabledByDefault))
      }
    } else {
      for change in newState {
        guard let i = updated.firstIndex(where: { $0.sid == change.sid }) else {
          status = .notAllAssigned
          continue
        }
        try set(i, enabled: change.attributes.contains(.enabled))
      }
    }
    groups = updated
    if !previous.isEmpty { touch() }
    return Adjustment(previousState: previous, status: status)
  }

  /// CheckTokenMembership: whether `sid` is an enabled SID of this token (the user or a group).
  /// Deny-only SIDs never count; in a restricted token (not write-restricted) the SID must also
  /// be among the restricting SIDs.
  public func isMember(_ sid: SID) -> Bool {
    let present =
      (user.sid == sid && !user.attributes.contains(.useForDenyOnly)) || groups.contains { $0.sid == sid && $0.isEnabled }
    guard present else { return false }
    if isRestricted && !isWriteRestricted {
      return restrictingSIDs.contains { $0.sid == sid }
    }
    return true
  }
}
