import Foundation
import Testing

/// What `ntsec` shows of itself: its release, and only user commands.
@Suite struct ProductSurfaceCLITests {
  @Test("ntsec --version prints the release CHANGELOG.md names")
  func version() throws {
    let r = try CLITests().run(["--version"])
    #expect(r.status == 0)
    #expect(r.output == "0.1.0\n")
    let changelog = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
    // The newest release section ("## VERSION" or "## VERSION — DATE") is the version printed.
    let newest = changelog.split(separator: "\n").first { $0.hasPrefix("## ") }
    let version = newest?.dropFirst(3).split(separator: " ").first.map(String.init)
    #expect(version == "0.1.0", "CHANGELOG's newest section: \(String(describing: newest))")
  }

  @Test(
    "No benchmark or crash-test command, shown or hidden",
    arguments: [["--help-hidden"], ["cred", "--help-hidden"]])
  func noTestHarnesses(_ arguments: [String]) throws {
    let r = try CLITests().run(arguments)
    #expect(r.status == 0)
    #expect(r.output.contains("SUBCOMMANDS"))
    for name in ["bench-sddl", "bench-access-check", "bench-gss", "bench-sspi", "crash-writer", "stress"] {
      #expect(!r.output.contains(name), "\(arguments) lists \(name)")
    }
  }

  @Test("The performance tester runs the benchmarks that left ntsec, with ntsec's results")
  func performanceTester() throws {
    let sddl = "O:BAG:SYD:(A;;FA;;;SY)(D;OICI;WD;;;WD)"
    let ours = try CLITests().run(["sddl", "to-binary", sddl])
    let tester = try CLITests().run(
      ["bench-sddl", "--check", "--direction", "to-binary", sddl], program: "NTSecurityPerformanceTester")
    #expect(tester.status == 0)
    #expect(tester.output == "hex=" + ours.output)
    let timed = try CLITests().run(
      ["bench-sddl", "--iterations", "10", "--direction", "from-binary", sddl],
      program: "NTSecurityPerformanceTester")
    #expect(timed.output.hasPrefix("ops_per_sec="), "\(timed.output)")
  }
}
