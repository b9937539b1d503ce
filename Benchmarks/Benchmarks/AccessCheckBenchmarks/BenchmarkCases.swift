import Foundation
import NTSecurity

// The access-check cases of Benchmarks/inputs/access-check/cases.txt, the same ones
// scripts/bench-compare times against Samba: descriptor, token, desired access and the expected
// granted mask and status.

let domainSIDText = "S-1-5-21-2457507606-2709100691-398136650"

/// Benchmarks/inputs, found from this source file's location.
let inputsDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent()  // AccessCheckBenchmarks/
  .deletingLastPathComponent()  // Benchmarks/Benchmarks/
  .deletingLastPathComponent()  // Benchmarks/
  .appendingPathComponent("inputs")

struct AccessCheckCase {
  var name: String
  var descriptor: SecurityDescriptor
  var token: AccessToken
  var desired: AccessMask
  var expectedGranted: UInt32
  var expectedStatus: String
}

struct InputError: Error, CustomStringConvertible {
  var description: String
}

private func readText(_ relativePath: String) throws -> String {
  let url = inputsDirectory.appendingPathComponent(relativePath)
  do {
    return try String(contentsOf: url, encoding: .utf8)
  } catch {
    throw InputError(description: "cannot read benchmark input \(url.path): \(error)")
  }
}

private func parseMask(_ text: String) throws -> UInt32 {
  let value = text.hasPrefix("0x") ? UInt32(text.dropFirst(2), radix: 16) : UInt32(text)
  guard let value else { throw InputError(description: "bad access mask \(text)") }
  return value
}

/// Reads a token file in the token JSON format (`AccessToken`'s `Codable` form, as `ntsec` reads it).
func loadToken(_ relativePath: String) throws -> AccessToken {
  try JSONDecoder().decode(AccessToken.self, from: Data(try readText(relativePath).utf8))
}

/// All cases of cases.txt, descriptors and tokens built once.
func loadCases() throws -> [AccessCheckCase] {
  let domain = try SID(parsing: domainSIDText)
  var cases: [AccessCheckCase] = []
  var descriptors: [String: SecurityDescriptor] = [:]
  var tokens: [String: AccessToken] = [:]
  for line in try readText("access-check/cases.txt").split(separator: "\n") {
    let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard let first = fields.first, !first.hasPrefix("#") else { continue }
    guard fields.count == 6 else { throw InputError(description: "cases.txt: malformed line \(line)") }
    if descriptors[fields[1]] == nil {
      let sddl = try readText(fields[1]).trimmingCharacters(in: .whitespacesAndNewlines)
      descriptors[fields[1]] = try SecurityDescriptor(sddl: sddl, domain: domain)
    }
    if tokens[fields[2]] == nil { tokens[fields[2]] = try loadToken(fields[2]) }
    cases.append(
      AccessCheckCase(
        name: fields[0], descriptor: descriptors[fields[1]]!, token: tokens[fields[2]]!,
        desired: AccessMask(rawValue: try parseMask(fields[3])), expectedGranted: try parseMask(fields[4]),
        expectedStatus: fields[5]))
  }
  return cases
}
