/// What each `WellKnownSIDType` stands for, indexed by its raw value.
enum WellKnownSIDTable {
  /// The form of a well-known SID.
  enum Shape: Sendable {
    /// One fixed SID.
    case fixed(UInt64, [UInt32])
    /// A RID appended to an account domain SID.
    case domainRID(UInt32)
    /// S-1-5-5-X-Y: cannot be created, matched by prefix.
    case logonIDs
    /// Cannot be created and matches nothing.
    case uncreatable
  }

  struct Entry: Sendable {
    let name: StaticString
    let shape: Shape
    init(_ name: StaticString, _ shape: Shape) {
      self.name = name
      self.shape = shape
    }
  }

  private static func nt(_ subs: UInt32...) -> Shape { .fixed(5, subs) }
  private static func builtin(_ rid: UInt32) -> Shape { .fixed(5, [32, rid]) }
  private static func capability(_ rid: UInt32) -> Shape { .fixed(15, [3, rid]) }

  /// One entry per `WellKnownSIDType`, in raw-value order (winnt.h).
  static let entries: [Entry] = [
    Entry("WinNullSid", .fixed(0, [0])),
    Entry("WinWorldSid", .fixed(1, [0])),
    Entry("WinLocalSid", .fixed(2, [0])),
    Entry("WinCreatorOwnerSid", .fixed(3, [0])),
    Entry("WinCreatorGroupSid", .fixed(3, [1])),
    Entry("WinCreatorOwnerServerSid", .fixed(3, [2])),
    Entry("WinCreatorGroupServerSid", .fixed(3, [3])),
    Entry("WinNtAuthoritySid", .fixed(5, [])),
    Entry("WinDialupSid", nt(1)),
    Entry("WinNetworkSid", nt(2)),
    Entry("WinBatchSid", nt(3)),
    Entry("WinInteractiveSid", nt(4)),
    Entry("WinServiceSid", nt(6)),
    Entry("WinAnonymousSid", nt(7)),
    Entry("WinProxySid", nt(8)),
    Entry("WinEnterpriseControllersSid", nt(9)),
    Entry("WinSelfSid", nt(10)),
    Entry("WinAuthenticatedUserSid", nt(11)),
    Entry("WinRestrictedCodeSid", nt(12)),
    Entry("WinTerminalServerSid", nt(13)),
    Entry("WinRemoteLogonIdSid", nt(14)),
    Entry("WinLogonIdsSid", .logonIDs),
    Entry("WinLocalSystemSid", nt(18)),
    Entry("WinLocalServiceSid", nt(19)),
    Entry("WinNetworkServiceSid", nt(20)),
    Entry("WinBuiltinDomainSid", nt(32)),
    Entry("WinBuiltinAdministratorsSid", builtin(544)),
    Entry("WinBuiltinUsersSid", builtin(545)),
    Entry("WinBuiltinGuestsSid", builtin(546)),
    Entry("WinBuiltinPowerUsersSid", builtin(547)),
    Entry("WinBuiltinAccountOperatorsSid", builtin(548)),
    Entry("WinBuiltinSystemOperatorsSid", builtin(549)),
    Entry("WinBuiltinPrintOperatorsSid", builtin(550)),
    Entry("WinBuiltinBackupOperatorsSid", builtin(551)),
    Entry("WinBuiltinReplicatorSid", builtin(552)),
    Entry("WinBuiltinPreWindows2000CompatibleAccessSid", builtin(554)),
    Entry("WinBuiltinRemoteDesktopUsersSid", builtin(555)),
    Entry("WinBuiltinNetworkConfigurationOperatorsSid", builtin(556)),
    Entry("WinAccountAdministratorSid", .domainRID(500)),
    Entry("WinAccountGuestSid", .domainRID(501)),
    Entry("WinAccountKrbtgtSid", .domainRID(502)),
    Entry("WinAccountDomainAdminsSid", .domainRID(512)),
    Entry("WinAccountDomainUsersSid", .domainRID(513)),
    Entry("WinAccountDomainGuestsSid", .domainRID(514)),
    Entry("WinAccountComputersSid", .domainRID(515)),
    Entry("WinAccountControllersSid", .domainRID(516)),
    Entry("WinAccountCertAdminsSid", .domainRID(517)),
    Entry("WinAccountSchemaAdminsSid", .domainRID(518)),
    Entry("WinAccountEnterpriseAdminsSid", .domainRID(519)),
    Entry("WinAccountPolicyAdminsSid", .domainRID(520)),
    Entry("WinAccountRasAndIasServersSid", .domainRID(553)),
    Entry("WinNTLMAuthenticationSid", nt(64, 10)),
    Entry("WinDigestAuthenticationSid", nt(64, 21)),
    Entry("WinSChannelAuthenticationSid", nt(64, 14)),
    Entry("WinThisOrganizationSid", nt(15)),
    Entry("WinOtherOrganizationSid", nt(1000)),
    Entry("WinBuiltinIncomingForestTrustBuildersSid", builtin(557)),
    Entry("WinBuiltinPerfMonitoringUsersSid", builtin(558)),
    Entry("WinBuiltinPerfLoggingUsersSid", builtin(559)),
    Entry("WinBuiltinAuthorizationAccessSid", builtin(560)),
    Entry("WinBuiltinTerminalServerLicenseServersSid", builtin(561)),
    Entry("WinBuiltinDCOMUsersSid", builtin(562)),
    Entry("WinBuiltinIUsersSid", builtin(568)),
    Entry("WinIUserSid", nt(17)),
    Entry("WinBuiltinCryptoOperatorsSid", builtin(569)),
    Entry("WinUntrustedLabelSid", .fixed(16, [0])),
    Entry("WinLowLabelSid", .fixed(16, [0x1000])),
    Entry("WinMediumLabelSid", .fixed(16, [0x2000])),
    Entry("WinHighLabelSid", .fixed(16, [0x3000])),
    Entry("WinSystemLabelSid", .fixed(16, [0x4000])),
    Entry("WinWriteRestrictedCodeSid", nt(33)),
    Entry("WinCreatorOwnerRightsSid", .fixed(3, [4])),
    Entry("WinCacheablePrincipalsGroupSid", .domainRID(571)),
    Entry("WinNonCacheablePrincipalsGroupSid", .domainRID(572)),
    Entry("WinEnterpriseReadonlyControllersSid", nt(22)),
    Entry("WinAccountReadonlyControllersSid", .domainRID(521)),
    Entry("WinBuiltinEventLogReadersGroup", builtin(573)),
    Entry("WinNewEnterpriseReadonlyControllersSid", .domainRID(498)),
    Entry("WinBuiltinCertSvcDComAccessGroup", builtin(574)),
    Entry("WinMediumPlusLabelSid", .fixed(16, [0x2100])),
    Entry("WinLocalLogonSid", .uncreatable),
    Entry("WinConsoleLogonSid", .fixed(2, [1])),
    Entry("WinThisOrganizationCertificateSid", nt(65, 1)),
    Entry("WinApplicationPackageAuthoritySid", .fixed(15, [])),
    Entry("WinBuiltinAnyPackageSid", .fixed(15, [2, 1])),
    Entry("WinCapabilityInternetClientSid", capability(1)),
    Entry("WinCapabilityInternetClientServerSid", capability(2)),
    Entry("WinCapabilityPrivateNetworkClientServerSid", capability(3)),
    Entry("WinCapabilityPicturesLibrarySid", capability(4)),
    Entry("WinCapabilityVideosLibrarySid", capability(5)),
    Entry("WinCapabilityMusicLibrarySid", capability(6)),
    Entry("WinCapabilityDocumentsLibrarySid", capability(7)),
    Entry("WinCapabilitySharedUserCertificatesSid", capability(9)),
    Entry("WinCapabilityEnterpriseAuthenticationSid", capability(8)),
    Entry("WinCapabilityRemovableStorageSid", capability(10)),
    Entry("WinBuiltinRDSRemoteAccessServersSid", builtin(575)),
    Entry("WinBuiltinRDSEndpointServersSid", builtin(576)),
    Entry("WinBuiltinRDSManagementServersSid", builtin(577)),
    Entry("WinUserModeDriversSid", nt(84, 0, 0, 0, 0, 0)),
    Entry("WinBuiltinHyperVAdminsSid", builtin(578)),
    Entry("WinAccountCloneableControllersSid", .domainRID(522)),
    Entry("WinBuiltinAccessControlAssistanceOperatorsSid", builtin(579)),
    Entry("WinBuiltinRemoteManagementUsersSid", builtin(580)),
    Entry("WinAuthenticationAuthorityAssertedSid", .fixed(18, [1])),
    Entry("WinAuthenticationServiceAssertedSid", .fixed(18, [2])),
    Entry("WinLocalAccountSid", nt(113)),
    Entry("WinLocalAccountAndAdministratorSid", nt(114)),
    Entry("WinAccountProtectedUsersSid", .domainRID(525)),
    Entry("WinCapabilityAppointmentsSid", capability(11)),
    Entry("WinCapabilityContactsSid", capability(12)),
    Entry("WinAccountDefaultSystemManagedSid", .domainRID(503)),
    Entry("WinBuiltinDefaultSystemManagedGroupSid", builtin(581)),
    Entry("WinBuiltinStorageReplicaAdminsSid", builtin(582)),
    Entry("WinAccountKeyAdminsSid", .domainRID(526)),
    Entry("WinAccountEnterpriseKeyAdminsSid", .domainRID(527)),
    Entry("WinAuthenticationKeyTrustSid", .fixed(18, [4])),
    Entry("WinAuthenticationKeyPropertyMFASid", .fixed(18, [5])),
    Entry("WinAuthenticationKeyPropertyAttestationSid", .fixed(18, [6])),
    Entry("WinAuthenticationFreshKeyAuthSid", .fixed(18, [3])),
    Entry("WinBuiltinDeviceOwnersSid", builtin(583)),
    Entry("WinBuiltinUserModeHardwareOperatorsSid", builtin(584)),
    Entry("WinBuiltinOpenSSHUsersSid", builtin(585)),
  ]

  /// Fixed SID → type.
  static let byFixedSID: [SID: WellKnownSIDType] = {
    var d = [SID: WellKnownSIDType]()
    for type in WellKnownSIDType.allCases {
      if case .fixed(let authority, let subs) = entries[Int(type.rawValue)].shape {
        d[SID(unchecked: authority, subs)] = type
      }
    }
    return d
  }()

  /// Account-domain RID → type.
  static let byDomainRID: [UInt32: WellKnownSIDType] = {
    var d = [UInt32: WellKnownSIDType]()
    for type in WellKnownSIDType.allCases {
      if case .domainRID(let rid) = entries[Int(type.rawValue)].shape { d[rid] = type }
    }
    return d
  }()
}

extension WellKnownSIDType {
  var shape: WellKnownSIDTable.Shape { WellKnownSIDTable.entries[Int(rawValue)].shape }
}

extension SID {
  /// Creates the SID of a well-known type, as `CreateWellKnownSid` does.
  ///
  /// Types with `needsDomain` append their RID to `domain`, which Windows does not check to be an
  /// account domain (any valid SID with room for one more sub-authority will do); other types
  /// ignore a valid `domain`. Throws `ERROR_INVALID_PARAMETER` when `domain` is not a valid SID,
  /// when a domain-relative type has no domain or one with 15 sub-authorities, and for
  /// `logonIdsSid` and `localLogonSid`, which Windows does not create.
  public static func wellKnown(_ type: WellKnownSIDType, domain: SID? = nil) throws(NTSecurityError)
    -> SID
  {
    switch type.shape {
    case .fixed(let authority, let subs):
      return SID(unchecked: authority, subs)
    case .domainRID(let rid):
      guard let domain else {
        throw NTSecurityError(.invalidParameter, "\(type.windowsName) needs a domain SID")
      }
      guard domain.subAuthorityCount < SID.maxSubAuthorities else {
        throw NTSecurityError(
          .invalidParameter, "domain SID has no room for the RID of \(type.windowsName)")
      }
      var sid = domain
      sid.appendUnchecked(rid)
      return sid
    case .logonIDs, .uncreatable:
      throw NTSecurityError(.invalidParameter, "\(type.windowsName) cannot be created")
    }
  }

  /// The well-known type this SID is (`IsWellKnownSid` over every type), if any.
  ///
  /// Domain-relative types match any account SID of the form S-1-5-21-X-Y-Z-RID; `logonIdsSid`
  /// matches any S-1-5-5-X-Y.
  public var wellKnownType: WellKnownSIDType? {
    if let type = WellKnownSIDTable.byFixedSID[self] { return type }
    if isLogonIDsSID { return .logonIdsSid }
    if isAccountDomainAccount, let rid { return WellKnownSIDTable.byDomainRID[rid] }
    return nil
  }

  /// Whether this SID is of the well-known type `type` (`IsWellKnownSid`).
  public func isWellKnown(_ type: WellKnownSIDType) -> Bool {
    switch type.shape {
    case .fixed(let authority, let subs):
      return identifierAuthority == authority && subAuthorities == subs
    case .domainRID(let r):
      return isAccountDomainAccount && rid == r
    case .logonIDs:
      return isLogonIDsSID
    case .uncreatable:
      return false
    }
  }

  /// S-1-5-5-X-Y (`SECURITY_LOGON_IDS_RID`, three sub-authorities).
  private var isLogonIDsSID: Bool {
    identifierAuthority == 5 && subAuthorityCount == 3 && self[subAuthority: 0] == 5
  }

  /// S-1-5-21-X-Y-Z-RID: an account in an account domain.
  private var isAccountDomainAccount: Bool {
    identifierAuthority == 5 && subAuthorityCount == 5 && self[subAuthority: 0] == 21
  }
}
