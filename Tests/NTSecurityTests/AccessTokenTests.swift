import Testing

@testable import NTSecurity

/// A standard user token: user, Users, Everyone, Authenticated Users, Administrators (deny-only,
/// as UAC filters it), a logon SID, and three privileges.
func sampleToken(type: TokenType = .primary, level: ImpersonationLevel = .anonymous) -> AccessToken {
  let user = try! SID(parsing: "S-1-5-21-1-2-3-1001")
  return AccessToken(
    user: user,
    groups: [
      SIDAndAttributes(.everyone, [.mandatory, .enabledByDefault, .enabled]),
      SIDAndAttributes(.builtinUsers, [.mandatory, .enabledByDefault, .enabled]),
      SIDAndAttributes(.builtinAdministrators, [.useForDenyOnly]),
      SIDAndAttributes(.authenticatedUsers, [.mandatory, .enabledByDefault, .enabled]),
      SIDAndAttributes(try! SID(parsing: "S-1-5-21-1-2-3-2000"), [.enabledByDefault, .enabled]),
      SIDAndAttributes(try! SID(parsing: "S-1-5-21-1-2-3-2001"), [.owner]),
      SIDAndAttributes(
        try! SID(parsing: "S-1-5-5-0-99999"), [.mandatory, .enabledByDefault, .enabled, .logonID]),
    ],
    privileges: [
      LUIDAndAttributes(.shutdown),
      LUIDAndAttributes(.changeNotify, [.enabledByDefault, .enabled]),
      LUIDAndAttributes(.backup),
    ],
    type: type,
    impersonationLevel: level
  )
}

@Suite("AccessToken")
struct AccessTokenTests {
  let user = try! SID(parsing: "S-1-5-21-1-2-3-1001")
  let group2000 = try! SID(parsing: "S-1-5-21-1-2-3-2000")

  @Test("a new token is Medium integrity with no_write_up, owned by its user")
  func defaults() throws {
    let token = AccessToken(user: user)
    #expect(token.integrityLevel == .mediumLabel)
    #expect(token.integrityRID == 0x2000)
    #expect(token.mandatoryPolicy == .noWriteUp)
    #expect(token.owner == user && token.primaryGroup == user)
    #expect(token.type == .primary)
    #expect(token.groups.last?.attributes == [.integrity, .integrityEnabled])
    #expect(token.defaultDACL?.aces.map(\.sid) == [user, .localSystem])
    #expect(!token.isRestricted)
  }

  @Test("the logon SID is the group marked SE_GROUP_LOGON_ID, and gets read/execute in the default DACL")
  func logonSID() throws {
    let token = sampleToken()
    #expect(token.logonSID == (try SID(parsing: "S-1-5-5-0-99999")))
    #expect(token.defaultDACL?.aces.last?.mask == [.genericRead, .genericExecute])
    guard case .groups(let logon) = try token.information(.logonSID) else {
      Issue.record("TokenLogonSid is not a group list")
      return
    }
    #expect(logon.map(\.sid) == [token.logonSID!])
    #expect(throws: NTSecurityError.self) { try AccessToken(user: user).information(.logonSID) }
  }

  // MARK: CreateRestrictedToken

  @Test(
    "CreateRestrictedToken: SIDs to disable become deny-only, lose ENABLED and ENABLED_BY_DEFAULT, even the user and mandatory groups"
  )
  func disableSIDs() throws {
    let token = sampleToken()
    let restricted = try token.restricted(disabling: [user, .everyone])
    #expect(restricted.user.attributes == [.useForDenyOnly])
    let everyone = restricted.groups.first { $0.sid == .everyone }!
    #expect(everyone.attributes == [.mandatory, .useForDenyOnly])
    #expect(!restricted.isMember(.everyone))
    #expect(!restricted.isMember(user))
    #expect(restricted.isMember(.builtinUsers))
  }

  @Test("CreateRestrictedToken: SIDs and privileges the token does not hold are silently ignored")
  func ignoreUnknown() throws {
    let token = sampleToken()
    let restricted = try token.restricted(
      disabling: [try! SID(parsing: "S-1-5-21-9-9-9-9")], deleting: [Privilege.tcb.luid])
    #expect(restricted.groups == token.groups)
    #expect(restricted.user == token.user)
    #expect(restricted.privileges == token.privileges)
  }

  @Test("CreateRestrictedToken: privileges to delete are removed")
  func deletePrivileges() throws {
    let restricted = try sampleToken().restricted(deleting: [Privilege.backup.luid, Privilege.shutdown.luid])
    #expect(restricted.privileges.map(\.luid) == [Privilege.changeNotify.luid])
  }

  @Test(
    "CreateRestrictedToken: DISABLE_MAX_PRIVILEGE keeps only SeChangeNotifyPrivilege and ignores the delete list"
  )
  func disableMaxPrivilege() throws {
    let restricted = try sampleToken().restricted(
      deleting: [Privilege.changeNotify.luid], flags: .disableMaxPrivilege)
    #expect(restricted.privileges == [LUIDAndAttributes(.changeNotify, [.enabledByDefault, .enabled])])
    #expect(!restricted.restrictionFlags.contains(.disableMaxPrivilege))
  }

  @Test("CreateRestrictedToken: restricting SIDs are added, always enabled, duplicates kept")
  func restrictingSIDs() throws {
    let restricted = try sampleToken().restricted(restricting: [.everyone, .restrictedCode, .everyone])
    #expect(restricted.isRestricted)
    #expect(restricted.restrictingSIDs.map(\.sid) == [.everyone, .restrictedCode, .everyone])
    #expect(
      restricted.restrictingSIDs.allSatisfy { $0.attributes == [.mandatory, .enabledByDefault, .enabled] })
  }

  @Test("CreateRestrictedToken on a restricted token: the new restricting SIDs are the intersection")
  func intersection() throws {
    let first = try sampleToken().restricted(restricting: [.everyone, .builtinUsers, .restrictedCode])
    let second = try first.restricted(restricting: [.builtinUsers, .authenticatedUsers, .restrictedCode])
    #expect(second.restrictingSIDs.filter(\.isEnabled).map(\.sid) == [.builtinUsers, .restrictedCode])
    // The dropped restricting SID stays, deny-only, so that its deny ACEs still deny.
    #expect(
      second.restrictingSIDs.filter { !$0.isEnabled } == [
        SIDAndAttributes(.everyone, [.mandatory, .useForDenyOnly])
      ])
    let unchanged = try first.restricted(disabling: [.everyone])
    #expect(unchanged.restrictingSIDs == first.restrictingSIDs)
  }

  @Test("CreateRestrictedToken keeps the token type and impersonation level, with a new token id")
  func keepsType() throws {
    let token = sampleToken(type: .impersonation, level: .identification)
    let restricted = try token.restricted(restricting: [.everyone])
    #expect(restricted.type == .impersonation)
    #expect(restricted.impersonationLevel == .identification)
    #expect(restricted.statistics.tokenID != token.statistics.tokenID)
    #expect(restricted.statistics.authenticationID == token.statistics.authenticationID)
  }

  @Test("CreateRestrictedToken: SANDBOX_INERT, LUA_TOKEN and WRITE_RESTRICTED are recorded and queryable")
  func flags() throws {
    let token = try sampleToken().restricted(
      restricting: [.everyone], flags: [.sandboxInert, .luaToken, .writeRestricted])
    #expect(token.isSandboxInert && token.isWriteRestricted)
    #expect(try token.information(.sandboxInert) == .flag(true))
    #expect(try token.information(.hasRestrictions) == .flag(true))
    #expect(try sampleToken().information(.sandboxInert) == .flag(false))
    #expect(try sampleToken().information(.isRestricted) == .flag(false))
    #expect(try token.information(.isRestricted) == .flag(true))
  }

  // MARK: CheckTokenMembership

  @Test("CheckTokenMembership counts enabled SIDs only; deny-only and disabled groups never count")
  func membership() {
    let token = sampleToken()
    #expect(token.isMember(user))
    #expect(token.isMember(.everyone))
    #expect(!token.isMember(.builtinAdministrators))  // deny-only
    #expect(!token.isMember(try! SID(parsing: "S-1-5-21-1-2-3-2001")))  // present, not enabled
    #expect(!token.isMember(.localSystem))  // absent
  }

  @Test("CheckTokenMembership on a restricted token needs the SID in both lists")
  func restrictedMembership() throws {
    let token = try sampleToken().restricted(restricting: [.everyone, .localSystem])
    #expect(token.isMember(.everyone))
    #expect(!token.isMember(.builtinUsers))  // enabled but not restricting
    #expect(!token.isMember(.localSystem))  // restricting but not in the token
  }

  // MARK: DuplicateTokenEx

  @Test("DuplicateToken makes an impersonation token; DuplicateTokenEx any type from a primary token")
  func duplicate() throws {
    let primary = sampleToken()
    let imp = try primary.duplicate(impersonationLevel: .delegation)
    #expect(imp.type == .impersonation && imp.impersonationLevel == .delegation)
    #expect(imp.statistics.tokenID != primary.statistics.tokenID)
    let again = try primary.duplicate(impersonationLevel: .anonymous, type: .primary)
    #expect(again.type == .primary)
  }

  @Test("DuplicateTokenEx cannot raise an impersonation token's level (ERROR_BAD_IMPERSONATION_LEVEL)")
  func duplicateRaise() throws {
    let ident = sampleToken(type: .impersonation, level: .identification)
    do {
      _ = try ident.duplicate(impersonationLevel: .impersonation)
      Issue.record("raised the impersonation level")
    } catch { #expect(error.code == .badImpersonationLevel) }
    #expect(try ident.duplicate(impersonationLevel: .anonymous).impersonationLevel == .anonymous)
  }

  @Test(
    "DuplicateTokenEx: a primary token from an identification-level token fails; from impersonation level it works"
  )
  func duplicatePrimary() throws {
    do {
      _ = try sampleToken(type: .impersonation, level: .identification)
        .duplicate(impersonationLevel: .identification, type: .primary)
      Issue.record("made a primary token from an identification token")
    } catch { #expect(error.code == .badImpersonationLevel) }
    let ok = try sampleToken(type: .impersonation, level: .impersonation)
      .duplicate(impersonationLevel: .impersonation, type: .primary)
    #expect(ok.type == .primary)
  }

  // MARK: AdjustTokenPrivileges

  @Test("AdjustTokenPrivileges enables and disables, returning the previous state of what changed")
  func adjustPrivileges() {
    var token = sampleToken()
    let before = token.statistics.modifiedID
    let result = token.adjustPrivileges(newState: [
      LUIDAndAttributes(.backup, .enabled), LUIDAndAttributes(.changeNotify, .enabled),
    ])
    #expect(result.status == .success)
    #expect(result.previousState == [LUIDAndAttributes(.backup)])  // changeNotify was already on
    #expect(token.hasEnabledPrivilege(.backup))
    #expect(token.statistics.modifiedID != before)
    let undo = token.adjustPrivileges(newState: result.previousState)
    #expect(undo.previousState == [LUIDAndAttributes(.backup, .enabled)])
    #expect(!token.hasEnabledPrivilege(.backup))
  }

  @Test(
    "AdjustTokenPrivileges: a privilege the token lacks gives ERROR_NOT_ALL_ASSIGNED, the others still change"
  )
  func notAllAssigned() {
    var token = sampleToken()
    let result = token.adjustPrivileges(newState: [
      LUIDAndAttributes(.tcb, .enabled), LUIDAndAttributes(.shutdown, .enabled),
    ])
    #expect(result.status == .notAllAssigned)
    #expect(token.hasEnabledPrivilege(.shutdown))
    #expect(!token.hasEnabledPrivilege(.tcb))
  }

  @Test("AdjustTokenPrivileges: SE_PRIVILEGE_REMOVED removes the privilege for good")
  func removePrivilege() {
    var token = sampleToken()
    let before = token.statistics.modifiedID
    let result = token.adjustPrivileges(newState: [
      LUIDAndAttributes(.backup, .removed), LUIDAndAttributes(.shutdown, .enabled),
    ])
    #expect(result.status == .success)
    #expect(token.attributes(of: .backup) == nil)
    // pywin32's documentation: privileges removed with SE_PRIVILEGE_REMOVED are not returned in the previous state.
    #expect(result.previousState == [LUIDAndAttributes(.shutdown)])
    #expect(token.statistics.modifiedID != before)
    let onlyRemoved = token.adjustPrivileges(newState: [LUIDAndAttributes(.shutdown, .removed)])
    #expect(onlyRemoved.previousState.isEmpty && token.attributes(of: .shutdown) == nil)
    let again = token.adjustPrivileges(newState: [LUIDAndAttributes(.backup, .enabled)])
    #expect(again.status == .notAllAssigned)
  }

  @Test("AdjustTokenPrivileges(DisableAllPrivileges) disables everything and ignores the new state")
  func disableAll() {
    var token = sampleToken()
    let result = token.adjustPrivileges(
      disableAll: true, newState: [LUIDAndAttributes(.backup, .enabled)])
    #expect(result.previousState == [LUIDAndAttributes(.changeNotify, [.enabledByDefault, .enabled])])
    #expect(token.privileges.allSatisfy { !$0.attributes.contains(.enabled) })
  }

  // MARK: AdjustTokenGroups

  @Test(
    "AdjustTokenGroups: disabling a mandatory group fails with ERROR_CANT_DISABLE_MANDATORY and changes nothing"
  )
  func mandatoryGroups() throws {
    var token = sampleToken()
    let before = token
    do {
      try token.adjustGroups(newState: [SIDAndAttributes(group2000), SIDAndAttributes(.everyone)])
      Issue.record("disabled a mandatory group")
    } catch { #expect(error.code == .cantDisableMandatory) }
    #expect(token == before)
  }

  @Test("AdjustTokenGroups: enabling a deny-only group fails with ERROR_CANT_ENABLE_DENY_ONLY")
  func denyOnlyGroups() throws {
    var token = sampleToken()
    do {
      try token.adjustGroups(newState: [SIDAndAttributes(.builtinAdministrators, .enabled)])
      Issue.record("enabled a deny-only group")
    } catch { #expect(error.code == .cantEnableDenyOnly) }
  }

  @Test("AdjustTokenGroups disables and re-enables optional groups; ResetToDefault restores the defaults")
  func adjustGroups() throws {
    var token = sampleToken()
    let off = try token.adjustGroups(newState: [SIDAndAttributes(group2000)])
    #expect(off.previousState.map(\.sid) == [group2000])
    #expect(!token.isMember(group2000))
    let missing = try token.adjustGroups(newState: [SIDAndAttributes(.localSystem, .enabled)])
    #expect(missing.status == .notAllAssigned)
    try token.adjustGroups(resetToDefault: true)
    #expect(token.isMember(group2000))
    #expect(!token.isMember(.builtinAdministrators))
  }

  // MARK: GetTokenInformation / SetTokenInformation

  @Test("GetTokenInformation(TokenImpersonationLevel) fails for a primary token")
  func impersonationLevelQuery() throws {
    #expect(throws: NTSecurityError.self) { try sampleToken().information(.impersonationLevel) }
    #expect(
      try sampleToken(type: .impersonation, level: .delegation).information(.impersonationLevel)
        == .impersonationLevel(.delegation))
  }

  @Test("GetTokenInformation returns each readable class; set-only classes give ERROR_INVALID_PARAMETER")
  func readableClasses() throws {
    let token = sampleToken()
    #expect(try token.information(.user) == .user(token.user))
    #expect(try token.information(.owner) == .sid(user))
    #expect(
      try token.information(.integrityLevel)
        == .label(SIDAndAttributes(.mediumLabel, [.integrity, .integrityEnabled])))
    #expect(try token.information(.type) == .type(.primary))
    do {
      _ = try token.information(.sessionReference)
      Issue.record("TokenSessionReference was readable")
    } catch { #expect(error.code == .invalidParameter) }
    do {
      _ = try token.information(.linkedToken)
      Issue.record("a token without a linked token returned one")
    } catch { #expect(error.code == .noSuchLogonSession) }
  }

  @Test("SetTokenInformation(TokenOwner): the user or a group with SE_GROUP_OWNER, else ERROR_INVALID_OWNER")
  func setOwner() throws {
    let token = sampleToken()
    let ownerGroup = try SID(parsing: "S-1-5-21-1-2-3-2001")
    #expect(try token.settingInformation(.owner, .sid(ownerGroup)).owner == ownerGroup)
    do {
      _ = try token.settingInformation(.owner, .sid(.builtinUsers))
      Issue.record("a group without SE_GROUP_OWNER became the owner")
    } catch { #expect(error.code == .invalidOwner) }
  }

  @Test("SetTokenInformation(TokenPrimaryGroup): any group of the token, else ERROR_INVALID_PRIMARY_GROUP")
  func setPrimaryGroup() throws {
    #expect(
      try sampleToken().settingInformation(.primaryGroup, .sid(.builtinUsers)).primaryGroup == .builtinUsers)
    do {
      _ = try sampleToken().settingInformation(.primaryGroup, .sid(.localSystem))
      Issue.record("a foreign SID became the primary group")
    } catch { #expect(error.code == .invalidPrimaryGroup) }
  }

  @Test("SetTokenInformation(TokenIntegrityLevel): lowering is allowed, raising needs SeTcbPrivilege")
  func setIntegrity() throws {
    let token = sampleToken()
    #expect(try token.settingInformation(.integrityLevel, .sid(.lowLabel)).integrityLevel == .lowLabel)
    do {
      _ = try token.settingInformation(.integrityLevel, .sid(.highLabel))
      Issue.record("raised integrity without SeTcbPrivilege")
    } catch { #expect(error.code == .privilegeNotHeld) }
    let system = AccessToken(user: .localSystem, privileges: [LUIDAndAttributes(.tcb, .enabled)])
    #expect(
      try token.settingInformation(.integrityLevel, .sid(.highLabel), caller: system).integrityLevel
        == .highLabel)
  }

  @Test(
    "SetTokenInformation(TokenSessionId) needs SeTcbPrivilege; read-only classes give ERROR_INVALID_PARAMETER"
  )
  func setSession() throws {
    do {
      _ = try sampleToken().settingInformation(.sessionID, .number(3))
      Issue.record("set the session id without SeTcbPrivilege")
    } catch { #expect(error.code == .privilegeNotHeld) }
    let tcb = AccessToken(user: .localSystem, privileges: [LUIDAndAttributes(.tcb, .enabled)])
    #expect(try sampleToken().settingInformation(.sessionID, .number(3), caller: tcb).sessionID == 3)
    do {
      _ = try sampleToken().settingInformation(.user, .user(SIDAndAttributes(.localSystem)))
      Issue.record("TokenUser was settable")
    } catch { #expect(error.code == .invalidParameter) }
  }

  @Test(
    "SetTokenInformation(TokenDefaultDacl) replaces the default DACL, a disabled privilege does not count")
  func setDefaultDACL() throws {
    let acl = ACL(aces: [.allow(.everyone, .genericRead)])
    #expect(try sampleToken().settingInformation(.defaultDACL, .acl(acl)).defaultDACL == acl)
    let disabledTcb = AccessToken(user: .localSystem, privileges: [LUIDAndAttributes(.tcb)])
    #expect(throws: NTSecurityError.self) {
      try sampleToken().settingInformation(.sessionID, .number(1), caller: disabledTcb)
    }
  }
}
