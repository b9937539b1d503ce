import NTSecurity
import Testing

@testable import ObjectSecurity

/// The NT → POSIX write direction never grants POSIX access the DACL withholds: denies to groups
/// and other SIDs POSIX cannot single out, default ACLs, and the w bit.
struct DescriptorToPOSIXTests {
  func acls(_ sddl: String, uid: UInt32 = 5, gid: UInt32 = 6, directory: Bool = false) throws -> (
    access: POSIXACL, defaults: POSIXACL?
  ) {
    let dacl = try SecurityDescriptor(sddl: sddl).dacl
    return DescriptorToPOSIX.acls(for: dacl, uid: uid, gid: gid, isDirectory: directory)
  }

  @Test("a deny to Authenticated Users takes read from every entry, other included")
  func denyToAuthenticatedUsers() throws {
    let access = try acls("D:(D;;FR;;;AU)(A;;FR;;;WD)").access
    for tag in [POSIXACL.Tag.userObject, .groupObject, .other] {
      #expect(access.entry(tag)?.permissions == 0, "\(tag)")
    }
  }

  @Test("a deny to another group takes read from the owner and the owning group")
  func denyToOtherGroup() throws {
    let access = try acls("D:(D;;FR;;;S-1-22-2-100)(A;;FR;;;WD)", gid: 200).access
    #expect(access.entry(.userObject)?.permissions == 0)
    #expect(access.entry(.groupObject)?.permissions == 0)
    #expect(access.entry(.other)?.permissions == 0)
    let ordered = try acls("D:(A;;FR;;;S-1-22-1-5)(D;;FR;;;S-1-22-2-100)(A;;FR;;;WD)", gid: 200).access
    #expect(ordered.entry(.userObject)?.permissions == 4, "granted to the owner before the deny")
    #expect(ordered.entry(.other)?.permissions == 0)
  }

  @Test("a deny to one Unix user stays with that user")
  func denyToOneUser() throws {
    let access = try acls("D:(D;;FR;;;S-1-22-1-7)(A;;FR;;;WD)").access
    #expect(access.entries.contains(.init(.user, id: 7, 0)))
    #expect(access.entry(.other)?.permissions == 4)
  }

  @Test("default ACL: CI-only and NP allows give files nothing; OI+CI allows and denies count")
  func defaultACL() throws {
    #expect(try acls("D:(A;CI;FA;;;WD)", directory: true).defaults?.entry(.other)?.permissions == 0)
    #expect(try acls("D:(A;OI;FA;;;WD)", directory: true).defaults?.entry(.other)?.permissions == 0)
    #expect(try acls("D:(A;OICINP;FA;;;WD)", directory: true).defaults?.entry(.other)?.permissions == 0)
    let both = try acls("D:(D;CI;FW;;;S-1-22-1-7)(A;OICI;FA;;;WD)", directory: true).defaults
    #expect(both?.entry(.other)?.permissions == 7)
    #expect(both?.entries.contains(.init(.user, id: 7, 5)) == true, "the CI deny still withholds w")
  }

  @Test("w needs FILE_WRITE_DATA and FILE_APPEND_DATA, on a directory also add and delete child")
  func writeBit() throws {
    #expect(try acls("D:(A;;0x3;;;WD)").access.entry(.other)?.permissions == 4)
    #expect(try acls("D:(A;;0x7;;;WD)").access.entry(.other)?.permissions == 6)
    #expect(try acls("D:(A;;0x7;;;WD)", directory: true).access.entry(.other)?.permissions == 4)
    #expect(try acls("D:(A;;0x47;;;WD)", directory: true).access.entry(.other)?.permissions == 6)
  }
}
