import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity

/// One access check read from the command line or a batch line.
struct AccessCheckRequest {
  struct InputError: Error, CustomStringConvertible {
    var description: String
    var code: WindowsError = .invalidParameter
  }

  let descriptor: SecurityDescriptor
  let token: AccessToken
  let desired: AccessMask
  let mapping: GenericMapping
  let objectTypes: [ObjectTypeEntry]
  let principalSelf: SID?
  let backupIntent: Bool
  /// The names of rights in an explanation (`--mapping`).
  var names = RightNames.file
  /// The domain SID that resolved the descriptor's domain-relative aliases, if any.
  var domain: SID? = nil

  init(
    sddl: String, token: AccessToken, desired: AccessMask, mapping: GenericMapping,
    objectTypes: [ObjectTypeEntry],
    principalSelf: SID?, backupIntent: Bool, domain: SID? = nil, hintDomain: Bool = false
  ) throws {
    let descriptor: SecurityDescriptor
    do { descriptor = try SecurityDescriptor(sddl: sddl, domain: domain) } catch {
      let hinted = hintDomain ? DomainOption.hinting(error, domainGiven: domain != nil) : error
      let e = hinted as? NTSecurityError ?? error
      throw InputError(
        description: "sd: \(e.message)" + (e.offset.map { " at offset \($0)" } ?? ""),
        code: e.code)
    }
    self.init(
      descriptor: descriptor, token: token, desired: desired, mapping: mapping, objectTypes: objectTypes,
      principalSelf: principalSelf, backupIntent: backupIntent)
    self.domain = domain
  }

  init(
    descriptor: SecurityDescriptor, token: AccessToken, desired: AccessMask, mapping: GenericMapping,
    objectTypes: [ObjectTypeEntry], principalSelf: SID?, backupIntent: Bool
  ) {
    self.descriptor = descriptor
    self.token = token
    self.desired = desired
    self.mapping = mapping
    self.objectTypes = objectTypes
    self.principalSelf = principalSelf
    self.backupIntent = backupIntent
  }

  /// The check's outcome; failures of the call (ERROR_GENERIC_NOT_MAPPED, …) become its status.
  /// With `explain`, the outcome carries ``AccessCheck/explain(token:descriptor:desired:mapping:objectTypes:principalSelf:backupIntent:)``'s
  /// trace too.
  func evaluate(explain: Bool = false) -> AccessCheckOutcome {
    do {
      let result = try AccessCheck.evaluate(
        token: token, descriptor: descriptor, desired: desired, mapping: mapping, objectTypes: objectTypes,
        principalSelf: principalSelf, backupIntent: backupIntent)
      var outcome = AccessCheckOutcome(status: result.status, result: result, message: nil)
      if explain {
        let explanation = try AccessCheck.explain(
          token: token, descriptor: descriptor, desired: desired, mapping: mapping, objectTypes: objectTypes,
          principalSelf: principalSelf, backupIntent: backupIntent)
        outcome.explanation = AccessExplanationFormat(explanation: explanation, names: names, domain: domain)
      }
      return outcome
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
    do { return try SID(parsing: text) } catch {
      throw InputError(description: "\(what): \(error.message)", code: error.code)
    }
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
