/// The well-known SID types of `WELL_KNOWN_SID_TYPE` (winnt.h), with the values Windows gives them,
/// from `WinNullSid` (0) to `WinBuiltinOpenSSHUsersSid` (121).
///
/// Each case is the Windows name without its `Win` prefix; the comment gives the SID
/// `SID.wellKnown(_:domain:)` creates, where `D` stands for the account domain SID it needs.
public enum WellKnownSIDType: Int32, CaseIterable, Sendable {
  /// S-1-0-0 (NULL SID).
  case nullSid = 0
  /// S-1-1-0 (Everyone).
  case worldSid = 1
  /// S-1-2-0 (LOCAL).
  case localSid = 2
  /// S-1-3-0 (CREATOR OWNER).
  case creatorOwnerSid = 3
  /// S-1-3-1 (CREATOR GROUP).
  case creatorGroupSid = 4
  /// S-1-3-2 (CREATOR OWNER SERVER).
  case creatorOwnerServerSid = 5
  /// S-1-3-3 (CREATOR GROUP SERVER).
  case creatorGroupServerSid = 6
  /// S-1-5, the NT AUTHORITY prefix with no sub-authorities.
  case ntAuthoritySid = 7
  /// S-1-5-1 (DIALUP).
  case dialupSid = 8
  /// S-1-5-2 (NETWORK).
  case networkSid = 9
  /// S-1-5-3 (BATCH).
  case batchSid = 10
  /// S-1-5-4 (INTERACTIVE).
  case interactiveSid = 11
  /// S-1-5-6 (SERVICE).
  case serviceSid = 12
  /// S-1-5-7 (ANONYMOUS LOGON).
  case anonymousSid = 13
  /// S-1-5-8 (PROXY).
  case proxySid = 14
  /// S-1-5-9 (ENTERPRISE DOMAIN CONTROLLERS).
  case enterpriseControllersSid = 15
  /// S-1-5-10 (SELF).
  case selfSid = 16
  /// S-1-5-11 (Authenticated Users).
  case authenticatedUserSid = 17
  /// S-1-5-12 (RESTRICTED).
  case restrictedCodeSid = 18
  /// S-1-5-13 (TERMINAL SERVER USER).
  case terminalServerSid = 19
  /// S-1-5-14 (REMOTE INTERACTIVE LOGON).
  case remoteLogonIdSid = 20
  /// S-1-5-5-X-Y, a logon session SID. It cannot be created; any S-1-5-5-X-Y matches it.
  case logonIdsSid = 21
  /// S-1-5-18 (SYSTEM).
  case localSystemSid = 22
  /// S-1-5-19 (LOCAL SERVICE).
  case localServiceSid = 23
  /// S-1-5-20 (NETWORK SERVICE).
  case networkServiceSid = 24
  /// S-1-5-32 (BUILTIN).
  case builtinDomainSid = 25
  /// S-1-5-32-544 (BUILTIN\Administrators).
  case builtinAdministratorsSid = 26
  /// S-1-5-32-545 (BUILTIN\Users).
  case builtinUsersSid = 27
  /// S-1-5-32-546 (BUILTIN\Guests).
  case builtinGuestsSid = 28
  /// S-1-5-32-547 (BUILTIN\Power Users).
  case builtinPowerUsersSid = 29
  /// S-1-5-32-548 (BUILTIN\Account Operators).
  case builtinAccountOperatorsSid = 30
  /// S-1-5-32-549 (BUILTIN\Server Operators).
  case builtinSystemOperatorsSid = 31
  /// S-1-5-32-550 (BUILTIN\Print Operators).
  case builtinPrintOperatorsSid = 32
  /// S-1-5-32-551 (BUILTIN\Backup Operators).
  case builtinBackupOperatorsSid = 33
  /// S-1-5-32-552 (BUILTIN\Replicator).
  case builtinReplicatorSid = 34
  /// S-1-5-32-554 (BUILTIN\Pre-Windows 2000 Compatible Access).
  case builtinPreWindows2000CompatibleAccessSid = 35
  /// S-1-5-32-555 (BUILTIN\Remote Desktop Users).
  case builtinRemoteDesktopUsersSid = 36
  /// S-1-5-32-556 (BUILTIN\Network Configuration Operators).
  case builtinNetworkConfigurationOperatorsSid = 37
  /// D-500 (Administrator).
  case accountAdministratorSid = 38
  /// D-501 (Guest).
  case accountGuestSid = 39
  /// D-502 (krbtgt).
  case accountKrbtgtSid = 40
  /// D-512 (Domain Admins).
  case accountDomainAdminsSid = 41
  /// D-513 (Domain Users).
  case accountDomainUsersSid = 42
  /// D-514 (Domain Guests).
  case accountDomainGuestsSid = 43
  /// D-515 (Domain Computers).
  case accountComputersSid = 44
  /// D-516 (Domain Controllers).
  case accountControllersSid = 45
  /// D-517 (Cert Publishers).
  case accountCertAdminsSid = 46
  /// D-518 (Schema Admins).
  case accountSchemaAdminsSid = 47
  /// D-519 (Enterprise Admins).
  case accountEnterpriseAdminsSid = 48
  /// D-520 (Group Policy Creator Owners).
  case accountPolicyAdminsSid = 49
  /// D-553 (RAS and IAS Servers).
  case accountRasAndIasServersSid = 50
  /// S-1-5-64-10 (NTLM Authentication).
  case ntlmAuthenticationSid = 51
  /// S-1-5-64-21 (Digest Authentication).
  case digestAuthenticationSid = 52
  /// S-1-5-64-14 (SChannel Authentication).
  case sChannelAuthenticationSid = 53
  /// S-1-5-15 (This Organization).
  case thisOrganizationSid = 54
  /// S-1-5-1000 (Other Organization).
  case otherOrganizationSid = 55
  /// S-1-5-32-557 (BUILTIN\Incoming Forest Trust Builders).
  case builtinIncomingForestTrustBuildersSid = 56
  /// S-1-5-32-558 (BUILTIN\Performance Monitor Users).
  case builtinPerfMonitoringUsersSid = 57
  /// S-1-5-32-559 (BUILTIN\Performance Log Users).
  case builtinPerfLoggingUsersSid = 58
  /// S-1-5-32-560 (BUILTIN\Windows Authorization Access Group).
  case builtinAuthorizationAccessSid = 59
  /// S-1-5-32-561 (BUILTIN\Terminal Server License Servers).
  case builtinTerminalServerLicenseServersSid = 60
  /// S-1-5-32-562 (BUILTIN\Distributed COM Users).
  case builtinDCOMUsersSid = 61
  /// S-1-5-32-568 (BUILTIN\IIS_IUSRS).
  case builtinIUsersSid = 62
  /// S-1-5-17 (IUSR).
  case iUserSid = 63
  /// S-1-5-32-569 (BUILTIN\Cryptographic Operators).
  case builtinCryptoOperatorsSid = 64
  /// S-1-16-0 (Untrusted Mandatory Level).
  case untrustedLabelSid = 65
  /// S-1-16-4096 (Low Mandatory Level).
  case lowLabelSid = 66
  /// S-1-16-8192 (Medium Mandatory Level).
  case mediumLabelSid = 67
  /// S-1-16-12288 (High Mandatory Level).
  case highLabelSid = 68
  /// S-1-16-16384 (System Mandatory Level).
  case systemLabelSid = 69
  /// S-1-5-33 (WRITE RESTRICTED).
  case writeRestrictedCodeSid = 70
  /// S-1-3-4 (OWNER RIGHTS).
  case creatorOwnerRightsSid = 71
  /// D-571 (Allowed RODC Password Replication Group).
  case cacheablePrincipalsGroupSid = 72
  /// D-572 (Denied RODC Password Replication Group).
  case nonCacheablePrincipalsGroupSid = 73
  /// S-1-5-22 (ENTERPRISE READ-ONLY DOMAIN CONTROLLERS BETA).
  case enterpriseReadonlyControllersSid = 74
  /// D-521 (Read-only Domain Controllers).
  case accountReadonlyControllersSid = 75
  /// S-1-5-32-573 (BUILTIN\Event Log Readers).
  case builtinEventLogReadersGroup = 76
  /// D-498 (Enterprise Read-only Domain Controllers).
  case newEnterpriseReadonlyControllersSid = 77
  /// S-1-5-32-574 (BUILTIN\Certificate Service DCOM Access).
  case builtinCertSvcDComAccessGroup = 78
  /// S-1-16-8448 (Medium Plus Mandatory Level).
  case mediumPlusLabelSid = 79
  /// Local logon; Windows does not create it (`ERROR_INVALID_PARAMETER`) and no SID matches it.
  case localLogonSid = 80
  /// S-1-2-1 (CONSOLE LOGON).
  case consoleLogonSid = 81
  /// S-1-5-65-1 (This Organization Certificate).
  case thisOrganizationCertificateSid = 82
  /// S-1-15, the APPLICATION PACKAGE AUTHORITY prefix with no sub-authorities.
  case applicationPackageAuthoritySid = 83
  /// S-1-15-2-1 (ALL APPLICATION PACKAGES).
  case builtinAnyPackageSid = 84
  /// S-1-15-3-1 (internetClient capability).
  case capabilityInternetClientSid = 85
  /// S-1-15-3-2 (internetClientServer capability).
  case capabilityInternetClientServerSid = 86
  /// S-1-15-3-3 (privateNetworkClientServer capability).
  case capabilityPrivateNetworkClientServerSid = 87
  /// S-1-15-3-4 (picturesLibrary capability).
  case capabilityPicturesLibrarySid = 88
  /// S-1-15-3-5 (videosLibrary capability).
  case capabilityVideosLibrarySid = 89
  /// S-1-15-3-6 (musicLibrary capability).
  case capabilityMusicLibrarySid = 90
  /// S-1-15-3-7 (documentsLibrary capability).
  case capabilityDocumentsLibrarySid = 91
  /// S-1-15-3-9 (sharedUserCertificates capability).
  case capabilitySharedUserCertificatesSid = 92
  /// S-1-15-3-8 (enterpriseAuthentication capability).
  case capabilityEnterpriseAuthenticationSid = 93
  /// S-1-15-3-10 (removableStorage capability).
  case capabilityRemovableStorageSid = 94
  /// S-1-5-32-575 (BUILTIN\RDS Remote Access Servers).
  case builtinRDSRemoteAccessServersSid = 95
  /// S-1-5-32-576 (BUILTIN\RDS Endpoint Servers).
  case builtinRDSEndpointServersSid = 96
  /// S-1-5-32-577 (BUILTIN\RDS Management Servers).
  case builtinRDSManagementServersSid = 97
  /// S-1-5-84-0-0-0-0-0 (USER MODE DRIVERS).
  case userModeDriversSid = 98
  /// S-1-5-32-578 (BUILTIN\Hyper-V Administrators).
  case builtinHyperVAdminsSid = 99
  /// D-522 (Cloneable Domain Controllers).
  case accountCloneableControllersSid = 100
  /// S-1-5-32-579 (BUILTIN\Access Control Assistance Operators).
  case builtinAccessControlAssistanceOperatorsSid = 101
  /// S-1-5-32-580 (BUILTIN\Remote Management Users).
  case builtinRemoteManagementUsersSid = 102
  /// S-1-18-1 (Authentication authority asserted identity).
  case authenticationAuthorityAssertedSid = 103
  /// S-1-18-2 (Service asserted identity).
  case authenticationServiceAssertedSid = 104
  /// S-1-5-113 (Local account).
  case localAccountSid = 105
  /// S-1-5-114 (Local account and member of Administrators group).
  case localAccountAndAdministratorSid = 106
  /// D-525 (Protected Users).
  case accountProtectedUsersSid = 107
  /// S-1-15-3-11 (appointments capability).
  case capabilityAppointmentsSid = 108
  /// S-1-15-3-12 (contacts capability).
  case capabilityContactsSid = 109
  /// D-503 (DefaultAccount).
  case accountDefaultSystemManagedSid = 110
  /// S-1-5-32-581 (BUILTIN\System Managed Accounts Group).
  case builtinDefaultSystemManagedGroupSid = 111
  /// S-1-5-32-582 (BUILTIN\Storage Replica Administrators).
  case builtinStorageReplicaAdminsSid = 112
  /// D-526 (Key Admins).
  case accountKeyAdminsSid = 113
  /// D-527 (Enterprise Key Admins).
  case accountEnterpriseKeyAdminsSid = 114
  /// S-1-18-4 (Key trust identity).
  case authenticationKeyTrustSid = 115
  /// S-1-18-5 (Key property multi-factor authentication).
  case authenticationKeyPropertyMFASid = 116
  /// S-1-18-6 (Key property attestation).
  case authenticationKeyPropertyAttestationSid = 117
  /// S-1-18-3 (Fresh public key identity).
  case authenticationFreshKeyAuthSid = 118
  /// S-1-5-32-583 (BUILTIN\Device Owners).
  case builtinDeviceOwnersSid = 119
  /// S-1-5-32-584 (BUILTIN\User Mode Hardware Operators).
  case builtinUserModeHardwareOperatorsSid = 120
  /// S-1-5-32-585 (BUILTIN\OpenSSH Users).
  case builtinOpenSSHUsersSid = 121

  /// The name winnt.h gives the value, such as `WinBuiltinAdministratorsSid`.
  public var windowsName: String { WellKnownSIDTable.entries[Int(rawValue)].name.description }

  /// Whether the SID is a RID in an account domain, so that `SID.wellKnown(_:domain:)` needs the
  /// domain SID.
  public var needsDomain: Bool {
    if case .domainRID = shape { return true }
    return false
  }
}
