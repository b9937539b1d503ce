import Foundation
import TestPeers
import Testing

/// The line-mode commands report a failed read of standard input or write of standard output on
/// standard error and exit non-zero, instead of ending early with status 0.
@Suite struct CLIIOErrorTests {
  static let goodRequest =
    #"{"sd": "O:SYG:SYD:(A;;FR;;;WD)", "token": {"user": "S-1-5-21-1-2-3-1001"}, "desired": "FR"}"#

  /// Runs ntsec with standard input from `input` and standard output to `output` (paths);
  /// returns the exit status and standard error.
  func run(_ arguments: [String], input: String, output: String) throws -> (status: Int32, stderr: String) {
    guard let exe = builtProduct("ntsec") else { throw TestFailure(text: "ntsec is not built") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = arguments
    p.standardInput = FileHandle(forReadingAtPath: input)
    p.standardOutput = FileHandle(forWritingAtPath: output)
    let err = Pipe()
    p.standardError = err
    try p.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  func inputFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ntsec-io-\(UUID().uuidString)")
      .path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test("access-check --batch > /dev/full: exit 1 and the write error on stderr")
  func batchOutputFull() throws {
    let input = try inputFile(Self.goodRequest + "\n" + Self.goodRequest + "\n")
    defer { try? FileManager.default.removeItem(atPath: input) }
    let ok = try run(["access-check", "--batch"], input: input, output: "/dev/null")
    #expect(ok.status == 0 && ok.stderr.isEmpty, "\(ok)")
    let full = try run(["access-check", "--batch"], input: input, output: "/dev/full")
    #expect(full.status == 1, "\(full)")
    #expect(
      full.stderr.contains("writing standard output") && full.stderr.contains("No space left"), "\(full)")
  }

  @Test("access-check --batch and sddl line mode reading a directory: exit 1 and the read error on stderr")
  func inputReadError() throws {
    let batch = try run(["access-check", "--batch"], input: "/", output: "/dev/null")
    #expect(batch.status == 1 && batch.stderr.contains("reading standard input"), "\(batch)")
    let lines = try run(["sddl", "to-binary"], input: "/", output: "/dev/null")
    #expect(lines.status == 1 && lines.stderr.contains("reading standard input"), "\(lines)")
  }

  @Test("sddl line mode > /dev/full: exit 1 and the write error on stderr")
  func linesOutputFull() throws {
    let input = try inputFile("O:SYG:SYD:(A;;FA;;;WD)\n")
    defer { try? FileManager.default.removeItem(atPath: input) }
    let ok = try run(["sddl", "to-binary"], input: input, output: "/dev/null")
    #expect(ok.status == 0, "\(ok)")
    let full = try run(["sddl", "to-binary"], input: input, output: "/dev/full")
    #expect(full.status == 1 && full.stderr.contains("writing standard output"), "\(full)")
  }
}
