/// How ``AccessToken/init(networkLogonFrom:options:)`` builds a network logon token: which
/// package authenticated the client and what this machine's local groups hold.
public struct NetworkLogonOptions: Hashable, Sendable {
  /// The security package that authenticated the client.
  public enum Package: Hashable, Sendable {
    /// Kerberos: no package SID (Windows defines none for Kerberos).
    case kerberos
    /// NTLM: adds `NT AUTHORITY\NTLM Authentication` (S-1-5-64-10).
    case ntlm
    /// Digest: adds `NT AUTHORITY\Digest Authentication` (S-1-5-64-21).
    case digest
    /// SChannel: adds `NT AUTHORITY\SChannel Authentication` (S-1-5-64-14).
    case schannel

    /// The `TOKEN_SOURCE` name Windows gives tokens the package makes.
    public var tokenSourceName: String {
      switch self {
      case .kerberos: return "Kerberos"
      case .ntlm: return "NtLmSsp"
      case .digest: return "WDigest"
      case .schannel: return "Schannel"
      }
    }
  }

  /// The package that authenticated the client; Kerberos when the PAC came from a ticket.
  public var package: Package
  /// This machine's local groups (aliases, `BUILTIN\…` or its own SAM's) and their members, as
  /// SAM holds them; the token gets each alias one of whose members it holds. The default is a
  /// Windows machine's out-of-the-box membership: `BUILTIN\Users` holds INTERACTIVE and
  /// Authenticated Users.
  public var localGroups: [SID: Set<SID>]
  /// Whether the client comes over a selective-authentication trust: `Other Organization`
  /// (S-1-5-1000) instead of `This Organization` (S-1-5-15).
  public var isOtherOrganization: Bool
  /// Whether to add a logon SID (S-1-5-5-X-Y from the logon session). Windows gives network
  /// logon tokens none; interactive-style callers (a logon session of the LSA issue) ask for it.
  public var includesLogonSID: Bool
  /// The logon session (`AuthenticationId`); a new LUID when nil.
  public var authenticationID: LUID?

  public init(
    package: Package = .kerberos,
    localGroups: [SID: Set<SID>] = NetworkLogonOptions.defaultLocalGroups,
    isOtherOrganization: Bool = false,
    includesLogonSID: Bool = false,
    authenticationID: LUID? = nil
  ) {
    self.package = package
    self.localGroups = localGroups
    self.isOtherOrganization = isOtherOrganization
    self.includesLogonSID = includesLogonSID
    self.authenticationID = authenticationID
  }

  /// A Windows machine's default alias membership: `BUILTIN\Users` ⊇ {INTERACTIVE,
  /// Authenticated Users} (domain join adds `DOMAIN\Domain Users`; pass it explicitly).
  public static let defaultLocalGroups: [SID: Set<SID>] = [
    .builtinUsers: [.interactive, .authenticatedUsers]
  ]
}

extension SID {
  static let network = SID(unchecked: 5, [2])
  static let thisOrganization = SID(unchecked: 5, [15])
  static let otherOrganization = SID(unchecked: 5, [1000])
  static let ntlmAuthentication = SID(unchecked: 5, [64, 10])
  static let schannelAuthentication = SID(unchecked: 5, [64, 14])
  static let digestAuthentication = SID(unchecked: 5, [64, 21])
  static let builtinBackupOperators = SID(unchecked: 5, [32, 551])
  static let builtinNetworkConfigurationOperators = SID(unchecked: 5, [32, 556])
  static let builtinCryptographicOperators = SID(unchecked: 5, [32, 569])
}

extension AccessToken {
  /// The token Windows builds for a client authenticated over the network with this PAC
  /// (what QuerySecurityContextToken returns after AcceptSecurityContext):
  ///
  /// - user: `LogonDomainId` + `UserId`; primary group: `LogonDomainId` + `PrimaryGroupId`;
  /// - groups, in Windows' order: Everyone; the local groups (``NetworkLogonOptions/localGroups``)
  ///   the token is a member of; NETWORK; Authenticated Users (not for a `LOGON_GUEST` logon);
  ///   This Organization (or Other Organization); the PAC's `GroupIds` in `LogonDomainId`, its
  ///   `ExtraSids` when `LOGON_EXTRA_SIDS` is set, its resource groups (`ResourceGroupDomainSid`
  ///   + `ResourceGroupIds`) when `LOGON_RESOURCE_GROUPS` is set, each with the PAC's attributes
  ///   (only the bits MS-PAC defines: mandatory, enabled by default, enabled, owner, resource);
  ///   the package SID (NTLM, Digest, SChannel; none for Kerberos); the logon SID when asked for;
  ///   the integrity label. S-1-18-1/S-1-18-2, Claims Valid and Compound Identity Present come
  ///   from the KDC inside `ExtraSids`, not from here;
  /// - integrity: High when an enabled group is Administrators, Backup Operators, Network
  ///   Configuration Operators or Cryptographic Operators, else Medium; owner: Administrators
  ///   (marked `SE_GROUP_OWNER`) when present, else the user;
  /// - user claims from `CLIENT_CLAIMS_INFO`, device claims and device groups from
  ///   `DEVICE_CLAIMS_INFO` and `PAC_DEVICE_INFO`;
  /// - an impersonation token at `SecurityImpersonation`, source `Kerberos` / `NtLmSsp`.
  ///
  /// Privileges come from LSA policy (account rights of the groups), which does not exist yet:
  /// the token has none.
  ///
  /// Throws `ERROR_INVALID_DATA` when the PAC has no `LOGON_INFO` or no `LogonDomainId`.
  public init(networkLogonFrom pac: PAC, options: NetworkLogonOptions = NetworkLogonOptions())
    throws(NTSecurityError)
  {
    guard let info = pac.logonInfo else {
      throw NTSecurityError(.invalidData, "the PAC has no LOGON_INFO buffer")
    }
    guard let domain = info.logonDomainID else {
      throw NTSecurityError(.invalidData, "the PAC's KERB_VALIDATION_INFO has no LogonDomainId")
    }
    let user = try domain.appending(info.userID)
    let primaryGroup = try domain.appending(info.primaryGroupID)
    let on: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]

    // MS-PAC 2.2.1: only mandatory, enabled-by-default, enabled, owner and resource are defined
    // for PAC groups; other bits "MUST be ignored on receipt" — a PAC cannot make a label,
    // a logon SID or a deny-only group.
    let defined: GroupAttributes = [.mandatory, .enabledByDefault, .enabled, .owner, .resource]
    func pacGroup(_ sid: SID, _ attributes: GroupAttributes) -> SIDAndAttributes {
      SIDAndAttributes(sid, attributes.intersection(defined))
    }
    var pacGroups = [SIDAndAttributes]()
    for g in info.groupIDs { pacGroups.append(pacGroup(try domain.appending(g.relativeID), g.attributes)) }
    if !pacGroups.contains(where: { $0.sid == primaryGroup }) {
      pacGroups.append(SIDAndAttributes(primaryGroup, on))
    }
    if info.userFlags.contains(.extraSIDs) {
      pacGroups += info.extraSIDs.map { pacGroup($0.sid, $0.attributes) }
    }
    if info.userFlags.contains(.resourceGroups), let resourceDomain = info.resourceGroupDomainSID {
      for g in info.resourceGroupIDs {
        pacGroups.append(pacGroup(try resourceDomain.appending(g.relativeID), g.attributes))
      }
    }

    var wellKnown = [SIDAndAttributes(.network, on)]
    if !info.userFlags.contains(.guest) { wellKnown.append(SIDAndAttributes(.authenticatedUsers, on)) }
    wellKnown.append(
      SIDAndAttributes(options.isOtherOrganization ? .otherOrganization : .thisOrganization, on))

    // Local groups: an alias applies when the user or any group so far is one of its members.
    let held = Set([user, .everyone] + wellKnown.map(\.sid) + pacGroups.map(\.sid))
    var aliases = [SIDAndAttributes]()
    for (alias, members) in options.localGroups.sorted(by: { $0.key.description < $1.key.description })
    where !members.isDisjoint(with: held) {
      aliases.append(SIDAndAttributes(alias, alias == .builtinAdministrators ? on.union(.owner) : on))
    }

    var groups = [SIDAndAttributes(.everyone, on)] + aliases + wellKnown + pacGroups
    switch options.package {
    case .kerberos: break
    case .ntlm: groups.append(SIDAndAttributes(.ntlmAuthentication, on))
    case .digest: groups.append(SIDAndAttributes(.digestAuthentication, on))
    case .schannel: groups.append(SIDAndAttributes(.schannelAuthentication, on))
    }
    let session = options.authenticationID ?? .allocate()
    if options.includesLogonSID {
      let logon = SID(unchecked: 5, [5, UInt32(bitPattern: session.highPart), session.lowPart])
      groups.append(SIDAndAttributes(logon, on.union(.logonID)))
    }
    var seen: Set<SID> = [user]
    groups = groups.filter { seen.insert($0.sid).inserted }

    let highGroups: Set<SID> = [
      .builtinAdministrators, .builtinBackupOperators, .builtinNetworkConfigurationOperators,
      .builtinCryptographicOperators,
    ]
    let isHigh = groups.contains { highGroups.contains($0.sid) && $0.isEnabled }
    groups.append(SIDAndAttributes(isHigh ? .highLabel : .mediumLabel, [.integrity, .integrityEnabled]))
    let isAdmin = groups.contains { $0.sid == .builtinAdministrators && $0.isEnabled }

    self.init(
      user: user,
      groups: groups,
      owner: isAdmin ? .builtinAdministrators : user,
      primaryGroup: primaryGroup,
      type: .impersonation,
      impersonationLevel: .impersonation,
      userClaims: pac.clientClaims?.claimAttributes ?? [],
      deviceClaims: pac.deviceClaims?.claimAttributes ?? [],
      deviceGroups: pac.deviceInfo?.deviceGroups ?? [],
      authenticationID: session
    )
    source = TokenSource(name: options.package.tokenSourceName)
  }
}

extension PAC {
  /// Account names the PAC itself tells: the user as `LogonDomainName\EffectiveName`, and the
  /// well-known RIDs of its domain (`DOMAIN\Domain Users`, …) — for `whoami`-style listings.
  public var accountNames: [SID: String] {
    guard let info = logonInfo, let domain = info.logonDomainID else { return [:] }
    var names = [SID: String]()
    if let user = info.userSID { names[user] = "\(info.logonDomainName)\\\(info.effectiveName)" }
    var sids = info.groupIDs.compactMap { try? domain.appending($0.relativeID) } + info.extraSIDs.map(\.sid)
    if let primary = try? domain.appending(info.primaryGroupID) { sids.append(primary) }
    for sid in sids where sid.isInDomain(domain) {
      if let name = sid.wellKnownAccountName(domain: domain) {
        names[sid] = "\(info.logonDomainName)\\\(name)"
      }
    }
    return names
  }
}
