/// The token JSON format (docs/token-format.md) the `ntsec` tools read and write: snake_case keys,
/// every default filled in on output, unknown keys and names refused on input.
///
/// Decoding checks what the format says: an unknown key, attribute name, privilege or claim type,
/// a value of the wrong type, `"restricted": false` with restricting SIDs, or two integrity labels
/// throw ``NTSecurityError`` with ``WindowsError/invalidParameter`` and a message that starts with
/// `token:` and names the place. Encoding writes the keys in the documented order, for an encoder
/// that keeps it.
///
///     let token = try JSONDecoder().decode(AccessToken.self, from: Data(#"{"user": "S-1-5-18"}"#.utf8))
extension AccessToken: Codable {
  public init(from decoder: any Decoder) throws {
    self = try TokenFormatReader.token(JSONValue(from: decoder))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: TokenFormatKey.self)
    try c.encode(user.sid.description, forKey: .user)
    if user.attributes.contains(.useForDenyOnly) {
      try c.encode(["use_for_deny_only"], forKey: .userAttributes)
    }
    try Self.encodeGroups(groups.filter { !$0.attributes.contains(.integrity) }, &c, .groups)
    var privilegeList = c.nestedUnkeyedContainer(forKey: .privileges)
    for p in privileges {
      var entry = privilegeList.nestedContainer(keyedBy: TokenFormatKey.self)
      try entry.encode(p.privilege?.name ?? "\(p.luid.value)", forKey: .name)
      try entry.encode(Self.names(p.attributes, PrivilegeAttributes.names), forKey: .attributes)
    }
    var restrictingList = c.nestedUnkeyedContainer(forKey: .restrictedSIDs)
    for entry in restrictingSIDs {
      if entry.attributes == TokenFormatReader.defaultGroupAttributes {
        try restrictingList.encode(entry.sid.description)
      } else {
        var object = restrictingList.nestedContainer(keyedBy: TokenFormatKey.self)
        try object.encode(entry.sid.description, forKey: .sid)
        try object.encode(Self.names(entry.attributes, GroupAttributes.names), forKey: .attributes)
      }
    }
    try c.encode(isRestricted, forKey: .restricted)
    try c.encode(isWriteRestricted, forKey: .writeRestricted)
    try c.encode(isSandboxInert, forKey: .sandboxInert)
    try c.encode(restrictionFlags.contains(.luaToken), forKey: .luaToken)
    try c.encode(owner.description, forKey: .owner)
    try c.encode(primaryGroup.description, forKey: .primaryGroup)
    try c.encode(integrityLevel.description, forKey: .integrityLevel)
    try c.encode(Self.names(mandatoryPolicy, MandatoryPolicy.names), forKey: .mandatoryPolicy)
    try c.encode(type == .primary ? "primary" : "impersonation", forKey: .type)
    let level = TokenFormatReader.impersonationLevels.first { $0.1 == impersonationLevel }?.0 ?? "anonymous"
    try c.encode(level, forKey: .impersonationLevel)
    try Self.encodeClaims(userClaims, &c, .userClaims)
    try Self.encodeClaims(deviceClaims, &c, .deviceClaims)
    try Self.encodeGroups(deviceGroups, &c, .deviceGroups)
  }

  private static func names<F: OptionSet>(_ value: F, _ table: [(String, F)]) -> [String]
  where F.Element == F {
    table.filter { value.contains($0.1) }.map(\.0)
  }

  private static func encodeGroups(
    _ groups: [SIDAndAttributes], _ c: inout KeyedEncodingContainer<TokenFormatKey>, _ key: TokenFormatKey
  ) throws {
    var list = c.nestedUnkeyedContainer(forKey: key)
    for group in groups {
      var entry = list.nestedContainer(keyedBy: TokenFormatKey.self)
      try entry.encode(group.sid.description, forKey: .sid)
      try entry.encode(names(group.attributes, GroupAttributes.names), forKey: .attributes)
    }
  }

  private static func encodeClaims(
    _ claims: [ClaimSecurityAttribute], _ c: inout KeyedEncodingContainer<TokenFormatKey>,
    _ key: TokenFormatKey
  ) throws {
    var list = c.nestedUnkeyedContainer(forKey: key)
    for claim in claims {
      var entry = list.nestedContainer(keyedBy: TokenFormatKey.self)
      try entry.encode(claim.name, forKey: .name)
      switch claim.values {
      case .int64(let v):
        try entry.encode("int64", forKey: .type)
        try entry.encode(v, forKey: .values)
      case .uint64(let v):
        try entry.encode("uint64", forKey: .type)
        try entry.encode(v, forKey: .values)
      case .string(let v):
        try entry.encode("string", forKey: .type)
        try entry.encode(v, forKey: .values)
      case .sid:
        try entry.encode("sid", forKey: .type)
        try entry.encode((claim.values.decodedSIDs ?? []).map { $0?.description ?? "" }, forKey: .values)
      case .boolean(let v):
        try entry.encode("boolean", forKey: .type)
        try entry.encode(v.map { $0 != 0 }, forKey: .values)
      case .octetString(let v):
        try entry.encode("octet_string", forKey: .type)
        try entry.encode(v.map(\.hexString), forKey: .values)
      }
      if !claim.flags.isEmpty {
        try entry.encode(names(claim.flags, TokenFormatReader.claimFlags), forKey: .flags)
      }
    }
  }
}

/// The keys of the token JSON format: the token's, in the documented order, then those of its
/// group, privilege and claim entries.
enum TokenFormatKey: String, CodingKey {
  case user, userAttributes = "user_attributes", groups, privileges
  case restrictedSIDs = "restricted_sids", restricted, writeRestricted = "write_restricted"
  case sandboxInert = "sandbox_inert", luaToken = "lua_token", owner, primaryGroup = "primary_group"
  case integrityLevel = "integrity_level", mandatoryPolicy = "mandatory_policy", type
  case impersonationLevel = "impersonation_level", userClaims = "user_claims"
  case deviceClaims = "device_claims", deviceGroups = "device_groups"
  case sid, attributes, name, values, flags
}
