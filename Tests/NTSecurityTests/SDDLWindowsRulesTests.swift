import Testing

@testable import NTSecurity

/// What Windows' ConvertStringSecurityDescriptorToSecurityDescriptorW accepts and rejects, and what
/// ConvertSecurityDescriptorToStringSecurityDescriptorW prints back, rule by rule.
///
/// Evidence: results recorded on Windows by Samba (libcli/security/tests/windows and the SDDL
/// classes of python/samba/tests/sddl.py) and by Wine's advapi32 tests (which run on Windows and
/// check the error codes). Strings here are written for these tests; rules marked "inferred" have
/// no direct Windows record and follow from the neighbouring recorded behaviour.
@Suite struct SDDLWindowsRulesTests {
  let domain = try! SID(parsing: "S-1-5-21-9-9-9")

  func canonical(_ s: String) throws -> String {
    try SecurityDescriptor(sddl: s, domain: domain).sddl(domain: domain)
  }

  /// Each input must parse and print as the expected canonical text.
  func expectAccepted(_ cases: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) {
    for (input, expected) in cases {
      #expect(
        (try? canonical(input)) == expected, "\(input.debugDescription) → \(expected)",
        sourceLocation: sourceLocation)
    }
  }

  /// Each input must be rejected, with `code` when given.
  func expectRejected(
    _ inputs: [String], _ code: WindowsError? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for input in inputs {
      let error = #expect(
        throws: NTSecurityError.self, "\(input.debugDescription)", sourceLocation: sourceLocation
      ) { try SecurityDescriptor(sddl: input, domain: domain) }
      if let code, let error {
        #expect(error.code == code, "\(input.debugDescription): \(error)", sourceLocation: sourceLocation)
      }
    }
  }

  // MARK: Sections

  /// Rule: section letters are O, G, D, S in uppercase, directly followed by ':'; anything else is
  /// ERROR_INVALID_PARAMETER (Wine: "ERROR:(D;;GA;;;WD)").
  @Test func sectionLettersAreUppercaseAndTakeAColonAtOnce() {
    expectRejected(
      ["ERROR:(D;;GA;;;WD)", "Z:(A;;GA;;;SY)", "d:(A;;GA;;;SY)", "o:BA", "D :S:"], .invalidParameter)
  }

  /// Rule: sections may come in any order; Windows prints O, G, D, S.
  @Test func sectionsPrintInWindowsOrder() {
    expectAccepted([("S:D:", "D:S:"), ("S:D:P", "D:PS:"), ("G:SYO:BA", "O:BAG:SY"), ("D:S:", "D:S:")])
  }

  /// Rule: a section given twice is rejected. Windows' result is not recorded; the library keeps
  /// ERROR_INVALID_PARAMETER, pointing at the second one.
  @Test func duplicateSectionsAreRejected() {
    expectRejected(["O:BAO:SY", "D:D:", "S:(AU;SA;FA;;;WD)S:"], .invalidParameter)
  }

  /// Rule: text that is not a section after the last one is ERROR_INVALID_PARAMETER.
  @Test func trailingGarbageIsRejected() {
    expectRejected(["D:(A;;FA;;;SY)junk", "D:P:S:", "O:BA;", "D:(A;;FA;;;SY))"], .invalidParameter)
  }

  // MARK: Whitespace

  /// Rule: spaces may stand before a section, after "D:"/"S:", around and between ACL flags,
  /// between ACEs and at the end (Samba's windows_is_less_fussy; Wine: " D:(…)", "D: (…)").
  /// Between two ACL flags is inferred.
  @Test func spacesAroundSectionsFlagsAndACEs() {
    expectAccepted([
      (" O:AA", "O:AA"),
      ("  O:AA  ", "O:AA"),
      ("  O:AA G:WD ", "O:AAG:WD"),
      ("D: S:", "D:S:"),
      ("D: (A;;GA;;;LG)", "D:(A;;GA;;;LG)"),
      ("D: AI(A;;GA;;;LG)", "D:AI(A;;GA;;;LG)"),
      ("D:P (A;;GA;;;LG)", "D:P(A;;GA;;;LG)"),
      ("D:AI (A;;GA;;;LG)", "D:AI(A;;GA;;;LG)"),
      ("D:P(A;;GA;;;LG) (A;;GX;;;AA)", "D:P(A;;GA;;;LG)(A;;GX;;;AA)"),
      ("D:P AI(A;;GA;;;LG)", "D:PAI(A;;GA;;;LG)"),
      ("   ", ""),
    ])
  }

  /// Rule: inside an ACE every field may start with spaces; a field holding only spaces is empty
  /// (Samba; Wine: "( D;", "; ;", "; GA", "; WD"). Leading spaces before a GUID and before a
  /// numeric mask are inferred.
  @Test func spacesAtTheStartOfACEFields() {
    expectAccepted([
      ("D:( D;;GA;;;WD)", "D:(D;;GA;;;WD)"),
      ("D:(A; ;GA;;;LG)", "D:(A;;GA;;;LG)"),
      ("D:(A;; GA;;;LG)", "D:(A;;GA;;;LG)"),
      ("D:(A;;GA; ;;S-1-3-4)", "D:(A;;GA;;;OW)"),
      ("D:(A;;GA;; ;S-1-333-4)", "D:(A;;GA;;;S-1-333-4)"),
      ("D:(A;;GA;;; WD)", "D:(A;;GA;;;WD)"),
      ("D:(A;;GA;;; S-1-3-4)", "D:(A;;GA;;;OW)"),
      ("D:(A; CI;GA;;;WD)", "D:(A;CI;GA;;;WD)"),
      ("D:(A;; 0x10;;;WD)", "D:(A;;RP;;;WD)"),
      (
        "D:(OA;; CR; 1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;WD)",
        "D:(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;WD)"
      ),
    ])
  }

  /// Rule: rights may have spaces between two-letter codes but not after the last one, and not
  /// inside a code or a number (Samba: "RP LCLORC" yes, "GA ;", "LOR C", "123 ;", "0x 7" no;
  /// Wine: "D:(D;;GA ;;;WD)" is ERROR_INVALID_ACL).
  @Test func spacesInRights() {
    expectAccepted([
      ("D:AI(A;CI;RP LCLORC;;;AU)", "D:AI(A;CI;LCRPLORC;;;AU)"),
      ("D:AI(A;CI;RP LCLO  RC;;;AU)", "D:AI(A;CI;LCRPLORC;;;AU)"),
    ])
    expectRejected(
      [
        "D:(A;;GA ;;;LG)", "D:(D;;GA ;;;WD)", "D:(A;;RP ;;;LG)", "D:AI(A;CI;RP LCLOR C;;;AU)",
        "D:(A;;123456789 ;;;LG)", "D:(A;;0x 75bcd15;;;LG)", "D:(A;; ;;;LG)",
      ], .invalidAcl)
  }

  /// Rule: the ACE type takes no trailing space (Wine: "D:(D ;;GA;;;WD)" is ERROR_INVALID_ACL on
  /// Vista and later).
  @Test func noSpaceAfterTheACEType() {
    expectRejected(["D:(D ;;GA;;;WD)", "D:(OA ;;CR;;;WD)"], .invalidAcl)
  }

  /// Rule: a SID alias may be followed by spaces, an S-1-… SID may not (Samba: "WD )" yes,
  /// "S-1-3-4 )" no). For an owner or group the same is inferred.
  @Test func spacesAfterTheTrustee() {
    expectAccepted([("D:(A;;GA;;;WD )", "D:(A;;GA;;;WD)"), ("O:BA  G:SY", "O:BAG:SY")])
    expectRejected(["D:(A;;GA;;;S-1-3-4 )"], .invalidAcl)
    expectRejected(["O:S-1-5-32-544 G:SY", "O:S-1-5-18 "], .invalidSid)
  }

  /// Rule: a GUID field is the bare 36-character form; spaces after it are rejected (inferred from
  /// the other fields: Samba's records of spaces around GUIDs are on non-object ACEs).
  @Test func noSpaceAfterAGUID() {
    expectRejected(["D:(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2 ;;WD)"], .invalidAcl)
  }

  /// Rule: only the space character counts as whitespace; a tab is rejected where a space is
  /// taken (Samba: "RP LC\tLORC", "0x75bcd15\t"). Tabs around sections are inferred.
  @Test func tabsAreNotSpaces() {
    expectRejected(["D:AI(A;CI;RP LC\tLORC;;;AU)", "D:(A;;0x75bcd15\t;;;LG)"], .invalidAcl)
    expectRejected(["\tD:", "D:\t(A;;GA;;;WD)"], .invalidParameter)
  }

  // MARK: Case

  /// Rule: ACE types, rights and SID aliases are case-insensitive and printed in uppercase
  /// (Samba: "(a;", "ga", "lg"). ACE flags and ACL flags are inferred to follow the same rule
  /// (Windows reads all its SDDL keywords through one kind of lookup).
  @Test func keywordsIgnoreCase() {
    expectAccepted([
      ("D:(a;;GA;;;LG)", "D:(A;;GA;;;LG)"),
      ("D:(A;;ga;;;LG)", "D:(A;;GA;;;LG)"),
      ("D:(A;;GA;;;lg)", "D:(A;;GA;;;LG)"),
      ("D:(A;;Fa;;;wD)", "D:(A;;FA;;;WD)"),
      ("O:baG:Sy", "O:BAG:SY"),
      (
        "D:(oa;ci;rpwp;bf967aba-0de6-11d0-a285-00aa003049e2;;ps)",
        "D:(OA;CI;RPWP;bf967aba-0de6-11d0-a285-00aa003049e2;;PS)"
      ),
      ("D:(A;oiCi;GA;;;WD)", "D:(A;OICI;GA;;;WD)"),
      ("D:paI(A;;GA;;;WD)", "D:PAI(A;;GA;;;WD)"),
      ("D:no_access_control", "D:NO_ACCESS_CONTROL"),
      ("O:s-1-5-18", "O:SY"),
    ])
  }

  /// Rule: characters outside ASCII never match a keyword (Samba: "(Ā;").
  @Test func nonASCIIKeywordsAreRejected() {
    expectRejected(["D:(Ā;;GA;;;LG)", "D:(A;;GÀ;;;LG)"], .invalidAcl)
  }

  // MARK: Rights

  /// Rule: a numeric mask is read like wcstoul: hex with 0x, octal with a leading 0, else decimal;
  /// Windows prints letters when every bit has one, else lowercase hex (Samba non_canonical).
  @Test func numericRights() {
    expectAccepted([
      ("D:(A;;123456789;;;LG)", "D:(A;;0x75bcd15;;;LG)"),
      ("D:(A;;01234567;;;LG)", "D:(A;;0x53977;;;LG)"),
      ("D:(A;;16;;;LG)", "D:(A;;RP;;;LG)"),
      ("D:(A;;17;;;LG)", "D:(A;;CCRP;;;LG)"),
      ("D:(A;;0XFF;;;LG)", "D:(A;;CCDCLCSWRPWPDTLO;;;LG)"),
      ("D:(A;;0xe00f0000;;;LG)", "D:(A;;SDRCWDWOGXGWGR;;;LG)"),
      ("D:(A;;0x1f01ff;;;LG)", "D:(A;;FA;;;LG)"),
      ("D:(A;;0x401200a0;;;LG)", "D:(A;;0x401200a0;;;LG)"),
    ])
  }

  /// Rule: a number past 32 bits saturates at 0xffffffff, and a leading '-' negates the saturated
  /// value modulo 2^32 (Samba windows_is_weird: -99, -0xffffff55, -9876543210).
  @Test func numericRightsOverflowAndSign() {
    expectAccepted([
      ("D:(A;;0x123456789;;;LG)", "D:(A;;0xffffffff;;;LG)"),
      ("D:(A;;100000000000000000000000;;;LG)", "D:(A;;0xffffffff;;;LG)"),
      ("D:(A;;-99;;;LG)", "D:(A;;0xffffff9d;;;LG)"),
      ("D:(A;;-0xffffff55;;;LG)", "D:(A;;CCDCSWWPLO;;;LG)"),
      ("D:(A;;-9876543210;;;LG)", "D:(A;;CC;;;LG)"),
      ("D:(A;;-0x100000000;;;LG)", "D:(A;;CC;;;LG)"),
    ])
  }

  /// Rule: rights letters combine; an exact file or registry mask prints as FA/FR/FW/FX/KA/KR/KW,
  /// a mask with bits no letter names prints as hex (Samba: "FAGX" → 0x201f01ff; Wine).
  @Test func rightsLettersPrintCanonically() {
    expectAccepted([
      ("D:(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;SY)", "D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)"),
      ("D:(A;;FAGX;;;SY)", "D:(A;;0x201f01ff;;;SY)"),
      ("D:(A;;FAFRFWFX;;;WD)", "D:(A;;FA;;;WD)"),
      ("D:(A;;KAKRKWKX;;;WD)", "D:(A;;KA;;;WD)"),
      ("D:(A;;GRGWGX;;;WD)", "D:(A;;GXGWGR;;;WD)"),
    ])
    expectRejected(["D:(A;;ROB;;;WD)", "S:(AU;SA;CROOO;;;WD)", "D:(A;;G;;;WD)"], .invalidAcl)
  }

  /// Rule: Windows writes ACE flags in the order OI CI NP IO ID SA FA, generic rights as GA GX GW GR,
  /// a NULL DACL as NO_ACCESS_CONTROL, and a mask with bits no letter names in hex (Wine's
  /// ConvertSecurityDescriptorToStringSecurityDescriptor tests, run on Windows).
  @Test func writerMatchesWindows() {
    expectAccepted([
      (
        "O:SYG:S-1-5-21-93476-23408-4576D:NO_ACCESS_CONTROLS:(AU;FASAIDIONPCIOI;0x2001f;;;SU)(AU;NPSA;0x12019f;;;SU)",
        "O:SYG:S-1-5-21-93476-23408-4576D:NO_ACCESS_CONTROLS:(AU;OICINPIOIDSAFA;CCDCLCSWRPRC;;;SU)(AU;NPSA;0x12019f;;;SU)"
      ),
      (
        "D:(A;NP;0xf0000000;;;SU)(A;IOID;3;;;SU)(D;OICI;0xffffffff;;;S-1-5-21-93476-23408-4576)",
        "D:(A;NP;GAGXGWGR;;;SU)(A;IOID;CCDC;;;SU)(D;OICI;0xffffffff;;;S-1-5-21-93476-23408-4576)"
      ),
    ])
  }

  // MARK: ACL flags

  /// Rule: ACL flags P, AR, AI may repeat and come in any order; Windows prints P, AR, AI
  /// (Samba non_canonical).
  @Test func aclFlags() {
    expectAccepted([
      ("D:ARPAI(A;;GA;;;SY)", "D:PARAI(A;;GA;;;SY)"),
      ("D:AIPAR(A;;GA;;;SY)", "D:PARAI(A;;GA;;;SY)"),
      ("D:PARP(A;;GA;;;SY)", "D:PAR(A;;GA;;;SY)"),
      ("D:PPPPPPPPPPPP(A;;GA;;;SY)", "D:P(A;;GA;;;SY)"),
      ("S:PAI(AU;SA;FA;;;WD)", "S:PAI(AU;SA;FA;;;WD)"),
    ])
  }

  /// Rule: NO_ACCESS_CONTROL is a NULL ACL and takes no ACEs after it.
  @Test func noAccessControl() {
    expectAccepted([
      ("D:NO_ACCESS_CONTROL", "D:NO_ACCESS_CONTROL"), ("D:P NO_ACCESS_CONTROL S:", "D:PNO_ACCESS_CONTROLS:"),
    ])
    expectRejected(["D:NO_ACCESS_CONTROL(A;;FA;;;SY)"], .invalidParameter)
  }

  // MARK: ACE structure

  /// Rule: an ACE has exactly its six fields, and its type must be known (Samba should_fail;
  /// Wine: an unknown right or trustee is ERROR_INVALID_ACL).
  @Test func malformedACEs() {
    expectRejected(
      [
        "D:(Antlers;;GA;;;SY)", "D:((A;;GA;;;LG))", "D:(A;;GA;;)", "D:(A;;GA;;;SY",
        "D:(D;;GA;;;Nonexistent account)", "D:(A;;GA;;;S-1-5-18;)", "D:(A;XX;GA;;;WD)",
      ], .invalidAcl)
  }

  /// Rule: each ACE type belongs to one kind of ACL: audit, alarm, label and the other system
  /// types only in a SACL (Samba windows_is_fussy: "(AU;SA;CR;;;BA)" in a DACL is rejected).
  /// Access types only in a DACL is inferred; the error code is the library's choice.
  @Test func aceTypesBelongToTheirACL() {
    expectRejected(
      [
        "D:(A;;RP;;;WD)(AU;SA;CR;;;BA)", "D:(ML;;NW;;;LW)", "D:(OU;;CR;;;WD)", "S:(A;;FA;;;WD)",
        "S:(OA;;CR;;;WD)",
      ],
      .invalidAcl)
    expectAccepted([("S:(AU;SA;CR;;;WD)(AU;SA;CR;;;WD)", "S:(AU;SA;CR;;;WD)(AU;SA;CR;;;WD)")])
  }

  /// Rule: a GUID is only the 36-character dashed form, any case, printed in lowercase; braces,
  /// bare hex and bad digits are rejected, and a GUID on a non-object ACE is rejected (Samba).
  @Test func guidForms() {
    expectAccepted([
      (
        "D:(OA;;RPWP;77B5B886-944A-11d1-AEBD-0000F80367C1;;PS)",
        "D:(OA;;RPWP;77b5b886-944a-11d1-aebd-0000f80367c1;;PS)"
      )
    ])
    expectRejected(
      [
        "D:(OA;;GA;{f30e3bbf-9ff0-11d1-b603-0000f80367c1};;WD)",
        "D:(OA;;GA;;0123456789abcdef0123456789abcdef;WD)",
        "D:(OA;;GA;;0123456789abcdef;WD)",
        "S:(OU;CISA;WP;f30e3bbe-9ff0-11d1-b603-00potato7c1;;WD)",
        "D:(A;;GA;f30e3bbf-9ff0-11d1-b603-0000f80367c1;;WD)",
      ], .invalidAcl)
  }

  // MARK: SIDs

  /// Rule: an S-1-… SID needs a revision of 1, an authority and the dashes between; incomplete
  /// ones are rejected (Samba should_fail: "O:S", "O:S-1-", "O:S-0x1", "O:", "O:XX").
  @Test func incompleteSIDs() {
    expectRejected(
      ["O:S", "O:S-", "O:S-1", "O:S-10", "O:S-0", "O:S-1-", "O:S-0x1", "O:S-0x1-", "O:", "O:XX"], .invalidSid)
  }

  /// Rule: numbers in a SID may be decimal or 0x-hex; an authority over 32 bits prints in
  /// uppercase hex (Samba non_canonical).
  @Test func sidNumberForms() {
    expectAccepted([
      ("D:(A;;CC;;;S-1-21474836480-32-579)", "D:(A;;CC;;;S-1-0x500000000-32-579)"),
      ("D:(A;;GA;;;S-1-0x20-3-4)", "D:(A;;GA;;;S-1-32-3-4)"),
      ("D:(A;;GA;;;S-1-5-21-0x1-0x2-0x3-513)", "D:(A;;GA;;;S-1-5-21-1-2-3-513)"),
      ("D:(A;;GA;;;S-1-3-0xffffffff-3-4)", "D:(A;;GA;;;S-1-3-4294967295-3-4)"),
    ])
  }

  /// Rule: a revision written in hex makes every later number of the SID hex (Samba
  /// windows_is_weird: "S-0x1-0-0-579" is S-1-0-0-1401).
  @Test func hexRevisionMakesTheRestHex() {
    expectAccepted([
      ("D:(A;;CC;;;S-0x1-0-0-579)", "D:(A;;CC;;;S-1-0-0-1401)"),
      ("O:S-0x1-20-0-579", "O:S-1-32-0-1401"),
      ("O:S-0x1-5-a-0x10", "O:S-1-5-10-16"),
    ])
  }

  /// Rule: a sub-authority over 32 bits saturates at 4294967295; an authority over 48 bits is
  /// rejected (Samba windows_is_weird and should_fail).
  @Test func sidOverflow() {
    expectAccepted([
      ("D:(A;;GA;;;S-1-3-4294967296-3-4)", "D:(A;;GA;;;S-1-3-4294967295-3-4)"),
      ("D:(A;;GA;;;S-1-3-0x100000000-3-4)", "D:(A;;GA;;;S-1-3-4294967295-3-4)"),
      ("D:(A;;GA;;;S-1-5-21-0x1313131313131-513)", "D:(A;;GA;;;S-1-5-21-4294967295-513)"),
    ])
    expectRejected(["D:(A;;GA;;;S-1-0x1313131313131-513)"], .invalidAcl)
    expectRejected(["O:S-1-0x1000000000000-1"], .invalidSid)
  }

  /// Rule: spaces may precede the revision and the authority of an S-1-… SID, not a sub-authority
  /// (Samba windows_is_less_fussy: "O:S- 1- 2-3").
  @Test func spacesInsideSIDNumbers() {
    expectAccepted([("O:S- 1- 2-3", "O:S-1-2-3"), ("D:(A;;GA;;;S- 1-5-18)", "D:(A;;GA;;;SY)")])
    expectRejected(["O:S-1-2- 3"], .invalidParameter)
  }

  /// Rule: "D:" right after a hex number is the DACL, not a digit (Samba non_canonical).
  @Test func dAfterHexStartsTheDACL() {
    expectAccepted([
      ("O:S-1-2-0x200D:", "O:S-1-2-512D:"),
      ("O:S-1-2-0x2D:(A;;GA;;;LG)", "O:S-1-2-2D:(A;;GA;;;LG)"),
      (
        "O:S-1-5-21-1225132014-296224811-2507946102-512G:S-1-5-21-1225132014-296224811-2507946102-512D:P",
        "O:S-1-5-21-1225132014-296224811-2507946102-512G:S-1-5-21-1225132014-296224811-2507946102-512D:P"
      ),
    ])
  }

  /// Rule: a trustee that is not a SID is ERROR_INVALID_ACL, except a domain alias without a
  /// domain, which is ERROR_NONE_MAPPED (Wine: "Nonexistent account"; documented NONE_MAPPED).
  @Test func trusteeErrorCodes() {
    expectRejected(["D:(A;;GA;;;XX)", "D:(A;;GA;;;S-1-)"], .invalidAcl)
    let error = #expect(throws: NTSecurityError.self) { try SecurityDescriptor(sddl: "D:(A;;GA;;;DA)") }
    #expect(error?.code == .noneMapped)
  }
}
