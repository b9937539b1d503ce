import Testing

@testable import NTSecurity

/// CreateRestrictedToken's documented error cases, LUA_TOKEN as UAC's filter,
/// restricted-ness that no operation loses, and one integrity label per token.
@Suite struct RestrictedTokenRulesTests {
  func expectInvalidParameter(
    _ what: Comment, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(NTSecurityError) -> AccessToken
  ) {
    do {
      _ = try body()
      Issue.record("\(what): no error", sourceLocation: sourceLocation)
    } catch {
      #expect(error.code == .invalidParameter, "\(what): \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test(
    "CreateRestrictedToken's errors: unknown flags, too many SIDs or privileges, restricting attributes other than zero"
  )
  func seedErrors() {
    let token = sampleToken()
    expectInvalidParameter("flag 0x10") { () throws(NTSecurityError) in
      try token.restricted(flags: RestrictionFlags(rawValue: 0x10))
    }
    let many = [SID](repeating: .everyone, count: AccessToken.maxRestrictionSIDCount + 1)
    expectInvalidParameter("too many SIDs to disable") { () throws(NTSecurityError) in
      try token.restricted(disabling: many)
    }
    expectInvalidParameter("too many SIDs to restrict") { () throws(NTSecurityError) in
      try token.restricted(restricting: many)
    }
    let privileges = (0...AccessToken.maxRestrictionPrivilegeCount).map { _ in Privilege.backup.luid }
    expectInvalidParameter("too many privileges") { () throws(NTSecurityError) in
      try token.restricted(deleting: privileges)
    }
    expectInvalidParameter("restricting attributes") { () throws(NTSecurityError) in
      try token.restricted(
        flags: [], sidsToDisable: [], privilegesToDelete: [],
        sidsToRestrict: [SIDAndAttributes(.everyone, .enabled)])
    }
    // At the limits, and with attributes where the seed ignores them, it works.
    #expect(throws: Never.self) {
      _ = try token.restricted(restricting: Array(many.dropLast()))
      _ = try token.restricted(deleting: Array(privileges.dropLast()))
      _ = try token.restricted(
        flags: .disableMaxPrivilege, sidsToDisable: [SIDAndAttributes(.everyone, .enabled)],
        privilegesToDelete: privileges.map { LUIDAndAttributes($0, .enabled) }, sidsToRestrict: [])
    }
  }

  @Test(
    "an empty intersection with the restricting SIDs is ERROR_INVALID_PARAMETER, and the token stays as it was"
  )
  func emptyIntersection() throws {
    let once = try sampleToken().restricted(restricting: [.everyone])
    expectInvalidParameter("disjoint") { () throws(NTSecurityError) in
      try once.restricted(restricting: [.builtinUsers])
    }
    #expect(
      try once.restricted(restricting: [.builtinUsers, .everyone]).restrictingSIDs.map(\.sid) == [.everyone])
  }

  @Test("WRITE_RESTRICTED on a fully restricted token is refused; a write-restricted token stays so")
  func writeRestrictedRules() throws {
    let full = try sampleToken().restricted(restricting: [.everyone])
    expectInvalidParameter("write_restricted") { () throws(NTSecurityError) in
      try full.restricted(flags: .writeRestricted)
    }
    let write = try sampleToken().restricted(
      restricting: [.everyone, .builtinUsers], flags: .writeRestricted)
    let again = try write.restricted(restricting: [.everyone])
    #expect(again.isWriteRestricted && again.isRestricted)
    #expect(try write.restricted(flags: .writeRestricted).isWriteRestricted)
  }

  @Test(
    "restricted-ness survives every operation: an emptied list, duplicate, adjustments, SetTokenInformation")
  func restrictedIsSticky() throws {
    var token = try sampleToken().restricted(restricting: [.everyone])
    token.restrictingSIDs = []
    #expect(token.isRestricted)
    #expect(try token.duplicate(impersonationLevel: .impersonation, type: .impersonation).isRestricted)
    try token.adjustGroups(resetToDefault: true)
    token.adjustPrivileges(disableAll: true)
    #expect(token.isRestricted)
    #expect(try token.settingInformation(.integrityLevel, .sid(.lowLabel)).isRestricted)
    #expect(!token.isMember(.everyone))
    #expect(AccessToken(user: .everyone, isRestricted: true).isRestricted)
  }

  @Test("LUA_TOKEN: UAC's administrative groups deny-only, the five standard privileges, Medium integrity")
  func luaToken() throws {
    let domainAdmins = try SID(parsing: "S-1-5-21-1-2-3-512")
    let domainUsers = try SID(parsing: "S-1-5-21-1-2-3-513")
    let on: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]
    var admin = AccessToken(
      user: try SID(parsing: "S-1-5-21-1-2-3-500"),
      groups: [
        SIDAndAttributes(.builtinAdministrators, on), SIDAndAttributes(.builtinUsers, on),
        SIDAndAttributes(try SID(parsing: "S-1-5-32-551"), on), SIDAndAttributes(domainAdmins, on),
        SIDAndAttributes(domainUsers, on), SIDAndAttributes(LUAFilter.localAccountAndAdministrator, on),
        SIDAndAttributes(.highLabel, [.integrity, .integrityEnabled]),
      ],
      privileges: Privilege.all.map { LUIDAndAttributes($0, .enabled) })
    admin.isElevated = true
    let lua = try admin.restricted(flags: .luaToken)
    let denyOnly = lua.groups.filter { $0.attributes.contains(.useForDenyOnly) }.map(\.sid)
    #expect(
      denyOnly == [
        .builtinAdministrators, try SID(parsing: "S-1-5-32-551"), domainAdmins,
        LUAFilter.localAccountAndAdministrator,
      ])
    #expect(lua.isMember(.builtinUsers) && lua.isMember(domainUsers) && !lua.isMember(domainAdmins))
    #expect(
      Set(lua.privileges.compactMap(\.privilege?.name)) == [
        "SeChangeNotifyPrivilege", "SeShutdownPrivilege", "SeUndockPrivilege",
        "SeIncreaseWorkingSetPrivilege",
        "SeTimeZonePrivilege",
      ])
    #expect(
      lua.integrityLevel == .mediumLabel
        && lua.groups.filter { $0.attributes.contains(.integrity) }.count == 1)
    #expect(!lua.isElevated && lua.restrictionFlags.contains(.luaToken))
    #expect(!lua.isRestricted)
    // Deny-only groups cannot be enabled again; a Low token stays Low.
    var again = lua
    #expect(throws: NTSecurityError.self) {
      try again.adjustGroups(newState: [SIDAndAttributes(.builtinAdministrators, .enabled)])
    }
    var low = admin
    low.integrityLevel = .lowLabel
    #expect(try low.restricted(flags: .luaToken).integrityLevel == .lowLabel)
    let shortDomain = try SID(parsing: "S-1-5-21-1-2-512")
    #expect(!LUAFilter.isFiltered(.builtinUsers) && !LUAFilter.isFiltered(shortDomain))
  }

  @Test("two integrity labels are refused on input; a token holding two anyway gets the lowest everywhere")
  func integrityLabels() throws {
    let two = [
      SIDAndAttributes(.highLabel, [.integrity, .integrityEnabled]),
      SIDAndAttributes(.lowLabel, [.integrity, .integrityEnabled]),
    ]
    do {
      try AccessToken.checkIntegrityLabels(two)
      Issue.record("two labels accepted")
    } catch { #expect(error.code == .invalidParameter && error.message.contains("2 integrity labels")) }
    #expect(throws: NTSecurityError.self) {
      try AccessToken.checkIntegrityLabels([SIDAndAttributes(.everyone, [.integrity])])
    }
    try AccessToken.checkIntegrityLabels([two[0], SIDAndAttributes(.everyone, AC.enabled)])
    let token = AccessToken(user: AC.alice, groups: [SIDAndAttributes(.everyone, AC.enabled)] + two)
    #expect(token.integrityLevel == .lowLabel && token.integrityRID == 0x1000)
    #expect(try token.information(.integrityLevel) == .label(two[1]))
    #expect(
      try AC.check(
        AccessToken(user: AC.alice, groups: [two[0], SIDAndAttributes(.everyone, AC.enabled)]),
        "O:SYG:SYD:(A;;FA;;;WD)", .fileWriteData
      ).isGranted)
    // AccessCheck agrees: a Medium object is read-only for it.
    #expect(try AC.check(token, "O:SYG:SYD:(A;;FA;;;WD)", .fileWriteData).status == .accessDenied)
    #expect(try AC.check(token, "O:SYG:SYD:(A;;FA;;;WD)", .fileReadData).isGranted)
  }

  @Test("AdjustTokenGroups cannot enable the integrity label as a group")
  func adjustLabel() throws {
    var token = AccessToken(user: AC.alice, groups: [SIDAndAttributes(.everyone, AC.enabled)])
    do {
      try token.adjustGroups(newState: [SIDAndAttributes(.mediumLabel, .enabled)])
      Issue.record("the label was enabled")
    } catch { #expect(error.code == .invalidParameter) }
    #expect(token.groups.last == SIDAndAttributes(.mediumLabel, [.integrity, .integrityEnabled]))
    #expect(try !AC.check(token, "O:SYG:SYD:(A;;FA;;;ME)", .fileReadData).isGranted)
  }
}
