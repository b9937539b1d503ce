import Testing

@testable import NTSecurity

/// Mandatory integrity control and the other mandatory checks, which Windows runs before the
/// privileges and the DACL and which can only deny.
@Suite struct AccessCheckMandatoryTests {
  let open = "O:SYG:SYD:(A;;FA;;;WD)"
  let low = AC.token(integrity: .lowLabel)
  /// FILE_GENERIC_READ | FILE_GENERIC_EXECUTE: what NO_WRITE_UP leaves of FILE_ALL_ACCESS.
  let readExecute = AccessMask(rawValue: 0x0012_00A9)

  @Test("An unlabeled object counts as Medium with NO_WRITE_UP: a Low token may read, not write")
  func unlabeledObjectIsMediumNoWriteUp() throws {
    #expect(try AC.check(low, open, .fileGenericRead).isGranted)
    #expect(try AC.check(low, open, .fileGenericExecute).isGranted)
    #expect(try AC.check(low, open, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(low, open, .delete).status == .accessDenied)
    #expect(try AC.check(low, open, .writeDAC).status == .accessDenied)
    #expect(try AC.check(low, open, AC.maximumAllowed).granted == readExecute)
    // The default Medium token is not restricted by an unlabeled object.
    #expect(try AC.check(AC.token(), open, AC.maximumAllowed).granted == .fileAllAccess)
  }

  @Test(
    "The label ACE's level and NO_WRITE_UP policy decide; a token at or above the level is not restricted")
  func labelLevels() throws {
    let high = open + "S:(ML;;NW;;;HI)"
    #expect(try AC.check(AC.token(), high, .fileWriteData).status == .accessDenied)
    #expect(try AC.check(AC.token(), high, .fileReadData).isGranted)
    #expect(try AC.check(AC.token(integrity: .highLabel), high, .fileWriteData).isGranted)
    #expect(try AC.check(AC.token(integrity: .systemLabel), high, .fileWriteData).isGranted)
    let lowLabel = open + "S:(ML;;NW;;;LW)"
    #expect(try AC.check(low, lowLabel, AC.maximumAllowed).granted == .fileAllAccess)
    let untrusted = AC.token(integrity: .untrustedLabel)
    #expect(try AC.check(untrusted, lowLabel, .fileWriteData).status == .accessDenied)
  }

  @Test(
    "NO_READ_UP and NO_EXECUTE_UP remove read and execute rights, keeping rights a permitted category shares")
  func noReadUpAndNoExecuteUp() throws {
    let noReadUp = open + "S:(ML;;NWNR;;;ME)"
    #expect(try AC.check(low, noReadUp, .fileReadData).status == .accessDenied)
    #expect(try AC.check(low, noReadUp, .readControl).status == .accessDenied)
    #expect(try AC.check(low, noReadUp, AC.maximumAllowed).granted == [.synchronize, .fileExecute])
    let noExecuteUp = open + "S:(ML;;NWNX;;;ME)"
    #expect(try AC.check(low, noExecuteUp, AC.maximumAllowed).granted == .fileGenericRead)
    #expect(try AC.check(low, noExecuteUp, .fileExecute).status == .accessDenied)
    // NO_READ_UP alone leaves the write rights open.
    let readOnlyPolicy = open + "S:(ML;;NR;;;ME)"
    #expect(try AC.check(low, readOnlyPolicy, .fileWriteData).isGranted)
    #expect(try AC.check(low, readOnlyPolicy, .fileReadData).status == .accessDenied)
  }

  @Test(
    "A Mutant's full access for a Low token on a Medium object is ModifyState|ReadControl|Synchronize (Windows Security Internals, listing 7-11)"
  )
  func mutantMapping() throws {
    let mutant = GenericMapping(
      read: AccessMask(rawValue: 0x0002_0001), write: AccessMask(rawValue: 0x0002_0000),
      execute: AccessMask(rawValue: 0x0012_0000), all: AccessMask(rawValue: 0x001F_0001))
    let max = try AC.check(low, "O:SYG:SYD:(A;;0x1f0001;;;WD)", AC.maximumAllowed, mapping: mutant)
    #expect(max.granted.rawValue == 0x0012_0001)
  }

  @Test("An inherit-only label is not the object's label; the object stays Medium")
  func inheritOnlyLabelIsSkipped() throws {
    #expect(try AC.check(low, open + "S:(ML;OICIIO;NW;;;LW)", .fileWriteData).status == .accessDenied)
    #expect(try AC.check(low, open + "S:(ML;OICIIO;NW;;;LW)(ML;;NW;;;LW)", .fileWriteData).isGranted)
  }

  @Test("A token whose mandatory policy lacks NO_WRITE_UP is not checked")
  func tokenPolicyWithoutNoWriteUp() throws {
    let token = AC.token(integrity: .lowLabel, policy: [])
    #expect(try AC.check(token, open, .fileWriteData).isGranted)
    #expect(try AC.check(token, open + "S:(ML;;NWNR;;;HI)", .fileReadData).isGranted)
  }

  @Test(
    "Integrity is checked before privileges: a Low token's SeSecurityPrivilege or SeTakeOwnershipPrivilege does not help"
  )
  func integrityBeforePrivileges() throws {
    let privileged = AC.token(privileges: [.security, .takeOwnership], integrity: .lowLabel)
    let asSecurity = try AC.check(privileged, "O:SYG:SYD:NO_ACCESS_CONTROL", .accessSystemSecurity)
    #expect(asSecurity.status == .accessDenied)
    #expect(try AC.check(privileged, "O:SYG:SYD:", .writeOwner).status == .accessDenied)
    // The NULL DACL's MAXIMUM_ALLOWED is bounded too.
    #expect(try AC.check(low, "O:SYG:SYD:NO_ACCESS_CONTROL", AC.maximumAllowed).granted == readExecute)
  }

  @Test("SeRelabelPrivilege lets a lower token have WRITE_OWNER through the label (to change it)")
  func relabelPrivilegeOpensWriteOwner() throws {
    let relabel = AC.token(privileges: [.relabel], integrity: .lowLabel)
    let result = try AC.check(relabel, "O:SYG:SYD:", .writeOwner)
    #expect(result.isGranted && result.privilegesUsed.map(\.luid) == [Privilege.relabel.luid])
  }

  @Test("Registry keys: a Low token keeps KEY_READ and loses KEY_SET_VALUE on a Medium key")
  func registryMapping() throws {
    let key = "O:SYG:SYD:(A;;KA;;;WD)"
    #expect(try AC.check(low, key, .keyRead, mapping: .registryKey).isGranted)
    #expect(try AC.check(low, key, .keySetValue, mapping: .registryKey).status == .accessDenied)
  }

  @Test("A process trust label bounds a token without trust level to the label's mask")
  func processTrustLabel() throws {
    let sddl = open + "S:(TL;;0x1200a9;;;S-1-19-512-8192)"
    #expect(try AC.check(AC.token(), sddl, AC.maximumAllowed).granted == readExecute)
    #expect(try AC.check(AC.token(), sddl, .fileWriteData).status == .accessDenied)
    // Only the first trust label counts, and inherit-only ones do not.
    #expect(
      try AC.check(AC.token(), open + "S:(TL;OICIIO;0x1200a9;;;S-1-19-512-8192)", .fileWriteData).isGranted)
  }

  @Test("An access filter whose condition is not TRUE bounds access to its mask")
  func accessFilter() throws {
    let condition = try SecurityDescriptor(sddl: "D:(XA;;FR;;;WD;(Exists @User.Clearance))").dacl!.aces[0]
      .applicationData
    var sd = AC.sd(open)
    sd.setSACL(
      present: true,
      ACL(aces: [
        ACE(type: .systemAccessFilter, mask: .fileGenericRead, sid: .everyone, applicationData: condition)
      ]))
    let plain = try AccessCheck.evaluate(token: AC.token(), descriptor: sd, desired: .maximumAllowed)
    #expect(plain.granted == .fileGenericRead)
    var cleared = AC.token()
    cleared.userClaims = [ClaimSecurityAttribute(name: "Clearance", values: .string(["TS"]))]
    let allowed = try AccessCheck.evaluate(token: cleared, descriptor: sd, desired: .maximumAllowed)
    #expect(allowed.granted == .fileAllAccess)
  }
}
