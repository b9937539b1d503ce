import Foundation
import Testing

@testable import NTSecurity

/// Resource attribute ACEs recorded on Windows (see the README of the conformance folder): each
/// SDDL string maps to the self-relative security descriptor Windows produced from it.
@Suite struct ClaimConformanceTests {
  static let files = [
    "short-conditional-and-resource-aces-successes.json.gz",
    "short-conditional-and-resource-aces-tx-int.json.gz",
  ]

  /// The `windows-sddl` folder: `$NTSEC_CONFORMANCE_DIR` (the conformance folder or the
  /// `windows-sddl` folder itself), else `../shared/conformance` next to the package root.
  static func vectorDirectory() -> URL {
    let root: URL
    if let env = ProcessInfo.processInfo.environment["NTSEC_CONFORMANCE_DIR"], !env.isEmpty {
      root = URL(fileURLWithPath: env)
    } else {
      root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/conformance")
    }
    let nested = root.appendingPathComponent("windows-sddl")
    return FileManager.default.fileExists(atPath: nested.path) ? nested : root
  }

  /// Reads a gzip-compressed JSON object of SDDL → byte list, using `/bin/gzip` (Foundation on
  /// Linux cannot inflate).
  static func loadVectors(_ url: URL) throws -> [(String, [UInt8])] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
    }
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: [Int]] else {
      throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
    }
    return object.map { ($0.key, $0.value.map { UInt8($0) }) }.sorted { $0.0 < $1.0 }
  }

  static func u16(_ b: [UInt8], _ p: Int) -> Int { Int(b[p]) | Int(b[p + 1]) << 8 }
  static func u32(_ b: [UInt8], _ p: Int) -> Int { u16(b, p) | u16(b, p + 2) << 16 }

  /// The bytes after the SID of every resource attribute ACE (type 0x12) in the SACL, up to the
  /// ACE size, in order.
  static func resourceAttributePayloads(_ sd: [UInt8]) -> [[UInt8]] {
    let sacl = u32(sd, 12)
    guard sacl != 0 else { return [] }
    var payloads = [[UInt8]]()
    var p = sacl + 8
    for _ in 0..<u16(sd, sacl + 4) {
      let type = sd[p]
      let size = u16(sd, p + 2)
      if type == 0x12 {
        let sidStart = p + 8
        let sidLength = 8 + 4 * Int(sd[sidStart + 1])
        payloads.append(Array(sd[sidStart + sidLength..<p + size]))
      }
      p += size
    }
    return payloads
  }

  /// The index of the `(` that opens the 7th field of each `(RA;` ACE, in order.
  static func attributeStarts(_ sddl: [UInt8]) -> [Int] {
    let marker = Array("(RA;".utf8)
    var starts = [Int]()
    var i = 0
    while i + marker.count <= sddl.count {
      if Array(sddl[i..<i + marker.count]) == marker {
        var p = i + 1
        var semicolons = 0
        while p < sddl.count, semicolons < 6 {
          if sddl[p] == UInt8(ascii: ";") { semicolons += 1 }
          p += 1
        }
        while p < sddl.count, sddl[p] == UInt8(ascii: " ") { p += 1 }
        starts.append(p)
        i = p
      } else {
        i += 1
      }
    }
    return starts
  }

  @Test func windowsResourceAttributeVectors() throws {
    let directory = Self.vectorDirectory()
    var checked = 0
    var failures = [String]()
    for file in Self.files {
      let url = directory.appendingPathComponent(file)
      guard FileManager.default.fileExists(atPath: url.path) else {
        Issue.record("conformance vectors missing: \(url.path) (set NTSEC_CONFORMANCE_DIR)")
        return
      }
      for (sddl, sd) in try Self.loadVectors(url) {
        let text = Array(sddl.utf8)
        let payloads = Self.resourceAttributePayloads(sd)
        let starts = Self.attributeStarts(text)
        guard payloads.count == starts.count else {
          failures.append("\(sddl): \(payloads.count) RA ACEs in binary, \(starts.count) in SDDL")
          continue
        }
        for (windows, start) in zip(payloads, starts) {
          checked += 1
          if let problem = Self.check(text, start, windows) { failures.append("\(sddl): \(problem)") }
        }
      }
    }
    print("ClaimConformanceTests: checked \(checked) resource attribute ACEs, \(failures.count) failed")
    #expect(checked >= 72)
    #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
  }

  /// Checks one attribute; returns a description of the first mismatch.
  static func check(_ text: [UInt8], _ start: Int, _ windows: [UInt8]) -> String? {
    let parsed: ClaimSecurityAttribute
    let end: Int
    do {
      (parsed, end) = try ClaimSecurityAttribute.parseSDDL(text, at: start)
    } catch {
      return "parseSDDL failed: \(error)"
    }
    guard end < text.count, text[end] == UInt8(ascii: ")") else {
      return "parseSDDL stopped at \(end), not before the ACE's ')'"
    }
    let encoded = parsed.relativeBytes
    guard encoded == windows else {
      return "bytes differ: ours \(encoded.count) bytes, Windows \(windows.count)"
    }
    let decoded: ClaimSecurityAttribute
    do {
      decoded = try ClaimSecurityAttribute(relativeBytes: windows)
    } catch {
      return "decoding Windows' bytes failed: \(error)"
    }
    guard decoded == parsed else { return "decoded attribute differs from parsed one" }
    var out = [UInt8]()
    decoded.appendSDDL(to: &out)
    do {
      let (again, againEnd) = try ClaimSecurityAttribute.parseSDDL(out, at: 0)
      guard againEnd == out.count else { return "re-parse stopped early in \(decoded.sddl)" }
      guard again.relativeBytes == windows else { return "bytes → SDDL → bytes unstable" }
    } catch {
      return "re-parsing our SDDL \(decoded.sddl) failed: \(error)"
    }
    return nil
  }
}
