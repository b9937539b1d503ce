import Foundation
import Testing

/// The access-check benchmark inputs (Benchmarks/inputs/access-check/cases.txt) and
/// `NTSecurityPerformanceTester bench-access-check` that scripts/bench-compare times: every case must give the result
/// recorded for it (Windows' and Samba's), so a benchmark never times a wrong answer.
@Suite struct AccessCheckBenchInputsTests {
  static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Benchmarks/inputs")
  let domain = "S-1-5-21-2457507606-2709100691-398136650"

  struct Case {
    var name, descriptor, token, desired, granted, status: String
  }

  static func cases() throws -> [Case] {
    let text = try String(
      contentsOf: inputs.appendingPathComponent("access-check/cases.txt"), encoding: .utf8)
    return try text.split(separator: "\n").compactMap { line in
      let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      guard let first = f.first, !first.hasPrefix("#") else { return nil }
      guard f.count == 6 else { throw CocoaError(.fileReadCorruptFile) }
      return Case(name: f[0], descriptor: f[1], token: f[2], desired: f[3], granted: f[4], status: f[5])
    }
  }

  @Test("Every benchmark case gives its recorded result")
  func casesGiveTheirResults() throws {
    let cases = try Self.cases()
    #expect(cases.count == 6)
    #expect(Set(cases.map(\.status)) == ["ERROR_SUCCESS", "ERROR_ACCESS_DENIED"])
    for c in cases {
      let r = try CLITests().run(
        [
          "bench-access-check", "--check", "--domain", domain,
          "--sd", "@" + Self.inputs.appendingPathComponent(c.descriptor).path,
          "--token", Self.inputs.appendingPathComponent(c.token).path, "--desired", c.desired,
        ], program: "NTSecurityPerformanceTester")
      #expect(r.status == 0, "\(c.name): \(r.output)")
      let granted = "0x" + String(UInt32(c.granted.dropFirst(2), radix: 16) ?? 0xFFFF_FFFF, radix: 16)
      #expect(r.output == "granted=\(granted)\nstatus=\(c.status)\n", "\(c.name)")
    }
  }

  @Test("The 60-ACE descriptor and the tokens have the sizes the issue names")
  func inputSizes() throws {
    let sddl = try String(
      contentsOf: Self.inputs.appendingPathComponent("access-check/sixty-ace.sddl"), encoding: .utf8)
    #expect(sddl.components(separatedBy: "(").count - 1 == 60)
    let short = try String(contentsOf: Self.inputs.appendingPathComponent("short.sddl"), encoding: .utf8)
    #expect(short.components(separatedBy: "(").count - 1 == 6)
    for (file, groups) in [("token-20.json", 20), ("token-200.json", 200)] {
      let data = try Data(contentsOf: Self.inputs.appendingPathComponent("access-check/\(file)"))
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
      #expect((object?["groups"] as? [Any])?.count == groups, "\(file)")
    }
  }

  @Test("A timed run prints one ops_per_sec line")
  func timedRun() throws {
    let r = try CLITests().run(
      [
        "bench-access-check", "--iterations", "100", "--domain", domain,
        "--sd", "@" + Self.inputs.appendingPathComponent("short.sddl").path,
        "--token", Self.inputs.appendingPathComponent("access-check/token-20.json").path,
        "--desired", "0x120089",
      ], program: "NTSecurityPerformanceTester")
    #expect(r.status == 0)
    let value = r.output.hasPrefix("ops_per_sec=") ? Double(r.output.dropFirst(12).dropLast()) : nil
    #expect((value ?? 0) > 0, "\(r.output)")
  }
}
