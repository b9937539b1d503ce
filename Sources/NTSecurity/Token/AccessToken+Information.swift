/// `TOKEN_INFORMATION_CLASS`, with winnt.h's values.
public enum TokenInformationClass: UInt32, Hashable, Sendable, CaseIterable {
  case user = 1, groups, privileges, owner, primaryGroup, defaultDACL, source, type,
    impersonationLevel, statistics, restrictedSIDs, sessionID, groupsAndPrivileges,
    sessionReference, sandboxInert, auditPolicy, origin, elevationType, linkedToken, elevation,
    hasRestrictions, accessInformation, virtualizationAllowed, virtualizationEnabled,
    integrityLevel, uiAccess, mandatoryPolicy, logonSID, isAppContainer, capabilities,
    appContainerSID, appContainerNumber, userClaimAttributes, deviceClaimAttributes,
    restrictedUserClaimAttributes, restrictedDeviceClaimAttributes, deviceGroups,
    restrictedDeviceGroups, securityAttributes, isRestricted, processTrustLevel,
    privateNameSpace, singletonAttributes, bnoIsolation, childProcessFlags,
    isLessPrivilegedAppContainer, isSandboxed
}

/// The value of one token information class, as GetTokenInformation returns it and
/// SetTokenInformation takes it.
public enum TokenInformation: Hashable, Sendable {
  /// TokenUser.
  case user(SIDAndAttributes)
  /// TokenGroups, TokenRestrictedSids, TokenDeviceGroups, TokenCapabilities and the like.
  case groups([SIDAndAttributes])
  /// TokenPrivileges.
  case privileges([LUIDAndAttributes])
  /// TokenOwner, TokenPrimaryGroup, TokenLogonSid, TokenAppContainerSid (nil: none).
  case sid(SID?)
  /// TokenIntegrityLevel: the label SID and its attributes.
  case label(SIDAndAttributes)
  /// TokenDefaultDacl (nil: no default DACL).
  case acl(ACL?)
  /// TokenSource.
  case source(TokenSource)
  /// TokenType.
  case type(TokenType)
  /// TokenImpersonationLevel.
  case impersonationLevel(ImpersonationLevel)
  /// TokenStatistics.
  case statistics(TokenStatistics)
  /// TokenGroupsAndPrivileges: SIDs (user first, then groups), restricting SIDs, privileges and
  /// the logon session.
  case groupsAndPrivileges(
    sids: [SIDAndAttributes], restrictedSIDs: [SIDAndAttributes], privileges: [LUIDAndAttributes],
    authenticationID: LUID)
  /// TokenSessionId, TokenAppContainerNumber and other DWORD classes.
  case number(UInt32)
  /// TokenSandBoxInert, TokenElevation, TokenHasRestrictions, TokenIsRestricted and the other
  /// Boolean classes.
  case flag(Bool)
  /// TokenOrigin.
  case luid(LUID)
  /// TokenElevationType.
  case elevationType(ElevationType)
  /// TokenMandatoryPolicy.
  case mandatoryPolicy(MandatoryPolicy)
  /// TokenUserClaimAttributes, TokenDeviceClaimAttributes.
  case claims([ClaimSecurityAttribute])
}

extension AccessToken {
  /// GetTokenInformation. Classes that only exist for a kind of token fail as on Windows:
  /// TokenImpersonationLevel of a primary token, TokenLinkedToken without a linked token
  /// (`ERROR_NO_SUCH_LOGON_SESSION`), TokenLogonSid without a logon SID (`ERROR_NOT_FOUND`);
  /// set-only and kernel-internal classes throw `ERROR_INVALID_PARAMETER`.
  public func information(_ infoClass: TokenInformationClass) throws(NTSecurityError)
    -> TokenInformation
  {
    switch infoClass {
    case .user: return .user(user)
    case .groups: return .groups(groups)
    case .privileges: return .privileges(privileges)
    case .owner: return .sid(owner)
    case .primaryGroup: return .sid(primaryGroup)
    case .defaultDACL: return .acl(defaultDACL)
    case .source: return .source(source)
    case .type: return .type(type)
    case .impersonationLevel:
      guard type == .impersonation else {
        throw NTSecurityError(.invalidParameter, "a primary token has no impersonation level")
      }
      return .impersonationLevel(impersonationLevel)
    case .statistics: return .statistics(statistics)
    case .restrictedSIDs: return .groups(restrictingSIDs)
    case .sessionID: return .number(sessionID)
    case .groupsAndPrivileges:
      return .groupsAndPrivileges(
        sids: [user] + groups, restrictedSIDs: restrictingSIDs, privileges: privileges,
        authenticationID: statistics.authenticationID)
    case .sandboxInert: return .flag(isSandboxInert)
    case .origin: return .luid(origin)
    case .elevationType: return .elevationType(elevationType)
    case .linkedToken:
      throw NTSecurityError(.noSuchLogonSession, "the token has no linked token")
    case .elevation: return .flag(isElevated)
    case .hasRestrictions:
      return .flag(
        isRestricted || restrictionFlags.contains(.luaToken)
          || user.attributes.contains(.useForDenyOnly)
          || groups.contains { $0.attributes.contains(.useForDenyOnly) })
    case .virtualizationAllowed: return .flag(isVirtualizationAllowed)
    case .virtualizationEnabled: return .flag(isVirtualizationEnabled)
    case .integrityLevel:
      return .label(integrityLabel ?? SIDAndAttributes(.mediumLabel, [.integrity, .integrityEnabled]))
    case .uiAccess: return .flag(uiAccess)
    case .mandatoryPolicy: return .mandatoryPolicy(mandatoryPolicy)
    case .logonSID:
      guard let logon = groups.first(where: { $0.attributes.contains(.logonID) }) else {
        throw NTSecurityError(.notFound, "the token has no logon SID")
      }
      return .groups([logon])
    case .isAppContainer, .isLessPrivilegedAppContainer, .isSandboxed: return .flag(false)
    case .capabilities, .restrictedDeviceGroups: return .groups([])
    case .appContainerSID: return .sid(nil)
    case .appContainerNumber: return .number(0)
    case .userClaimAttributes: return .claims(userClaims)
    case .deviceClaimAttributes: return .claims(deviceClaims)
    case .restrictedUserClaimAttributes, .restrictedDeviceClaimAttributes: return .claims([])
    case .deviceGroups: return .groups(deviceGroups)
    case .isRestricted: return .flag(isRestricted)
    case .sessionReference, .auditPolicy, .accessInformation, .securityAttributes,
      .processTrustLevel, .privateNameSpace, .singletonAttributes, .bnoIsolation,
      .childProcessFlags:
      throw NTSecurityError(
        .invalidParameter, "token information class \(infoClass) cannot be queried here")
    }
  }

  /// SetTokenInformation: a copy with one class changed, for the classes Windows lets a caller
  /// set. `caller` is the token of the code making the call (its enabled privileges decide
  /// what is allowed); nil means this token's holder. Rules:
  /// - TokenOwner: the user or a group with `SE_GROUP_OWNER`, else `ERROR_INVALID_OWNER`.
  /// - TokenPrimaryGroup: the user or one of the groups, else `ERROR_INVALID_PRIMARY_GROUP`.
  /// - TokenDefaultDacl: any ACL, or none.
  /// - TokenIntegrityLevel: lowering is free; raising needs SeTcbPrivilege.
  /// - TokenSessionId, TokenOrigin, TokenUIAccess, TokenSessionReference: SeTcbPrivilege.
  ///   TokenMandatoryPolicy and TokenVirtualizationAllowed: SeCreateTokenPrivilege.
  ///   TokenVirtualizationEnabled: only when virtualization is allowed.
  /// - Everything else: `ERROR_INVALID_PARAMETER`; a value of the wrong shape likewise.
  public func settingInformation(
    _ infoClass: TokenInformationClass, _ value: TokenInformation, caller: AccessToken? = nil
  ) throws(NTSecurityError) -> AccessToken {
    let caller = caller ?? self
    func require(_ privilege: Privilege) throws(NTSecurityError) {
      guard caller.hasEnabledPrivilege(privilege) else {
        throw NTSecurityError(
          .privilegeNotHeld, "setting \(infoClass) requires \(privilege.name)")
      }
    }
    let wrongShape = NTSecurityError(
      .invalidParameter, "the value does not fit token information class \(infoClass)")
    var token = self
    switch (infoClass, value) {
    case (.owner, .sid(let sid?)):
      guard sid == user.sid || groups.contains(where: { $0.sid == sid && $0.attributes.contains(.owner) })
      else {
        throw NTSecurityError(.invalidOwner, "\(sid) cannot be the owner of objects this token creates")
      }
      token.owner = sid
    case (.primaryGroup, .sid(let sid?)):
      guard sid == user.sid || groups.contains(where: { $0.sid == sid }) else {
        throw NTSecurityError(.invalidPrimaryGroup, "\(sid) is not a group of the token")
      }
      token.primaryGroup = sid
    case (.defaultDACL, .acl(let acl)):
      token.defaultDACL = acl
    case (.integrityLevel, .label(let label)):
      try token.setIntegrity(label.sid, require: require)
    case (.integrityLevel, .sid(let sid?)):
      try token.setIntegrity(sid, require: require)
    case (.sessionID, .number(let id)):
      try require(.tcb)
      token.sessionID = id
    case (.mandatoryPolicy, .mandatoryPolicy(let policy)):
      try require(.createToken)
      token.mandatoryPolicy = policy
    case (.origin, .luid(let origin)):
      try require(.tcb)
      token.origin = origin
    case (.uiAccess, .flag(let on)):
      try require(.tcb)
      token.uiAccess = on
    case (.sessionReference, .number):
      try require(.tcb)
    case (.virtualizationAllowed, .flag(let on)):
      try require(.createToken)
      token.isVirtualizationAllowed = on
    case (.virtualizationEnabled, .flag(let on)):
      guard isVirtualizationAllowed else {
        throw NTSecurityError(.invalidParameter, "virtualization is not allowed for this token")
      }
      token.isVirtualizationEnabled = on
    case (.owner, _), (.primaryGroup, _), (.defaultDACL, _), (.integrityLevel, _), (.sessionID, _),
      (.mandatoryPolicy, _), (.origin, _), (.uiAccess, _), (.sessionReference, _),
      (.virtualizationAllowed, _), (.virtualizationEnabled, _):
      throw wrongShape
    default:
      throw NTSecurityError(.invalidParameter, "token information class \(infoClass) cannot be set")
    }
    token.touch()
    return token
  }

  private mutating func setIntegrity(
    _ level: SID, require: (Privilege) throws(NTSecurityError) -> Void
  ) throws(NTSecurityError) {
    guard level.identifierAuthority == 16, level.subAuthorityCount == 1 else {
      throw NTSecurityError(.invalidSid, "\(level) is not a mandatory label SID (S-1-16-X)")
    }
    if level[subAuthority: 0] > integrityRID { try require(.tcb) }
    integrityLevel = level
  }
}
