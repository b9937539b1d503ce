import Testing

@testable import NTSecurity

/// SetPrivateObjectSecurityEx and ConvertToAutoInheritPrivateObjectSecurity.
@Suite struct InheritanceSetPrivateTests {
  typealias F = InheritanceFixture

  func set(
    _ current: String, _ info: SecurityInformation, _ modification: String,
    flags: AutoInheritFlags = [], token: AccessToken? = F.token()
  ) throws(NTSecurityError) -> String {
    var sd = try SecurityDescriptor(sddl: current)
    try sd.setPrivateObjectSecurity(
      info, from: try SecurityDescriptor(sddl: modification), flags: flags, mapping: .file,
      token: token)
    return try sd.sddl()
  }

  @Test(
    "Auto-inheritance keeps the object's inherited ACEs: the new DACL is the modification's explicit ACEs, then the current inherited ones"
  )
  func keepsInheritedACEs() throws {
    #expect(
      try set(
        "O:BAG:SYD:AI(A;;FA;;;BU)(A;ID;FA;;;SY)", .dacl, "D:(A;;FR;;;WD)(A;ID;FA;;;AN)",
        flags: .daclAutoInherit) == "O:BAG:SYD:AI(A;;FR;;;WD)(A;ID;FA;;;SY)")
  }

  @Test("SE_DACL_AUTO_INHERIT_REQ in the modification asks for the same auto-inheritance")
  func autoInheritRequest() throws {
    var modification = try SecurityDescriptor(sddl: "D:(A;;FR;;;WD)")
    modification.control.insert(.daclAutoInheritRequired)
    var sd = try SecurityDescriptor(sddl: "O:BAG:SYD:AI(A;ID;FA;;;SY)")
    try sd.setPrivateObjectSecurity(.dacl, from: modification, mapping: .file, token: F.token())
    #expect(try sd.sddl() == "O:BAG:SYD:AI(A;;FR;;;WD)(A;ID;FA;;;SY)")
  }

  @Test(
    "A protected modification replaces the DACL with its INHERITED_ACE bits turned off; PROTECTED_DACL_SECURITY_INFORMATION does the same"
  )
  func protectedModification() throws {
    let current = "O:BAG:SYD:AI(A;;FA;;;BU)(A;ID;FA;;;SY)"
    #expect(
      try set(current, .dacl, "D:P(A;ID;FA;;;SY)(A;;FR;;;WD)", flags: .daclAutoInherit)
        == "O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FR;;;WD)")
    #expect(
      try set(current, [.dacl, .protectedDacl], "D:(A;ID;FA;;;SY)", flags: .daclAutoInherit)
        == "O:BAG:SYD:PAI(A;;FA;;;SY)")
  }

  @Test(
    "A protected object with an unprotected modification (UNPROTECTED_DACL_SECURITY_INFORMATION) takes the modification as it is"
  )
  func unprotect() throws {
    #expect(
      try set(
        "O:BAG:SYD:PAI(A;;FA;;;BU)", [.dacl, .unprotectedDacl], "D:P(A;;FR;;;WD)(A;ID;FA;;;SY)",
        flags: .daclAutoInherit) == "O:BAG:SYD:AI(A;;FR;;;WD)(A;ID;FA;;;SY)")
  }

  @Test(
    "Without auto-inheritance the modification's DACL and its control bits replace the object's (SetPrivateObjectSecurity)"
  )
  func plainReplace() throws {
    #expect(
      try set("O:BAG:SYD:AI(A;ID;FA;;;SY)", .dacl, "D:P(A;;FR;;;WD)") == "O:BAG:SYD:P(A;;FR;;;WD)")
    #expect(try set("O:BAG:SYD:(A;;FA;;;SY)", .dacl, "D:NO_ACCESS_CONTROL") == "O:BAG:SYD:NO_ACCESS_CONTROL")
  }

  @Test(
    "Inheritable CREATOR OWNER and generic ACEs of the modification are split; effective ones resolved against the object's owner"
  )
  func modificationSplit() throws {
    #expect(
      try set("O:BAG:SYD:(A;;FA;;;SY)", .dacl, "D:(A;OICI;GA;;;CO)(A;;GR;;;CO)")
        == "O:BAG:SYD:(A;;FA;;;BA)(A;OICIIO;GA;;;CO)(A;;FR;;;BA)")
  }

  @Test(
    "A new owner is checked against the token (ERROR_INVALID_OWNER) unless SEF_AVOID_OWNER_CHECK or SEF_AVOID_PRIVILEGE_CHECK"
  )
  func ownerChange() throws {
    do {
      _ = try set("O:BAG:SY", .owner, "O:SY")
      Issue.record("expected ERROR_INVALID_OWNER")
    } catch { #expect(error.code == .invalidOwner) }
    #expect(try set("O:BAG:SY", .owner, "O:SY", flags: .avoidPrivilegeCheck) == "O:SYG:SY")
    #expect(try set("O:BAG:SY", .owner, "O:SY", flags: .avoidOwnerCheck) == "O:SYG:SY")
    #expect(try set("O:BAG:SY", .owner, "O:\(F.u)") == "O:\(F.u)G:SY")
    do {
      _ = try set("O:BAG:SY", .owner, "G:SY")
      Issue.record("expected ERROR_INVALID_OWNER")
    } catch { #expect(error.code == .invalidOwner) }
  }

  @Test(
    "The group is replaced; a modification without one is ERROR_INVALID_PRIMARY_GROUP; parts not selected stay"
  )
  func groupChange() throws {
    #expect(try set("O:BAG:SYD:(A;;FA;;;SY)", .group, "G:BU") == "O:BAG:BUD:(A;;FA;;;SY)")
    do {
      _ = try set("O:BAG:SY", .group, "O:SY")
      Issue.record("expected ERROR_INVALID_PRIMARY_GROUP")
    } catch { #expect(error.code == .invalidPrimaryGroup) }
  }

  @Test("LABEL_SECURITY_INFORMATION replaces only the label ACE of the SACL")
  func labelOnly() throws {
    #expect(
      try set("O:BAG:SYS:(AU;SA;FA;;;WD)(ML;;NW;;;LW)", .label, "S:(ML;;NW;;;HI)(AU;FA;FA;;;AN)")
        == "O:BAG:SYS:(AU;SA;FA;;;WD)(ML;;NW;;;HI)")
  }

  @Test("The SACL follows the same auto-inheritance rules with SEF_SACL_AUTO_INHERIT")
  func saclAutoInherit() throws {
    #expect(
      try set(
        "O:BAG:SYS:AI(AU;SA;FA;;;WD)(AU;IDFA;FA;;;AN)", .sacl, "S:(AU;SA;FR;;;BU)",
        flags: .saclAutoInherit) == "O:BAG:SYS:AI(AU;SA;FR;;;BU)(AU;IDFA;FA;;;AN)")
  }

  // MARK: - ConvertToAutoInheritPrivateObjectSecurity

  func convert(_ parent: String?, _ current: String, container: Bool) throws -> String {
    let p = try parent.map { try SecurityDescriptor(sddl: $0) }
    return try SecurityDescriptor(sddl: current)
      .convertedToAutoInherit(parent: p, isContainer: container, mapping: .file).sddl()
  }

  @Test("ACEs the parent would pass on are marked inherited and moved after the explicit ones; AI bits set")
  func convertMarksAndReorders() throws {
    #expect(
      try convert("D:(A;OICI;FA;;;SY)", "O:BAG:SYD:(A;OICI;FA;;;SY)(A;;FA;;;BU)", container: true)
        == "O:BAG:SYD:AI(A;;FA;;;BU)(A;OICIID;FA;;;SY)")
    let sd = try SecurityDescriptor(sddl: "O:BAG:SYD:(A;;FA;;;BU)")
      .convertedToAutoInherit(parent: nil, isContainer: true, mapping: .file)
    #expect(sd.control.contains([.daclAutoInherited, .saclAutoInherited, .daclProtected]))
  }

  @Test(
    "Pre-auto-inheritance CREATOR OWNER results are recognised: the resolved effective ACE and the inherit-only original"
  )
  func convertCreatorOwner() throws {
    #expect(
      try convert(
        "D:(A;OICIIO;GA;;;CO)", "O:BAG:SYD:(A;;FA;;;BA)(A;OICIIO;GA;;;CO)(A;;FR;;;WD)",
        container: true) == "O:BAG:SYD:AI(A;;FR;;;WD)(A;ID;FA;;;BA)(A;OICIIOID;GA;;;CO)")
  }

  @Test("The match need not be one to one: one ACE covered by two inherited ACEs counts as inherited")
  func convertNotOneToOne() throws {
    #expect(
      try convert("D:(A;OI;FR;;;BU)(A;OI;FW;;;BU)", "O:BAG:SYD:(A;;0x12019f;;;BU)", container: false)
        == "O:BAG:SYD:AI(A;ID;0x12019f;;;BU)")
    #expect(
      try convert("D:(A;OI;FR;;;BU)", "O:BAG:SYD:(A;;0x12019f;;;BU)", container: false)
        == "O:BAG:SYD:PAI(A;;0x12019f;;;BU)")
  }

  @Test("No inherited ACE (or no parent): the DACL becomes protected")
  func convertProtectsWithoutInherited() throws {
    #expect(try convert(nil, "O:BAG:SYD:(A;;FA;;;BU)", container: false) == "O:BAG:SYD:PAI(A;;FA;;;BU)")
  }

  @Test(
    "When moving explicit ACEs first would move an allow past a deny, the DACL stays as it was and is protected"
  )
  func convertKeepsSemantics() throws {
    #expect(
      try convert("D:(A;OICI;FA;;;SY)", "O:BAG:SYD:(A;OICI;FA;;;SY)(D;;FA;;;BU)", container: true)
        == "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(D;;FA;;;BU)")
  }
}
