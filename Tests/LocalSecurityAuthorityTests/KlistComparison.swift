import Foundation
import Testing

/// One ticket as MIT's `klist -f -e` prints it (TZ=UTC, LC_ALL=C).
struct MITTicket {
  var start = "", end = "", renew = "", flags = "", etypes = ""
}

/// MIT `klist -f -e` output, by service principal.
func parseMITKlist(_ text: String) -> [String: MITTicket] {
  var result: [String: MITTicket] = [:]
  var current = ""
  for line in text.split(separator: "\n").map(String.init) {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    if fields.count == 5, fields[0].contains("/"), fields[2].contains("/") {
      current = fields[4]
      result[current] = MITTicket(start: "\(fields[0]) \(fields[1])", end: "\(fields[2]) \(fields[3])")
    } else if line.hasPrefix("\trenew until ") || line.hasPrefix("\tFlags: ") {
      // "\trenew until 12/09/26 02:47:37, Flags: FRI", or "\tFlags: FI" alone.
      var rest = Substring(line.dropFirst())
      if rest.hasPrefix("renew until ") {
        rest = rest.dropFirst("renew until ".count)
        let end = rest.range(of: ", ")?.lowerBound ?? rest.endIndex
        result[current]?.renew = String(rest[..<end])
        rest = end == rest.endIndex ? "" : rest[rest.index(end, offsetBy: 2)...]
      }
      if rest.hasPrefix("Flags: ") { result[current]?.flags = String(rest.dropFirst("Flags: ".count)) }
    } else if line.hasPrefix("\tEtype (skey, tkt): ") {
      result[current]?.etypes = String(line.dropFirst("\tEtype (skey, tkt): ".count))
        .trimmingCharacters(in: .whitespaces)
    }
  }
  return result
}

/// Expects `ntsec klist --json` output to list the tickets MIT's klist lists, for `client`:
/// client, server, start/end/renew times, flags and both encryption types.
func expectKlistAgrees(ntsecJSON: String, mit: [String: MITTicket], client: String, count: Int) throws {
  let object = try JSONSerialization.jsonObject(with: Data(ntsecJSON.utf8)) as? [String: Any]
  let tickets = try #require(object?["cachedTickets"] as? [[String: Any]], "\(ntsecJSON)")
  #expect(tickets.count == mit.count && mit.count == count, "ntsec \(tickets), MIT \(mit)")
  let letters: [String: Character] = [
    "forwardable": "F", "forwarded": "f", "proxiable": "P", "proxy": "p", "may_postdate": "D",
    "postdated": "d",
    "renewable": "R", "initial": "I", "invalid": "i", "pre_authent": "A", "hw_authent": "H",
    "ok_as_delegate": "O",
  ]
  let mitName: [Int: String] = [
    17: "aes128-cts-hmac-sha1-96", 18: "aes256-cts-hmac-sha1-96", 19: "aes128-cts-hmac-sha256-128",
    20: "aes256-cts-hmac-sha384-192", 23: "DEPRECATED:arcfour-hmac",
  ]
  let format = DateFormatter()
  format.locale = Locale(identifier: "en_US_POSIX")
  format.timeZone = TimeZone(identifier: "UTC")
  format.dateFormat = "MM/dd/yy HH:mm:ss"
  func date(_ key: String, _ t: [String: Any]) -> String {
    format.string(from: Date(timeIntervalSince1970: Double(t[key] as? Int ?? 0)))
  }
  for t in tickets {
    let principal = "\(t["server"] as? String ?? "")@\(t["serverRealm"] as? String ?? "")"
    guard let m = mit[principal] else {
      Issue.record("MIT klist does not list \(principal): \(mit.keys)")
      continue
    }
    #expect("\(t["client"] as? String ?? "")@\(t["clientRealm"] as? String ?? "")" == client)
    #expect(date("startUnixTime", t) == m.start && date("endUnixTime", t) == m.end, "\(principal)")
    if (t["renewUnixTime"] as? Int ?? 0) != 0 { #expect(date("renewUnixTime", t) == m.renew, "\(principal)") }
    let ours = Set(((t["flags"] as? [String]) ?? []).compactMap { letters[$0] })
    let theirs = Set(m.flags.filter { letters.values.contains($0) })
    #expect(ours == theirs, "\(principal): \(t["flags"] ?? "") vs \(m.flags)")
    // "aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96": session key, then ticket.
    let names = m.etypes.components(separatedBy: ", ")
    #expect(names.count == 2 && names[0] == mitName[t["sessionKeyType"] as? Int ?? 0], "\(m.etypes)")
    #expect(names.count == 2 && names[1] == mitName[t["encryptionType"] as? Int ?? 0], "\(m.etypes)")
  }
}
