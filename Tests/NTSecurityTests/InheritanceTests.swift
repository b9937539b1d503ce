import Testing

@testable import NTSecurity

/// CreatePrivateObjectSecurityEx: each inheritance rule with Windows' outcome, written as
/// parent SDDL + creator SDDL + container or leaf → the child's SDDL.
@Suite struct InheritanceTests {
  typealias F = InheritanceFixture
  let og = F.ownerGroup
  let u = F.u
  let auto: AutoInheritFlags = [.daclAutoInherit, .saclAutoInherit]

  // MARK: - Well-known Windows results

  /// The DACL and label of `C:\` on Windows 10 and 11 (icacls: Administrators and SYSTEM
  /// (OI)(CI)(F), Users (OI)(CI)(RX), Authenticated Users (OI)(CI)(IO)(M) and (AD), High label
  /// (OI)(NP)(IO)(NW)).
  static let driveRoot =
    "O:SYG:SYD:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;OICI;0x1200a9;;;BU)"
    + "(A;OICIIO;SDGXGWGR;;;AU)(A;;0x4;;;AU)S:PAI(ML;OINPIO;NW;;;HI)"

  @Test(
    "A folder created in C:\\ gets the documented icacls result: (I)(OI)(CI)(F) ACEs, Authenticated Users split into (I)(M) and (I)(OI)(CI)(IO)(M), no label"
  )
  func folderUnderDriveRoot() throws {
    let sddl = try F.child(Self.driveRoot, container: true, flags: auto)
    #expect(
      sddl
        == og + "D:AI(A;OICIID;FA;;;BA)(A;OICIID;FA;;;SY)(A;OICIID;0x1200a9;;;BU)"
        + "(A;ID;0x1301bf;;;AU)(A;OICIIOID;SDGXGWGR;;;AU)")
  }

  @Test(
    "A file created in C:\\ gets effective ACEs only, generic rights mapped (M = 0x1301bf), and the High label (OI NP reaches files)"
  )
  func fileUnderDriveRoot() throws {
    let sddl = try F.child(Self.driveRoot, container: false, flags: auto)
    #expect(
      sddl
        == og + "D:AI(A;ID;FA;;;BA)(A;ID;FA;;;SY)(A;ID;0x1200a9;;;BU)(A;ID;0x1301bf;;;AU)"
        + "S:AI(ML;ID;NW;;;HI)")
  }

  @Test(
    "CREATOR OWNER on a container: an effective ACE for the new owner, then the inherit-only original kept for grandchildren"
  )
  func creatorOwnerSplitOnContainer() throws {
    let parent = "D:(A;OICIIO;GA;;;CO)(A;OICI;FA;;;SY)"
    #expect(
      try F.child(parent, container: true, flags: auto)
        == og + "D:AI(A;ID;FA;;;\(u))(A;OICIIOID;GA;;;CO)(A;OICIID;FA;;;SY)")
    #expect(
      try F.child(parent, container: false, flags: auto)
        == og + "D:AI(A;ID;FA;;;\(u))(A;ID;FA;;;SY)")
  }

  @Test("CREATOR OWNER is replaced by the new object's owner: the creator's owner when it gives one")
  func creatorOwnerFollowsCreatorOwner() throws {
    let sddl = try F.child(
      "D:(A;OI;FA;;;CO)", creator: "O:BA", container: false,
      token: F.token(adminOwner: true))
    #expect(sddl == "O:BAG:S-1-5-21-1-2-3-513D:(A;ID;FA;;;BA)")
  }

  @Test("CREATOR GROUP is replaced by the new object's group")
  func creatorGroup() throws {
    #expect(
      try F.child("D:(A;OICI;GR;;;CG)", container: true)
        == og + "D:(A;ID;FR;;;S-1-5-21-1-2-3-513)(A;OICIIOID;GR;;;CG)")
  }

  @Test(
    "CREATOR OWNER SERVER and CREATOR GROUP SERVER are replaced by the token's (server's) owner and primary group"
  )
  func creatorServerSIDs() throws {
    let sddl = try F.child(
      "D:(A;OI;FA;;;S-1-3-2)(A;OI;FR;;;S-1-3-3)", creator: "O:SYG:SY", container: false,
      flags: .avoidOwnerCheck)
    #expect(sddl == "O:SYG:SYD:(A;ID;FA;;;\(u))(A;ID;FR;;;S-1-5-21-1-2-3-513)")
  }

  @Test("OWNER RIGHTS is inherited as it is: no substitution, no split")
  func ownerRightsInheritedUnchanged() throws {
    #expect(
      try F.child("D:(A;OICI;RC;;;OW)(A;OICI;FA;;;SY)", container: true)
        == og + "D:(A;OICIID;RC;;;OW)(A;OICIID;FA;;;SY)")
  }

  // MARK: - Inheritance flags (MS-DTYP 2.5.3.4.4 table)

  @Test(
    "Parent ACE flags → child container / leaf flags",
    arguments: [
      ("", nil, nil),
      ("IO", nil, nil),
      ("OI", "OIIOID", "ID"),
      ("OINP", nil, "ID"),
      ("CI", "CIID", nil),
      ("CINP", "ID", nil),
      ("OICI", "OICIID", "ID"),
      ("OICINP", "ID", "ID"),
      ("OICIIO", "OICIID", "ID"),
      ("CIIO", "CIID", nil),
      ("OIIO", "OIIOID", "ID"),
      ("OICINPIO", "ID", "ID"),
    ] as [(String, String?, String?)])
  func inheritanceFlagTable(parent: String, container: String?, leaf: String?) throws {
    let p = "D:(A;\(parent);FA;;;SY)"
    // Nothing inherited: the token's default DACL, GENERIC_ALL mapped to FA.
    let fallback = og + "D:(A;;FA;;;\(u))(A;;FA;;;SY)"
    #expect(
      try F.child(p, container: true) == (container.map { og + "D:(A;\($0);FA;;;SY)" } ?? fallback))
    #expect(try F.child(p, container: false) == (leaf.map { og + "D:(A;\($0);FA;;;SY)" } ?? fallback))
  }

  @Test(
    "INHERITED_ACE marks every inherited ACE even without SEF_DACL_AUTO_INHERIT; SE_DACL_AUTO_INHERITED needs the flag"
  )
  func inheritedAceMarkingAndControl() throws {
    #expect(try F.child("D:(A;OICI;FA;;;SY)", container: true) == og + "D:(A;OICIID;FA;;;SY)")
    #expect(
      try F.child("D:(A;OICI;FA;;;SY)", container: true, flags: .daclAutoInherit)
        == og + "D:AI(A;OICIID;FA;;;SY)")
  }

  @Test(
    "Audit flags survive inheritance; the SACL is inherited without SEF_SACL_AUTO_INHERIT but only marked AI with it"
  )
  func auditFlagsKept() throws {
    let parent = "S:(AU;OICISAFA;GA;;;WD)"
    #expect(try F.child(parent, container: false).hasSuffix("S:(AU;IDSAFA;FA;;;WD)"))
    #expect(
      try F.child(parent, container: true, flags: .saclAutoInherit)
        .hasSuffix("S:AI(AU;IDSAFA;FA;;;WD)(AU;OICIIOIDSAFA;GA;;;WD)"))
  }

  // MARK: - Generic mapping

  @Test("Generic rights of inherited effective ACEs follow the object's GENERIC_MAPPING (registry: GR → KR)")
  func genericMappingRegistry() throws {
    #expect(
      try F.child("D:(A;CI;GR;;;BU)", container: true, mapping: .registryKey)
        == og + "D:(A;ID;KR;;;BU)(A;CIIOID;GR;;;BU)")
  }

  @Test("Inherit-only copies keep generic rights unmapped for the next generation")
  func inheritOnlyCopyKeepsGeneric() throws {
    let sddl = try F.child("D:(A;OI;GX;;;BU)", container: true)
    #expect(sddl == og + "D:(A;OIIOID;GX;;;BU)")
  }

  // MARK: - Default DACL and creator ACLs

  @Test("No inheritable ACE and no creator DACL: the token's default DACL, resolved, without AI")
  func tokenDefaultDACL() throws {
    let expected = og + "D:(A;;FA;;;\(u))(A;;FA;;;SY)"
    #expect(try F.child("D:(A;;FA;;;SY)", container: false, flags: auto) == expected)
    #expect(try F.child(nil, container: true, flags: auto) == expected)
  }

  @Test(
    "Inheritable ACEs that do not reach this kind of child count as nothing inherited: a file under a CI-only folder gets the default DACL"
  )
  func inheritableButNotForThisChild() throws {
    #expect(
      try F.child("D:(A;CI;FA;;;BA)", container: false) == og + "D:(A;;FA;;;\(u))(A;;FA;;;SY)")
  }

  @Test("No inheritance, no creator DACL, no default DACL: the object has no DACL")
  func noDACLAtAll() throws {
    var token = F.token()
    token.defaultDACL = nil
    #expect(try F.child("D:(A;;FA;;;SY)", container: false, token: token) == og)
  }

  @Test("Creator DACL without auto-inheritance replaces inheritance (CreatePrivateObjectSecurity)")
  func creatorDACLWithoutAutoInherit() throws {
    #expect(
      try F.child("D:(A;OICI;FA;;;SY)", creator: "D:(A;;FA;;;BU)", container: true)
        == og + "D:(A;;FA;;;BU)")
  }

  @Test("Creator DACL with SEF_DACL_AUTO_INHERIT: explicit ACEs first, then the inherited ones, AI set")
  func creatorDACLWithAutoInherit() throws {
    #expect(
      try F.child("D:(A;OICI;FA;;;SY)", creator: "D:(A;;FA;;;BU)", container: true, flags: auto)
        == og + "D:AI(A;;FA;;;BU)(A;OICIID;FA;;;SY)")
  }

  @Test("A protected creator DACL blocks inheritance; the result is P and, with the flag, AI")
  func protectedCreatorDACL() throws {
    #expect(
      try F.child("D:(A;OICI;FA;;;SY)", creator: "D:P(A;;FA;;;BU)", container: true, flags: auto)
        == og + "D:PAI(A;;FA;;;BU)")
  }

  @Test("INHERITED_ACE entries of the creator are dropped, or turned explicit in a protected DACL")
  func creatorInheritedACEs() throws {
    #expect(
      try F.child(nil, creator: "D:(A;ID;FA;;;WD)(A;;FA;;;BU)", container: false)
        == og + "D:(A;;FA;;;BU)")
    #expect(
      try F.child(nil, creator: "D:P(A;ID;FA;;;WD)", container: false) == og + "D:P(A;;FA;;;WD)")
  }

  /// Windows gives `(D;;WP;;;DA)(D;CIIO;WP;;;CO)` for a creator's `(D;CI;WP;;;CO)` on an AD group
  /// created by a Domain Admin (Samba's sec_descriptor test 211, written against Windows).
  @Test(
    "Explicit inheritable CREATOR OWNER ACE of the creator on a container: the resolved effective ACE, then the original made inherit-only"
  )
  func creatorExplicitSplit() throws {
    #expect(
      try F.child(nil, creator: "D:(A;OICI;GA;;;CO)", container: true)
        == og + "D:(A;;FA;;;\(u))(A;OICIIO;GA;;;CO)")
    #expect(
      try F.child(
        nil, creator: "O:BAD:(D;CI;WP;;;CO)", container: true,
        token: F.token(adminOwner: true), mapping: .directoryServiceObject)
        == "O:BAG:S-1-5-21-1-2-3-513D:(D;;WP;;;BA)(D;CIIO;WP;;;CO)")
    #expect(
      try F.child(nil, creator: "D:(A;OICI;GA;;;CO)", container: false)
        == og + "D:(A;OICI;FA;;;\(u))")
    #expect(try F.child(nil, creator: "D:(A;;GR;;;BU)", container: false) == og + "D:(A;;FR;;;BU)")
  }

  @Test("Creator inherit-only ACEs stay as they are; inherit-only without OI/CI is meaningless and dropped")
  func creatorInheritOnly() throws {
    #expect(
      try F.child(nil, creator: "D:(A;OIIO;GA;;;CO)(A;IO;FA;;;WD)", container: true)
        == og + "D:(A;OIIO;GA;;;CO)")
  }

  @Test(
    "A NULL creator DACL stays NULL without inheritance; with auto-inheritance the inherited ACEs replace it")
  func nullCreatorDACL() throws {
    #expect(
      try F.child("D:(A;;FA;;;SY)", creator: "D:NO_ACCESS_CONTROL", container: false)
        == og + "D:NO_ACCESS_CONTROL")
    #expect(
      try F.child("D:(A;OI;FA;;;SY)", creator: "D:NO_ACCESS_CONTROL", container: false, flags: auto)
        == og + "D:AI(A;ID;FA;;;SY)")
  }

  @Test("A creator DACL marked defaulted gives way to inherited ACEs")
  func defaultedCreatorDACL() throws {
    var creator = try SecurityDescriptor(sddl: "D:(A;;FA;;;BU)")
    creator.setDACL(present: true, creator.dacl, defaulted: true)
    let parent = try SecurityDescriptor(sddl: "D:(A;OI;FA;;;SY)")
    let sd = try SecurityDescriptor.inherited(
      from: parent, creator: creator, isContainer: false, token: F.token(), mapping: .file)
    #expect(try sd.sddl() == og + "D:(A;ID;FA;;;SY)")
    let alone = try SecurityDescriptor.inherited(
      from: nil, creator: creator, isContainer: false, token: F.token(), mapping: .file)
    #expect(try alone.sddl() == og + "D:(A;;FA;;;BU)")
  }

  // MARK: - Owner and group

  @Test(
    "Owner and group from the token without a creator; from the parent with SEF_DEFAULT_OWNER_FROM_PARENT / SEF_DEFAULT_GROUP_FROM_PARENT"
  )
  func ownerAndGroupSources() throws {
    let parent = "O:BAG:SYD:(A;OI;FA;;;CO)"
    #expect(try F.child(parent, container: false) == og + "D:(A;ID;FA;;;\(u))")
    #expect(
      try F.child(parent, container: false, flags: [.defaultOwnerFromParent, .defaultGroupFromParent])
        == "O:BAG:SYD:(A;ID;FA;;;BA)")
    #expect(
      try F.child(parent, container: false, flags: .defaultGroupFromParent)
        == "O:\(u)G:SYD:(A;ID;FA;;;\(u))")
  }

  @Test("A creator owner the token cannot assign is ERROR_INVALID_OWNER unless SEF_AVOID_OWNER_CHECK")
  func ownerCheck() throws {
    // Administrators is deny-only in the standard user's token.
    #expect(throws: NTSecurityError.self) { try F.child(nil, creator: "O:BA", container: false) }
    do {
      _ = try F.child(nil, creator: "O:SY", container: false)
      Issue.record("expected ERROR_INVALID_OWNER")
    } catch { #expect(error.code == .invalidOwner) }
    #expect(
      try F.child(nil, creator: "O:SY", container: false, flags: .avoidOwnerCheck)
        .hasPrefix("O:SYG:"))
    #expect(
      try F.child(nil, creator: "O:BA", container: false, token: F.token(adminOwner: true))
        .hasPrefix("O:BAG:"))
    #expect(try F.child(nil, creator: "O:\(u)", container: false).hasPrefix("O:\(u)G:"))
    let restore = F.token(privileges: [LUIDAndAttributes(.restore, [.enabled])])
    #expect(try F.child(nil, creator: "O:SY", container: false, token: restore).hasPrefix("O:SYG:"))
  }

  @Test("Without a token: ERROR_NO_TOKEN when the defaults or a check need one")
  func noToken() throws {
    for (creator, flags) in [
      ("G:SY", AutoInheritFlags.avoidOwnerCheck), ("O:SY", []), ("O:SY", .avoidOwnerCheck),
    ] as [(String, AutoInheritFlags)] {
      do {
        _ = try F.child(nil, creator: creator, container: false, flags: flags, token: nil)
        Issue.record("expected ERROR_NO_TOKEN for \(creator)")
      } catch { #expect(error.code == .noToken) }
    }
    #expect(
      try F.child(
        "D:(A;OI;FA;;;CO)", creator: "O:SYG:SY", container: false, flags: .avoidOwnerCheck,
        token: nil) == "O:SYG:SYD:(A;ID;FA;;;SY)")
  }

  // MARK: - SACL and labels

  @Test(
    "A creator SACL needs SeSecurityPrivilege enabled (ERROR_PRIVILEGE_NOT_HELD) unless SEF_AVOID_PRIVILEGE_CHECK"
  )
  func saclPrivilege() throws {
    let creator = "S:(AU;SA;FA;;;WD)"
    do {
      _ = try F.child(nil, creator: creator, container: false)
      Issue.record("expected ERROR_PRIVILEGE_NOT_HELD")
    } catch { #expect(error.code == .privilegeNotHeld) }
    let disabled = F.token(privileges: [LUIDAndAttributes(.security, [])])
    #expect(throws: NTSecurityError.self) {
      try F.child(nil, creator: creator, container: false, token: disabled)
    }
    let enabled = F.token(privileges: [LUIDAndAttributes(.security, [.enabled])])
    #expect(
      try F.child(nil, creator: creator, container: false, token: enabled).hasSuffix("S:(AU;SA;FA;;;WD)"))
    #expect(
      try F.child(nil, creator: creator, container: false, flags: .avoidPrivilegeCheck)
        .hasSuffix("S:(AU;SA;FA;;;WD)"))
  }

  @Test("A creator SACL holding only a mandatory label needs no SeSecurityPrivilege")
  func labelOnlySACL() throws {
    #expect(
      try F.child(nil, creator: "S:(ML;;NW;;;LW)", container: false).hasSuffix("S:(ML;;NW;;;LW)"))
  }

  @Test("Mandatory labels inherit like other SACL ACEs")
  func labelInheritance() throws {
    let parent = "S:(ML;OICI;NWNR;;;LW)"
    #expect(try F.child(parent, container: true).hasSuffix("S:(ML;OICIID;NWNR;;;LW)"))
    #expect(try F.child(parent, container: false).hasSuffix("S:(ML;ID;NWNR;;;LW)"))
  }

  @Test(
    "SEF_MACL_NO_WRITE_UP / NO_READ_UP: the creator's label is replaced by one for the token's integrity level"
  )
  func maclFlags() throws {
    #expect(
      try F.child(nil, creator: "S:(ML;;NX;;;HI)", container: false, flags: .maclNoWriteUp)
        .hasSuffix("S:(ML;;NW;;;ME)"))
    #expect(
      try F.child(
        "S:(ML;OI;NW;;;LW)", container: false, flags: [.maclNoWriteUp, .maclNoReadUp]
      ).hasSuffix("S:(ML;;NWNR;;;ME)(ML;ID;NW;;;LW)"))
  }

  @Test(
    "A creator label above the token's integrity level needs SeRelabelPrivilege (ERROR_INVALID_LABEL); at or below it needs nothing"
  )
  func labelAboveTokenLevel() throws {
    do {
      _ = try F.child(nil, creator: "S:(ML;;NW;;;HI)", container: false)
      Issue.record("expected ERROR_INVALID_LABEL")
    } catch { #expect(error.code == .invalidLabel && error.code.code == 1299) }
    let relabel = F.token(privileges: [LUIDAndAttributes(.relabel, [.enabled])])
    #expect(
      try F.child(nil, creator: "S:(ML;;NW;;;HI)", container: false, token: relabel)
        .hasSuffix("S:(ML;;NW;;;HI)"))
    #expect(
      try F.child(nil, creator: "S:(ML;;NW;;;ME)", container: false).hasSuffix("S:(ML;;NW;;;ME)"))
  }

  @Test("A token below Medium labels what it creates with its own level unless a label applies already")
  func lowTokenLabelsNewObjects() throws {
    var low = F.token()
    low.integrityLevel = .lowLabel
    #expect(try F.child("D:(A;OICI;FA;;;SY)", container: false, token: low).hasSuffix("S:(ML;;NW;;;LW)"))
    #expect(
      try F.child("S:(ML;OI;NWNR;;;S-1-16-0)", container: false, token: low)
        .hasSuffix("S:(ML;ID;NWNR;;;S-1-16-0)"))
    #expect(
      try F.child("S:(ML;OI;NW;;;LW)", container: true, token: low)
        .hasSuffix("S:(ML;;NW;;;LW)(ML;OIIOID;NW;;;LW)"))
    #expect(!(try F.child("D:(A;OICI;FA;;;SY)", container: false)).contains("S:"))
  }

  @Test(
    "Resource attribute and central access policy ACEs are inherited into a protected SACL; a creator SACL of resource attributes needs no SeSecurityPrivilege"
  )
  func resourceAttributesPassProtection() throws {
    let parent = "S:(RA;OICI;;;;WD;(\"Project\",TS,0x0,\"Alpha\"))(AU;OICISA;FA;;;WD)"
    let sddl = try F.child(
      parent, creator: "S:P(RA;;;;;WD;(\"Dept\",TS,0x0,\"HR\"))", container: false,
      flags: auto)
    #expect(
      sddl.hasSuffix(
        "S:PAI(RA;;;;;WD;(\"Dept\",TS,0x0,\"HR\"))(RA;ID;;;;WD;(\"Project\",TS,0x0,\"Alpha\"))"))
  }

  @Test(
    "A child ACL that the split would push past 65535 bytes is ERROR_INVALID_ACL, not a broken descriptor")
  func oversizeChildACL() throws {
    let aces = String(repeating: "(A;OICI;GA;;;S-1-5-21-1-2-3-1001)", count: 1800)
    let parent = try SecurityDescriptor(sddl: "D:" + aces)
    #expect(parent.dacl!.size <= 0xFFFF)
    do {
      _ = try F.child("D:" + aces, container: true)
      Issue.record("expected ERROR_INVALID_ACL")
    } catch { #expect(error.code == .invalidAcl) }
    #expect(try F.child("D:" + aces, container: false).hasPrefix(og + "D:(A;ID;FA;;;"))
  }

  @Test("SEF_* values are winnt.h's")
  func flagValues() {
    let values: [(AutoInheritFlags, UInt32)] = [
      (.daclAutoInherit, 0x1), (.saclAutoInherit, 0x2), (.defaultDescriptorForObject, 0x4),
      (.avoidPrivilegeCheck, 0x8), (.avoidOwnerCheck, 0x10), (.defaultOwnerFromParent, 0x20),
      (.defaultGroupFromParent, 0x40), (.maclNoWriteUp, 0x100), (.maclNoReadUp, 0x200),
      (.maclNoExecuteUp, 0x400), (.aiUseExtraParams, 0x800), (.avoidOwnerRestriction, 0x1000),
      (.forceUserMode, 0x2000), (.normalizeOutputDescriptor, 0x4000), (.maclValidFlags, 0x700),
    ]
    for (flag, value) in values { #expect(flag.rawValue == value) }
  }
}
