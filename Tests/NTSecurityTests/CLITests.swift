import Foundation
import TestPeers
import Testing

/// Runs the built `ntsec` executable with the exact command forms the issue specifies.
@Suite struct CLITests {

  struct Result {
    let status: Int32
    let output: String
  }

  /// Runs `program` (`ntsec`, or an executable such as `NTSecurityPerformanceTester`) built by
  /// this package; its standard error is merged into the output.
  func run(_ arguments: [String], stdin: String? = nil, program: String = "ntsec") throws -> Result {
    guard let exe = builtProduct(program) else {
      Issue.record("\(program) executable not found next to the test bundle: build it first")
      return Result(status: -1, output: "")
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }

  /// Writes `json` to a new temporary token file and returns its path.
  func tokenFile(_ json: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("ntsec-token-\(UUID().uuidString).json").path
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  let domain = "S-1-5-21-2457507606-2709100691-398136650"

  @Test func toBinaryAndBack() throws {
    let hex = try run(["sddl", "to-binary", "--domain", domain, "O:DAG:SYD:(A;;FA;;;SY)"])
    #expect(hex.status == 0)
    let bytes = hex.output.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(bytes.hasPrefix("01000480"))
    let b64 = try run(["sddl", "to-binary", "--format", "base64", "D:(A;;FA;;;SY)"])
    #expect(b64.output == "AQAEgAAAAAAAAAAAAAAAABQAAAACABwAAQAAAAAAFAD/AR8AAQEAAAAAAAUSAAAA\n")
    let back = try run(["sddl", "from-binary", "--domain", domain, bytes])
    #expect(back.output == "O:DAG:SYD:(A;;FA;;;SY)\n")
    let partial = try run(["sddl", "from-binary", "--domain", domain, "--info", "owner,dacl", bytes])
    #expect(partial.output == "O:DAD:(A;;FA;;;SY)\n")
    let fromBase64 = try run([
      "sddl", "from-binary", "AQAEgAAAAAAAAAAAAAAAABQAAAACABwAAQAAAAAAFAD/AR8AAQEAAAAAAAUSAAAA",
    ])
    #expect(fromBase64.output == "D:(A;;FA;;;SY)\n")
  }

  @Test func stdinLinesWithErrorsContinueAndExitOne() throws {
    let r = try run(["sddl", "canonical"], stdin: "D:(A;;0x1F01FF;;;BA)\nD:(A;;FA;;;SY\nO:S-1-5-18\n")
    #expect(r.status == 1)
    let lines = r.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count == 4)
    #expect(lines[0] == "D:(A;;FA;;;BA)")
    #expect(lines[1].hasPrefix("error: ERROR_INVALID_ACL "))
    #expect(lines[2] == "O:SY")
    let ok = try run(["sddl", "to-binary"], stdin: "D:\n")
    #expect(ok.status == 0 && ok.output == "01000480000000000000000000000000140000000200080000000000\n")
  }

  @Test func explain() throws {
    let r = try run(["sddl", "explain", "O:BAG:SYD:P(A;OICI;FA;;;SY)(D;;WD;;;AN)"])
    #expect(r.status == 0)
    #expect(r.output.contains("Owner: BUILTIN\\Administrators (S-1-5-32-544)"))
    #expect(r.output.contains("DACL: 2 ACEs [protected]"))
    #expect(
      r.output.contains(
        "[0] ALLOW NT AUTHORITY\\SYSTEM (S-1-5-18): full control (FILE_ALL_ACCESS)  flags OI CI"))
    #expect(r.output.contains("[1] DENY NT AUTHORITY\\ANONYMOUS LOGON (S-1-5-7): WRITE_DAC"))
    let json = try run(["sddl", "explain", "--json", "D:(A;;FA;;;SY)"])
    let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
    let dacl = object?["dacl"] as? [String: Any]
    #expect((dacl?["aces"] as? [Any])?.count == 1)
  }

  @Test func sidParseAndWellKnown() throws {
    let r = try run(["sid", "parse", "S-1-0x5-0x20-544"])
    #expect(r.output.hasPrefix("S-1-5-32-544 binary=01020000000000052000000020020000 sddl=BA"))
    let json = try run(["sid", "parse", "--json", "S-1-5-18"])
    let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
    #expect(object?["sddl"] as? String == "SY")
    #expect(object?["well_known_type"] as? String == "WinLocalSystemSid")
    let bad = try run(["sid", "parse", "S-1-5-"])
    #expect(bad.status == 1 && bad.output.hasPrefix("ntsec: error: ERROR_INVALID_SID: "))
    let wk = try run(["sid", "well-known", "WinBuiltinAdministratorsSid"])
    #expect(wk.output == "S-1-5-32-544\n")
    let da = try run(["sid", "well-known", "accountDomainAdmins", "--domain", "S-1-5-21-1-2-3"])
    #expect(da.output == "S-1-5-21-1-2-3-512\n")
    let needs = try run(["sid", "well-known", "WinAccountDomainAdminsSid"])
    #expect(needs.status == 1 && needs.output.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER: "))
    let table = try run(["sid", "well-known"])
    #expect(table.output.split(separator: "\n").count == 122)
  }

  @Test func tourRuns() throws {
    let r = try run(["tour"])
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("== SDDL → binary → SDDL =="))
  }
}
