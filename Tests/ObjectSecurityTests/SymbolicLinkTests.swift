import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// A symbolic link planted in a tree never redirects root's writes: propagation, reset and
/// `ntsec acl grant --inherit` leave the file or directory it points to untouched.
@Suite(.serialized) struct SymbolicLinkTests {
  let store = FileSecurity(attributeName: NTACLAttribute.securityName)

  init() throws {
    guard geteuid() == 0 else { throw TestFailure(text: "these tests write security.NTACL and need root") }
  }

  /// `root` holds a plain file and links to a file and a directory outside it.
  struct Tree {
    var base: String
    var root: String
    var plain: String
    var outside: [String]
  }

  func makeTree() throws -> Tree {
    let base = try TemporaryDirectory.make("objsec-link")
    let root = try SambaNTACLTests.makeFile(base, "root", directory: true)
    let away = try SambaNTACLTests.makeFile(base, "away", directory: true)
    let victim = try SambaNTACLTests.makeFile(away, "shadow")
    let victimDir = try SambaNTACLTests.makeFile(away, "etc", directory: true)
    let victimChild = try SambaNTACLTests.makeFile(victimDir, "passwd")
    for path in [victim, victimChild] { try FileSystemCalls.changeMode(of: path, 0o600) }
    try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: victim)
    try FileManager.default.createSymbolicLink(atPath: root + "/dlink", withDestinationPath: victimDir)
    let plain = try SambaNTACLTests.makeFile(root, "plain")
    return Tree(base: base, root: root, plain: plain, outside: [victim, victimDir, victimChild])
  }

  /// Everything a write could change: mode, owner, the stored descriptor and the POSIX ACLs.
  func state(_ path: String) throws -> String {
    let status = try FileSystemCalls.status(of: path)
    let names = [NTACLAttribute.securityName, POSIXACL.accessAttribute, POSIXACL.defaultAttribute]
    let attributes = try names.map { (name) throws(NTSecurityError) in
      try FileSystemCalls.extendedAttribute(name, of: path).map { "\($0)" } ?? "-"
    }
    return "\(status) \(attributes)"
  }

  static let readInherited = ACE.allow(
    .everyone, .fileGenericRead, flags: [.objectInherit, .containerInherit])

  @Test("propagation and reset skip symbolic links: files outside the tree keep their security")
  func propagationSkipsLinks() throws {
    let tree = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: tree.base) }
    let before = try tree.outside.map(state)
    try store.setNamedSecurityInfo(
      tree.root, .file, [.dacl, .protectedDacl], dacl: ACL(aces: [Self.readInherited]))
    #expect(
      try store.descriptor(at: tree.plain).dacl?.aces.contains { $0.sid == .everyone } == true,
      "the plain file below inherits")
    #expect(try tree.outside.map(state) == before, "setNamedSecurityInfo reached through a link")
    try store.resetSecurity(at: tree.root, recurse: true)
    #expect(try tree.outside.map(state) == before, "resetSecurity reached through a link")
  }

  @Test("ntsec acl grant --inherit does not follow a link to a file outside the tree")
  func grantSkipsLinks() throws {
    guard let ntsec = builtProduct("ntsec") else { throw TestFailure(text: "ntsec not built") }
    let tree = try makeTree()
    defer { try? FileManager.default.removeItem(atPath: tree.base) }
    let before = try tree.outside.map(state)
    let (status, out, err) = try runProgram(
      ntsec, ["acl", "grant", tree.root, "WD", "R", "--inherit", "oi,ci"])
    #expect(status == 0, "\(out)\(err)")
    #expect(try tree.outside.map(state) == before)
  }
}
