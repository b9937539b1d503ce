import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// Propagation with a caller's token needs WRITE_DAC on every child, as Windows propagates with
/// the caller's rights: a child that refuses it is skipped with its subtree and reported.
@Suite(.serialized) struct PropagationAccessTests {
  let store = FileSecurity(attributeName: NTACLAttribute.securityName)

  init() throws {
    guard geteuid() == 0 else { throw TestFailure(text: "these tests write security.NTACL and need root") }
  }

  @Test("a child denying WRITE_DAC to the token is left unchanged with what is below, and reported")
  func childDenyingWriteDACSkipped() throws {
    let dir = try TemporaryDirectory.make("objsec-prop")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let caller = POSIXMapping.userSID(4242)
    let root = try SambaNTACLTests.makeFile(dir, "root", directory: true)
    let open = try SambaNTACLTests.makeFile(root, "open")
    let closed = try SambaNTACLTests.makeFile(root, "closed", directory: true)
    let below = try SambaNTACLTests.makeFile(closed, "below")
    let full = ACE.allow(caller, .fileAllAccess, flags: [.objectInherit, .containerInherit])
    try store.setNamedSecurityInfo(root, .file, [.dacl, .protectedDacl], dacl: ACL(aces: [full]))
    try store.setNamedSecurityInfo(
      closed, .file, [.dacl, .unprotectedDacl],
      dacl: ACL(aces: [.deny(caller, AccessMask(rawValue: 0x4_0000))]))
    let closedBefore = try store.descriptor(at: closed)
    let belowBefore = try store.descriptor(at: below)
    let added = ACE.allow(.everyone, .fileGenericRead, flags: [.objectInherit, .containerInherit])
    let token = FileSecurityTests.token(user: caller)
    var failure: NTSecurityError?
    do throws(NTSecurityError) {
      try store.setNamedSecurityInfo(
        root, .file, [.dacl, .protectedDacl], dacl: ACL(aces: [full, added]), token: token)
    } catch {
      failure = error
    }
    #expect(failure?.code == .accessDenied, "\(String(describing: failure))")
    #expect(failure?.message.contains(closed) == true)
    #expect(try store.descriptor(at: closed) == closedBefore)
    #expect(try store.descriptor(at: below) == belowBefore)
    #expect(try store.descriptor(at: open).dacl?.aces.contains { $0.sid == .everyone } == true)
  }
}
