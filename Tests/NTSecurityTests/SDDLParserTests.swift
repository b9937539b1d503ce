import Testing

@testable import NTSecurity

@Suite struct SDDLParserTests {
  let domain = try! SID(parsing: "S-1-5-21-1-2-3")

  func canonical(_ s: String) throws -> String {
    try SecurityDescriptor(sddl: s, domain: domain).sddl(domain: domain)
  }

  @Test func canonicalRights() throws {
    #expect(try canonical("D:(A;;0x1F01FF;;;BA)") == "D:(A;;FA;;;BA)")
    #expect(try canonical("D:(A;;GRGWGX;;;WD)") == "D:(A;;GXGWGR;;;WD)")
    #expect(try canonical("D:(A;;KA;;;WD)") == "D:(A;;KA;;;WD)")
    #expect(try canonical("D:(A;;KX;;;WD)") == "D:(A;;KR;;;WD)")
    #expect(try canonical("D:(A;;0x1200a9;;;WD)") == "D:(A;;0x1200a9;;;WD)")
    #expect(try canonical("D:(A;;0x1200A9;;;WD)") == "D:(A;;0x1200a9;;;WD)")
    #expect(try canonical("D:(A;;WORCWDSD;;;WD)") == "D:(A;;SDRCWDWO;;;WD)")
    #expect(try canonical("D:(A;;31;;;WD)") == "D:(A;;CCDCLCSWRP;;;WD)")
    #expect(try canonical("D:(A;;037;;;WD)") == "D:(A;;CCDCLCSWRP;;;WD)")
    #expect(try canonical("D:(A;;RP WP;;;WD)") == "D:(A;;RPWP;;;WD)")
    #expect(try canonical("D:(A;;-2;;;WD)") == "D:(A;;0xfffffffe;;;WD)")
    #expect(try canonical("D:(A;;0x100000000;;;WD)") == "D:(A;;0xffffffff;;;WD)")
    #expect(try canonical("S:(ML;;NWNRNX;;;LW)") == "S:(ML;;NWNRNX;;;LW)")
    #expect(try canonical("D:(A;;;;;WD)") == "D:(A;;;;;WD)")
  }

  @Test func canonicalFlagsAndAliases() throws {
    #expect(try canonical("D:AIARP(A;IDCIOI;FA;;;S-1-5-21-1-2-3-512)") == "D:PARAI(A;OICIID;FA;;;DA)")
    #expect(try canonical("S:(AU;FASA;FA;;;WD)") == "S:(AU;SAFA;FA;;;WD)")
    #expect(try canonical("O:S-1-5-32-544G:S-1-5-18") == "O:BAG:SY")
    #expect(try canonical("O:s-1-5-18") == "O:SY")
    #expect(try canonical("G:DUO:DA") == "O:DAG:DU")
    #expect(
      try canonical("D:(OA;CI;RPWP;BF967ABA-0DE6-11D0-A285-00AA003049E2;;PS)")
        == "D:(OA;CI;RPWP;bf967aba-0de6-11d0-a285-00aa003049e2;;PS)")
  }

  /// Each bad string, the Windows error code, and the character offset reported.
  @Test func errorsNameCodeAndOffset() {
    let cases: [(String, WindowsError, Int)] = [
      ("X:BA", .invalidParameter, 0),
      ("O:BAO:SY", .invalidParameter, 4),
      ("O:XY", .invalidSid, 2),
      ("D:(A;;FA;;;SY", .invalidAcl, 13),
      ("D:(Q;;FA;;;SY)", .invalidAcl, 3),
      ("D:(A;XX;FA;;;SY)", .invalidAcl, 5),
      ("D:(A;;QQ;;;SY)", .invalidAcl, 6),
      ("D:(A;;FA ;;;SY)", .invalidAcl, 9),
      ("D:(A;;0x1z;;;SY)", .invalidAcl, 9),
      // A trustee followed by what cannot continue it is a malformed SID: the SID's offset.
      ("D:(A;;FA;;;S-1-5-)", .invalidAcl, 11),
      ("D:(A;;FA;;;S-1-5-32-544-)", .invalidAcl, 11),
      ("D:(A;;FA;;;SYX)", .invalidAcl, 11),
      ("D:(A;;FA;not-a-guid;;SY)", .invalidAcl, 9),
      ("D:(A;;FA;;;SY;(x))", .invalidAcl, 13),
      ("D:(XA;;FA;;;SY)", .invalidAcl, 14),
      ("D:(A;;FA;;;DA)", .noneMapped, 11),
      ("D:(A;;FA;;;SY)junk", .invalidParameter, 14),
      ("D:NO_ACCESS_CONTROL(A;;FA;;;SY)", .invalidParameter, 19),
      ("S:(RA;;;;;BA;(\"x\",TI,0,1))", .invalidAcl, 10),
    ]
    for (text, code, offset) in cases {
      let error = #expect(throws: NTSecurityError.self, "\(text)") {
        try SecurityDescriptor(sddl: text)
      }
      #expect(error?.code == code, "\(text): \(String(describing: error))")
      #expect(error?.offset == offset, "\(text): \(String(describing: error))")
    }
  }

  @Test func offsetsCountCharactersNotBytes() {
    let error = #expect(throws: NTSecurityError.self) {
      try SecurityDescriptor(sddl: "D:(XA;;FA;;;WD;(@User.é == \"ü\")) junk")
    }
    #expect(error?.offset == 33)
  }

  @Test func emptyStringIsAnEmptyDescriptor() throws {
    let sd = try SecurityDescriptor(sddl: "")
    #expect(sd.bytes == [1, 0, 0, 0x80] + [UInt8](repeating: 0, count: 16))
    #expect(try sd.sddl() == "")
  }
}

@Suite struct SDDLFuzzRegressions {
  /// FuzzSDDL: NUL bytes inside a conditional attribute name gave a name whose SDDL (`%0000`) does
  /// not parse back. Windows reads SDDL as a NUL-terminated string; here a NUL is an error.
  @Test func nulInsideTextIsRejected() {
    let error = #expect(throws: NTSecurityError.self) {
      try SecurityDescriptor(sddl: "D:(XA;;FA;;;WD;(@DEVICE.a\u{0}b == 1))")
    }
    #expect(error?.code == .invalidParameter && error?.offset == 25)
  }
}

extension SDDLFuzzRegressions {
  /// FuzzSDDL: `%0000` in an attribute name made a condition whose binary form cannot be read back.
  @Test func nulEscapeInAttributeName() {
    let error = #expect(throws: NTSecurityError.self) {
      try SecurityDescriptor(sddl: "D:(XA;;FA;;;WD;(@RESOURCE.a%0000b == 1))")
    }
    #expect(error?.code == .invalidAceCondition && error?.offset == 27)
  }
}

/// The parser's switch tables and the writer's ordered tables must say the same thing.
@Suite struct SDDLTableConsistencyTests {
  @Test func rightsAndFlagsAgree() {
    for r in SDDLTables.rights + SDDLTables.exactRights + SDDLTables.labelRights {
      #expect(SDDLTables.rightsMask(UInt8(r.code >> 8), UInt8(r.code & 0xff)) == r.mask, "\(r.code)")
    }
    for f in SDDLTables.aceFlags {
      #expect(SDDLTables.aceFlag(UInt8(f.code >> 8), UInt8(f.code & 0xff)) == f.flag, "\(f.code)")
    }
    #expect(SDDLTables.rightsMask(81, 81) == 0 && SDDLTables.aceFlag(81, 81) == 0)
    for (code, type) in SDDLTables.aceTypes {
      let u = code.withUTF8Buffer { Array($0) }
      #expect(SDDLTables.aceType(u[0], u.count > 1 ? u[1] : nil) == type)
    }
  }
}
