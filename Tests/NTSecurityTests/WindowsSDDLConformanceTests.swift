import Foundation
import Testing

@testable import NTSecurity

/// Every SDDL string Windows converted must give Windows' bytes exactly, and bytes → SDDL → bytes
/// must be stable.
@Suite struct WindowsSDDLConformanceTests {
  @Test func everyWindowsVector() throws {
    guard ConformanceData.directory != nil else {
      Issue.record(
        "conformance data not found (../shared/conformance or NTSEC_CONFORMANCE_DIR): suite did not run")
      return
    }
    let vectors = try ConformanceData.windowsSDDL()
    #expect(vectors.count > 7000)
    let domain = try SID(parsing: ConformanceData.domain)
    var failures = [String]()
    var checked = 0
    var rewrittenKeys = 0
    var canonicalMatches = 0
    var canonicalChecked = 0
    var canonicalMisses = [String]()
    for v in vectors {
      checked += 1
      do {
        var sd = try SecurityDescriptor(sddl: v.sddl, domain: domain)
        if sd.bytes != v.bytes, WindowsSDDLConformanceTests.hasSizedAsObjectACEs(v.bytes) {
          // The key is Windows' own re-written SDDL of an input that had object ACEs without
          // GUIDs (see `reconstructedInput`); the input, not the key, gives these bytes.
          sd = try SecurityDescriptor(
            sddl: WindowsSDDLConformanceTests.reconstructedInput(v.sddl), domain: domain)
          rewrittenKeys += 1
        }
        if sd.bytes != v.bytes {
          failures.append(
            "\(v.file): SDDL→bytes differ for \(v.sddl)\n  want \(v.bytes.hex)\n  got  \(sd.bytes.hex)")
          continue
        }
        let decoded = try SecurityDescriptor(bytes: v.bytes)
        if decoded.bytes != v.bytes {
          failures.append("\(v.file): bytes→bytes differ for \(v.sddl)")
          continue
        }
        let text = try decoded.sddl(domain: domain)
        // The keys of the files Samba's harness recorded are Windows' own SDDL for the bytes
        // (ConvertSecurityDescriptorToStringSecurityDescriptor); conditional_aces.txt.json keeps
        // the input strings instead.
        if v.file != "conditional_aces.txt.json" {
          canonicalChecked += 1
          if text == v.sddl {
            canonicalMatches += 1
          } else {
            canonicalMisses.append("\(v.sddl)\n    ours \(text)")
          }
        }
        let again = try SecurityDescriptor(sddl: text, domain: domain)
        if WindowsSDDLConformanceTests.hasSizedAsObjectACEs(v.bytes) {
          // SDDL cannot carry the spare bytes; Windows' own SDDL for these bytes is the key.
          if text != v.sddl { failures.append("\(v.file): SDDL of the bytes is not Windows' \(v.sddl)") }
        } else if again.bytes != v.bytes {
          failures.append("\(v.file): bytes→SDDL→bytes unstable for \(v.sddl) via \(text)")
        }
      } catch {
        failures.append("\(v.file): \(error) for \(v.sddl)")
      }
    }
    print(
      "windows-sddl conformance: checked \(checked) vectors, \(failures.count) failed; "
        + "\(rewrittenKeys) checked through their reconstructed input (key is Windows' rewrite)")
    #expect(rewrittenKeys == 17)
    print(
      "windows-sddl canonical form: \(canonicalMatches) of \(canonicalChecked) printed exactly as Windows did"
    )
    for m in canonicalMisses.prefix(25) { print("  " + m) }
    #expect(canonicalMisses.isEmpty, "\(canonicalMisses.count) descriptors printed unlike Windows")
    for f in failures.prefix(25) { print("  " + f) }
    #expect(failures.isEmpty, "\(failures.count) of \(checked) Windows vectors failed")
  }

  /// Whether an ACL of the descriptor has revision 4 and spare bytes but no object ACE: Windows
  /// sized it for object ACEs that it then wrote as plain ACEs (an `OA`/`OD` without GUIDs).
  static func hasSizedAsObjectACEs(_ bytes: [UInt8]) -> Bool {
    guard let sd = try? SecurityDescriptor(bytes: bytes) else { return false }
    return [sd.dacl, sd.sacl].contains { acl in
      guard let acl else { return false }
      return acl.revision == 4 && !acl.slack.isEmpty && !acl.aces.contains { $0.type.isObject }
    }
  }

  /// The recorded keys are what Windows printed back (ConvertSecurityDescriptorToString…), not
  /// what it was given. For these vectors the input had `OA`/`OD` ACEs with no rights and no
  /// GUIDs, which Windows prints as `A`/`D`; this puts the object type back on every plain ACE
  /// with empty rights.
  static func reconstructedInput(_ key: String) -> String {
    let objectForm = ["A": "OA", "D": "OD", "AU": "OU", "AL": "OL"]
    let parts = key.split(separator: "(", omittingEmptySubsequences: false).map { part -> String in
      let fields = part.split(separator: ";", omittingEmptySubsequences: false)
      guard fields.count >= 6, fields[2].isEmpty, let object = objectForm[String(fields[0])] else {
        return String(part)
      }
      return object + part.dropFirst(fields[0].count)
    }
    return parts.joined(separator: "(")
  }

}
