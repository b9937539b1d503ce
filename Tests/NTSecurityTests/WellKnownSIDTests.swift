import Testing

@testable import NTSecurity

@Suite struct WellKnownSIDTests {
  let domain = SID(unchecked: 5, [21, 1, 2, 3])

  /// Types `CreateWellKnownSid` refuses (`ERROR_INVALID_PARAMETER`); every other type round-trips.
  static let uncreatable: Set<WellKnownSIDType> = [.logonIdsSid, .localLogonSid]

  @Test func enumMatchesSDK() {
    // winnt.h (SDK 10.0.26100) defines WinNullSid = 0 … WinBuiltinOpenSSHUsersSid = 121.
    #expect(WellKnownSIDType.allCases.count == 122)
    #expect(WellKnownSIDTable.entries.count == WellKnownSIDType.allCases.count)
    for (index, type) in WellKnownSIDType.allCases.enumerated() {
      #expect(type.rawValue == Int32(index))
      // The Swift name is the Windows name without "Win", so the table is in enum order.
      #expect(type.windowsName.lowercased() == "win" + "\(type)".lowercased(), "\(type)")
    }
    #expect(WellKnownSIDType.builtinAdministratorsSid.windowsName == "WinBuiltinAdministratorsSid")
    #expect(WellKnownSIDType(rawValue: 0x5e) == .capabilityRemovableStorageSid)
    #expect(WellKnownSIDType(rawValue: 121) == .builtinOpenSSHUsersSid)
    #expect(WellKnownSIDType(rawValue: 122) == nil)
  }

  @Test func needsDomain() {
    let domainTypes: Set<WellKnownSIDType> = [
      .accountAdministratorSid, .accountGuestSid, .accountKrbtgtSid, .accountDomainAdminsSid,
      .accountDomainUsersSid, .accountDomainGuestsSid, .accountComputersSid, .accountControllersSid,
      .accountCertAdminsSid, .accountSchemaAdminsSid, .accountEnterpriseAdminsSid,
      .accountPolicyAdminsSid, .accountRasAndIasServersSid, .cacheablePrincipalsGroupSid,
      .nonCacheablePrincipalsGroupSid, .accountReadonlyControllersSid,
      .newEnterpriseReadonlyControllersSid, .accountCloneableControllersSid,
      .accountProtectedUsersSid, .accountDefaultSystemManagedSid, .accountKeyAdminsSid,
      .accountEnterpriseKeyAdminsSid,
    ]
    for type in WellKnownSIDType.allCases {
      #expect(type.needsDomain == domainTypes.contains(type), "\(type)")
    }
  }

  @Test func everyTypeRoundTrips() throws {
    var seen = [SID: WellKnownSIDType]()
    for type in WellKnownSIDType.allCases where !Self.uncreatable.contains(type) {
      let sid = try SID.wellKnown(type, domain: type.needsDomain ? domain : nil)
      #expect(sid.wellKnownType == type, "\(type) → \(sid)")
      #expect(sid.isWellKnown(type), "\(type)")
      #expect(try SID(bytes: sid.bytes) == sid)
      #expect(seen.updateValue(type, forKey: sid) == nil, "\(sid) is \(type) and \(seen[sid]!)")
      // Only its own type matches.
      for other in WellKnownSIDType.allCases where other != type {
        #expect(!sid.isWellKnown(other), "\(sid) is \(type), not \(other)")
      }
    }
    #expect(seen.count == WellKnownSIDType.allCases.count - Self.uncreatable.count)
  }

  @Test(arguments: [
    (WellKnownSIDType.nullSid, "S-1-0-0"),
    (.worldSid, "S-1-1-0"),
    (.localSid, "S-1-2-0"),
    (.creatorOwnerRightsSid, "S-1-3-4"),
    (.ntAuthoritySid, "S-1-5"),
    (.dialupSid, "S-1-5-1"),
    (.serviceSid, "S-1-5-6"),
    (.remoteLogonIdSid, "S-1-5-14"),
    (.localSystemSid, "S-1-5-18"),
    (.builtinDomainSid, "S-1-5-32"),
    (.builtinAdministratorsSid, "S-1-5-32-544"),
    (.builtinPreWindows2000CompatibleAccessSid, "S-1-5-32-554"),
    (.ntlmAuthenticationSid, "S-1-5-64-10"),
    (.digestAuthenticationSid, "S-1-5-64-21"),
    (.sChannelAuthenticationSid, "S-1-5-64-14"),
    (.otherOrganizationSid, "S-1-5-1000"),
    (.iUserSid, "S-1-5-17"),
    (.builtinCryptoOperatorsSid, "S-1-5-32-569"),
    (.untrustedLabelSid, "S-1-16-0"),
    (.lowLabelSid, "S-1-16-4096"),
    (.mediumLabelSid, "S-1-16-8192"),
    (.mediumPlusLabelSid, "S-1-16-8448"),
    (.highLabelSid, "S-1-16-12288"),
    (.systemLabelSid, "S-1-16-16384"),
    (.writeRestrictedCodeSid, "S-1-5-33"),
    (.enterpriseReadonlyControllersSid, "S-1-5-22"),
    (.builtinEventLogReadersGroup, "S-1-5-32-573"),
    (.builtinCertSvcDComAccessGroup, "S-1-5-32-574"),
    (.consoleLogonSid, "S-1-2-1"),
    (.thisOrganizationCertificateSid, "S-1-5-65-1"),
    (.applicationPackageAuthoritySid, "S-1-15"),
    (.builtinAnyPackageSid, "S-1-15-2-1"),
    (.capabilityInternetClientSid, "S-1-15-3-1"),
    (.capabilitySharedUserCertificatesSid, "S-1-15-3-9"),
    (.capabilityEnterpriseAuthenticationSid, "S-1-15-3-8"),
    (.capabilityRemovableStorageSid, "S-1-15-3-10"),
    (.capabilityContactsSid, "S-1-15-3-12"),
    (.userModeDriversSid, "S-1-5-84-0-0-0-0-0"),
    (.builtinRemoteManagementUsersSid, "S-1-5-32-580"),
    (.authenticationAuthorityAssertedSid, "S-1-18-1"),
    (.authenticationFreshKeyAuthSid, "S-1-18-3"),
    (.authenticationKeyPropertyAttestationSid, "S-1-18-6"),
    (.localAccountSid, "S-1-5-113"),
    (.localAccountAndAdministratorSid, "S-1-5-114"),
    (.builtinDeviceOwnersSid, "S-1-5-32-583"),
    (.builtinOpenSSHUsersSid, "S-1-5-32-585"),
  ])
  func fixedSIDs(type: WellKnownSIDType, expected: String) throws {
    #expect(try SID.wellKnown(type).description == expected)
    // A domain given to a type that does not need one is ignored.
    #expect(try SID.wellKnown(type, domain: domain).description == expected)
    #expect(try SID(parsing: expected).wellKnownType == type)
  }

  @Test(
    arguments: [
      (WellKnownSIDType.accountAdministratorSid, 500),
      (.accountGuestSid, 501),
      (.accountKrbtgtSid, 502),
      (.accountDefaultSystemManagedSid, 503),
      (.accountDomainAdminsSid, 512),
      (.accountPolicyAdminsSid, 520),
      (.accountReadonlyControllersSid, 521),
      (.accountCloneableControllersSid, 522),
      (.accountProtectedUsersSid, 525),
      (.accountKeyAdminsSid, 526),
      (.accountEnterpriseKeyAdminsSid, 527),
      (.accountRasAndIasServersSid, 553),
      (.cacheablePrincipalsGroupSid, 571),
      (.nonCacheablePrincipalsGroupSid, 572),
      (.newEnterpriseReadonlyControllersSid, 498),
    ] as [(WellKnownSIDType, UInt32)])
  func domainRelativeSIDs(type: WellKnownSIDType, rid: UInt32) throws {
    #expect(try SID.wellKnown(type, domain: domain).description == "S-1-5-21-1-2-3-\(rid)")
    // Any account domain matches.
    let other = try SID(parsing: "S-1-5-21-4000000000-5-6-\(rid)")
    #expect(other.wellKnownType == type)
    #expect(other.isWellKnown(type))
  }

  @Test func domainErrors() throws {
    // No domain for a domain-relative type.
    var error = #expect(throws: NTSecurityError.self) { try SID.wellKnown(.accountDomainAdminsSid) }
    #expect(error?.code == .invalidParameter)
    // A domain with no room for the RID.
    let full = SID(unchecked: 5, [21] + Array(repeating: 7, count: 14))
    error = #expect(throws: NTSecurityError.self) {
      try SID.wellKnown(.accountDomainAdminsSid, domain: full)
    }
    #expect(error?.code == .invalidParameter)
    // Invalid SIDs cannot be made at all, so they never reach CreateWellKnownSid.
    #expect(throws: NTSecurityError.self) { try SID(authority: 5, Array(repeating: 1, count: 16)) }
    #expect(throws: NTSecurityError.self) { try SID(authority: 1 << 48, [21]) }
    // Windows does not check that the domain is S-1-5-21-X-Y-Z (Wine's tests use a six-part one).
    let odd = try SID(parsing: "S-1-5-21-12-23-34-45-56")
    let admin = try SID.wellKnown(.accountAdministratorSid, domain: odd)
    #expect(admin.description == "S-1-5-21-12-23-34-45-56-500")
    // …but only the S-1-5-21-X-Y-Z-RID shape is recognized as an account SID.
    #expect(admin.wellKnownType == nil)
    #expect(
      try SID.wellKnown(.accountGuestSid, domain: SID(parsing: "S-1-5-32")).description == "S-1-5-32-501")
  }

  @Test func uncreatableTypes() throws {
    for type in Self.uncreatable {
      let error = #expect(throws: NTSecurityError.self) { try SID.wellKnown(type, domain: domain) }
      #expect(error?.code == .invalidParameter)
    }
    // Logon session SIDs match WinLogonIdsSid.
    let logon = try SID(parsing: "S-1-5-5-0-999")
    #expect(logon.wellKnownType == .logonIdsSid)
    #expect(logon.isWellKnown(.logonIdsSid))
    #expect(try !SID(parsing: "S-1-5-5").isWellKnown(.logonIdsSid))
    #expect(try SID(parsing: "S-1-5-5-1").wellKnownType == nil)
    #expect(!logon.isWellKnown(.localLogonSid))
  }

  @Test func unknownSIDs() throws {
    for text in ["S-1-5-21-1-2-3", "S-1-5-21-1-2-3-1000", "S-1-5-32-999", "S-1-5-21-1-2-512", "S-1-99-1"] {
      #expect(try SID(parsing: text).wellKnownType == nil, "\(text)")
    }
  }

  @Test func consistentWithSDDLAliases() throws {
    for alias in SDDLAlias.all {
      let sid = try alias.sid(domain: domain)
      let type = try #require(sid.wellKnownType, "alias \(alias.code) (\(sid)) has no well-known type")
      #expect(type.needsDomain == (alias.domainRID != nil), "\(alias.code)")
      #expect(try SID.wellKnown(type, domain: domain) == sid, "\(alias.code)")
    }
    #expect(try SID.wellKnown(.builtinAdministratorsSid).sddl() == "BA")
    #expect(try SID.wellKnown(.accountEnterpriseAdminsSid, domain: domain).sddl(domain: domain) == "EA")
  }
}
