import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// The `ntsec` CLI and Samba agree on many files: descriptors written by `ntsec acl set` processes
/// (not the library in this process) are what smbd shows, with hashes Samba accepts.
@Suite(.serialized) struct CLISambaAgreementTests {
  let ntsec: String

  init() throws {
    guard geteuid() == 0 else { throw TestFailure(text: "these tests write security.NTACL and need root") }
    guard let path = builtProduct("ntsec") else { throw TestFailure(text: "ntsec not built") }
    ntsec = path
  }

  /// What SetNamedSecurityInfo makes of a protected, explicit descriptor: the ACEs as given,
  /// except inherit-only ACEs that inherit to nothing (no object or container inheritance),
  /// which Windows drops; each ACL rebuilt (revision 4 only with object ACEs), both marked
  /// auto-inherited, the auto-inherit requests cleared.
  static func expected(_ sd: SecurityDescriptor) -> SecurityDescriptor {
    func kept(_ acl: ACL?) -> ACL? {
      acl.map {
        let aces = $0.aces.filter {
          !$0.flags.contains(.inheritOnly)
            || !$0.flags.isDisjoint(with: [.objectInherit, .containerInherit])
        }
        return ACL(revision: aces.contains { $0.type.isObject } ? 4 : 2, aces: aces)
      }
    }
    var result = sd
    result.dacl = kept(sd.dacl)
    result.sacl = kept(sd.sacl)
    // The auto-inherit-required bits are requests, not kept; SACL bits only with a SACL.
    result.control.subtract([.daclAutoInheritRequired, .saclAutoInheritRequired])
    result.control.insert(.daclAutoInherited)
    if sd.control.contains(.saclPresent) {
      result.control.insert(.saclAutoInherited)
    } else {
      result.control.subtract([.saclProtected, .saclAutoInherited])
    }
    return result
  }

  @Test("1,000 random descriptors set by ntsec acl set processes read back identically by smbd, hashes valid")
  func thousandThroughTheCLI() throws {
    let samba = try SambaOracle()
    var generator = SambaDescriptorGenerator(seed: 0x0B_5EC0_0201)
    var cases: [(path: String, sd: SecurityDescriptor)] = []
    var arguments: [UInt8] = []
    for k in 0..<1000 {
      let path = try SambaNTACLTests.makeFile(samba.share, "c\(k)", directory: k % 4 == 0)
      let sd = generator.settableDescriptor()
      cases.append((path, sd))
      arguments += Array("\(path)\0\(try sd.sddl())\0".utf8)
    }
    // One `ntsec acl set PATH SDDL` process per file, two at a time (xargs).
    let list = samba.work + "/cases"
    try Data(arguments).write(to: URL(fileURLWithPath: list))
    let start = Date()
    let (status, out, err) = try runProgram(
      "/bin/sh", ["-c", "xargs -0 -n 2 -P 2 \"$1\" acl set < \"$2\"", "sh", ntsec, list])
    let seconds = Date().timeIntervalSince(start)
    try #require(status == 0, "ntsec acl set: \(out)\(err)")
    #expect(seconds < 60, "1,000 ntsec acl set processes took \(seconds) s")

    var mismatches = 0
    for (k, (path, sd)) in cases.enumerated() {
      let seen = try samba.get(path)
      let stored = try samba.raw(path)
      // Hashes valid: smbd shows the stored descriptor, not its POSIX fallback.
      #expect(seen == stored, "case \(k): smbd falls back, \(show(seen)) for stored \(show(stored))")
      let wanted = Self.expected(sd)
      #expect(
        seen == wanted,
        "case \(k): ntsec set \(show(sd)), wanted \(show(wanted)), smbd shows \(show(seen))"
      )
      if seen != wanted || seen != stored { mismatches += 1 }
      if mismatches > 5 { return }
    }
  }
}
