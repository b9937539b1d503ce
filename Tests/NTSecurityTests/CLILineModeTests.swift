import Foundation
import NTSecurity
import TestPeers
import Testing

/// The line-mode commands (`ntsec sddl …` and `access-check --batch` reading standard input) as
/// built: every Windows conformance vector through the command both ways gives what the library
/// gives, line framing (CRLF, a last line without a newline, invalid UTF-8, lines longer than a
/// read block) is kept, and batch lines read on their bytes answer as the general JSON parser's.
@Suite struct CLILineModeTests {
  let domain = ConformanceData.domain

  /// Runs `program` with standard input from a file holding `input` (so a large output cannot
  /// block the writer of a large input) and returns its exit status and standard output.
  func run(_ arguments: [String], input: [UInt8], program: String = "ntsec") throws -> (Int32, [UInt8]) {
    guard let exe = builtProduct(program) else {
      Issue.record("\(program) executable not found next to the test bundle: build it first")
      return (-1, [])
    }
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("ntsec-lines-\(UUID().uuidString)").path
    try Data(input).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = arguments
    p.standardInput = FileHandle(forReadingAtPath: path)
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, [UInt8](data))
  }

  /// The line `processLines` prints for a library error.
  func errorLine(_ error: NTSecurityError) -> String {
    "error: \(error.code.name) \(error.message)" + (error.offset.map { " at offset \($0)" } ?? "")
  }

  func vectors() throws -> [ConformanceData.Vector] {
    guard ConformanceData.directory != nil else {
      Issue.record("conformance data not found (../shared/conformance or NTSEC_CONFORMANCE_DIR)")
      return []
    }
    // A vector whose text holds a line break cannot be one line of input.
    let all = try ConformanceData.windowsSDDL()
    let usable = all.filter { !$0.sddl.contains("\n") && !$0.sddl.contains("\r") }
    #expect(usable.count > 7000)
    return usable
  }

  /// Runs `arguments` on one input line per vector and expects, line by line, `library`'s
  /// output for each vector (or the error line the command prints for its error).
  func expectLineByLine(
    _ arguments: [String], _ vectors: [ConformanceData.Vector], input: (ConformanceData.Vector) -> String,
    library: (ConformanceData.Vector) throws(NTSecurityError) -> String
  ) throws {
    // A blank line is skipped, not read as an (empty) input: those vectors have no line here.
    let vectors = vectors.filter { !input($0).allSatisfy { $0 == " " || $0 == "\t" } }
    var expected = ""
    for v in vectors {
      do { expected += try library(v) + "\n" } catch { expected += errorLine(error) + "\n" }
    }
    let text = vectors.map { input($0) + "\n" }.joined()
    let (status, output) = try run(arguments, input: Array(text.utf8))
    #expect(status == 0)
    let got = String(decoding: output, as: UTF8.self)
    #expect(got == expected)
    let pairs = zip(got.split(separator: "\n"), expected.split(separator: "\n"))
    if got != expected, let first = pairs.enumerated().first(where: { $0.element.0 != $0.element.1 }) {
      Issue.record("line \(first.offset): got \(first.element.0), want \(first.element.1)")
    }
  }

  @Test("sddl to-binary on stdin: every conformance vector gives the library's bytes, one line each")
  func toBinaryEveryVector() throws {
    let domainSID = try SID(parsing: domain)
    try expectLineByLine(["sddl", "to-binary", "--domain", domain], try vectors(), input: \.sddl) {
      v throws(NTSecurityError) in try SecurityDescriptor(sddl: v.sddl, domain: domainSID).bytes.hex
    }
  }

  @Test("sddl from-binary on stdin: every conformance vector's bytes give the library's SDDL")
  func fromBinaryEveryVector() throws {
    let domainSID = try SID(parsing: domain)
    try expectLineByLine(["sddl", "from-binary", "--domain", domain], try vectors(), input: { $0.bytes.hex })
    {
      v throws(NTSecurityError) in try SecurityDescriptor(bytes: v.bytes).sddl(domain: domainSID)
    }
  }

  @Test("Line framing: CRLF, blank and whitespace lines, invalid UTF-8, no final newline, long lines")
  func framing() throws {
    let sddl = "D:(A;;FA;;;SY)"
    let hex = try SecurityDescriptor(sddl: sddl).bytes.hex
    // A line longer than the read block (256 KiB): whitespace around hex is ignored.
    let long = String(repeating: " ", count: 700_000) + hex + "\t"
    var input = [UInt8]()
    input += Array("\(hex)\r\n".utf8)  // CRLF
    input += Array("\(hex)\r\r\n".utf8)  // one more CR is dropped too
    input += Array("\n \t\n".utf8)  // blank lines are skipped, not empty descriptors
    input += Array("0x\(hex.uppercased())\n".utf8)
    input += [0xFF, 0xFE] + Array(hex.utf8) + [0x0A]  // invalid UTF-8: not hex
    input += Array("\(long)\n".utf8)
    input += Array(hex.utf8)  // no final newline
    let (status, output) = try run(["sddl", "from-binary"], input: input)
    #expect(status == 1)
    let lines = String(decoding: output, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    #expect(
      lines == [
        "D:(A;;FA;;;SY)", "D:(A;;FA;;;SY)", "D:(A;;FA;;;SY)",
        "error: ERROR_INVALID_PARAMETER input is neither hex nor base64", "D:(A;;FA;;;SY)", "D:(A;;FA;;;SY)",
        "",
      ])
    // to-binary keeps the same framing; base64 output is written on bytes too.
    let toBinary = try run(
      ["sddl", "to-binary", "--format", "base64"], input: Array("\(sddl)\r\n\(sddl)".utf8))
    let base64 = String(decoding: Base64.encode(try SecurityDescriptor(sddl: sddl).bytes), as: UTF8.self)
    #expect(toBinary.0 == 0)
    #expect(String(decoding: toBinary.1, as: UTF8.self) == "\(base64)\n\(base64)\n")
  }

  @Test("access-check --batch: lines read on their bytes and lines left to the JSON parser answer alike")
  func batchShapes() throws {
    func token(_ rid: Int) -> String {
      #"{"user": "S-1-5-21-1-2-3-\#(rid)", "groups": [{"sid": "S-1-1-0"}]}"#
    }
    let sd = "O:SYG:SYD:(A;;FR;;;S-1-5-21-1-2-3-1005)"
    // Ten tokens twice: more than the recently used ones the reader compares in place.
    var lines = (0..<20).map { #"{"sd": "\#(sd)", "token": \#(token(1001 + $0 % 10)), "desired": 1}"# }
    var expected = (0..<20).map {
      $0 % 10 == 4
        ? #"{"granted": "0x1", "status": "ERROR_SUCCESS"}"#
        : #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}"#
    }
    let t = token(1005)
    let granted = #"{"granted": "0x1", "status": "ERROR_SUCCESS"}"#
    let denied = #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}"#
    let notJSON = #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "not JSON"}}"#
    let cases: [(String, String)] = [
      (#"{"sd": "\u004f:SYG:SYD:(A;;FR;;;S-1-5-21-1-2-3-1005)", "token": \#(t), "desired": 1}"#, granted),
      (#"{"sd":"\#(sd)","token":\#(t),"desired":1}"#, granted),
      (
        #"  {"desired" : "FR" , "token":\#(t) ,"sd":"\#(sd)"}  "#,
        #"{"granted": "0x120089", "status": "ERROR_SUCCESS"}"#
      ),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 1.0}"#, granted),
      (
        #"{"sd": "\#(sd)", "token": \#(t), "desired": 4294967296}"#,
        #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "desired: 4294967296 is not a 32-bit mask"}}"#
      ),
      (
        #"{"sd": "\#(sd)", "token": \#(t), "desired": 4294967295}"#,
        #"{"granted": "0x0", "status": "ERROR_GENERIC_NOT_MAPPED"}"#
      ),
      (
        #"{"sd": "\#(sd)", "token": \#(t), "desired": true}"#,
        #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "desired must be a number or a string"}}"#
      ),
      (
        #"{"sd": "\#(sd)", "token": \#(t), "desired": -1}"#,
        #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "desired: -1 is not a 32-bit mask"}}"#
      ),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 01}"#, notJSON),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 1, "desired": 2}"#, denied),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 1}x"#, notJSON),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 1, "mapping": "DS"}"#, granted),
      (
        #"{"sd": "\#(sd)", "token": \#(t), "desired": 1, "mapping": null}"#,
        #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "mapping must be a string"}}"#
      ),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 1, "backup_intent": true}"#, granted),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 1, "backup_intent": 1}"#, granted),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 1, "principal_self": "S-1-5-18"}"#, granted),
      (
        #"{"sd": "\#(sd)", "token": \#(t), "desired": 1, "object_types": [{"level": 0, "guid": "11111111-0000-0000-0000-000000000000"}]}"#,
        #"{"granted": "0x1", "status": "ERROR_SUCCESS", "results": [{"granted": "0x1", "status": "ERROR_SUCCESS"}]}"#
      ),
      (
        #"{"sd": "\#(sd)", "token": \#(t)}"#,
        #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "\"desired\" is required"}}"#
      ),
      (
        #"{"sd": "\#(sd)", "token": {"user": "S-1-5-21-1-2-3-1005", "extra": 1}, "desired": 1}"#,
        #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "token: unknown key \"extra\""}}"#
      ),
      (
        #"{"sd": "D:(A;;FR;;;BOGUS)", "token": \#(t), "desired": 1}"#,
        #"{"error": {"code": "ERROR_INVALID_ACL", "message": "sd: malformed trustee SID at offset 11"}}"#
      ),
      (#"{"sd": "\#(sd)"# + "\t" + #"", "token": \#(t), "desired": 1}"#, notJSON),
      (
        #"{"sd": "O:SYG:SYD:(A;;FR;;;WD)", "token": {"user": "S-1-5-21-1-2-3-1005", "user_claims": [{"name": "x\u00e9", "type": "string", "values": ["café"]}]}, "desired": 1}"#,
        denied
      ),
      (#"{"sd": "\#(sd)", "token": \#(t), "desired": 1}"# + "\r", granted),
      ("[]", #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "expected a JSON object"}}"#),
      ("{}", #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "\"sd\" (SDDL text) is required"}}"#),
    ]
    lines += cases.map(\.0)
    expected += cases.map(\.1)
    lines += ["", "   "]  // blank lines are skipped
    let (status, output) = try run(
      ["access-check", "--batch"], input: Array((lines.joined(separator: "\n") + "\n").utf8))
    #expect(status == 1)
    let got = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(got.count == expected.count + 1)
    for (i, (line, want)) in zip(got, expected).enumerated() {
      #expect(line == want, "line \(i): \(i < lines.count ? lines[i] : "")")
    }
  }
}
