import Foundation
import NTSecIO
import NTSecurity

/// `ntsec access-check --batch`: one JSON request per input line, one JSON result per output line.
enum AccessCheckBatch {
  static let keys: Set<String> = [
    "sd", "token", "desired", "mapping", "object_types", "principal_self", "backup_intent",
  ]

  /// Processes standard input; returns false when some line could not be read, or reading the
  /// input or writing the output failed (said on standard error).
  ///
  /// Lines are read in blocks and split on bytes; a line in the plain documented shape is read
  /// on its bytes by ``AccessCheckBatchReader`` (descriptors and tokens seen before are not
  /// parsed again), any other through the general JSON parser (``request(_:)``). Results go
  /// through one output buffer.
  static func run(explain: Bool = false) -> Bool {
    var allRead = true
    var out = OutputBuffer()
    var reader = AccessCheckBatchReader()
    hintWhenReadingATerminal("access-check request")
    var lines = InputLines()
    while let line = lines.next() {
      if isBlank(line) { continue }
      do {
        let request = try reader.request(line) ?? request(String(decoding: line, as: UTF8.self))
        if explain {
          var request = request
          request.names = RightNames(request.mapping)
          out.append(request.evaluate(explain: true).json())
        } else {
          request.evaluate().appendJSON(to: &out)
        }
      } catch {
        allRead = false
        out.append(ErrorReport(error).json(.spaced))
      }
      out.endLine()
    }
    out.flush()
    return reportIOErrors(input: lines.readError, output: out.writeError) && allRead
  }

  /// Reads one request line with the general JSON parser.
  static func request(_ line: String) throws -> AccessCheckRequest {
    typealias InputError = AccessCheckRequest.InputError
    let value: Any
    do { value = try JSONSerialization.jsonObject(with: Data(line.utf8)) } catch {
      throw InputError(description: line.allSatisfy(\.isWhitespace) ? "empty line" : "not JSON")
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
    let token = try AccessToken(jsonObject: tokenObject)
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
    return try AccessCheckRequest(
      sddl: sddl, token: token, desired: desired, mapping: mapping, objectTypes: objectTypes,
      principalSelf: principalSelf, backupIntent: backupIntent)
  }
}
