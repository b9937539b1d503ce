import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// `security.NTACL` written here and read by Samba, and the other way round, on real files as
/// root (Samba's acl_xattr keeps NT ACLs in `security.*`).
@Suite(.serialized) struct SambaNTACLTests {
  let store = FileSecurity(attributeName: NTACLAttribute.securityName)

  init() throws {
    guard geteuid() == 0 else {
      throw TestFailure(text: "these tests write security.NTACL and need root (CI runs as root)")
    }
  }

  static func makeFile(_ dir: String, _ name: String, directory: Bool = false) throws -> String {
    let path = dir + "/" + name
    if directory {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    } else {
      guard FileManager.default.createFile(atPath: path, contents: nil) else {
        throw TestFailure(text: "cannot create \(path)")
      }
    }
    return path
  }

  @Test("1,000 random descriptors written here read back identically by smbd, hashes valid")
  func writtenHereReadBySamba() throws {
    let samba = try SambaOracle()
    var generator = SambaDescriptorGenerator(seed: 0x0B_5EC0_0001)
    for k in 0..<1000 {
      let path = try Self.makeFile(samba.share, "w\(k)", directory: k % 4 == 0)
      let sd = generator.descriptor()
      try store.store(sd, at: path)
      let seen = try samba.get(path)
      #expect(seen == sd, "file \(k): wrote \(show(sd)) smbd shows \(show(seen))")
      if seen != sd { return }
    }
  }

  @Test("1,000 random descriptors stored by ntacls.setntacl (s3, version 4) read back here")
  func writtenBySambaReadHere() throws {
    let samba = try SambaOracle()
    var generator = SambaDescriptorGenerator(seed: 0x0B_5EC0_0002)
    for k in 0..<1000 {
      let path = try Self.makeFile(samba.share, "s\(k)", directory: k % 4 == 0)
      let sd = generator.descriptor()
      try samba.set(sd, on: path, version1: k % 10 == 9)
      let attribute = try #require(try store.storedAttribute(at: path))
      #expect(attribute.version == (k % 10 == 9 ? 1 : 4))
      let posix = try store.posixSecurity(at: path)
      #expect(attribute.isTrusted(for: posix), "file \(k): hashes")
      if attribute.version == 4 {
        // Both hashes as Samba computed them, each on its own.
        let mine = NTACLAttribute.samba(attribute.descriptor, posix: posix)
        #expect(attribute == mine, "file \(k)")
        let raw = try FileSystemCalls.extendedAttribute(NTACLAttribute.securityName, of: path)
        #expect(raw == mine.bytes, "file \(k): the same bytes as Samba's")
      }
      let expected = try samba.get(path)
      let seen = try store.descriptor(at: path)
      #expect(seen == expected, "file \(k): smbd shows \(show(expected)) read \(show(seen))")
      #expect(attribute.descriptor == (try samba.raw(path)))
      if seen != expected { return }
    }
  }
}
