import Foundation
import NTSecurity

/// The token JSON format of docs/token-format.md: reading it into an ``AccessToken`` and writing
/// one back. Unknown keys, unknown attribute names and malformed values are errors.
package enum TokenJSON {
  package struct Error: Swift.Error, CustomStringConvertible {
    package var description: String
  }

  static let keys: Set<String> = [
    "user", "user_attributes", "groups", "privileges", "restricted_sids", "restricted", "write_restricted",
    "sandbox_inert",
    "lua_token", "owner", "primary_group", "integrity_level", "mandatory_policy", "type",
    "impersonation_level", "user_claims", "device_claims", "device_groups",
  ]

  /// Reads a token from a JSON file.
  package static func load(path: String) throws -> AccessToken {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Error(description: "cannot read token file \(path)")
    }
    let object: Any
    do { object = try JSONSerialization.jsonObject(with: data) } catch {
      throw Error(description: "\(path): not JSON: \(error.localizedDescription)")
    }
    return try decode(object)
  }

  /// Reads a token from a parsed JSON value.
  package static func decode(_ object: Any) throws -> AccessToken {
    guard let dict = object as? [String: Any] else {
      throw Error(description: "token: expected a JSON object")
    }
    if let unknown = dict.keys.first(where: { !keys.contains($0) }) {
      throw Error(description: "token: unknown key \"\(unknown)\"")
    }
    guard let userText = dict["user"] else { throw Error(description: "token: \"user\" is required") }
    let user = try sid(userText, "user")
    let groups = try sidList(dict["groups"], "groups")
    do { try AccessToken.checkIntegrityLabels(groups) } catch {
      throw Error(description: "token: \(error.message)")
    }
    var privileges: [LUIDAndAttributes] = []
    for (i, entry) in try array(dict["privileges"], "privileges").enumerated() {
      let where_ = "privileges[\(i)]"
      let fields = try dictionary(entry, where_, keys: ["name", "attributes"])
      guard let name = fields["name"] as? String else {
        throw Error(description: "token: \(where_).name must be a string")
      }
      let privilege: Privilege
      do { privilege = try Privilege.named(name) } catch {
        throw Error(description: "token: \(where_): \(error)")
      }
      let attributes = try flags(fields["attributes"], PrivilegeAttributes.names, "\(where_).attributes")
      privileges.append(LUIDAndAttributes(privilege, attributes))
    }
    // A SID string, or {"sid", "attributes"} for a deny-only entry a second restriction left.
    let restrictingSIDs = try array(dict["restricted_sids"], "restricted_sids").enumerated().map {
      i, entry in
      entry is String
        ? SIDAndAttributes(
          try sid(entry, "restricted_sids[\(i)]"), [.mandatory, .enabledByDefault, .enabled])
        : try sidList([entry], "restricted_sids[\(i)]")[0]
    }
    let restricted = try bool(dict["restricted"], "restricted")
    if dict["restricted"] != nil, !restricted, !restrictingSIDs.isEmpty {
      throw Error(description: "token: \"restricted\" is false but \"restricted_sids\" is not empty")
    }
    var restrictionFlags = RestrictionFlags()
    if try bool(dict["write_restricted"], "write_restricted") { restrictionFlags.insert(.writeRestricted) }
    if try bool(dict["sandbox_inert"], "sandbox_inert") { restrictionFlags.insert(.sandboxInert) }
    if try bool(dict["lua_token"], "lua_token") { restrictionFlags.insert(.luaToken) }
    let type: TokenType
    switch dict["type"] as? String ?? (dict["type"] == nil ? "primary" : "?") {
    case "primary": type = .primary
    case "impersonation": type = .impersonation
    default: throw Error(description: "token: \"type\" must be \"primary\" or \"impersonation\"")
    }
    let levels: [String: ImpersonationLevel] = [
      "anonymous": .anonymous, "identification": .identification,
      "impersonation": .impersonation, "delegation": .delegation,
    ]
    let levelText = dict["impersonation_level"] ?? (type == .primary ? "anonymous" : "impersonation")
    guard let levelName = levelText as? String, let level = levels[levelName] else {
      throw Error(
        description:
          "token: \"impersonation_level\" must be anonymous, identification, impersonation or delegation")
    }
    var policy = MandatoryPolicy.noWriteUp
    if let p = dict["mandatory_policy"] {
      policy = try flags(p, MandatoryPolicy.names, "mandatory_policy")
    }
    var token = AccessToken(
      user: user,
      groups: groups,
      privileges: privileges,
      owner: try dict["owner"].map { try sid($0, "owner") },
      primaryGroup: try dict["primary_group"].map { try sid($0, "primary_group") },
      type: type,
      impersonationLevel: level,
      restrictingSIDs: restrictingSIDs,
      isRestricted: restricted,
      restrictionFlags: restrictionFlags,
      mandatoryPolicy: policy,
      userClaims: try claims(dict["user_claims"], "user_claims"),
      deviceClaims: try claims(dict["device_claims"], "device_claims"),
      deviceGroups: try sidList(dict["device_groups"], "device_groups")
    )
    token.user.attributes = try flags(dict["user_attributes"], GroupAttributes.names, "user_attributes")
    if let level = dict["integrity_level"] {
      let label = try sid(level, "integrity_level")
      guard label.identifierAuthority == 16, label.subAuthorityCount == 1 else {
        throw Error(description: "token: \"integrity_level\" must be a mandatory label SID (S-1-16-X)")
      }
      if let inGroups = groups.first(where: { $0.attributes.contains(.integrity) }), inGroups.sid != label {
        throw Error(
          description:
            "token: two integrity labels, \(inGroups.sid) in \"groups\" and \(label) in \"integrity_level\"; a token has one"
        )
      }
      token.integrityLevel = label
    }
    return token
  }

  /// Writes a token in the documented key order, on one line.
  package static func encode(_ token: AccessToken) -> String {
    var w = JSONWriter(.spaced)
    w.beginObject()
    w.field("user", token.user.sid.description)
    if token.user.attributes.contains(.useForDenyOnly) {
      w.field("user_attributes", strings: ["use_for_deny_only"])
    }
    writeGroups(&w, "groups", token.groups.filter { !$0.attributes.contains(.integrity) })
    w.key("privileges")
    w.beginArray()
    for p in token.privileges {
      w.beginObject()
      w.field("name", p.privilege?.name ?? "\(p.luid.value)")
      w.field("attributes", strings: names(p.attributes, PrivilegeAttributes.names))
      w.endObject()
    }
    w.endArray()
    w.key("restricted_sids")
    w.beginArray()
    for entry in token.restrictingSIDs {
      if entry.attributes == [.mandatory, .enabledByDefault, .enabled] {
        w.string(entry.sid.description)
      } else {
        w.beginObject()
        w.field("sid", entry.sid.description)
        w.field("attributes", strings: names(entry.attributes, GroupAttributes.names))
        w.endObject()
      }
    }
    w.endArray()
    w.field("restricted", literal: token.isRestricted)
    w.field("write_restricted", literal: token.isWriteRestricted)
    w.field("sandbox_inert", literal: token.isSandboxInert)
    w.field("lua_token", literal: token.restrictionFlags.contains(.luaToken))
    w.field("owner", token.owner.description)
    w.field("primary_group", token.primaryGroup.description)
    w.field("integrity_level", token.integrityLevel.description)
    w.field("mandatory_policy", strings: names(token.mandatoryPolicy, MandatoryPolicy.names))
    w.field("type", token.type == .primary ? "primary" : "impersonation")
    let level = ["anonymous", "identification", "impersonation", "delegation"][
      Int(token.impersonationLevel.rawValue)]
    w.field("impersonation_level", level)
    writeClaims(&w, "user_claims", token.userClaims)
    writeClaims(&w, "device_claims", token.deviceClaims)
    writeGroups(&w, "device_groups", token.deviceGroups)
    w.endObject()
    return w.text
  }

  // MARK: - Reading helpers

  private static func sid(_ value: Any, _ where_: String) throws -> SID {
    guard let text = value as? String else {
      throw Error(description: "token: \(where_) must be a SID string")
    }
    do { return try SID(parsing: text) } catch {
      throw Error(description: "token: \(where_): \(error)")
    }
  }

  private static func array(_ value: Any?, _ where_: String) throws -> [Any] {
    guard let value else { return [] }
    guard let list = value as? [Any] else { throw Error(description: "token: \(where_) must be an array") }
    return list
  }

  private static func dictionary(_ value: Any, _ where_: String, keys: Set<String>) throws -> [String: Any] {
    guard let dict = value as? [String: Any] else {
      throw Error(description: "token: \(where_) must be an object")
    }
    if let unknown = dict.keys.first(where: { !keys.contains($0) }) {
      throw Error(description: "token: unknown key \"\(unknown)\" in \(where_)")
    }
    return dict
  }

  private static func bool(_ value: Any?, _ where_: String) throws -> Bool {
    guard let value else { return false }
    guard let flag = value as? Bool else {
      throw Error(description: "token: \(where_) must be true or false")
    }
    return flag
  }

  private static func flags<F: OptionSet>(_ value: Any?, _ table: [(String, F)], _ where_: String) throws -> F
  where F.Element == F {
    var result = F()
    for (i, item) in try array(value, where_).enumerated() {
      guard let name = item as? String, let flag = table.first(where: { $0.0 == name })?.1 else {
        throw Error(
          description: "token: \(where_)[\(i)]: unknown name \(item); expected one of "
            + table.map(\.0).joined(separator: ", "))
      }
      result.insert(flag)
    }
    return result
  }

  private static func sidList(_ value: Any?, _ where_: String) throws -> [SIDAndAttributes] {
    try array(value, where_).enumerated().map { i, entry in
      let fields = try dictionary(entry, "\(where_)[\(i)]", keys: ["sid", "attributes"])
      guard let text = fields["sid"] else {
        throw Error(description: "token: \(where_)[\(i)].sid is required")
      }
      let attributes: GroupAttributes =
        fields["attributes"] == nil
        ? [.mandatory, .enabledByDefault, .enabled]
        : try flags(fields["attributes"], GroupAttributes.names, "\(where_)[\(i)].attributes")
      return SIDAndAttributes(try sid(text, "\(where_)[\(i)].sid"), attributes)
    }
  }

  private static func claims(_ value: Any?, _ where_: String) throws -> [ClaimSecurityAttribute] {
    try array(value, where_).enumerated().map { i, entry in
      let at = "\(where_)[\(i)]"
      let fields = try dictionary(entry, at, keys: ["name", "type", "values", "flags"])
      guard let name = fields["name"] as? String, !name.isEmpty else {
        throw Error(description: "token: \(at).name must be a non-empty string")
      }
      let values = try array(fields["values"], "\(at).values")
      func each<T>(_ read: (Any) -> T?) throws -> [T] {
        try values.enumerated().map { j, v in
          guard let t = read(v) else {
            throw Error(description: "token: \(at).values[\(j)] does not fit type \(fields["type"] ?? "")")
          }
          return t
        }
      }
      let typed: ClaimValues
      switch fields["type"] as? String {
      case "int64":
        typed = .int64(
          try each { ($0 as? NSNumber).flatMap { Int64(exactly: $0.doubleValue) ?? $0.int64Value } })
      case "uint64":
        typed = .uint64(
          try each { v in (v as? NSNumber).flatMap { $0.int64Value >= 0 ? $0.uint64Value : nil } })
      case "string": typed = .string(try each { $0 as? String })
      case "sid": typed = .sids(try each { ($0 as? String).flatMap { try? SID(parsing: $0) } })
      case "boolean": typed = .booleans(try each { ($0 as? NSNumber).map(\.boolValue) })
      case "octet_string": typed = .octetString(try each { ($0 as? String).flatMap(hexBytes) })
      default:
        throw Error(
          description: "token: \(at).type must be int64, uint64, string, sid, boolean or octet_string")
      }
      let claimFlags = try flags(
        fields["flags"],
        [
          ("non_inheritable", ClaimSecurityAttributeFlags.nonInheritable),
          ("value_case_sensitive", .valueCaseSensitive),
          ("use_for_deny_only", .useForDenyOnly), ("disabled_by_default", .disabledByDefault),
          ("disabled", .disabled),
          ("mandatory", .mandatory),
        ], "\(at).flags")
      return ClaimSecurityAttribute(name: name, flags: claimFlags, values: typed)
    }
  }

  // MARK: - Writing helpers

  private static func names<F: OptionSet>(_ value: F, _ table: [(String, F)]) -> [String]
  where F.Element == F {
    table.filter { value.contains($0.1) }.map(\.0)
  }

  private static func writeGroups(_ w: inout JSONWriter, _ key: String, _ groups: [SIDAndAttributes]) {
    w.key(key)
    w.beginArray()
    for group in groups {
      w.beginObject()
      w.field("sid", group.sid.description)
      w.field("attributes", strings: names(group.attributes, GroupAttributes.names))
      w.endObject()
    }
    w.endArray()
  }

  private static func writeClaims(_ w: inout JSONWriter, _ key: String, _ claims: [ClaimSecurityAttribute]) {
    w.key(key)
    w.beginArray()
    for claim in claims {
      w.beginObject()
      w.field("name", claim.name)
      switch claim.values {
      case .int64(let v):
        w.field("type", "int64")
        w.key("values")
        w.beginArray()
        for x in v { w.literal(x) }
      case .uint64(let v):
        w.field("type", "uint64")
        w.key("values")
        w.beginArray()
        for x in v { w.literal(x) }
      case .string(let v):
        w.field("type", "string")
        w.key("values")
        w.beginArray()
        for x in v { w.string(x) }
      case .sid:
        w.field("type", "sid")
        w.key("values")
        w.beginArray()
        for sid in claim.values.decodedSIDs ?? [] { w.string(sid?.description ?? "") }
      case .boolean(let v):
        w.field("type", "boolean")
        w.key("values")
        w.beginArray()
        for x in v { w.literal(x != 0) }
      case .octetString(let v):
        w.field("type", "octet_string")
        w.key("values")
        w.beginArray()
        for x in v { w.string(x.hexString) }
      }
      w.endArray()
      w.endObject()
    }
    w.endArray()
  }
}
