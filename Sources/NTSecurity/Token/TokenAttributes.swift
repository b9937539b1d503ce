/// `SE_GROUP_*`: the attributes of a SID in a token's groups (and of the user SID).
public struct GroupAttributes: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// `SE_GROUP_MANDATORY`: the group cannot be disabled.
  public static let mandatory = GroupAttributes(rawValue: 0x1)
  /// `SE_GROUP_ENABLED_BY_DEFAULT`.
  public static let enabledByDefault = GroupAttributes(rawValue: 0x2)
  /// `SE_GROUP_ENABLED`: the SID counts in allow ACEs.
  public static let enabled = GroupAttributes(rawValue: 0x4)
  /// `SE_GROUP_OWNER`: the SID may be made the token's owner.
  public static let owner = GroupAttributes(rawValue: 0x8)
  /// `SE_GROUP_USE_FOR_DENY_ONLY`: the SID counts only in deny ACEs.
  public static let useForDenyOnly = GroupAttributes(rawValue: 0x10)
  /// `SE_GROUP_INTEGRITY`: the SID is the token's mandatory integrity label.
  public static let integrity = GroupAttributes(rawValue: 0x20)
  /// `SE_GROUP_INTEGRITY_ENABLED`.
  public static let integrityEnabled = GroupAttributes(rawValue: 0x40)
  /// `SE_GROUP_RESOURCE`: a domain-local group.
  public static let resource = GroupAttributes(rawValue: 0x2000_0000)
  /// `SE_GROUP_LOGON_ID`: the logon SID (S-1-5-5-X-Y).
  public static let logonID = GroupAttributes(rawValue: 0xC000_0000)

  /// The attribute names the token JSON format uses, in this order.
  public static let names: [(String, GroupAttributes)] = [
    ("mandatory", .mandatory), ("enabled_by_default", .enabledByDefault), ("enabled", .enabled),
    ("owner", .owner), ("use_for_deny_only", .useForDenyOnly), ("integrity", .integrity),
    ("integrity_enabled", .integrityEnabled), ("logon_id", .logonID), ("resource", .resource),
  ]
}

/// `SE_PRIVILEGE_*`: the attributes of a privilege in a token.
public struct PrivilegeAttributes: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// `SE_PRIVILEGE_ENABLED_BY_DEFAULT`.
  public static let enabledByDefault = PrivilegeAttributes(rawValue: 0x1)
  /// `SE_PRIVILEGE_ENABLED`.
  public static let enabled = PrivilegeAttributes(rawValue: 0x2)
  /// `SE_PRIVILEGE_REMOVED`: with AdjustTokenPrivileges, removes the privilege from the token.
  public static let removed = PrivilegeAttributes(rawValue: 0x4)
  /// `SE_PRIVILEGE_USED_FOR_ACCESS`: set in results when a privilege granted access.
  public static let usedForAccess = PrivilegeAttributes(rawValue: 0x8000_0000)

  /// The attribute names the token JSON format uses, in this order.
  public static let names: [(String, PrivilegeAttributes)] = [
    ("enabled_by_default", .enabledByDefault), ("enabled", .enabled), ("removed", .removed),
    ("used_for_access", .usedForAccess),
  ]
}

/// `SID_AND_ATTRIBUTES`: a SID with its `SE_GROUP_*` attributes.
public struct SIDAndAttributes: Hashable, Sendable {
  public var sid: SID
  public var attributes: GroupAttributes
  public init(_ sid: SID, _ attributes: GroupAttributes = []) {
    self.sid = sid
    self.attributes = attributes
  }
  /// Whether the SID counts for allow ACEs: enabled and not deny-only.
  @inlinable public var isEnabled: Bool {
    attributes.contains(.enabled) && !attributes.contains(.useForDenyOnly)
  }
}

/// `LUID_AND_ATTRIBUTES`: a privilege LUID with its `SE_PRIVILEGE_*` attributes.
public struct LUIDAndAttributes: Hashable, Sendable {
  public var luid: LUID
  public var attributes: PrivilegeAttributes
  public init(_ luid: LUID, _ attributes: PrivilegeAttributes = []) {
    self.luid = luid
    self.attributes = attributes
  }
  /// Creates an entry for a privilege.
  public init(_ privilege: Privilege, _ attributes: PrivilegeAttributes = []) {
    self.init(privilege.luid, attributes)
  }
  /// The privilege, when the LUID is a known one.
  public var privilege: Privilege? { Privilege(luid: luid) }
}

/// `TOKEN_TYPE`.
public enum TokenType: UInt32, Hashable, Sendable {
  /// `TokenPrimary`: the token of a process.
  case primary = 1
  /// `TokenImpersonation`: a token a thread uses to act as a client.
  case impersonation = 2
}

/// `SECURITY_IMPERSONATION_LEVEL`.
public enum ImpersonationLevel: UInt32, Hashable, Sendable, Comparable {
  case anonymous = 0
  case identification = 1
  case impersonation = 2
  case delegation = 3
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// `TOKEN_MANDATORY_POLICY`: how mandatory integrity applies to a token.
public struct MandatoryPolicy: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  /// `TOKEN_MANDATORY_POLICY_NO_WRITE_UP`: object labels are enforced for write access.
  public static let noWriteUp = MandatoryPolicy(rawValue: 0x1)
  /// `TOKEN_MANDATORY_POLICY_NEW_PROCESS_MIN`: new processes get the lower of the two levels.
  public static let newProcessMin = MandatoryPolicy(rawValue: 0x2)

  /// The names the token JSON format uses.
  public static let names: [(String, MandatoryPolicy)] = [
    ("no_write_up", .noWriteUp), ("new_process_min", .newProcessMin),
  ]
}

/// `TOKEN_ELEVATION_TYPE`.
public enum ElevationType: UInt32, Hashable, Sendable {
  /// `TokenElevationTypeDefault`: no linked token (UAC off or a standard user).
  case `default` = 1
  /// `TokenElevationTypeFull`: the elevated half of a split token.
  case full = 2
  /// `TokenElevationTypeLimited`: the filtered half of a split token.
  case limited = 3
}

/// `TOKEN_SOURCE`: an 8-character source name and a LUID.
public struct TokenSource: Hashable, Sendable {
  /// Up to 8 ASCII characters, such as `User32` or `NtLmSsp`.
  public var name: String
  public var identifier: LUID
  public init(name: String, identifier: LUID = LUID(0)) {
    self.name = name
    self.identifier = identifier
  }
}

/// `TOKEN_STATISTICS`: the identifiers of a token.
public struct TokenStatistics: Hashable, Sendable {
  /// A LUID unique to this token.
  public var tokenID: LUID
  /// The logon session the token belongs to.
  public var authenticationID: LUID
  /// Changes each time the token is modified.
  public var modifiedID: LUID
  /// When the token expires, in 100 ns intervals since 1601 (`Int64.max`: never).
  public var expirationTime: Int64
  public init(
    tokenID: LUID, authenticationID: LUID, modifiedID: LUID, expirationTime: Int64 = .max
  ) {
    self.tokenID = tokenID
    self.authenticationID = authenticationID
    self.modifiedID = modifiedID
    self.expirationTime = expirationTime
  }
}

/// `DISABLE_MAX_PRIVILEGE`, `SANDBOX_INERT`, `LUA_TOKEN`, `WRITE_RESTRICTED`: the flags of
/// CreateRestrictedToken.
public struct RestrictionFlags: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  /// Deletes every privilege but SeChangeNotifyPrivilege.
  public static let disableMaxPrivilege = RestrictionFlags(rawValue: 0x1)
  /// Marks the token sandbox-inert (AppLocker/SRP checks skipped on Windows).
  public static let sandboxInert = RestrictionFlags(rawValue: 0x2)
  /// Makes a LUA (UAC-filtered) token: see ``LUAFilter``.
  public static let luaToken = RestrictionFlags(rawValue: 0x4)
  /// Restricting SIDs are checked only for write access.
  public static let writeRestricted = RestrictionFlags(rawValue: 0x8)
  /// Every flag CreateRestrictedToken knows; other bits are ERROR_INVALID_PARAMETER.
  public static let all: RestrictionFlags = [
    .disableMaxPrivilege, .sandboxInert, .luaToken, .writeRestricted,
  ]

  /// The names the CLI uses.
  public static let names: [(String, RestrictionFlags)] = [
    ("disable_max_privilege", .disableMaxPrivilege), ("sandbox_inert", .sandboxInert),
    ("lua_token", .luaToken), ("write_restricted", .writeRestricted),
  ]
}
