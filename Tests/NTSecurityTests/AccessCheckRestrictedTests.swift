import Testing

@testable import NTSecurity

/// CreateRestrictedToken through AccessCheck: deny-only SIDs, deleted privileges and
/// restricting SIDs, with the two passes Windows makes.
@Suite struct AccessCheckRestrictedTests {
  let alice = AC.token(privileges: [.takeOwnership, .changeNotify])

  @Test(
    "Restricting SIDs: access is granted only if both the enabled-SID pass and the restricting-SID pass allow it"
  )
  func bothPassesMustGrant() throws {
    let token = try alice.restricted(restricting: [.builtinUsers, .everyone])
    let sddl = "O:SYG:SYD:(A;;FR;;;BU)(A;;FW;;;S-1-5-21-1-2-3-1001)"
    #expect(try AC.check(token, sddl, .fileGenericRead).isGranted)
    #expect(try AC.check(token, sddl, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(token, sddl, AC.maximumAllowed).granted == .fileGenericRead)
    // The unrestricted token has both.
    #expect(
      try AC.check(alice, sddl, AC.maximumAllowed).granted
        == AccessMask.fileGenericRead.union(.fileGenericWrite))
  }

  @Test("A restricting SID that is not among the token's groups grants nothing by itself")
  func restrictingSIDAloneGrantsNothing() throws {
    let token = try alice.restricted(restricting: [.restrictedCode])
    #expect(try AC.check(token, "O:SYG:SYD:(A;;FA;;;RC)", .fileReadData).status == .accessDenied)
    #expect(try AC.check(token, "O:SYG:SYD:(A;;FA;;;RC)(A;;FR;;;WD)", .fileReadData).isGranted)
  }

  @Test(
    "Deny ACEs for a restricting SID deny in the second pass, even if the SID is not a group of the token")
  func restrictingSIDDenies() throws {
    let token = try alice.restricted(restricting: [.everyone, .restrictedCode])
    let sddl = "O:SYG:SYD:(D;;FW;;;RC)(A;;FA;;;WD)"
    #expect(try AC.check(token, sddl, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(token, sddl, .fileReadData).isGranted)
    #expect(try AC.check(alice, sddl, .fileWriteData).isGranted)
  }

  @Test("SidsToDisable: a deny-only group no longer grants, but still denies")
  func disabledSIDsBecomeDenyOnly() throws {
    let token = try alice.restricted(disabling: [.builtinUsers])
    #expect(try AC.check(token, "O:SYG:SYD:(A;;FA;;;BU)", .fileReadData).status == .accessDenied)
    let deny = "O:SYG:SYD:(D;;FW;;;BU)(A;;FA;;;WD)"
    #expect(try AC.check(token, deny, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(token, deny, .fileReadData).isGranted)
  }

  @Test("SidsToDisable works on the user SID: the user can no longer use its own ACEs or owner rights")
  func disabledUserSID() throws {
    let token = try alice.restricted(disabling: [AC.alice])
    #expect(
      try AC.check(token, "O:SYG:SYD:(A;;FA;;;S-1-5-21-1-2-3-1001)", .fileReadData).status == .accessDenied)
    #expect(try AC.check(token, AC.ownerAlice + "D:", .readControl).status == .accessDenied)
  }

  @Test("PrivilegesToDelete and DISABLE_MAX_PRIVILEGE remove the privileges AccessCheck would use")
  func deletedPrivileges() throws {
    let sddl = "O:SYG:SYD:"
    #expect(try AC.check(alice, sddl, .writeOwner).isGranted)
    let deleted = try alice.restricted(deleting: [Privilege.takeOwnership.luid])
    #expect(try AC.check(deleted, sddl, .writeOwner).status == .accessDenied)
    let maxDisabled = try alice.restricted(flags: .disableMaxPrivilege)
    #expect(try AC.check(maxDisabled, sddl, .writeOwner).status == .accessDenied)
  }

  @Test("Rights granted by privileges are not subject to the restricting-SID pass")
  func privilegeRightsAreExempt() throws {
    let token = try alice.restricted(restricting: [.restrictedCode])
    let result = try AC.check(token, "O:SYG:SYD:(A;;FR;;;WD)", .writeOwner)
    #expect(result.isGranted && result.privilegesUsed.map(\.luid) == [Privilege.takeOwnership.luid])
    #expect(
      try AC.check(token, "O:SYG:SYD:(A;;FR;;;WD)", [.writeOwner, .fileReadData]).status == .accessDenied)
  }

  @Test("Owner rights need the owner SID in both lists in a restricted token")
  func ownerRightsInRestrictedToken() throws {
    let owned = AC.ownerAlice + "D:"
    let without = try alice.restricted(restricting: [.everyone])
    #expect(try AC.check(without, owned, .readControl).status == .accessDenied)
    let with = try alice.restricted(restricting: [AC.alice])
    #expect(try AC.check(with, owned, AC.maximumAllowed).granted == [.readControl, .writeDAC])
  }

  @Test(
    "Restricting an already restricted token intersects the restricting SIDs; access follows the intersection"
  )
  func restrictingTwiceIntersects() throws {
    let once = try alice.restricted(restricting: [.builtinUsers, .everyone])
    let twice = try once.restricted(restricting: [.everyone, .authenticatedUsers])
    #expect(twice.restrictingSIDs.filter(\.isEnabled).map(\.sid) == [.everyone])
    let sddl = "O:SYG:SYD:(A;;FR;;;BU)(A;;FW;;;AU)"
    #expect(try AC.check(once, sddl, .fileReadData).isGranted)
    #expect(try AC.check(twice, sddl, .fileReadData).status == .accessDenied)
    #expect(try AC.check(twice, sddl, .fileWriteData).status == .accessDenied)
  }

  @Test("WRITE_RESTRICTED: the restricting SIDs decide only write rights; reads follow the normal pass")
  func writeRestricted() throws {
    let token = try alice.restricted(restricting: [.writeRestrictedCode], flags: .writeRestricted)
    let sddl = "O:SYG:SYD:(A;;FA;;;S-1-5-21-1-2-3-1001)"
    #expect(try AC.check(token, sddl, .fileGenericRead).isGranted)
    #expect(try AC.check(token, sddl, .fileGenericExecute).isGranted)
    #expect(try AC.check(token, sddl, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(token, sddl, .writeDAC).status == .accessDenied)
    #expect(try AC.check(token, sddl, .delete).status == .accessDenied)
    // FILE_DELETE_CHILD is not in FILE_GENERIC_WRITE: the first pass decides it.
    #expect(try AC.check(token, sddl, .fileDeleteChild).isGranted)
    let write = AccessCheck.writeRestrictedRights(.file)
    #expect(
      write == AccessMask(rawValue: 0x0116).union([.delete, .writeDAC, .writeOwner, .accessSystemSecurity]))
    #expect(
      try AC.check(token, sddl, AC.maximumAllowed).granted == AccessMask.fileAllAccess.subtracting(write))
    // With an ACE for WRITE RESTRICTED the writes come back.
    let both = sddl + "(A;;FW;;;WR)"
    #expect(try AC.check(token, both, .fileGenericWrite).isGranted)
    #expect(try AC.check(token, both, .writeDAC).status == .accessDenied)
  }

  @Test("A NULL DACL grants a restricted token everything too")
  func nullDACLWithRestrictedToken() throws {
    let token = try alice.restricted(restricting: [.restrictedCode])
    #expect(try AC.check(token, "O:SYG:SYD:NO_ACCESS_CONTROL", AC.maximumAllowed).granted == .fileAllAccess)
  }

  @Test("Conditional ACEs in the restricted pass see the restricting SIDs in Member_of")
  func memberOfInRestrictedPass() throws {
    let token = try alice.restricted(restricting: [.everyone])
    let sddl = "O:SYG:SYD:(XA;;FR;;;WD;(Member_of {SID(BU)}))"
    #expect(try AC.check(alice, sddl, .fileReadData).isGranted)
    #expect(try AC.check(token, sddl, .fileReadData).status == .accessDenied)
    let restrictedToUsers = try alice.restricted(restricting: [.everyone, .builtinUsers])
    #expect(try AC.check(restrictedToUsers, sddl, .fileReadData).isGranted)
  }

  @Test("A second restriction never lifts a deny ACE on a restricting SID it drops (Windows would)")
  func droppedRestrictingSIDStillDenies() throws {
    let once = try alice.restricted(restricting: [.everyone, .builtinUsers])
    let twice = try once.restricted(restricting: [.everyone])
    let sddl = "O:SYG:SYD:(D;;FW;;;BU)(A;;FA;;;WD)"
    #expect(try AC.check(once, sddl, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(twice, sddl, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(twice, sddl, .fileReadData).isGranted)
    #expect(!twice.isMember(.builtinUsers))
  }

  @Test("A restricted token whose restricting list is empty is granted nothing by the second pass")
  func emptyRestrictingList() throws {
    var token = try alice.restricted(restricting: [.everyone])
    token.restrictingSIDs = []
    #expect(token.isRestricted)
    #expect(try AC.check(token, "O:SYG:SYD:(A;;FA;;;WD)", .fileReadData).status == .accessDenied)
    #expect(try AC.check(token, "O:SYG:SYD:(A;;FA;;;WD)", AC.maximumAllowed).status == .accessDenied)
    #expect(!token.isMember(.everyone))
    #expect(try token.information(.isRestricted) == .flag(true))
    let duplicate = try token.duplicate(impersonationLevel: .impersonation)
    #expect(duplicate.isRestricted)
  }
}
