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
      let sd = generator.settableDescriptor()
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

  @Test("end to end through smbd in a network namespace: smbcacls --sddl and ntsec agree both ways")
  func throughAShare() throws {
    let work = try TemporaryDirectory.make("objsec-smbd")
    defer { try? FileManager.default.removeItem(atPath: work) }
    for d in ["share", "private", "state", "cache", "lock", "ncalrpc", "pid", "log"] {
      try FileManager.default.createDirectory(atPath: work + "/" + d, withIntermediateDirectories: true)
    }
    let conf = work + "/smb.conf"
    try """
    [global]
    server role = standalone server
    private dir = \(work)/private
    state directory = \(work)/state
    cache directory = \(work)/cache
    lock directory = \(work)/lock
    ncalrpc dir = \(work)/ncalrpc
    pid directory = \(work)/pid
    log file = \(work)/log/%m.log
    passdb backend = tdbsam:\(work)/private/passdb.tdb
    interfaces = lo
    bind interfaces only = yes
    disable netbios = yes
    smb ports = 445
    [x]
    path = \(work)/share
    read only = no
    vfs objects = acl_xattr

    """.write(toFile: conf, atomically: true, encoding: .utf8)
    let mine = try SambaNTACLTests.makeFile(work + "/share", "mine")
    let theirs = try SambaNTACLTests.makeFile(work + "/share", "theirs")
    let added = try runProgram(
      "/usr/bin/smbpasswd", ["-c", conf, "-s", "-a", "root"], input: "pw4test\npw4test\n")
    #expect(added.status == 0, "smbpasswd: \(added.stderr)")
    _ = try run([
      "acl", "set", mine, "O:S-1-22-1-0G:S-1-22-2-0D:P(A;;FA;;;S-1-22-1-0)(A;;FR;;;S-1-22-1-1234)",
    ])
    let smbcacls = "smbcacls -s \(conf) -U root%pw4test //127.0.0.1/x"
    // smbd (and the samba-dcerpcd it starts) live in the namespace and are stopped by pid.
    let script = """
      set -e
      ip link set lo up
      smbd -F --no-process-group -s \(conf) </dev/null >\(work)/log/smbd.out 2>&1 &
      pid=$!
      # On exit: smbd by its pid, then what it started (samba-dcerpcd detaches) by the pids whose
      # command line names this test's own configuration file.
      stop() {
        kill $pid; wait $pid || true
        for p in /proc/[0-9]*; do
          case "$(readlink $p/exe 2>/dev/null)" in /usr/sbin/smbd|/usr/libexec/samba/*) ;; *) continue ;; esac
          tr '\\0' ' ' <$p/cmdline 2>/dev/null | grep -qF -- "\(conf)" && kill -9 ${p#/proc/} || true
        done
      }
      trap stop EXIT
      for i in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/445) 2>/dev/null && break; sleep 0.1; done
      echo "MINE $(\(smbcacls) mine --sddl 2>/dev/null)"
      \(smbcacls) theirs --sddl --set 'O:S-1-22-1-0G:S-1-22-2-0D:P(A;;FA;;;S-1-22-1-0)(A;;FR;;;WD)(D;;FW;;;S-1-22-2-99)' >/dev/null 2>&1
      echo "THEIRS $(\(smbcacls) theirs --sddl 2>/dev/null)"
      """
    let (status, out, err) = try runProgram("/usr/bin/unshare", ["--net", "bash", "-c", script])
    #expect(status == 0, "\(out)\(err)")
    let lines = Dictionary(
      out.split(separator: "\n").compactMap { line -> (String, String)? in
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : nil
      }, uniquingKeysWith: { a, _ in a })
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { pid in
      guard pid.allSatisfy(\.isNumber),
        let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { return false }
      return String(decoding: cmdline, as: UTF8.self).contains(conf)
    }
    #expect(leftovers.isEmpty, "no Samba daemon left behind: \(leftovers)")
    #expect(lines["MINE"] == (try run(["acl", "get", mine])), "smbcacls shows what ntsec acl set wrote")
    #expect(
      lines["THEIRS"] == (try run(["acl", "get", theirs])), "ntsec acl get shows what smbcacls --set wrote")
    #expect(
      lines["THEIRS"]?.contains("(D;;FW;;;S-1-22-2-99)") == true
        || lines["THEIRS"]?.contains("(D;;0x120116;;;S-1-22-2-99)") == true)
  }

  @Test("ntsec acl check: AccessCheck of a token file against a file; set --token checks first")
  func check() throws {
    let dir = try TemporaryDirectory.make("objsec-check-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = try SambaNTACLTests.makeFile(dir, "f")
    _ = try run(["acl", "set", path, "O:SYG:SYD:P(A;;FR;;;S-1-22-1-2000)(A;;FA;;;SY)"])
    let token = dir + "/token.json"
    try #"{"user": "S-1-22-1-2000", "groups": [{"sid": "S-1-1-0"}]}"#.write(
      toFile: token, atomically: true, encoding: .utf8)
    let read = try runProgram(ntsec, ["acl", "check", path, "--token", token, "--desired", "R"])
    #expect(read.status == 0 && read.stdout.contains("status: ERROR_SUCCESS"), "\(read)")
    let write = try runProgram(ntsec, ["acl", "check", path, "--token", token, "--desired", "W"])
    #expect(write.status == 2 && write.stdout.contains("ERROR_ACCESS_DENIED"), "\(write)")
    // The token may not change the DACL (no WRITE_DAC): nothing is written.
    let before = try store.storedAttribute(at: path)
    let denied = try runProgram(ntsec, ["acl", "grant", path, "WD", "F", "--token", token])
    #expect(denied.status == 1 && denied.stderr.hasPrefix("ntsec: error: ERROR_ACCESS_DENIED: "), "\(denied)")
    #expect(try store.storedAttribute(at: path) == before)
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
    #expect(
      shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        == sddl.replacingOccurrences(of: "D:P", with: "D:PAI"))
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
