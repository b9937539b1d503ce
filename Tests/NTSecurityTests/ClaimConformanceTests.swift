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
    guard ConformanceData.directory != nil else {
      Issue.record("conformance data not found (../shared/conformance or NTSEC_CONFORMANCE_DIR)")
      return
    }
    var checked = 0
    var failures = [String]()
    for v in try ConformanceData.windowsSDDL(files: Self.files) {
      let text = Array(v.sddl.utf8)
      // The application data of every resource attribute ACE in the SACL, in order.
      let payloads: [[UInt8]]
      do {
        let sd = try SecurityDescriptor(bytes: v.bytes)
        payloads = (sd.sacl?.aces ?? []).filter { $0.type == .systemResourceAttribute }.map(\.applicationData)
      } catch {
        failures.append("\(v.sddl): cannot decode descriptor: \(error)")
        continue
      }
      let starts = Self.attributeStarts(text)
      guard payloads.count == starts.count else {
        failures.append("\(v.sddl): \(payloads.count) RA ACEs in binary, \(starts.count) in SDDL")
        continue
      }
      for (windows, start) in zip(payloads, starts) {
        checked += 1
        if let problem = Self.check(text, start, windows) { failures.append("\(v.sddl): \(problem)") }
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
