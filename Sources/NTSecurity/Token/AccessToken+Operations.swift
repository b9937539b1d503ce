/// The token API's operations, with Windows' rules and error codes.
extension AccessToken {
  /// The attributes Windows gives every restricting SID: mandatory, enabled by default, enabled.
  static let restrictingSIDAttributes: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]

  /// The most SIDs CreateRestrictedToken takes in each of its SID lists, the most groups a Windows
  /// token can hold. Windows documents no figure ("too many" is ERROR_INVALID_PARAMETER); this is
  /// NTSecurity's.
  public static let maxRestrictionSIDCount = 1024
  /// The most privileges CreateRestrictedToken takes to delete: one entry per privilege there is
  /// (``Privilege/all``). NTSecurity's figure, as for ``maxRestrictionSIDCount``.
  public static let maxRestrictionPrivilegeCount = Privilege.all.count

  /// CreateRestrictedToken with plain SIDs and LUIDs: the same as
  /// ``restricted(flags:sidsToDisable:privilegesToDelete:sidsToRestrict:)`` with every attribute
  /// zero.
  public func restricted(
    disabling: [SID] = [], deleting: [LUID] = [], restricting: [SID] = [],
    flags: RestrictionFlags = []
  ) throws(NTSecurityError) -> AccessToken {
    try restricted(
      flags: flags, sidsToDisable: disabling.map { SIDAndAttributes($0) },
      privilegesToDelete: deleting.map { LUIDAndAttributes($0) },
      sidsToRestrict: restricting.map { SIDAndAttributes($0) })
  }

  /// CreateRestrictedToken (pywin32's argument order): a restricted copy of this token,
  /// of the same type. An operation that restricts: the new token is never granted more than this
  /// one.
  ///
  /// - `flags`: `DISABLE_MAX_PRIVILEGE`, `SANDBOX_INERT`, `LUA_TOKEN`, `WRITE_RESTRICTED`; other
  ///   bits are `ERROR_INVALID_PARAMETER`. `LUA_TOKEN` filters the token as UAC does (``LUAFilter``):
  ///   administrative groups deny-only, only the standard user's privileges, integrity at most
  ///   Medium. `WRITE_RESTRICTED` on a token already restricted for all access is
  ///   `ERROR_INVALID_PARAMETER` (it would turn the restricting SIDs off for reads); a
  ///   write-restricted token stays write-restricted.
  /// - `sidsToDisable`: SIDs made deny-only (`SE_GROUP_USE_FOR_DENY_ONLY` set, `ENABLED` and
  ///   `ENABLED_BY_DEFAULT` cleared), the user SID and mandatory groups included. SIDs the token
  ///   does not hold, and the attributes, are ignored.
  /// - `privilegesToDelete`: privileges removed; ones the token does not hold, and the attributes,
  ///   are ignored. Ignored with `DISABLE_MAX_PRIVILEGE`, which removes every privilege but
  ///   SeChangeNotifyPrivilege.
  /// - `sidsToRestrict`: restricting SIDs, whose attributes must be zero
  ///   (`ERROR_INVALID_PARAMETER` otherwise); they get mandatory, enabled by default and enabled.
  ///   When this token is already restricted the new list is the intersection of the two
  ///   (duplicates kept as given), and an empty intersection is `ERROR_INVALID_PARAMETER`. Unlike
  ///   Windows, the restricting SIDs the intersection drops stay in the list as deny-only
  ///   (mandatory, `SE_GROUP_USE_FOR_DENY_ONLY`), so that deny ACEs naming them keep denying in
  ///   the second pass.
  ///
  /// More than ``maxRestrictionSIDCount`` SIDs in a list or ``maxRestrictionPrivilegeCount``
  /// privileges is `ERROR_INVALID_PARAMETER`. The new token is restricted when this one is or
  /// when `sidsToRestrict` is not empty, and keeps this one's flags.
  public func restricted(
    flags: RestrictionFlags, sidsToDisable: [SIDAndAttributes],
    privilegesToDelete: [LUIDAndAttributes], sidsToRestrict: [SIDAndAttributes]
  ) throws(NTSecurityError) -> AccessToken {
    let unknown = flags.subtracting(.all)
    guard unknown.isEmpty else {
      throw NTSecurityError(
        .invalidParameter, "unknown CreateRestrictedToken flags 0x\(String(unknown.rawValue, radix: 16))")
    }
    for (name, count) in [
      ("SIDs to disable", sidsToDisable.count), ("SIDs to restrict", sidsToRestrict.count),
    ]
    where count > Self.maxRestrictionSIDCount {
      throw NTSecurityError(
        .invalidParameter, "too many \(name): \(count), at most \(Self.maxRestrictionSIDCount)")
    }
    if !flags.contains(.disableMaxPrivilege), privilegesToDelete.count > Self.maxRestrictionPrivilegeCount {
      throw NTSecurityError(
        .invalidParameter,
        "too many privileges to delete: \(privilegesToDelete.count), at most \(Self.maxRestrictionPrivilegeCount)"
      )
    }
    if let i = sidsToRestrict.firstIndex(where: { !$0.attributes.isEmpty }) {
      throw NTSecurityError(
        .invalidParameter,
        "SIDs to restrict[\(i)] \(sidsToRestrict[i].sid) has attributes 0x\(String(sidsToRestrict[i].attributes.rawValue, radix: 16)); they must be zero"
      )
    }
    if isRestricted, !isWriteRestricted, flags.contains(.writeRestricted) {
      throw NTSecurityError(
        .invalidParameter,
        "WRITE_RESTRICTED on a token restricted for all access would lift the restriction on reads")
    }
    var token = self
    if !sidsToRestrict.isEmpty { token.restrictingSIDs = try restrictingList(sidsToRestrict) }
    return token.finishRestriction(
      flags: flags, sidsToDisable: sidsToDisable, privilegesToDelete: privilegesToDelete)
  }

  /// The restricting SIDs after CreateRestrictedToken with `sidsToRestrict` (not empty): the given
  /// SIDs for an unrestricted token, else their intersection with the enabled restricting SIDs.
  /// The SIDs the intersection drops stay, deny-only: a deny ACE naming one still denies in the
  /// second pass (Windows drops them, which lets a second restriction lift such a deny).
  private func restrictingList(_ sidsToRestrict: [SIDAndAttributes]) throws(NTSecurityError)
    -> [SIDAndAttributes]
  {
    guard isRestricted else {
      return sidsToRestrict.map { SIDAndAttributes($0.sid, Self.restrictingSIDAttributes) }
    }
    let kept = sidsToRestrict.filter { new in restrictingSIDs.contains { $0.sid == new.sid && $0.isEnabled } }
    guard !kept.isEmpty else {
      throw NTSecurityError(
        .invalidParameter,
        "no SID to restrict is among the token's restricting SIDs: the intersection would be empty")
    }
    let keptSIDs = Set(kept.map(\.sid))
    let dropped = restrictingSIDs.filter { !keptSIDs.contains($0.sid) }.map {
      SIDAndAttributes($0.sid, [.mandatory, .useForDenyOnly])
    }
    return kept.map { SIDAndAttributes($0.sid, Self.restrictingSIDAttributes) } + dropped
  }

  /// The rest of CreateRestrictedToken, once the restricting SIDs are set: deny-only SIDs,
  /// privileges, the LUA filter, the flags and a new token id.
  private func finishRestriction(
    flags: RestrictionFlags, sidsToDisable: [SIDAndAttributes], privilegesToDelete: [LUIDAndAttributes]
  ) -> AccessToken {
    var token = self
    let lua = flags.contains(.luaToken)
    if !sidsToDisable.isEmpty || lua {
      let disabling = Set(sidsToDisable.map(\.sid))
      let denyOnly: (inout SIDAndAttributes) -> Void = { entry in
        guard disabling.contains(entry.sid) || (lua && LUAFilter.isFiltered(entry.sid)) else { return }
        entry.attributes.remove([.enabled, .enabledByDefault])
        entry.attributes.insert(.useForDenyOnly)
      }
      denyOnly(&token.user)
      // Changed in a copy and stored once: each store of `groups` rebuilds the token's SID keys.
      var groups = token.groups
      for i in groups.indices { denyOnly(&groups[i]) }
      token.groups = groups
    }
    if flags.contains(.disableMaxPrivilege) {
      token.privileges.removeAll { $0.luid != Privilege.changeNotify.luid }
    } else if !privilegesToDelete.isEmpty {
      let deleting = Set(privilegesToDelete.map(\.luid))
      token.privileges.removeAll { deleting.contains($0.luid) }
    }
    if lua {
      token.privileges.removeAll { !LUAFilter.keptPrivileges.contains($0.luid) }
      if token.integrityRID > LUAFilter.highestIntegrityRID { token.integrityLevel = .mediumLabel }
      token.isElevated = false
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
  /// privileges it does not hold make the status `ERROR_NOT_ALL_ASSIGNED`. The previous state
  /// holds the privileges enabled or disabled, not the removed ones (pywin32's documentation: they cannot be
  /// restored).
  @discardableResult
  public mutating func adjustPrivileges(disableAll: Bool = false, newState: [LUIDAndAttributes] = [])
    -> Adjustment<LUIDAndAttributes>
  {
    var previous: [LUIDAndAttributes] = []
    var removed = false
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
          privileges.remove(at: i)
          removed = true
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
    if !previous.isEmpty || removed { touch() }
    return Adjustment(previousState: previous, status: status)
  }

  /// AdjustTokenGroups. With `resetToDefault`, every group returns to its default state
  /// (enabled exactly when `SE_GROUP_ENABLED_BY_DEFAULT`) and `newState` is ignored. Otherwise
  /// each entry enables (`SE_GROUP_ENABLED`) or disables a group. Disabling a mandatory group
  /// throws `ERROR_CANT_DISABLE_MANDATORY`, enabling a deny-only group throws
  /// `ERROR_CANT_ENABLE_DENY_ONLY`, naming the integrity label throws `ERROR_INVALID_PARAMETER`
  /// (it is not a group access checks match; nothing changes then); entries for groups the token
  /// does not hold make the status `ERROR_NOT_ALL_ASSIGNED`.
  @discardableResult
  public mutating func adjustGroups(resetToDefault: Bool = false, newState: [SIDAndAttributes] = [])
    throws(NTSecurityError) -> Adjustment<SIDAndAttributes>
  {
    var updated = groups
    var previous: [SIDAndAttributes] = []
    var status = WindowsError.success
    func set(_ i: Int, enabled: Bool) throws(NTSecurityError) {
      let before = updated[i]
      if before.attributes.contains(.integrity) {
        throw NTSecurityError(
          .invalidParameter, "\(before.sid) is the integrity label, not a group to adjust")
      }
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
  /// be among the restricting SIDs, so one whose list is empty is a member of nothing.
  public func isMember(_ sid: SID) -> Bool {
    let present =
      (user.sid == sid && !user.attributes.contains(.useForDenyOnly))
      || groups.contains { $0.sid == sid && $0.isEnabled }
    guard present else { return false }
    if isRestricted && !isWriteRestricted {
      return restrictingSIDs.contains { $0.sid == sid && $0.isEnabled }
    }
    return true
  }
}
