import Foundation
import NTSecIO
import NTSecurity

/// `ntsec access-check --batch`: one JSON request per input line, one JSON result per output line.
enum AccessCheckBatch {
  static let keys: Set<String> = [
    "sd", "token", "desired", "mapping", "object_types", "principal_self", "backup_intent",
  ]

  /// Processes standard input; returns false when some line could not be read.
  static func run() -> Bool {
    var allRead = true
    var out = [UInt8]()
    out.reserveCapacity(1 << 16)
    var tokens = TokenCache()
    while let line = readLine(strippingNewline: true) {
      do {
        out.append(contentsOf: try request(line, tokens: &tokens).evaluate().json().utf8)
      } catch {
        allRead = false
        var w = JSONWriter(.spaced)
        w.beginObject()
        w.field("error", "\(error)")
        w.endObject()
        out.append(contentsOf: w.text.utf8)
      }
      out.append(0x0A)
      if out.count > 1 << 15 { flush(&out) }
    }
    flush(&out)
    return allRead
  }

  static func flush(_ out: inout [UInt8]) {
    FileHandle.standardOutput.write(Data(out))
    out.removeAll(keepingCapacity: true)
  }

  /// Tokens already decoded, by their JSON text: batch lines mostly repeat a few tokens, and
  /// decoding the token is most of the work of a line.
  struct TokenCache {
    var tokens: [Substring: AccessToken] = [:]

    /// The span of the `"token": {…}` object in `line`, if the line has one.
    static func span(in line: String) -> Range<String.Index>? {
      let u = line.utf8
      guard let key = line.range(of: #""token""#) else { return nil }
      var i = key.upperBound
      func skipSpaces() {
        while i < u.endIndex, u[i] == UInt8(ascii: " ") || u[i] == UInt8(ascii: "\t") {
          i = u.index(after: i)
        }
      }
      skipSpaces()
      guard i < u.endIndex, u[i] == UInt8(ascii: ":") else { return nil }
      i = u.index(after: i)
      skipSpaces()
      guard i < u.endIndex, u[i] == UInt8(ascii: "{") else { return nil }
      let start = i
      var depth = 0
      var inString = false
      var escaped = false
      while i < u.endIndex {
        let c = u[i]
        if inString {
          if escaped {
            escaped = false
          } else if c == UInt8(ascii: "\\") {
            escaped = true
          } else if c == UInt8(ascii: "\"") {
            inString = false
          }
        } else if c == UInt8(ascii: "\"") {
          inString = true
        } else if c == UInt8(ascii: "{") {
          depth += 1
        } else if c == UInt8(ascii: "}") {
          depth -= 1
          if depth == 0 { return start..<u.index(after: i) }
        }
        i = u.index(after: i)
      }
      return nil
    }
  }

  /// Reads one request line.
  static func request(_ line: String, tokens: inout TokenCache) throws -> AccessCheckRequest {
    typealias InputError = AccessCheckRequest.InputError
    // A token seen before is not decoded again: the rest of the line is parsed with 0 in its
    // place. If that does not parse (the scan was fooled, say by "token" inside a string), the
    // whole line is parsed as usual.
    let span = TokenCache.span(in: line)
    var cached = span.flatMap { tokens.tokens[line[$0]] }
    var value: Any?
    if cached != nil, let span {
      let rest = String(line[..<span.lowerBound]) + "0" + String(line[span.upperBound...])
      value = try? JSONSerialization.jsonObject(with: Data(rest.utf8))
      if value == nil { cached = nil }
    }
    if value == nil {
      do { value = try JSONSerialization.jsonObject(with: Data(line.utf8)) } catch {
        throw InputError(description: line.allSatisfy(\.isWhitespace) ? "empty line" : "not JSON")
      }
    }
    guard let object = value as? [String: Any] else {
      throw InputError(description: "expected a JSON object")
    }
    if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
      throw InputError(description: "unknown key \"\(unknown)\"")
    }
    guard let sddl = object["sd"] as? String else {
      throw InputError(description: "\"sd\" (SDDL text) is required")
    }
    guard let tokenObject = object["token"] else { throw InputError(description: "\"token\" is required") }
    let token: AccessToken
    if let cached {
      token = cached
    } else {
      token = try AccessToken(jsonObject: tokenObject)
    }
    let desired: AccessMask
    switch object["desired"] {
    case let text as String:
      desired = try AccessCheckRequest.mask(text)
    case let number as NSNumber where String(cString: number.objCType) != "c":
      guard let value = UInt32(exactly: number.doubleValue) else {
        throw InputError(description: "desired: \(number) is not a 32-bit mask")
      }
      desired = AccessMask(rawValue: value)
    case nil:
      throw InputError(description: "\"desired\" is required")
    default:
      throw InputError(description: "desired must be a number or a string")
    }
    var mapping = GenericMapping.file
    if let name = object["mapping"] {
      guard let text = name as? String else { throw InputError(description: "mapping must be a string") }
      mapping = try AccessCheckRequest.mapping(text)
    }
    let objectTypes = try object["object_types"].map { try AccessCheckRequest.objectTypes($0) } ?? []
    var principalSelf: SID?
    if let text = object["principal_self"] {
      guard let sid = text as? String else {
        throw InputError(description: "principal_self must be a SID string")
      }
      principalSelf = try AccessCheckRequest.sid(sid, "principal_self")
    }
    var backupIntent = false
    if let flag = object["backup_intent"] {
      guard let bool = flag as? Bool else {
        throw InputError(description: "backup_intent must be true or false")
      }
      backupIntent = bool
    }
    let request = try AccessCheckRequest(
      sddl: sddl, token: token, desired: desired, mapping: mapping, objectTypes: objectTypes,
      principalSelf: principalSelf, backupIntent: backupIntent)
    // Only a line read in full is remembered: every nested object rejects unknown keys, so the
    // one "token" key followed by an object is then the request's own.
    if cached == nil, let span {
      if tokens.tokens.count >= 256 { tokens.tokens.removeAll(keepingCapacity: true) }
      tokens.tokens[line[span]] = token
    }
    return request
  }
}
