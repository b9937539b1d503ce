import Testing

@testable import NTSecurity

/// Which SACL audit ACEs fire, and conditional ACEs over claims, device groups and resource
/// attributes (MS-DTYP 2.4.4.17, 2.5.3.1.5).
@Suite struct AccessCheckAuditTests {
  let alice = AC.token()
  let dacl = "O:SYG:SYD:(A;;FR;;;WD)"

  @Test(
    "Success audit ACEs fire on success for the granted rights; failure audit ACEs on failure for the requested ones"
  )
  func successAndFailureAudits() throws {
    let sddl = dacl + "S:(AU;SA;FR;;;WD)(AU;FA;FW;;;WD)(AU;SAFA;SD;;;WD)"
    let ok = try AC.check(alice, sddl, .fileReadData)
    #expect(
      ok.auditEvents == [
        AccessAuditEvent(
          outcome: .success, aceIndex: 0, sid: .everyone, accessMask: .fileReadData, objectType: nil)
      ])
    let failed = try AC.check(alice, sddl, AccessMask.fileWriteData.union(.delete))
    #expect(
      failed.auditEvents == [
        AccessAuditEvent(
          outcome: .failure, aceIndex: 1, sid: .everyone, accessMask: .fileWriteData, objectType: nil),
        AccessAuditEvent(
          outcome: .failure, aceIndex: 2, sid: .everyone, accessMask: .delete, objectType: nil),
      ])
  }

  @Test("Audit ACE masks are generic-mapped; inherit-only audit ACEs and alarm ACEs never fire")
  func auditMappingAndSkips() throws {
    let sddl = dacl + "S:(AU;FA;GA;;;WD)(AU;FAIO;FA;;;WD)(AL;FA;FA;;;WD)"
    let result = try AC.check(alice, sddl, .fileWriteData)
    #expect(result.auditEvents.map(\.aceIndex) == [0])
    #expect(result.auditEvents.first?.accessMask == .fileWriteData)
  }

  @Test("Audit ACEs match enabled and deny-only SIDs of the token, not others")
  func auditTrustees() throws {
    let token = AC.token(groups: [SIDAndAttributes(AC.staff, [.useForDenyOnly])])
    let sddl = dacl + "S:(AU;FA;FA;;;S-1-5-21-1-2-3-2001)(AU;FA;FA;;;SY)"
    #expect(try AC.check(token, sddl, .fileWriteData).auditEvents.map(\.aceIndex) == [0])
  }

  @Test("ERROR_PRIVILEGE_NOT_HELD is a failure for auditing")
  func privilegeFailureIsAudited() throws {
    let result = try AC.check(alice, dacl + "S:(AU;FA;0x1000000;;;WD)", .accessSystemSecurity)
    #expect(result.status == .privilegeNotHeld)
    #expect(result.auditEvents.map(\.accessMask) == [.accessSystemSecurity])
  }

  @Test("Object audit ACEs fire only for object types in the list")
  func objectAudits() throws {
    let guid = GUID("44444444-0000-0000-0000-000000000001")!
    let sddl = "O:SYG:SYD:(A;;RP;;;WD)S:(OU;SA;RP;\(guid);;WD)"
    let without = try AC.check(alice, sddl, .dsReadProperty, mapping: .directoryServiceObject)
    #expect(without.auditEvents.isEmpty)
    let list = [ObjectTypeEntry(level: 0, guid)]
    let with = try AC.check(alice, sddl, .dsReadProperty, mapping: .directoryServiceObject, objectTypes: list)
    #expect(with.auditEvents.map(\.objectType) == [guid])
  }

  @Test("Callback audit ACEs fire only when their condition is TRUE")
  func callbackAudits() throws {
    let sddl = dacl + #"S:(XU;SA;FR;;;WD;(@User.Title == "PM"))"#
    #expect(try AC.check(alice, sddl, .fileReadData).auditEvents.isEmpty)
    var pm = alice
    pm.userClaims = [ClaimSecurityAttribute(name: "Title", values: .string(["PM"]))]
    #expect(try AC.check(pm, sddl, .fileReadData).auditEvents.count == 1)
  }

  @Test("Conditional allow ACEs apply only when TRUE: user claims")
  func conditionalAllowOverUserClaims() throws {
    let sddl = #"O:SYG:SYD:(XA;;FR;;;WD;(@User.Title == "PM"))"#
    var pm = alice
    pm.userClaims = [ClaimSecurityAttribute(name: "Title", values: .string(["PM"]))]
    #expect(try AC.check(pm, sddl, .fileReadData).isGranted)
    var dev = alice
    dev.userClaims = [ClaimSecurityAttribute(name: "Title", values: .string(["Dev"]))]
    #expect(try AC.check(dev, sddl, .fileReadData).status == .accessDenied)
    // No such claim: UNKNOWN, and an allow ACE does not apply.
    #expect(try AC.check(alice, sddl, .fileReadData).status == .accessDenied)
  }

  @Test("Conditional deny ACEs apply unless FALSE: UNKNOWN denies")
  func conditionalDenyOnUnknown() throws {
    let sddl = #"O:SYG:SYD:(XD;;FW;;;WD;(@User.Clearance == "Public"))(A;;FA;;;WD)"#
    #expect(try AC.check(alice, sddl, .fileWriteData).status == .accessDenied)
    var publicUser = alice
    publicUser.userClaims = [ClaimSecurityAttribute(name: "Clearance", values: .string(["Public"]))]
    #expect(try AC.check(publicUser, sddl, .fileWriteData).status == .accessDenied)
    var secret = alice
    secret.userClaims = [ClaimSecurityAttribute(name: "Clearance", values: .string(["Secret"]))]
    #expect(try AC.check(secret, sddl, .fileWriteData).isGranted)
  }

  @Test("Conditions see device claims, device groups and the SACL's resource attributes")
  func deviceClaimsGroupsAndResourceAttributes() throws {
    let sddl =
      #"O:SYG:SYD:(XA;;FR;;;WD;(@Device.Managed == 1))(XA;;FW;;;WD;(Device_Member_of {SID(BA)}))"#
      + #"(XA;;SD;;;WD;(@User.Project == @Resource.Project))S:(RA;;;;;WD;("Project",TS,0x0,"Alpha"))"#
    var token = alice
    token.deviceClaims = [ClaimSecurityAttribute(name: "Managed", values: .int64([1]))]
    token.deviceGroups = [SIDAndAttributes(.builtinAdministrators, AC.enabled)]
    token.userClaims = [ClaimSecurityAttribute(name: "Project", values: .string(["Alpha"]))]
    let max = try AC.check(token, sddl, AC.maximumAllowed)
    #expect(max.granted == AccessMask.fileGenericRead.union(.fileGenericWrite).union(.delete))
    token.userClaims = [ClaimSecurityAttribute(name: "Project", values: .string(["Beta"]))]
    #expect(try AC.check(token, sddl, .delete).status == .accessDenied)
  }

  @Test("Member_of in a condition counts enabled SIDs; a deny ACE's condition counts deny-only SIDs too")
  func memberOfAttributes() throws {
    let staff = SIDAndAttributes(AC.staff, [.useForDenyOnly])
    let token = AC.token(groups: [staff])
    let allow = "O:SYG:SYD:(XA;;FR;;;WD;(Member_of {SID(S-1-5-21-1-2-3-2001)}))"
    #expect(try AC.check(token, allow, .fileReadData).status == .accessDenied)
    let deny = "O:SYG:SYD:(XD;;FW;;;WD;(Member_of {SID(S-1-5-21-1-2-3-2001)}))(A;;FA;;;WD)"
    #expect(try AC.check(token, deny, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(alice, deny, .fileWriteData).isGranted)
  }

  @Test("PRINCIPAL_SELF in a condition's SID literals stands for the principalSelf SID too")
  func principalSelfInConditions() throws {
    let sddl = "O:SYG:SYD:(XA;;FR;;;WD;(Member_of {SID(PS)}))"
    #expect(try AC.check(alice, sddl, .fileReadData).status == .accessDenied)
    #expect(try AC.check(alice, sddl, .fileReadData, principalSelf: AC.alice).isGranted)
    #expect(try AC.check(alice, sddl, .fileReadData, principalSelf: AC.bob).status == .accessDenied)
  }

  @Test("GetEffectiveRightsFromAcl: what the ACL grants the trustee and its groups, denies first-come")
  func effectiveRights() throws {
    let acl = AC.sd("D:(D;;FW;;;BU)(A;;FA;;;S-1-5-21-1-2-3-1001)(A;IO;SD;;;WD)(A;;0x40;;;WD)").dacl!
    #expect(AccessCheck.effectiveRights(of: AC.alice, in: acl) == .fileAllAccess)
    #expect(
      AccessCheck.effectiveRights(of: AC.alice, groups: [.builtinUsers], in: acl)
        == AccessMask.fileAllAccess.subtracting(.fileGenericWrite))
    #expect(AccessCheck.effectiveRights(of: AC.bob, groups: [.everyone], in: acl) == .fileDeleteChild)
  }

  @Test("GetAuditedPermissionsFromAcl: the success and failure audit masks for the trustee")
  func auditedRights() throws {
    let acl = AC.sd("S:(AU;SA;FR;;;WD)(AU;FA;FW;;;S-1-5-21-1-2-3-1001)(AU;SAFA;SD;;;BA)(AU;SAIO;WD;;;WD)")
      .sacl!
    let rights = AccessCheck.auditedRights(of: AC.alice, groups: [.everyone], in: acl)
    #expect(rights.success == .fileGenericRead && rights.failure == .fileGenericWrite)
  }
}
