import Foundation
import Testing

@testable import NTSecurity

/// Checks every callback ACE of the Windows-recorded SDDL vectors: the condition text must compile
/// to exactly the application data Windows wrote, that data must decode, and decoding, writing SDDL
/// and compiling again must give the same bytes.
@Suite struct ConditionalConformanceTests {
  static let files = [
    "conditional_aces.txt.json",
    "short-conditional-and-resource-aces-successes.json.gz",
    "short-conditional-and-resource-aces-tx-int.json.gz",
  ]

  @Test func windowsVectors() throws {
    try #require(
      ConformanceData.directory != nil, "conformance data not found: set NTSEC_CONFORMANCE_DIR")
    let domain = try SID(parsing: ConformanceData.domain)
    var checked = 0
    var failures = [String]()
    for file in Self.files {
      let vectors = try ConformanceData.windowsSDDL(files: [file])
      #expect(!vectors.isEmpty, "\(file) holds no vectors")
      for v in vectors {
        let text = Array(v.sddl.utf8)
        // The application data of each callback ACE, by ACL.
        let binary: [Character: [[UInt8]]]
        do {
          let sd = try SecurityDescriptor(bytes: v.bytes)
          func callbacks(_ acl: ACL?) -> [[UInt8]] {
            (acl?.aces ?? []).filter(\.type.isCallback).map(\.applicationData)
          }
          binary = ["D": callbacks(sd.dacl), "S": callbacks(sd.sacl)]
        } catch {
          failures.append("\(file): cannot decode descriptor of \(v.sddl.prefix(120)): \(error)")
          continue
        }
        let textual = CallbackVectors.conditionStarts(text)
        for section: Character in ["D", "S"] {
          let datas = binary[section] ?? []
          let starts = textual[section] ?? []
          guard datas.count == starts.count else {
            failures.append(
              "\(file): \(section): has \(datas.count) callback ACEs, text \(starts.count): \(v.sddl.prefix(160))"
            )
            continue
          }
          for (data, start) in zip(datas, starts) {
            checked += 1
            if let problem = Self.check(text, start, data, domain) {
              failures.append("\(file): \(problem)\n    in \(v.sddl.prefix(300))")
            }
          }
        }
      }
    }
    print("Conditional conformance: \(checked) callback ACEs checked, \(failures.count) failed")
    #expect(checked >= 350, "expected the vectors to hold at least 350 callback ACEs")
    #expect(
      failures.isEmpty, "\(failures.count) failures; first:\n\(failures.prefix(10).joined(separator: "\n"))")
  }

  /// Returns a description of the first mismatch, or nil.
  static func check(_ text: [UInt8], _ start: Int, _ windows: [UInt8], _ domain: SID) -> String? {
    let condition = String(decoding: text[start..<min(text.count, start + 200)], as: UTF8.self)
    let parsed: ConditionalExpression
    var end: Int
    do {
      (parsed, end) = try ConditionalExpression.parseSDDL(text, at: start, domain: domain)
    } catch {
      return "parse failed: \(error) for \(condition)"
    }
    // The ACE closes right after the condition.
    while end < text.count, text[end] == UInt8(ascii: " ") { end += 1 }
    guard end < text.count, text[end] == UInt8(ascii: ")") else {
      return "condition ends at \(end), not before the ACE's ')': \(condition)"
    }
    guard parsed.binary == windows else {
      return "binary differs for \(condition)\n    want \(windows.hex)\n    got  \(parsed.binary.hex)"
    }
    let decoded: ConditionalExpression
    do {
      decoded = try ConditionalExpression(binary: windows)
    } catch {
      return "decode failed: \(error) for \(condition)"
    }
    guard decoded == parsed else { return "decoded expression differs from parsed for \(condition)" }
    guard ConditionalExpression(tokens: decoded.tokens).binary == windows else {
      return "tokens do not re-encode to the same bytes for \(condition)"
    }
    var written = [UInt8]()
    do {
      try decoded.appendSDDL(to: &written, domain: domain)
      let (again, end) = try ConditionalExpression.parseSDDL(written, at: 0, domain: domain)
      guard end == written.count else {
        return "re-parse stopped at \(end) of \(written.count): \(String(decoding: written, as: UTF8.self))"
      }
      guard again.binary == windows else {
        return "round trip differs: \(String(decoding: written, as: UTF8.self).prefix(200))"
      }
    } catch {
      return "round trip failed: \(error): \(String(decoding: written, as: UTF8.self).prefix(200))"
    }
    return nil
  }
}

/// Finding the callback ACEs in the SDDL text of the recorded vectors.
enum CallbackVectors {
  /// For each callback ACE (`XA`, `XD`, `XU`, `ZA`) in the SDDL text, the offset of the `(` that
  /// opens its condition (the seventh field), by ACL. The scan relies on `parseSDDL` to find where
  /// a condition ends, falling back to quote-aware bracket matching if it fails.
  static func conditionStarts(_ text: [UInt8]) -> [Character: [Int]] {
    var result = [Character: [Int]]()
    var section: Character = "?"
    var i = 0
    while i < text.count {
      let c = text[i]
      if c == UInt8(ascii: ":"), i > 0 {
        section = Character(Unicode.Scalar(text[i - 1]))
        i += 1
        continue
      }
      guard c == UInt8(ascii: "(") else {
        i += 1
        continue
      }
      var typeEnd = i + 1
      while typeEnd < text.count, text[typeEnd] != UInt8(ascii: ";") { typeEnd += 1 }
      let type = String(decoding: text[(i + 1)..<typeEnd], as: UTF8.self)
        .trimmingCharacters(in: .whitespaces).uppercased()
      if ["XA", "XD", "XU", "ZA", "RA"].contains(type) {
        var p = i
        for _ in 0..<6 {
          while p < text.count, text[p] != UInt8(ascii: ";") { p += 1 }
          p += 1
        }
        while p < text.count, text[p] != UInt8(ascii: "(") { p += 1 }
        if type != "RA" { result[section, default: []].append(p) }
        var end = skipBalanced(text, from: p)
        if type != "RA",
          let (_, parsedEnd) = try? ConditionalExpression.parseSDDL(text, at: p, domain: nil)
        {
          end = parsedEnd
        }
        i = end
        while i < text.count, text[i] != UInt8(ascii: ")") { i += 1 }
        i += 1
      } else {
        while i < text.count, text[i] != UInt8(ascii: ")") { i += 1 }
        i += 1
      }
    }
    return result
  }

  /// The offset after the bracket matching the `(` at `start`, skipping quoted strings.
  static func skipBalanced(_ text: [UInt8], from start: Int) -> Int {
    var depth = 0
    var quoted = false
    var i = start
    while i < text.count {
      let c = text[i]
      i += 1
      if quoted {
        if c == UInt8(ascii: "\"") { quoted = false }
      } else if c == UInt8(ascii: "\"") {
        quoted = true
      } else if c == UInt8(ascii: "(") {
        depth += 1
      } else if c == UInt8(ascii: ")") {
        depth -= 1
        if depth == 0 { return i }
      }
    }
    return i
  }
}
