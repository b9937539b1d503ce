import ArgumentParser
import Foundation
import NTSecurity

/// `ntsec access-check`: AccessCheck (AccessCheckByType, AccessCheckByTypeResultList with
/// `--object-types`) for one descriptor and token, or `--batch` for one JSON request per line.
struct AccessCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "access-check",
    abstract: "Check a token's access to a security descriptor (AccessCheck, AccessCheckByType…).",
    discussion: """
      MASK is decimal, 0x-hex, SDDL rights letters (FR, FAWD, KR…) or names (MAXIMUM_ALLOWED, \
      ACCESS_SYSTEM_SECURITY, READ_CONTROL, WRITE_DAC, WRITE_OWNER, DELETE, SYNCHRONIZE), joined \
      with | if several. Generic rights (GR, GENERIC_READ…) are refused with \
      ERROR_GENERIC_NOT_MAPPED, as Windows does.

      Exit status: 0 when everything asked for is granted, 1 when it is not (or, with --batch, \
      when a line could not be read), 2 for unusable arguments.

      --batch reads one JSON object per line from standard input: {"sd": SDDL, "token": {...}, \
      "desired": 1179785 or "0x120089", "mapping": "file", "object_types": [{"level": 0, \
      "guid": "..."}], "principal_self": SID, "backup_intent": false} and prints one line each: \
      {"granted": "0x120089", "status": "ERROR_SUCCESS"} (with object types also "results": \
      [{"granted": ..., "status": ...}, ...]), or {"error": "..."} for a line it cannot read.
      """)

  @Option(help: "The security descriptor in SDDL.") var sd: String?
  @Option(help: "The token: a JSON file in the format of docs/token-format.md.") var token: String?
  @Option(help: "The access mask to check.") var desired: String?
  @Option(help: "Generic mapping: file, directory, registry, ds, token, process or thread.")
  var mapping: String = "file"
  @Option(
    name: .customLong("object-types"), help: #"Object type list as JSON: [{"level": 0, "guid": "..."}, ...]."#
  )
  var objectTypes: String?
  @Option(name: .customLong("principal-self"), help: "The SID PRINCIPAL_SELF (PS) stands for.")
  var principalSelf: String?
  @Flag(
    name: .customLong("backup-intent"), help: "Declare backup intent (SeBackupPrivilege, SeRestorePrivilege)."
  )
  var backupIntent = false
  @Flag(help: "Print the result as JSON (the --batch output format).") var json = false
  @Flag(help: "Read one JSON request per line from standard input.") var batch = false

  func run() throws {
    if batch {
      guard sd == nil, token == nil, desired == nil, objectTypes == nil, principalSelf == nil else {
        throw ValidationError("--batch takes its requests from standard input only")
      }
      if !AccessCheckBatch.run() { throw ExitCode(1) }
      return
    }
    guard let sd, let token, let desired else {
      throw ValidationError("--sd, --token and --desired are required (or use --batch)")
    }
    let request: AccessCheckRequest
    do {
      request = try AccessCheckRequest(
        sddl: sd, token: TokenJSON.load(path: token), desired: AccessCheckRequest.mask(desired),
        mapping: AccessCheckRequest.mapping(mapping),
        objectTypes: objectTypes.map { try AccessCheckRequest.objectTypes(jsonText: $0) } ?? [],
        principalSelf: principalSelf.map { try AccessCheckRequest.sid($0, "--principal-self") },
        backupIntent: backupIntent)
    } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(2)
    }
    let outcome = request.evaluate()
    print(json ? outcome.json(details: true) : outcome.text)
    if outcome.status != .success { throw ExitCode(1) }
  }
}

/// One access check read from the command line or a batch line.
struct AccessCheckRequest {
  struct InputError: Error, CustomStringConvertible {
    var description: String
  }

  let descriptor: SecurityDescriptor
  let token: AccessToken
  let desired: AccessMask
  let mapping: GenericMapping
  let objectTypes: [ObjectTypeEntry]
  let principalSelf: SID?
  let backupIntent: Bool

  init(
    sddl: String, token: AccessToken, desired: AccessMask, mapping: GenericMapping,
    objectTypes: [ObjectTypeEntry],
    principalSelf: SID?, backupIntent: Bool
  ) throws {
    do { descriptor = try SecurityDescriptor(sddl: sddl) } catch {
      throw InputError(description: "sd: \(error)")
    }
    self.token = token
    self.desired = desired
    self.mapping = mapping
    self.objectTypes = objectTypes
    self.principalSelf = principalSelf
    self.backupIntent = backupIntent
  }

  /// The check's outcome; failures of the call (ERROR_GENERIC_NOT_MAPPED, …) become its status.
  func evaluate() -> AccessCheckOutcome {
    do {
      let result = try AccessCheck.evaluate(
        token: token, descriptor: descriptor, desired: desired, mapping: mapping, objectTypes: objectTypes,
        principalSelf: principalSelf, backupIntent: backupIntent)
      return AccessCheckOutcome(status: result.status, result: result, message: nil)
    } catch {
      return AccessCheckOutcome(status: error.code, result: nil, message: error.message)
    }
  }

  static let mappings: [String: GenericMapping] = [
    "file": .file, "directory": .directory, "registry": .registryKey, "ds": .directoryServiceObject,
    "token": .token, "process": .process, "thread": .thread,
  ]

  static func mapping(_ name: String) throws -> GenericMapping {
    guard let mapping = mappings[name.lowercased()] else {
      throw InputError(
        description:
          "mapping: unknown \"\(name)\"; expected file, directory, registry, ds, token, process or thread")
    }
    return mapping
  }

  static let maskNames: [String: AccessMask] = [
    "MAXIMUM_ALLOWED": .maximumAllowed, "ACCESS_SYSTEM_SECURITY": .accessSystemSecurity,
    "READ_CONTROL": .readControl, "WRITE_DAC": .writeDAC, "WRITE_OWNER": .writeOwner, "DELETE": .delete,
    "SYNCHRONIZE": .synchronize, "GENERIC_READ": .genericRead, "GENERIC_WRITE": .genericWrite,
    "GENERIC_EXECUTE": .genericExecute, "GENERIC_ALL": .genericAll,
  ]

  /// A mask: decimal, 0x-hex, a name, or SDDL rights letters; several joined with `|`.
  static func mask(_ text: String) throws -> AccessMask {
    var mask = AccessMask()
    for part in text.split(separator: "|", omittingEmptySubsequences: false) {
      let item = part.trimmingCharacters(in: .whitespaces)
      if let value = UInt32(item) {
        mask.insert(AccessMask(rawValue: value))
      } else if item.lowercased().hasPrefix("0x"), let value = UInt32(item.dropFirst(2), radix: 16) {
        mask.insert(AccessMask(rawValue: value))
      } else if let named = maskNames[item.uppercased()] {
        mask.insert(named)
      } else if !item.isEmpty, item.allSatisfy({ $0.isASCII && $0.isLetter }), item.count % 2 == 0,
        let letters = try? SecurityDescriptor(sddl: "D:(A;;\(item);;;WD)").dacl?.aces.first?.mask
      {
        mask.insert(letters)
      } else {
        throw InputError(description: "desired: cannot read \"\(item)\" as an access mask")
      }
    }
    return mask
  }

  static func sid(_ text: String, _ what: String) throws -> SID {
    do { return try SID(parsing: text) } catch { throw InputError(description: "\(what): \(error)") }
  }

  static func objectTypes(jsonText: String) throws -> [ObjectTypeEntry] {
    let value: Any
    do { value = try JSONSerialization.jsonObject(with: Data(jsonText.utf8)) } catch {
      throw InputError(description: "object types: not JSON")
    }
    return try objectTypes(value)
  }

  static func objectTypes(_ value: Any) throws -> [ObjectTypeEntry] {
    guard let list = value as? [Any] else { throw InputError(description: "object_types must be an array") }
    return try list.enumerated().map { i, item in
      guard let entry = item as? [String: Any], Set(entry.keys).isSubset(of: ["level", "guid"]),
        let level = (entry["level"] as? NSNumber).flatMap({ UInt16(exactly: $0.doubleValue) }),
        let text = entry["guid"] as? String
      else {
        throw InputError(description: #"object_types[\#(i)] must be {"level": N, "guid": "…"}"#)
      }
      guard let guid = GUID(text) else {
        throw InputError(description: "object_types[\(i)].guid: not a GUID")
      }
      return ObjectTypeEntry(level: level, guid)
    }
  }
}

/// What `access-check` prints for one check.
struct AccessCheckOutcome {
  let status: WindowsError
  let result: AccessCheckResult?
  /// The message of a failed call.
  let message: String?

  var granted: AccessMask { result?.granted ?? [] }

  /// `{"granted": "0x…", "status": "ERROR_…"}`, with `"results"` for object types; `details`
  /// adds the privileges used and the audit events when there are any.
  func json(details: Bool = false) -> String {
    var out = "{\"granted\": \"\(granted)\", \"status\": \"\(status.name)\""
    if let result, !result.objectTypes.isEmpty {
      out += ", \"results\": ["
      out += result.objectTypes.map { "{\"granted\": \"\($0.granted)\", \"status\": \"\($0.status.name)\"}" }
        .joined(separator: ", ")
      out += "]"
    }
    if details, let result {
      if !result.privilegesUsed.isEmpty {
        out +=
          ", \"privileges_used\": ["
          + result.privilegesUsed.map { jsonString(privilegeName($0)) }
          .joined(separator: ", ") + "]"
      }
      if !result.auditEvents.isEmpty {
        out +=
          ", \"audit\": ["
          + result.auditEvents.map { event in
            "{\"outcome\": \"\(event.outcome == .success ? "success" : "failure")\", \"ace\": \(event.aceIndex), "
              + "\"sid\": \(jsonString(event.sid.description)), \"granted\": \"\(event.accessMask)\"}"
          }.joined(separator: ", ") + "]"
      }
    }
    if details, let message { out += ", \"message\": \(jsonString(message))" }
    return out + "}"
  }

  var text: String {
    var lines = ["status: \(status.name)" + (message.map { " (\($0))" } ?? ""), "granted: \(granted)"]
    if let result {
      if !result.privilegesUsed.isEmpty {
        lines.append("privileges used: " + result.privilegesUsed.map(privilegeName).joined(separator: ", "))
      }
      for (i, node) in result.objectTypes.enumerated() {
        lines.append(
          "object type \(i) (level \(node.level)) \(node.objectType): \(node.status.name) \(node.granted)")
      }
      for event in result.auditEvents {
        lines.append(
          "audit \(event.outcome == .success ? "success" : "failure"): ACE \(event.aceIndex) \(event.sid) \(event.accessMask)"
        )
      }
    }
    return lines.joined(separator: "\n")
  }

  private func privilegeName(_ entry: LUIDAndAttributes) -> String {
    entry.privilege?.name ?? "\(entry.luid)"
  }
}
