import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// `user.NTACL` can be set by anyone who may write the file, so it is trusted only while nobody
/// but the owner may write it.
@Suite(.serialized) struct UserAttributeTrustTests {
  let store = FileSecurity(attributeName: NTACLAttribute.userName)

  @Test("a v1 user.NTACL on a group-writable file is not trusted; on an owner-only file it is")
  func groupWritableNotTrusted() throws {
    let dir = try TemporaryDirectory.make("objsec-user")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = try SambaNTACLTests.makeFile(dir, "f")
    let planted = try SecurityDescriptor(sddl: "O:S-1-22-1-4242G:S-1-22-2-4242D:(A;;FA;;;WD)")
    try FileSystemCalls.setExtendedAttribute(
      NTACLAttribute.userName, NTACLAttribute(version1: planted).bytes, of: path)
    try FileSystemCalls.changeMode(of: path, 0o660)
    let token = FileSecurityTests.token(user: POSIXMapping.userSID(4242))
    #expect(try store.descriptor(at: path) != planted)
    #expect(try !store.accessCheck(path, token: token, desired: .fileAllAccess).isGranted)
    try FileSystemCalls.changeMode(of: path, 0o600)
    #expect(try store.descriptor(at: path) == planted, "only the owner can have written it")
  }

  @Test("a named POSIX ACL entry with w makes user.NTACL untrusted")
  func namedWriterNotTrusted() throws {
    let posix = POSIXSecurity(
      status: FileStatus(uid: 1, gid: 1, mode: 0o100_640),
      access: POSIXACL([
        .init(.userObject, 6), .init(.user, id: 9, 6), .init(.groupObject, 4), .init(.mask, 4),
        .init(.other, 0),
      ]))
    #expect(!NTACLAttribute.onlyOwnerWrites(posix))
    #expect(
      NTACLAttribute.onlyOwnerWrites(POSIXSecurity(status: FileStatus(uid: 1, gid: 1, mode: 0o100_644))))
  }
}
