import Testing

@testable import NTSecurity

/// The rules of MS-DTYP 2.5.3.2 and of Windows' AccessCheck, one test each.
@Suite struct AccessCheckTests {
  let alice = AC.token()

  @Test("Generic rights in the desired mask fail the call with ERROR_GENERIC_NOT_MAPPED (AccessCheck docs)")
  func genericRightsAreNotMapped() throws {
    #expect(throws: NTSecurityError.self) {
      _ = try AC.check(alice, "O:SYG:SYD:(A;;FA;;;WD)", .genericRead)
    }
    do {
      _ = try AC.check(alice, "O:SYG:SYD:(A;;FA;;;WD)", [.genericAll, .readControl])
      Issue.record("expected ERROR_GENERIC_NOT_MAPPED")
    } catch { #expect(error.code == .genericNotMapped) }
    // Mapped first (MapGenericMask), the same request succeeds.
    let mapped = AccessMask.genericRead.mapped(by: .file)
    #expect(try AC.check(alice, "O:SYG:SYD:(A;;FA;;;WD)", mapped).granted == .fileGenericRead)
  }

  @Test("A descriptor without owner or group fails with ERROR_INVALID_SECURITY_DESCR (NtAccessCheck)")
  func ownerAndGroupAreRequired() throws {
    for sddl in ["G:SYD:(A;;FA;;;WD)", "O:SYD:(A;;FA;;;WD)", "D:(A;;FA;;;WD)"] {
      do {
        _ = try AC.check(alice, sddl, .fileGenericRead)
        Issue.record("expected ERROR_INVALID_SECURITY_DESCR for \(sddl)")
      } catch { #expect(error.code == .invalidSecurityDescriptor) }
    }
  }

  @Test("An anonymous-level impersonation token fails with ERROR_BAD_IMPERSONATION_LEVEL")
  func anonymousImpersonationTokenIsRefused() throws {
    var token = alice
    token.type = .impersonation
    token.impersonationLevel = .anonymous
    do {
      _ = try AC.check(token, "O:SYG:SYD:(A;;FA;;;WD)", .fileGenericRead)
      Issue.record("expected ERROR_BAD_IMPERSONATION_LEVEL")
    } catch { #expect(error.code == .badImpersonationLevel) }
    token.impersonationLevel = .identification
    #expect(try AC.check(token, "O:SYG:SYD:(A;;FA;;;WD)", .fileGenericRead).isGranted)
  }

  @Test("NULL and absent DACLs grant everything; MAXIMUM_ALLOWED gives the mapping's GenericAll (2.5.3.2)")
  func nullAndAbsentDACLGrantEverything() throws {
    for sddl in ["O:SYG:SYD:NO_ACCESS_CONTROL", "O:SYG:SY"] {
      let read = try AC.check(alice, sddl, .fileGenericRead)
      #expect(read.status == .success && read.granted == .fileGenericRead)
      let odd = try AC.check(alice, sddl, AccessMask(rawValue: 0x0080_0000))
      #expect(odd.granted.rawValue == 0x0080_0000)
      #expect(try AC.check(alice, sddl, AC.maximumAllowed).granted == .fileAllAccess)
      #expect(try AC.check(alice, sddl, AC.maximumAllowed, mapping: .registryKey).granted == .keyAllAccess)
      // Explicit rights with MAXIMUM_ALLOWED are added to GenericAll.
      let both = try AC.check(alice, sddl, [.maximumAllowed, AccessMask(rawValue: 0x0040_0000)])
      #expect(both.granted.rawValue == 0x001F_01FF | 0x0040_0000)
    }
  }

  @Test("ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege even with a NULL DACL: ERROR_PRIVILEGE_NOT_HELD")
  func accessSystemSecurityNeedsThePrivilege() throws {
    let refused = try AC.check(alice, "O:SYG:SYD:NO_ACCESS_CONTROL", [.accessSystemSecurity, .readControl])
    #expect(refused.status == .privilegeNotHeld && refused.granted.isEmpty && !refused.isGranted)
    let disabled = AC.token(disabledPrivileges: [.security])
    #expect(
      try AC.check(disabled, "O:SYG:SYD:NO_ACCESS_CONTROL", .accessSystemSecurity).status == .privilegeNotHeld
    )
    let holder = AC.token(privileges: [.security])
    let ok = try AC.check(holder, "O:SYG:SYD:(A;;RC;;;WD)", [.accessSystemSecurity, .readControl])
    #expect(ok.status == .success && ok.granted == [.accessSystemSecurity, .readControl])
    #expect(ok.privilegesUsed == [LUIDAndAttributes(Privilege.security, .usedForAccess)])
    // The privilege does not help the rest of the request.
    let partly = try AC.check(holder, "O:SYG:SYD:(A;;RC;;;WD)", [.accessSystemSecurity, .fileReadData])
    #expect(partly.status == .accessDenied && partly.privilegesUsed.isEmpty)
    // With MAXIMUM_ALLOWED, ACCESS_SYSTEM_SECURITY comes only when asked for.
    let max = try AC.check(holder, "O:SYG:SYD:NO_ACCESS_CONTROL", [.maximumAllowed, .accessSystemSecurity])
    #expect(max.granted == AccessMask.fileAllAccess.union(.accessSystemSecurity))
    #expect(try AC.check(holder, "O:SYG:SYD:NO_ACCESS_CONTROL", .maximumAllowed).granted == .fileAllAccess)
  }

  @Test("An empty DACL grants only the owner's implicit READ_CONTROL | WRITE_DAC (2.5.3.2)")
  func emptyDACLGrantsOnlyOwnerRights() throws {
    let owned = AC.ownerAlice + "D:"
    #expect(try AC.check(alice, owned, AC.maximumAllowed).granted == [.readControl, .writeDAC])
    #expect(try AC.check(alice, owned, .writeDAC).isGranted)
    #expect(try AC.check(alice, owned, .fileReadData).status == .accessDenied)
    let notOwned = try AC.check(alice, "O:SYG:SYD:", AC.maximumAllowed)
    #expect(notOwned.status == .accessDenied && notOwned.granted.isEmpty)
    // The owner may be any enabled group of the token, not just the user.
    #expect(try AC.check(alice, "O:BUG:SYD:", .readControl).isGranted)
  }

  @Test("Owner rights are granted before the ACEs, so a deny ACE for the owner cannot take them away")
  func ownerRightsSurviveDenyACEs() throws {
    let sddl = AC.ownerAlice + "D:(D;;RCWD;;;S-1-5-21-1-2-3-1001)(A;;FA;;;WD)"
    #expect(try AC.check(alice, sddl, .writeDAC).isGranted)
    let max = try AC.check(alice, sddl, AC.maximumAllowed)
    #expect(max.granted == .fileAllAccess)
  }

  @Test("A deny-only owner SID gets no implicit rights")
  func denyOnlyOwnerGetsNoImplicitRights() throws {
    var token = alice
    token.user.attributes = [.useForDenyOnly]
    #expect(try AC.check(token, AC.ownerAlice + "D:", .readControl).status == .accessDenied)
  }

  @Test("An OWNER RIGHTS (S-1-3-4) ACE replaces the owner's implicit rights")
  func ownerRightsACEReplacesImplicitRights() throws {
    let sddl = AC.ownerAlice + "D:(A;;FR;;;OW)"
    #expect(try AC.check(alice, sddl, AC.maximumAllowed).granted == .fileGenericRead)
    #expect(try AC.check(alice, sddl, .writeDAC).status == .accessDenied)
    // The ACE applies to whoever holds the owner SID; others get nothing from it.
    #expect(try AC.check(AccessToken(user: AC.bob), sddl, .fileReadData).status == .accessDenied)
  }

  @Test("An inherit-only OWNER RIGHTS ACE does not replace the owner's implicit rights")
  func inheritOnlyOwnerRightsACEIsIgnored() throws {
    let sddl = AC.ownerAlice + "D:(A;OICIIO;FR;;;OW)"
    #expect(try AC.check(alice, sddl, AC.maximumAllowed).granted == [.readControl, .writeDAC])
  }

  @Test("A deny OWNER RIGHTS ACE suppresses the implicit rights and denies the owner")
  func denyOwnerRightsACE() throws {
    let sddl = AC.ownerAlice + "D:(D;;WD;;;OW)(A;;FA;;;WD)"
    #expect(try AC.check(alice, sddl, .writeDAC).status == .accessDenied)
    #expect(try AC.check(alice, sddl, .fileGenericRead).isGranted)
    #expect(
      try AC.check(alice, sddl, AC.maximumAllowed).granted == AccessMask.fileAllAccess.subtracting(.writeDAC))
    // Someone else is not the owner: the ACE does not apply to them.
    let bob = AccessToken(user: AC.bob, groups: [SIDAndAttributes(.everyone, AC.enabled)])
    #expect(try AC.check(bob, sddl, .writeDAC).isGranted)
  }

  @Test("Inherit-only ACEs take no part in the check (2.5.3.2)")
  func inheritOnlyACEsAreSkipped() throws {
    #expect(try AC.check(alice, "O:SYG:SYD:(A;IO;FA;;;WD)", .fileReadData).status == .accessDenied)
    #expect(try AC.check(alice, "O:SYG:SYD:(D;OICIIO;FA;;;WD)(A;;FA;;;WD)", .fileReadData).isGranted)
  }

  @Test("Allow ACEs match enabled SIDs only; disabled and deny-only groups do not count")
  func allowMatchesEnabledSIDsOnly() throws {
    let disabled = AC.token(groups: [SIDAndAttributes(AC.staff, [])])
    #expect(
      try AC.check(disabled, "O:SYG:SYD:(A;;FA;;;S-1-5-21-1-2-3-2001)", .fileReadData).status == .accessDenied
    )
    let denyOnly = AC.token(groups: [SIDAndAttributes(AC.staff, [.useForDenyOnly])])
    #expect(
      try AC.check(denyOnly, "O:SYG:SYD:(A;;FA;;;S-1-5-21-1-2-3-2001)", .fileReadData).status == .accessDenied
    )
    let on = AC.token(groups: [SIDAndAttributes(AC.staff, AC.enabled)])
    #expect(try AC.check(on, "O:SYG:SYD:(A;;FA;;;S-1-5-21-1-2-3-2001)", .fileReadData).isGranted)
    // The user SID is enabled without any attribute bits, unless deny-only.
    #expect(try AC.check(alice, "O:SYG:SYD:(A;;FA;;;S-1-5-21-1-2-3-1001)", .fileReadData).isGranted)
  }

  @Test("Deny ACEs also match deny-only SIDs, but not disabled ones")
  func denyMatchesDenyOnlySIDs() throws {
    let sddl = "O:SYG:SYD:(D;;FW;;;S-1-5-21-1-2-3-2001)(A;;FA;;;WD)"
    let denyOnly = AC.token(groups: [SIDAndAttributes(AC.staff, [.useForDenyOnly])])
    #expect(try AC.check(denyOnly, sddl, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(denyOnly, sddl, .fileReadData).isGranted)
    let disabled = AC.token(groups: [SIDAndAttributes(AC.staff, [])])
    #expect(try AC.check(disabled, sddl, .fileWriteData).isGranted)
    var userDenyOnly = alice
    userDenyOnly.user.attributes = [.useForDenyOnly]
    #expect(
      try AC.check(userDenyOnly, "O:SYG:SYD:(D;;FW;;;S-1-5-21-1-2-3-1001)(A;;FA;;;WD)", .fileWriteData).status
        == .accessDenied)
  }

  @Test("A deny ACE removes only rights not already granted by earlier ACEs (ACE order matters)")
  func denyRemovesOnlyUngrantedRights() throws {
    let allowFirst = "O:SYG:SYD:(A;;FR;;;WD)(D;;FR;;;WD)"
    #expect(try AC.check(alice, allowFirst, .fileGenericRead).isGranted)
    #expect(try AC.check(alice, allowFirst, AC.maximumAllowed).granted == .fileGenericRead)
    let denyFirst = "O:SYG:SYD:(D;;FR;;;WD)(A;;FA;;;WD)"
    #expect(try AC.check(alice, denyFirst, .fileReadData).status == .accessDenied)
    #expect(
      try AC.check(alice, denyFirst, AC.maximumAllowed).granted
        == AccessMask.fileAllAccess.subtracting(.fileGenericRead))
  }

  @Test("Rights accumulate over several allow ACEs")
  func rightsAccumulate() throws {
    let sddl = "O:SYG:SYD:(A;;FR;;;WD)(A;;FW;;;BU)"
    #expect(try AC.check(alice, sddl, AccessMask.fileGenericRead.union(.fileGenericWrite)).isGranted)
    #expect(try AC.check(alice, sddl, .delete).status == .accessDenied)
  }

  @Test(
    "MAXIMUM_ALLOWED with nothing granted is ERROR_ACCESS_DENIED; explicit extra rights must all be granted")
  func maximumAllowed() throws {
    let none = try AC.check(alice, "O:SYG:SYD:(A;;FA;;;SY)", AC.maximumAllowed)
    #expect(none.status == .accessDenied && none.granted.isEmpty)
    let some = try AC.check(alice, "O:SYG:SYD:(A;;FR;;;WD)", AC.maximumAllowed)
    #expect(some.status == .success && some.granted == .fileGenericRead)
    #expect(
      try AC.check(alice, "O:SYG:SYD:(A;;FR;;;WD)", [.maximumAllowed, .fileReadData]).granted
        == .fileGenericRead)
    #expect(
      try AC.check(alice, "O:SYG:SYD:(A;;FR;;;WD)", [.maximumAllowed, .delete]).status == .accessDenied)
  }

  @Test("Asking for no rights is denied, as on Windows")
  func emptyRequestIsDenied() throws {
    let result = try AC.check(alice, "O:SYG:SYD:(A;;FA;;;WD)", [])
    #expect(result.status == .accessDenied && result.granted.isEmpty)
  }

  @Test("ACE masks are not generic-mapped during the check: an unmapped GENERIC_ALL ACE grants no file right")
  func aceMasksAreNotMapped() throws {
    let sd = SecurityDescriptor(
      owner: .localSystem, group: .localSystem, dacl: ACL(aces: [.allow(.everyone, .genericAll)]))
    let result = try AccessCheck.evaluate(token: alice, descriptor: sd, desired: .fileReadData)
    #expect(result.status == .accessDenied)
  }

  @Test("PRINCIPAL_SELF (S-1-5-10) in an ACE stands for the principalSelf SID given")
  func principalSelfSubstitution() throws {
    let sddl = "O:SYG:SYD:(A;;FA;;;PS)"
    #expect(try AC.check(alice, sddl, .fileReadData).status == .accessDenied)
    #expect(try AC.check(alice, sddl, .fileReadData, principalSelf: AC.alice).isGranted)
    #expect(try AC.check(alice, sddl, .fileReadData, principalSelf: AC.bob).status == .accessDenied)
    #expect(try AC.check(alice, sddl, .fileReadData, principalSelf: .builtinUsers).isGranted)
    let deny = "O:SYG:SYD:(D;;FW;;;PS)(A;;FA;;;WD)"
    #expect(try AC.check(alice, deny, .fileWriteData, principalSelf: AC.alice).status == .accessDenied)
    #expect(try AC.check(alice, deny, .fileWriteData).isGranted)
  }

  @Test(
    "Privileges: SeTakeOwnershipPrivilege, else SeRelabelPrivilege, grants WRITE_OWNER; the result lists it")
  func writeOwnerPrivileges() throws {
    let sddl = "O:SYG:SYD:"
    #expect(try AC.check(alice, sddl, .writeOwner).status == .accessDenied)
    let take = try AC.check(AC.token(privileges: [.takeOwnership]), sddl, .writeOwner)
    #expect(take.isGranted && take.granted == .writeOwner)
    #expect(take.privilegesUsed == [LUIDAndAttributes(Privilege.takeOwnership, .usedForAccess)])
    let relabel = try AC.check(AC.token(privileges: [.relabel]), sddl, .writeOwner)
    #expect(relabel.privilegesUsed == [LUIDAndAttributes(Privilege.relabel, .usedForAccess)])
    let both = try AC.check(AC.token(privileges: [.relabel, .takeOwnership]), sddl, .writeOwner)
    #expect(both.privilegesUsed.map(\.luid) == [Privilege.takeOwnership.luid])
    #expect(
      try AC.check(AC.token(disabledPrivileges: [.takeOwnership]), sddl, .writeOwner).status == .accessDenied)
    // MAXIMUM_ALLOWED does not bring WRITE_OWNER by itself.
    let max = try AC.check(
      AC.token(privileges: [.takeOwnership]), "O:SYG:SYD:(A;;FR;;;WD)", AC.maximumAllowed)
    #expect(max.granted == .fileGenericRead && max.privilegesUsed.isEmpty)
    // Privilege-granted rights combine with the DACL's.
    let mixed = try AC.check(
      AC.token(privileges: [.takeOwnership]), "O:SYG:SYD:(A;;FR;;;WD)", [.writeOwner, .fileReadData])
    #expect(mixed.isGranted && mixed.privilegesUsed.count == 1)
  }

  @Test(
    "Backup intent: SeBackupPrivilege grants read rights, SeRestorePrivilege write rights, whatever the DACL")
  func backupAndRestorePrivileges() throws {
    let sddl = "O:SYG:SYD:(D;;FA;;;WD)"
    let backup = AC.token(privileges: [.backup])
    #expect(try AC.check(backup, sddl, .fileGenericRead).status == .accessDenied)
    let read = try AC.check(
      backup, sddl, AccessMask.fileGenericRead.union(.accessSystemSecurity), backupIntent: true)
    #expect(read.isGranted && read.privilegesUsed.map(\.luid) == [Privilege.backup.luid])
    #expect(try AC.check(backup, sddl, .fileWriteData, backupIntent: true).status == .accessDenied)
    let restore = AC.token(privileges: [.restore])
    let write = try AC.check(
      restore, sddl, AccessMask.fileGenericWrite.union([.delete, .writeDAC, .writeOwner]), backupIntent: true)
    #expect(write.isGranted && write.privilegesUsed.map(\.luid) == [Privilege.restore.luid])
    #expect(try AC.check(restore, sddl, .fileReadData, backupIntent: true).status == .accessDenied)
    // FILE_GENERIC_WRITE holds STANDARD_RIGHTS_WRITE (READ_CONTROL), so SeRestorePrivilege opens
    // READ_CONTROL through a deny-all DACL, as observed on Windows.
    #expect(try AC.check(restore, sddl, .readControl, backupIntent: true).isGranted)
    let both = AC.token(privileges: [.backup, .restore])
    let max = try AC.check(both, sddl, AC.maximumAllowed, backupIntent: true)
    #expect(max.granted == AccessCheck.backupRights(.file).union(AccessCheck.restoreRights(.file)))
    #expect(max.privilegesUsed.count == 2)
  }

  @Test(
    "Callback ACE data that is not a condition is UNKNOWN: the allow ACE does not apply, the deny ACE does")
  func nonConditionalCallbackData() throws {
    let data: [UInt8] = [1, 2, 3, 4]
    let allow = SecurityDescriptor(
      owner: .localSystem, group: .localSystem,
      dacl: ACL(aces: [
        ACE(type: .accessAllowedCallback, mask: .fileAllAccess, sid: .everyone, applicationData: data)
      ]))
    #expect(
      try AccessCheck.evaluate(token: alice, descriptor: allow, desired: .fileReadData).status
        == .accessDenied)
    let deny = SecurityDescriptor(
      owner: .localSystem, group: .localSystem,
      dacl: ACL(aces: [
        ACE(type: .accessDeniedCallback, mask: .fileAllAccess, sid: .everyone, applicationData: data),
        .allow(.everyone, .fileAllAccess),
      ]))
    #expect(
      try AccessCheck.evaluate(token: alice, descriptor: deny, desired: .fileReadData).status == .accessDenied
    )
  }

  @Test("ACE types that do not belong in a DACL, and ACEs of unknown types, are ignored")
  func foreignACEsAreIgnored() throws {
    let sd = SecurityDescriptor(
      owner: .localSystem, group: .localSystem,
      dacl: ACL(aces: [
        ACE(type: .systemAudit, flags: [.failedAccess], mask: .fileAllAccess, sid: .everyone),
        ACE(unknownType: ACEType(rawValue: 0x42), flags: [], body: [0, 0, 0, 0]),
        .allow(.everyone, .fileGenericRead),
      ]))
    #expect(try AccessCheck.evaluate(token: alice, descriptor: sd, desired: .fileGenericRead).isGranted)
  }

  @Test("A 200-group token (hashed SID lookup) matches like a small one")
  func largeTokens() throws {
    var groups: [SIDAndAttributes] = (0..<200).map {
      SIDAndAttributes(try! SID(parsing: "S-1-5-21-9-8-7-\(5000 + $0)"), AC.enabled)
    }
    groups[150].attributes = [.useForDenyOnly]
    groups[151].attributes = []
    let token = AccessToken(user: AC.alice, groups: groups)
    var dacl = (0..<60).map { "(A;;FR;;;S-1-5-21-9-8-7-\(9000 + $0))" }.joined()
    dacl += "(D;;FW;;;S-1-5-21-9-8-7-5150)(A;;FW;;;S-1-5-21-9-8-7-5151)(A;;FA;;;S-1-5-21-9-8-7-5199)"
    let sddl = "O:SYG:SYD:" + dacl
    #expect(try AC.check(token, sddl, .fileReadData).isGranted)
    #expect(try AC.check(token, sddl, .fileWriteData).status == .accessDenied)
    #expect(
      try AC.check(token, sddl, AC.maximumAllowed).granted
        == AccessMask.fileAllAccess.subtracting(.fileGenericWrite))
    let other = AccessToken(user: AC.alice, groups: Array(groups[0..<100]))
    #expect(try AC.check(other, sddl, .fileReadData).status == .accessDenied)
  }
}
