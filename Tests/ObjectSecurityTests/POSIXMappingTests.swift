import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// The descriptor mapped from POSIX owner, group, mode and ACLs, against smbd's on the same files.
@Suite(.serialized) struct POSIXMappingTests {
  let store = FileSecurity(attributeName: NTACLAttribute.securityName)

  init() throws {
    guard geteuid() == 0 else { throw TestFailure(text: "these tests chown and need root") }
  }

  func expectSame(_ samba: SambaOracle, _ path: String, _ what: String) throws -> Bool {
    let posix = try store.posixSecurity(at: path)
    let mine = POSIXMapping.descriptor(for: posix, view: .posix)
    let theirs = try samba.posix(path)
    #expect(mine == theirs, "\(what): POSIX layer \(show(theirs)) mapped \(show(mine))")
    let view = try store.descriptor(at: path)
    let smbd = try samba.get(path)
    #expect(view == smbd, "\(what): smbd \(show(smbd)) read \(show(view))")
    return mine == theirs && view == smbd
  }

  @Test("modes 000 to 777, files and directories, equal smbd's get_nt_acl byte for byte")
  func everyMode() throws {
    let samba = try SambaOracle()
    let file = try SambaNTACLTests.makeFile(samba.share, "f")
    let dir = try SambaNTACLTests.makeFile(samba.share, "d", directory: true)
    try FileSystemCalls.changeOwner(of: file, uid: 1234, gid: 5678)
    for mode in UInt32(0)...0o777 {
      for path in [file, dir] {
        try FileSystemCalls.changeMode(of: path, mode)
        guard try expectSame(samba, path, "\(path) mode \(String(mode, radix: 8))") else { return }
      }
    }
  }

  @Test("POSIX access and default ACLs (named users and groups, masks) equal smbd's")
  func posixACLs() throws {
    let samba = try SambaOracle()
    var rng = SplitMix64(seed: 0x0B_5EC0_0003)
    func randomACL(_ named: Int) -> POSIXACL {
      var entries: [POSIXACL.Entry] = [
        .init(.userObject, .random(in: 0...7, using: &rng)),
        .init(.groupObject, .random(in: 0...7, using: &rng)),
        .init(.other, .random(in: 0...7, using: &rng)),
      ]
      var users = Set<UInt32>()
      var groups = Set<UInt32>()
      for _ in 0..<named {
        let id = UInt32.random(in: 1000...1006, using: &rng)
        if Bool.random(using: &rng) {
          if users.insert(id).inserted {
            entries.append(.init(.user, id: id, .random(in: 0...7, using: &rng)))
          }
        } else if groups.insert(id).inserted {
          entries.append(.init(.group, id: id, .random(in: 0...7, using: &rng)))
        }
      }
      if named > 0 { entries.append(.init(.mask, .random(in: 0...7, using: &rng))) }
      return POSIXACL(entries)
    }
    for k in 0..<300 {
      let isDirectory = k % 2 == 1
      let path = try SambaNTACLTests.makeFile(samba.share, "a\(k)", directory: isDirectory)
      try FileSystemCalls.changeOwner(of: path, uid: UInt32(1000 + k % 5), gid: UInt32(1000 + k % 3))
      let access = randomACL(Int.random(in: 0...4, using: &rng))
      try FileSystemCalls.setExtendedAttribute(POSIXACL.accessAttribute, access.attribute, of: path)
      if isDirectory, k % 3 != 0 {
        let defaults = randomACL(Int.random(in: 0...4, using: &rng))
        try FileSystemCalls.setExtendedAttribute(POSIXACL.defaultAttribute, defaults.attribute, of: path)
      }
      let posix = try store.posixSecurity(at: path)
      #expect(posix.status.permissions == access.mode, "the kernel keeps the mode in step")
      guard try expectSame(samba, path, "ACL case \(k)") else { return }
    }
  }

  @Test("chmod after an NT set: both fall back to the same POSIX mapping")
  func chmodAfterSet() throws {
    let samba = try SambaOracle()
    var generator = SambaDescriptorGenerator(seed: 0x0B_5EC0_0004)
    for k in 0..<40 {
      let path = try SambaNTACLTests.makeFile(samba.share, "c\(k)", directory: k % 2 == 0)
      let sd = generator.descriptor()
      if k % 4 < 2 { try store.store(sd, at: path) } else { try samba.set(sd, on: path) }
      #expect(try store.descriptor(at: path) == (try samba.get(path)))
      let mode = try store.posixSecurity(at: path).status.permissions
      try FileSystemCalls.changeMode(of: path, mode ^ 0o070)
      let fallback = POSIXMapping.descriptor(for: try store.posixSecurity(at: path), view: .aclXattr)
      #expect(try store.descriptor(at: path) == fallback, "case \(k): the stored blob is distrusted")
      guard try expectSame(samba, path, "chmod case \(k)") else { return }
    }
  }
}
