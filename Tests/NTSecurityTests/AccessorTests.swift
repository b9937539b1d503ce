import Testing

@testable import NTSecurity

/// The small accessors the API map lists as done: EqualPrefixSid, LUID, DeleteAce, SACL setters.
@Suite struct AccessorTests {
  @Test func equalPrefixAndDomain() throws {
    let a = try SID(parsing: "S-1-5-21-1-2-3-500")
    let b = try SID(parsing: "S-1-5-21-1-2-3-513")
    let c = try SID(parsing: "S-1-5-21-1-2-4-500")
    #expect(a.hasEqualPrefix(b))
    #expect(!a.hasEqualPrefix(c))
    #expect(!a.hasEqualPrefix(try SID(parsing: "S-1-5-21-1-2-3")))
    #expect(a.domain == (try SID(parsing: "S-1-5-21-1-2-3")))
    #expect(a.isInDomain(try SID(parsing: "S-1-5-21-1-2-3")))
    #expect(a.rid == 500 && a.subAuthorityCount == 5 && a[subAuthority: 0] == 21)
    #expect(try SID(parsing: "S-1-5-21-1-2-3").appending(500) == a)
    let full = try SID(authority: 5, Array(repeating: 1, count: 15))
    #expect(throws: NTSecurityError.self) { try full.appending(1) }
    #expect(a < b && a < c)
  }

  @Test func luid() {
    let l = LUID(0x1_0000_03E7)
    #expect(l.lowPart == 0x3E7 && l.highPart == 1)
    #expect(l.value == 0x1_0000_03E7)
    #expect(l.description == "0x1:0x3e7")
    #expect(LUID(lowPart: 5) < LUID(lowPart: 6))
  }

  @Test func deleteAce() throws {
    let system = try SID(parsing: "S-1-5-18")
    var acl = ACL(aces: [.allow(system, .fileAllAccess), .deny(system, .writeDAC)])
    try acl.remove(at: 0)
    #expect(acl.aces.count == 1 && acl.aces[0].type == .accessDenied)
    let error = #expect(throws: NTSecurityError.self) { try acl.remove(at: 3) }
    #expect(error?.code == .invalidParameter)
  }

  @Test func saclSetters() throws {
    var sd = SecurityDescriptor()
    sd.setSACL(present: true, nil)
    #expect(sd.hasNullSACL)
    #expect(try sd.sddl() == "S:NO_ACCESS_CONTROL")
    sd.setSACL(present: true, ACL(), defaulted: true)
    #expect(sd.control.contains(.saclDefaulted) && !sd.hasNullSACL)
    sd.setSACL(present: false, nil)
    #expect(!sd.control.contains(.saclPresent))
    #expect(try sd.sddl() == "")
    #expect(SecurityDescriptor.sddlRevision1 == 1)
  }
}
