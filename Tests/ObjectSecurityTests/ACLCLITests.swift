import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// `ntsec acl` against Samba on real files: what it sets smbd shows, what Samba sets it shows,
/// and a kill -9 in the middle of a propagation leaves every file with a valid descriptor.
@Suite(.serialized) struct ACLCLITests {
  let store = FileSecurity(attributeName: NTACLAttribute.securityName)
  let ntsec: String

  init() throws {
    guard geteuid() == 0 else { throw TestFailure(text: "these tests write security.NTACL and need root") }
    guard let path = builtProduct("ntsec") else { throw TestFailure(text: "ntsec not built") }
    ntsec = path
  }

  func run(_ arguments: [String]) throws -> String {
    let (status, out, err) = try runProgram(ntsec, arguments)
    guard status == 0 else { throw TestFailure(text: "ntsec \(arguments) exited \(status): \(out)\(err)") }
    return out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test("ntsec acl set: smbd shows what ntsec acl get shows, with the explicit ACEs asked for")
  func setThenSambaReads() throws {
    let samba = try SambaOracle()
    var generator = SambaDescriptorGenerator(seed: 0x0B_5EC0_0005)
    for k in 0..<30 {
      let path = try SambaNTACLTests.makeFile(samba.share, "cli\(k)", directory: k % 3 == 0)
      var sd = generator.descriptor(sddlExpressible: true)
      sd.control.insert([.daclProtected, .saclProtected])
      // What SetNamedSecurityInfo keeps as given: explicit ACEs without generic rights or
      // creator SIDs (those it maps and splits, as Windows does).
      func explicit(_ acl: ACL?) -> ACL? {
        acl.map {
          ACL(
            aces: $0.aces.map {
              var ace = $0
              ace.flags.remove(.inherited)
              ace.mask = AccessMask(rawValue: ace.mask.rawValue & 0x0FFF_FFFF)
              if ace.sid == .creatorOwner || ace.sid == .creatorGroup { ace.sid = .everyone }
              return ace
            })
        }
      }
      sd.dacl = explicit(sd.dacl)
      sd.sacl = explicit(sd.sacl)
      let text = try sd.sddl()
      _ = try run(["acl", "set", path, text])
      let line = try run(["acl", "get", path])
      #expect(try samba.get(path).sddl() == line, "case \(k): \(text)")
      let shown = try SecurityDescriptor(sddl: line)
      // Every effective explicit ACE asked for is there (inheritable ones are split as Windows
      // splits them, inherit-only ones that inherit nothing are dropped).
      for ace in sd.dacl?.aces ?? [] where !ace.isInheritable && !ace.flags.contains(.inheritOnly) {
        #expect(shown.dacl?.aces.contains(ace) == true, "case \(k): \(ace) kept")
      }
      #expect(shown.owner == sd.owner && shown.group == sd.group)
    }
  }

  @Test("ntsec acl get shows what ntacls.setntacl and samba-tool ntacl set --use-s3fs stored")
  func sambaSetsNTSecReads() throws {
    let samba = try SambaOracle()
    var generator = SambaDescriptorGenerator(seed: 0x0B_5EC0_0006)
    for k in 0..<20 {
      let path = try SambaNTACLTests.makeFile(samba.share, "sam\(k)", directory: k % 2 == 0)
      try samba.set(generator.descriptor(), on: path)
      #expect(try samba.get(path).sddl() == (try run(["acl", "get", path])), "case \(k)")
    }
    let conf = samba.work + "/smb.conf"
    let (netStatus, _, netErr) = try runProgram(
      "/usr/bin/net", ["-s", conf, "setdomainsid", "S-1-5-21-1111-2222-3333"])
    #expect(netStatus == 0, "net setdomainsid: \(netErr)")
    let path = try SambaNTACLTests.makeFile(samba.share, "tool")
    let sddl = "O:S-1-22-1-0G:S-1-22-2-0D:P(A;;FA;;;S-1-22-1-0)(A;;FR;;;S-1-22-1-1200)(D;;FW;;;WD)"
    let (status, out, err) = try runProgram(
      "/usr/bin/samba-tool", ["ntacl", "set", "-s", conf, "--use-s3fs", "--service=x", sddl, path])
    #expect(status == 0, "samba-tool: \(out)\(err)")
    let line = try run(["acl", "get", path])
    #expect(try samba.get(path).sddl() == line)
    let shown = try SecurityDescriptor(sddl: line)
    #expect(shown.dacl?.aces == (try SecurityDescriptor(sddl: sddl)).dacl?.aces)
  }

  @Test("a process without CAP_SYS_ADMIN keeps descriptors in user.NTACL (the documented deviation)")
  func nonRootUsesUserNTACL() throws {
    let dir = try TemporaryDirectory.make("objsec-user")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = try SambaNTACLTests.makeFile(dir, "mine")
    try FileSystemCalls.changeOwner(of: dir, uid: 65534, gid: 65534)
    try FileSystemCalls.changeOwner(of: path, uid: 65534, gid: 65534)
    let sddl = "D:P(A;;FA;;;S-1-22-1-65534)(A;;FR;;;WD)"
    let asNobody = ["-u", "nobody", "--", ntsec, "acl"]
    let (status, out, err) = try runProgram("/usr/sbin/runuser", asNobody + ["set", path, sddl])
    #expect(status == 0, "\(out)\(err)")
    let user = FileSecurity(attributeName: NTACLAttribute.userName)
    #expect(try user.storedAttribute(at: path)?.descriptor.dacl == (try SecurityDescriptor(sddl: sddl)).dacl)
    #expect(try store.storedAttribute(at: path) == nil, "nothing in security.NTACL")
    let shown = try runProgram("/usr/sbin/runuser", asNobody + ["get", path, "--info", "dacl"])
    #expect(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == sddl.replacingOccurrences(of: "D:P", with: "D:PAI"))
  }

  @Test("kill -9 during a propagation leaves every file with a valid descriptor")
  func killDuringPropagation() throws {
    let root = try TemporaryDirectory.make("objsec-kill")
    defer { try? FileManager.default.removeItem(atPath: root) }
    var files: [String] = []
    for d in 0..<20 {
      let dir = try SambaNTACLTests.makeFile(root, "d\(d)", directory: true)
      files.append(dir)
      for f in 0..<150 { files.append(try SambaNTACLTests.makeFile(dir, "f\(f)")) }
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ntsec)
    process.arguments = ["acl", "set", root, "D:P(A;OICI;FA;;;S-1-22-1-1000)(A;OICI;FR;;;WD)"]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    // Wait until the propagation is under way (some file has a stored descriptor), then kill.
    let deadline = Date().addingTimeInterval(60)
    while try files.allSatisfy({ try store.storedAttribute(at: $0) == nil }), process.isRunning,
      Date() < deadline
    {
      usleep(2000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    var written = 0
    for path in files {
      if let stored = try store.storedAttribute(at: path) {
        written += 1
        #expect(stored.version == 4)
      }
      let sd = try store.descriptor(at: path)
      #expect(sd.owner != nil && sd.dacl != nil, "\(path) has a descriptor")
    }
    #expect(written > 0, "the propagation had started")
    #expect(
      written < files.count || process.terminationReason == .exit, "killed in the middle, or finished first")
  }
}
