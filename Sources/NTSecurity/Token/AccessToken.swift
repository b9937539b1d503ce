import Synchronization

/// An access token as a value: what Windows' TOKEN_INFORMATION_CLASS exposes, with the
/// operations of the token API (CreateRestrictedToken, DuplicateTokenEx, AdjustTokenPrivileges,
/// AdjustTokenGroups, CheckTokenMembership) as methods that follow Windows' rules.
///
/// The integrity label and the logon SID are groups, as in Windows (`SE_GROUP_INTEGRITY`,
/// `SE_GROUP_LOGON_ID`); ``integrityLevel`` and ``logonSID`` read them. Tokens made by the
/// operating system (process, thread, LogonUser) come from `LocalSecurityAuthority`.
public struct AccessToken: Hashable, Sendable {
  /// `TokenUser`: the user SID; its attributes are empty or `useForDenyOnly`. Unlike a group,
  /// the user SID counts as enabled unless it is deny-only (Windows gives it no ENABLED bit).
  public var user: SIDAndAttributes { didSet { refreshSIDKeys() } }
  /// `TokenGroups`: the groups, including the integrity label and the logon SID.
  public var groups: [SIDAndAttributes] { didSet { refreshSIDKeys() } }
  /// `TokenPrivileges`.
  public var privileges: [LUIDAndAttributes]
  /// `TokenOwner`: the default owner of objects this token creates.
  public var owner: SID
  /// `TokenPrimaryGroup`: the default group of objects this token creates.
  public var primaryGroup: SID
  /// `TokenDefaultDacl`: the DACL of objects created without one and without inheritance.
  public var defaultDACL: ACL?
  /// `TokenSource`.
  public var source: TokenSource
  /// `TokenType`.
  public var type: TokenType
  /// `TokenImpersonationLevel`; meaningful for impersonation tokens only.
  public var impersonationLevel: ImpersonationLevel
  /// `TokenStatistics`: token id, logon session (authentication id), modified id, expiration.
  public var statistics: TokenStatistics
  /// `TokenRestrictedSids`: the restricting SIDs of a restricted token. A non-empty list makes
  /// the token restricted for good: emptying it later leaves a restricted token whose second
  /// access-check pass grants nothing (see ``isRestricted``).
  public var restrictingSIDs: [SIDAndAttributes] {
    didSet {
      if !restrictingSIDs.isEmpty { restrictedFlag = true }
      refreshSIDKeys()
    }
  }
  /// TOKEN_IS_RESTRICTED: set once the token has had restricting SIDs, never cleared.
  private var restrictedFlag: Bool
  /// The CreateRestrictedToken flags that made this token (`SANDBOX_INERT`, `LUA_TOKEN`,
  /// `WRITE_RESTRICTED`; `DISABLE_MAX_PRIVILEGE` acts once and is not kept). Only
  /// ``restricted(flags:sidsToDisable:privilegesToDelete:sidsToRestrict:)`` adds to them.
  public internal(set) var restrictionFlags: RestrictionFlags
  /// `TokenSessionId`: the terminal-services session.
  public var sessionID: UInt32
  /// `TokenOrigin`: the logon session that created this one.
  public var origin: LUID
  /// `TokenElevationType`.
  public var elevationType: ElevationType
  /// `TokenElevation`: whether the token is elevated.
  public var isElevated: Bool
  /// `TokenMandatoryPolicy`.
  public var mandatoryPolicy: MandatoryPolicy
  /// `TokenUIAccess`.
  public var uiAccess: Bool
  /// `TokenVirtualizationAllowed`.
  public var isVirtualizationAllowed: Bool
  /// `TokenVirtualizationEnabled`.
  public var isVirtualizationEnabled: Bool
  /// `TokenUserClaimAttributes`.
  public var userClaims: [ClaimSecurityAttribute]
  /// `TokenDeviceClaimAttributes`.
  public var deviceClaims: [ClaimSecurityAttribute]
  /// `TokenDeviceGroups`: the groups of the device the user signed in from (compound identity).
  public var deviceGroups: [SIDAndAttributes]
  /// The access check's lookup keys for ``user``, ``groups`` and ``restrictingSIDs``, rebuilt
  /// whenever one of them changes; they play no part in equality or hashing.
  private(set) var sidKeys: TokenSIDKeys

  /// Creates a primary token for `user`. Unless `groups` holds an integrity label, the token
  /// gets Medium (S-1-16-8192), as Windows gives a standard user. The owner defaults to the
  /// user, the primary group to the user, and the default DACL to GENERIC_ALL for the user and
  /// SYSTEM (plus GENERIC_READ | GENERIC_EXECUTE for the logon SID when there is one).
  ///
  /// `isRestricted` makes the token restricted (TOKEN_IS_RESTRICTED) even with no restricting
  /// SIDs; a non-empty `restrictingSIDs` always does. Groups holding more than one integrity label
  /// are refused by ``checkIntegrityLabels(_:)``, which readers of outside input call first; a
  /// token that holds several anyway is treated as having the lowest (fail closed).
  public init(
    user: SID,
    groups: [SIDAndAttributes] = [],
    privileges: [LUIDAndAttributes] = [],
    owner: SID? = nil,
    primaryGroup: SID? = nil,
    defaultDACL: ACL? = nil,
    type: TokenType = .primary,
    impersonationLevel: ImpersonationLevel = .anonymous,
    restrictingSIDs: [SIDAndAttributes] = [],
    isRestricted: Bool = false,
    restrictionFlags: RestrictionFlags = [],
    mandatoryPolicy: MandatoryPolicy = .noWriteUp,
    userClaims: [ClaimSecurityAttribute] = [],
    deviceClaims: [ClaimSecurityAttribute] = [],
    deviceGroups: [SIDAndAttributes] = [],
    authenticationID: LUID? = nil
  ) {
    self.user = SIDAndAttributes(user)
    var groups = groups
    if !groups.contains(where: { $0.attributes.contains(.integrity) }) {
      groups.append(
        SIDAndAttributes(.mediumLabel, [.integrity, .integrityEnabled]))
    }
    self.groups = groups
    self.privileges = privileges
    self.owner = owner ?? user
    self.primaryGroup = primaryGroup ?? user
    if let defaultDACL {
      self.defaultDACL = defaultDACL
    } else {
      var aces = [
        ACE(type: .accessAllowed, mask: .genericAll, sid: user),
        ACE(type: .accessAllowed, mask: .genericAll, sid: .localSystem),
      ]
      if let logon = groups.first(where: { $0.attributes.contains(.logonID) }) {
        aces.append(
          ACE(type: .accessAllowed, mask: [.genericRead, .genericExecute], sid: logon.sid))
      }
      self.defaultDACL = ACL(aces: aces)
    }
    source = TokenSource(name: "NTSec")
    self.type = type
    self.impersonationLevel = impersonationLevel
    let session = authenticationID ?? LUID.allocate()
    statistics = TokenStatistics(
      tokenID: .allocate(), authenticationID: session, modifiedID: .allocate())
    self.restrictingSIDs = restrictingSIDs
    restrictedFlag = isRestricted || !restrictingSIDs.isEmpty
    self.restrictionFlags = restrictionFlags
    sessionID = 0
    origin = LUID(0)
    elevationType = .default
    isElevated = false
    self.mandatoryPolicy = mandatoryPolicy
    uiAccess = false
    isVirtualizationAllowed = false
    isVirtualizationEnabled = false
    self.userClaims = userClaims
    self.deviceClaims = deviceClaims
    self.deviceGroups = deviceGroups
    sidKeys = TokenSIDKeys(user: self.user, groups: self.groups, restrictingSIDs: self.restrictingSIDs)
  }

  /// `TokenIntegrityLevel`: the SID of the group marked `SE_GROUP_INTEGRITY`, or Medium when
  /// none is (unlabelled tokens are treated as Medium). Setting it replaces that group.
  public var integrityLevel: SID {
    get { integrityLabel?.sid ?? .mediumLabel }
    set {
      // Built in a copy and stored once: each store of `groups` rebuilds the SID keys.
      var updated = groups
      updated.removeAll { $0.attributes.contains(.integrity) }
      updated.append(SIDAndAttributes(newValue, [.integrity, .integrityEnabled]))
      groups = updated
    }
  }

  /// The integrity level's RID (S-1-16-RID): 0x1000 Low, 0x2000 Medium, 0x3000 High, …
  public var integrityRID: UInt32 { sidKeys.labelRID ?? 0x2000 }

  /// The group marked `SE_GROUP_INTEGRITY`, or nil. Should a token hold more than one (input is
  /// refused by ``checkIntegrityLabels(_:)``; a caller may still store such groups), the lowest
  /// level counts, here and in AccessCheck.
  public var integrityLabel: SIDAndAttributes? {
    groups.filter { $0.attributes.contains(.integrity) }.min {
      $0.sid.lastSubAuthority < $1.sid.lastSubAuthority
    }
  }

  /// Refuses groups that hold more than one integrity label (`SE_GROUP_INTEGRITY`), or a label
  /// that is not a mandatory label SID (S-1-16-X): `ERROR_INVALID_PARAMETER` naming them.
  public static func checkIntegrityLabels(_ groups: [SIDAndAttributes]) throws(NTSecurityError) {
    let labels = groups.enumerated().filter { $0.element.attributes.contains(.integrity) }
    if labels.count > 1 {
      throw NTSecurityError(
        .invalidParameter,
        "the groups hold \(labels.count) integrity labels ("
          + labels.map { "groups[\($0.offset)] \($0.element.sid)" }.joined(separator: ", ")
          + "); a token has one")
    }
    if let label = labels.first,
      label.element.sid.identifierAuthority != 16 || label.element.sid.subAuthorityCount != 1
    {
      throw NTSecurityError(
        .invalidParameter,
        "groups[\(label.offset)] \(label.element.sid) is marked integrity but is not a mandatory label SID (S-1-16-X)"
      )
    }
  }

  /// `TokenLogonSid`: the group marked `SE_GROUP_LOGON_ID`, if any.
  public var logonSID: SID? { groups.first(where: { $0.attributes.contains(.logonID) })?.sid }

  /// IsTokenRestricted (TOKEN_IS_RESTRICTED): whether the token is restricted. It stays so once
  /// it has been, whatever happens to ``restrictingSIDs``: a restricted token with an empty list
  /// is granted nothing by the restricting-SID pass of AccessCheck and is a member of nothing.
  public var isRestricted: Bool { restrictedFlag }

  /// Whether the restricting SIDs are checked only for write access (`WRITE_RESTRICTED`).
  public var isWriteRestricted: Bool { restrictionFlags.contains(.writeRestricted) }

  /// `TokenSandBoxInert`.
  public var isSandboxInert: Bool { restrictionFlags.contains(.sandboxInert) }

  /// Whether the token holds the privilege and has it enabled.
  public func hasEnabledPrivilege(_ privilege: Privilege) -> Bool {
    privileges.contains { $0.luid == privilege.luid && $0.attributes.contains(.enabled) }
  }

  /// The attributes of the privilege in this token, or nil when the token does not hold it.
  public func attributes(of privilege: Privilege) -> PrivilegeAttributes? {
    privileges.first { $0.luid == privilege.luid }?.attributes
  }

  private mutating func refreshSIDKeys() {
    sidKeys = TokenSIDKeys(user: user, groups: groups, restrictingSIDs: restrictingSIDs)
  }

  /// Records a modification: a new `modifiedID`, as Windows gives a changed token.
  mutating func touch() { statistics.modifiedID = .allocate() }
}

extension LUID {
  private static let counter = Atomic<UInt64>(0x10_0000)

  /// A new locally unique identifier for this process (token ids, modified ids, sessions).
  public static func allocate() -> LUID {
    LUID(counter.add(1, ordering: .relaxed).newValue)
  }
}
