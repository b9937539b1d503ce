import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// The `security.NTACL` format on its own: layouts, round trips, refusal of bad input.
@Suite struct NTACLAttributeTests {
  let sd = try! SecurityDescriptor(
    sddl:
      "O:S-1-22-1-0G:S-1-22-2-0D:(A;;FA;;;WD)(OA;CI;CC;bf967a86-0de6-11d0-a285-00aa003049e2;;BA)S:(AU;SA;FA;;;WD)"
  )

  @Test("each version puts the descriptor where Samba does: 8, 28, 80, 160; offsets from the start")
  func layouts() throws {
    let cases: [(NTACLAttribute, Int)] = [
      (NTACLAttribute(version1: sd), 8),
      (
        NTACLAttribute(
          version: 2, descriptor: sd, hashType: 0, hash: Array(repeating: 7, count: 16), hashDescription: "",
          time: 0, systemACLHash: []), 28
      ),
      (NTACLAttribute(version3: sd, hash: [1, 2, 3]), 80),
      (NTACLAttribute(version4: sd, hash: [4], systemACLHash: [5]), 160),
    ]
    for (attribute, start) in cases {
      let bytes = attribute.bytes
      #expect(bytes[0] == UInt8(attribute.version) && bytes[2] == UInt8(attribute.version))
      #expect(bytes[start] == 1, "revision at \(start)")
      let owner = Int(bytes[start + 4]) | Int(bytes[start + 5]) << 8
      #expect(owner == start + 20, "owner right after the header, counted from the attribute start")
      #expect(Array(bytes[owner..<owner + 8]) == Array(sd.owner!.bytes.prefix(8)))
      #expect(try NTACLAttribute(bytes: bytes) == attribute)
    }
  }

  @Test("every truncation and a corrupted offset are typed errors, never a crash")
  func badInput() throws {
    let bytes = NTACLAttribute(version4: sd, hash: [1], systemACLHash: [2]).bytes
    for n in 0..<bytes.count {
      #expect(throws: NTSecurityError.self) { try NTACLAttribute(bytes: Array(bytes.prefix(n))) }
    }
    var bad = bytes
    bad[0] = 9
    bad[2] = 9
    #expect(throws: NTSecurityError.self) { try NTACLAttribute(bytes: bad) }
    bad = bytes
    bad[164] = 0xF0  // owner offset far outside
    #expect(throws: NTSecurityError.self) { try NTACLAttribute(bytes: bad) }
  }

  @Test("the byte after the revision is NDR padding: read as 0, so a decoded attribute round-trips")
  func sbz1IsPadding() throws {
    var bytes = NTACLAttribute(version1: sd).bytes
    bytes[9] = 4
    let attribute = try NTACLAttribute(bytes: bytes)
    #expect(attribute.descriptor.resourceManagerControl == 0)
    #expect(try NTACLAttribute(bytes: attribute.bytes) == attribute)
  }

  @Test("the POSIX ACL attribute format round-trips and rejects bad tags")
  func posixACLFormat() throws {
    let acl = POSIXACL([
      .init(.userObject, 7), .init(.user, id: 1000, 5), .init(.groupObject, 4), .init(.mask, 5),
      .init(.other, 0),
    ])
    #expect(try POSIXACL(attribute: acl.attribute) == acl)
    #expect(acl.mode == 0o750)
    var bad = acl.attribute
    bad[4] = 0x40
    #expect(throws: NTSecurityError.self) { try POSIXACL(attribute: bad) }
    #expect(throws: NTSecurityError.self) { try POSIXACL(attribute: Array(bad.prefix(7))) }
  }
}
