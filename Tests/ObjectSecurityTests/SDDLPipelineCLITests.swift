import Foundation
import NTSecurity
import ObjectSecurity
import TestPeers
import Testing

/// `ntsec sddl` in pipelines: raw bytes in and out, Samba's `security.NTACL` attribute read as
/// the descriptor it holds, blank lines skipped, and the hint when standard input is a terminal.
@Suite struct SDDLPipelineCLITests {
  let sddl = "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;;0x1200a9;;;BU)"

  func ntsec() throws -> String { try #require(builtProduct("ntsec"), "ntsec not built next to the tests") }

  func temporaryFile(_ bytes: [UInt8]) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ntsec-raw-\(UUID().uuidString)")
      .path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test(
    "to-binary --format raw writes the descriptor's bytes; from-binary --raw reads them from a file or stdin")
  func rawBytesRoundTrip() throws {
    let sd = try SecurityDescriptor(sddl: sddl)
    let path = try temporaryFile([])
    defer { try? FileManager.default.removeItem(atPath: path) }
    // Through bash, so the bytes go through a real file and a real pipe.
    let script = "'\(try ntsec())' sddl to-binary --format raw '\(sddl)' > '\(path)'"
    let written = try runProgram("/bin/bash", ["-c", script])
    #expect(written.status == 0, "\(written.stderr)")
    #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == sd.bytes)
    let fromFile = try runProgram(try ntsec(), ["sddl", "from-binary", "--raw", path])
    #expect(fromFile.status == 0 && fromFile.stdout == sddl + "\n", "\(fromFile)")
    let piped = try runProgram(
      "/bin/bash",
      [
        "-c",
        "'\(try ntsec())' sddl to-binary --format raw '\(sddl)' | '\(try ntsec())' sddl from-binary --raw",
      ])
    #expect(piped.status == 0 && piped.stdout == sddl + "\n", "\(piped)")
    let dash = try runProgram(
      "/bin/bash", ["-c", "'\(try ntsec())' sddl from-binary --raw - < '\(path)'"])
    #expect(dash.stdout == sddl + "\n", "\(dash)")
  }

  @Test("from-binary unwraps a Samba security.NTACL attribute (versions 1 to 4), hex or raw")
  func ntaclAttributeIsUnwrapped() throws {
    let sd = try SecurityDescriptor(sddl: sddl)
    let attributes = [
      NTACLAttribute(version1: sd),
      NTACLAttribute(version3: sd, hash: NTACLAttribute.descriptorHash(sd)),
      NTACLAttribute(version4: sd, hash: NTACLAttribute.descriptorHash(sd), systemACLHash: [1, 2, 3]),
    ]
    for attribute in attributes {
      let hex = "0x" + attribute.bytes.map { String(format: "%02x", $0) }.joined()  // as getfattr -e hex
      let r = try runProgram(try ntsec(), ["sddl", "from-binary", hex])
      #expect(r.status == 0 && r.stdout == sddl + "\n", "version \(attribute.version): \(r)")
      let path = try temporaryFile(attribute.bytes)
      defer { try? FileManager.default.removeItem(atPath: path) }
      let raw = try runProgram(try ntsec(), ["sddl", "from-binary", "--raw", path])
      #expect(raw.status == 0 && raw.stdout == sddl + "\n", "version \(attribute.version): \(raw)")
    }
    // A cut attribute is the attribute's error, with its offset, not "revision 4 (must be 1)".
    let cut = NTACLAttribute(version4: sd, hash: [], systemACLHash: []).bytes.prefix(40)
    let r = try runProgram(
      try ntsec(), ["sddl", "from-binary", cut.map { String(format: "%02x", $0) }.joined()])
    #expect(r.status == 1 && r.stderr.hasPrefix("ntsec: error: ERROR_INVALID_SECURITY_DESCR: "), "\(r)")
    #expect(!r.stderr.contains("revision"), "\(r)")
  }

  @Test("line modes skip blank lines and say at a terminal that they read standard input")
  func blankLinesAndTheTerminalHint() throws {
    let r = try runProgram(
      try ntsec(), ["sddl", "canonical"], input: "D:(A;;FA;;;SY)\n\n  \nD:(A;;GA;;;BA)\n")
    #expect(r.status == 0 && r.stdout == "D:(A;;FA;;;SY)\nD:(A;;GA;;;BA)\n", "\(r)")
    #expect(r.stderr.isEmpty, "no hint when standard input is not a terminal: \(r.stderr)")
    // script(1) makes standard input a terminal; the input ends at once (Ctrl-D).
    let tty = try runProgram(
      "/usr/bin/script", ["-qec", "'\(try ntsec())' sddl canonical 2>&1", "/dev/null"], input: "\u{4}")
    #expect(tty.stdout.contains("reading SDDL lines from standard input; Ctrl-D ends"), "\(tty)")
  }
}
