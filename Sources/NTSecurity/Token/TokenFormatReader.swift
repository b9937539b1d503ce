/// Reads the token JSON format (docs/token-format.md) from a ``JSONValue``: every key, attribute
/// name and value checked, each refusal an `ERROR_INVALID_PARAMETER` whose message starts with
/// `token:` and names the place (`groups[1].attributes[0]: unknown name …`).
struct TokenFormatReader {
  static let keys: Set<String> = [
    "user", "user_attributes", "groups", "privileges", "restricted_sids", "restricted",
    "write_restricted", "sandbox_inert", "lua_token", "owner", "primary_group", "integrity_level",
    "mandatory_policy", "type", "impersonation_level", "user_claims", "device_claims", "device_groups",
  ]

  /// The attributes a restricting SID given as a bare string gets, and a group without them.
  static let defaultGroupAttributes: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]

  static let impersonationLevels: [(String, ImpersonationLevel)] = [
    ("anonymous", .anonymous), ("identification", .identification),
    ("impersonation", .impersonation), ("delegation", .delegation),
  ]

  static let claimFlags: [(String, ClaimSecurityAttributeFlags)] = [
    ("non_inheritable", .nonInheritable), ("value_case_sensitive", .valueCaseSensitive),
    ("use_for_deny_only", .useForDenyOnly), ("disabled_by_default", .disabledByDefault),
    ("disabled", .disabled), ("mandatory", .mandatory),
  ]

  static func error(_ message: String) -> NTSecurityError {
    NTSecurityError(.invalidParameter, "token: " + message)
  }

  /// The token a JSON object describes.
  static func token(_ value: JSONValue) throws(NTSecurityError) -> AccessToken {
    guard case .object(let fields) = value else { throw error("expected a JSON object") }
    if let unknown = fields.keys.first(where: { !keys.contains($0) }) {
      throw error("unknown key \"\(unknown)\"")
    }
    guard let userText = fields["user"] else { throw error("\"user\" is required") }
    let user = try sid(userText, "user")
    let groups = try sidList(fields["groups"], "groups")
    do { try AccessToken.checkIntegrityLabels(groups) } catch { throw self.error(error.message) }
    // The checks run in the order the format's first reader ran them, so that an input with
    // several faults is refused for the same one.
    let privileges = try privileges(fields["privileges"])
    let restrictingSIDs = try restrictedSIDs(fields["restricted_sids"])
    let restricted = try bool(fields["restricted"], "restricted")
    if fields["restricted"] != nil, !restricted, !restrictingSIDs.isEmpty {
      throw error("\"restricted\" is false but \"restricted_sids\" is not empty")
    }
    let restrictionFlags = try restrictionFlags(fields)
    let type = try tokenType(fields["type"])
    let level = try impersonationLevel(fields["impersonation_level"], type)
    let policy = try fields["mandatory_policy"].map { v throws(NTSecurityError) in
      try flags(v, MandatoryPolicy.names, "mandatory_policy")
    }
    var token = AccessToken(
      user: user,
      groups: groups,
      privileges: privileges,
      owner: try fields["owner"].map { v throws(NTSecurityError) in try sid(v, "owner") },
      primaryGroup: try fields["primary_group"].map { v throws(NTSecurityError) in try sid(v, "primary_group")
      },
      type: type,
      impersonationLevel: level,
      restrictingSIDs: restrictingSIDs,
      isRestricted: restricted,
      restrictionFlags: restrictionFlags,
      mandatoryPolicy: policy ?? .noWriteUp,
      userClaims: try claims(fields["user_claims"], "user_claims"),
      deviceClaims: try claims(fields["device_claims"], "device_claims"),
      deviceGroups: try sidList(fields["device_groups"], "device_groups")
    )
    token.user.attributes = try flags(fields["user_attributes"], GroupAttributes.names, "user_attributes")
    if let level = fields["integrity_level"] {
      token.integrityLevel = try integrityLevel(level, groups)
    }
    return token
  }

  // MARK: - Parts of a token

  static func privileges(_ value: JSONValue?) throws(NTSecurityError) -> [LUIDAndAttributes] {
    var privileges: [LUIDAndAttributes] = []
    for (i, entry) in try array(value, "privileges").enumerated() {
      let place = "privileges[\(i)]"
      let fields = try object(entry, place, keys: ["name", "attributes"])
      guard let name = fields["name"]?.string else { throw error("\(place).name must be a string") }
      let privilege: Privilege
      do { privilege = try Privilege.named(name) } catch { throw self.error("\(place): \(error)") }
      let attributes = try flags(fields["attributes"], PrivilegeAttributes.names, "\(place).attributes")
      privileges.append(LUIDAndAttributes(privilege, attributes))
    }
    return privileges
  }

  /// A SID string, or `{"sid", "attributes"}` for a deny-only entry a second restriction left.
  static func restrictedSIDs(_ value: JSONValue?) throws(NTSecurityError) -> [SIDAndAttributes] {
    var entries: [SIDAndAttributes] = []
    for (i, entry) in try array(value, "restricted_sids").enumerated() {
      if case .string = entry {
        entries.append(SIDAndAttributes(try sid(entry, "restricted_sids[\(i)]"), defaultGroupAttributes))
      } else {
        entries.append(try sidList(.array([entry]), "restricted_sids[\(i)]")[0])
      }
    }
    return entries
  }

  static func restrictionFlags(_ fields: [String: JSONValue]) throws(NTSecurityError) -> RestrictionFlags {
    var result = RestrictionFlags()
    if try bool(fields["write_restricted"], "write_restricted") { result.insert(.writeRestricted) }
    if try bool(fields["sandbox_inert"], "sandbox_inert") { result.insert(.sandboxInert) }
    if try bool(fields["lua_token"], "lua_token") { result.insert(.luaToken) }
    return result
  }

  static func tokenType(_ value: JSONValue?) throws(NTSecurityError) -> TokenType {
    switch value.map({ $0.string ?? "?" }) ?? "primary" {
    case "primary": return .primary
    case "impersonation": return .impersonation
    default: throw error("\"type\" must be \"primary\" or \"impersonation\"")
    }
  }

  static func impersonationLevel(_ value: JSONValue?, _ type: TokenType) throws(NTSecurityError)
    -> ImpersonationLevel
  {
    let name = value.map { $0.string ?? "?" } ?? (type == .primary ? "anonymous" : "impersonation")
    guard let level = impersonationLevels.first(where: { $0.0 == name })?.1 else {
      throw error("\"impersonation_level\" must be anonymous, identification, impersonation or delegation")
    }
    return level
  }

  /// The label `integrity_level` names; it must agree with a label the groups hold.
  static func integrityLevel(_ value: JSONValue, _ groups: [SIDAndAttributes]) throws(NTSecurityError) -> SID
  {
    let label = try sid(value, "integrity_level")
    guard label.identifierAuthority == 16, label.subAuthorityCount == 1 else {
      throw error("\"integrity_level\" must be a mandatory label SID (S-1-16-X)")
    }
    if let inGroups = groups.first(where: { $0.attributes.contains(.integrity) }), inGroups.sid != label {
      throw error(
        "two integrity labels, \(inGroups.sid) in \"groups\" and \(label) in \"integrity_level\"; a token has one"
      )
    }
    return label
  }

  static func claims(_ value: JSONValue?, _ place: String) throws(NTSecurityError) -> [ClaimSecurityAttribute]
  {
    var claims: [ClaimSecurityAttribute] = []
    for (i, entry) in try array(value, place).enumerated() {
      let at = "\(place)[\(i)]"
      let fields = try object(entry, at, keys: ["name", "type", "values", "flags"])
      guard let name = fields["name"]?.string, !name.isEmpty else {
        throw error("\(at).name must be a non-empty string")
      }
      let values = try claimValues(fields["type"], try array(fields["values"], "\(at).values"), at)
      let claimFlags = try flags(fields["flags"], claimFlags, "\(at).flags")
      claims.append(ClaimSecurityAttribute(name: name, flags: claimFlags, values: values))
    }
    return claims
  }

  static func claimValues(_ type: JSONValue?, _ values: [JSONValue], _ at: String) throws(NTSecurityError)
    -> ClaimValues
  {
    func each<T>(_ read: (JSONValue) -> T?) throws(NTSecurityError) -> [T] {
      var out: [T] = []
      for (j, value) in values.enumerated() {
        guard let item = read(value) else {
          throw error("\(at).values[\(j)] does not fit type \(type?.description ?? "")")
        }
        out.append(item)
      }
      return out
    }
    switch type?.string {
    case "int64": return .int64(try each(\.int64))
    case "uint64": return .uint64(try each(\.uint64))
    case "string": return .string(try each(\.string))
    case "sid": return .sids(try each { $0.string.flatMap { try? SID(parsing: $0) } })
    case "boolean": return .booleans(try each(claimBoolean))
    case "octet_string": return .octetString(try each { $0.string.flatMap(hexBytes) })
    default: throw error("\(at).type must be int64, uint64, string, sid, boolean or octet_string")
    }
  }

  /// `true`/`false`; a number counts as true when it is not zero, as the format's first reader had it.
  static func claimBoolean(_ value: JSONValue) -> Bool? {
    switch value {
    case .bool(let flag): flag
    case .int(let n): n != 0
    case .uint(let n): n != 0
    case .double(let n): n != 0
    default: nil
    }
  }

  // MARK: - Values

  static func sid(_ value: JSONValue, _ place: String) throws(NTSecurityError) -> SID {
    guard let text = value.string else { throw error("\(place) must be a SID string") }
    do { return try SID(parsing: text) } catch { throw self.error("\(place): \(error)") }
  }

  static func array(_ value: JSONValue?, _ place: String) throws(NTSecurityError) -> [JSONValue] {
    guard let value else { return [] }
    guard case .array(let list) = value else { throw error("\(place) must be an array") }
    return list
  }

  static func object(_ value: JSONValue, _ place: String, keys: Set<String>) throws(NTSecurityError)
    -> [String: JSONValue]
  {
    guard case .object(let fields) = value else { throw error("\(place) must be an object") }
    if let unknown = fields.keys.first(where: { !keys.contains($0) }) {
      throw error("unknown key \"\(unknown)\" in \(place)")
    }
    return fields
  }

  static func bool(_ value: JSONValue?, _ place: String) throws(NTSecurityError) -> Bool {
    guard let value else { return false }
    guard case .bool(let flag) = value else { throw error("\(place) must be true or false") }
    return flag
  }

  static func flags<F: OptionSet>(_ value: JSONValue?, _ table: [(String, F)], _ place: String)
    throws(NTSecurityError) -> F where F.Element == F
  {
    var result = F()
    for (i, item) in try array(value, place).enumerated() {
      guard let name = item.string, let flag = table.first(where: { $0.0 == name })?.1 else {
        throw error(
          "\(place)[\(i)]: unknown name \(item); expected one of " + table.map(\.0).joined(separator: ", "))
      }
      result.insert(flag)
    }
    return result
  }

  static func sidList(_ value: JSONValue?, _ place: String) throws(NTSecurityError) -> [SIDAndAttributes] {
    var list: [SIDAndAttributes] = []
    for (i, entry) in try array(value, place).enumerated() {
      let fields = try object(entry, "\(place)[\(i)]", keys: ["sid", "attributes"])
      guard let text = fields["sid"] else { throw error("\(place)[\(i)].sid is required") }
      let attributes =
        fields["attributes"] == nil
        ? defaultGroupAttributes
        : try flags(fields["attributes"], GroupAttributes.names, "\(place)[\(i)].attributes")
      list.append(SIDAndAttributes(try sid(text, "\(place)[\(i)].sid"), attributes))
    }
    return list
  }
}
