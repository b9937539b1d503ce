import Testing

@testable import NTSecurity

@Suite struct SIDTests {
  @Test func parsesAndFormatsDecimal() throws {
    let sid = try SID(parsing: "S-1-5-32-544")
    #expect(sid.identifierAuthority == 5)
    #expect(sid.subAuthorities == [32, 544])
    #expect(sid.description == "S-1-5-32-544")
    #expect(sid.bytes == [1, 2, 0, 0, 0, 0, 0, 5, 0x20, 0, 0, 0, 0x20, 2, 0, 0])
    #expect(try SID(bytes: sid.bytes) == sid)
  }

  @Test func acceptsHexAuthorityAndValues() throws {
    #expect(try SID(parsing: "S-1-0x5-0x20-544").description == "S-1-5-32-544")
    #expect(try SID(parsing: "s-1-5-18").description == "S-1-5-18")
    let big = try SID(parsing: "S-1-0x123456789abc-1")
    #expect(big.description == "S-1-0x123456789ABC-1")
  }

  @Test func rejectsBadSIDs() {
    for bad in [
      "S-1", "S-2-5-1", "S-1-5-", "S-1-5-1x", "X-1-5", "S-1-5-4294967296",
      "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16", "S-1-0x1000000000000",
    ] {
      #expect(throws: NTSecurityError.self, "\(bad)") { try SID(parsing: bad) }
    }
    #expect(throws: NTSecurityError.self) { try SID(bytes: [1, 16, 0, 0, 0, 0, 0, 5]) }
    #expect(throws: NTSecurityError.self) { try SID(bytes: [2, 0, 0, 0, 0, 0, 0, 5]) }
    #expect(throws: NTSecurityError.self) { try SID(bytes: [1, 1, 0, 0, 0, 0, 0, 5, 1]) }
  }

  @Test func aliases() throws {
    let domain = try SID(parsing: "S-1-5-21-1-2-3")
    #expect(try SID(parsing: "BA") == SID(parsing: "S-1-5-32-544"))
    #expect(try SID(parsing: "DA", domain: domain).description == "S-1-5-21-1-2-3-512")
    let error = #expect(throws: NTSecurityError.self) { try SID(parsing: "DA") }
    #expect(error?.code == .noneMapped)
    #expect(try SID(parsing: "S-1-5-21-1-2-3-519").sddl(domain: domain) == "EA")
    #expect(try SID(parsing: "S-1-5-21-1-2-3-519").sddl() == "S-1-5-21-1-2-3-519")
    #expect(try SID(parsing: "S-1-1-0").sddl() == "WD")
  }
}

@Suite struct SIDInSDDLTests {
  /// A hex authority is followed directly by the next section; "D:" must not be read as a digit
  /// (found by the FuzzSDDL target: `D:O:S-1-6927192714040`).
  @Test func hexAuthorityBeforeDACL() throws {
    let sd = try SecurityDescriptor(sddl: "D:O:S-1-6927192714040")
    let text = try sd.sddl()
    #expect(text == "O:S-1-0x64CDCDC6B38D:")
    #expect(try SecurityDescriptor(sddl: text) == sd)
  }
}
