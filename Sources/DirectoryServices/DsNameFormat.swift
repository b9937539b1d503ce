/// DS_NAME_FORMAT: the name formats of DsCrackNames, with the extended (DsList*) formats of
/// MS-DRSR 4.1.4.1.3. Raw values are the Windows values.
public struct DsNameFormat: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let unknown = DsNameFormat(rawValue: 0)
  public static let fqdn1779 = DsNameFormat(rawValue: 1)
  public static let nt4Account = DsNameFormat(rawValue: 2)
  public static let display = DsNameFormat(rawValue: 3)
  public static let uniqueID = DsNameFormat(rawValue: 6)
  public static let canonical = DsNameFormat(rawValue: 7)
  public static let userPrincipal = DsNameFormat(rawValue: 8)
  public static let canonicalEx = DsNameFormat(rawValue: 9)
  public static let servicePrincipal = DsNameFormat(rawValue: 10)
  public static let sidOrSidHistory = DsNameFormat(rawValue: 11)
  public static let dnsDomain = DsNameFormat(rawValue: 12)
  public static let upnAndAltSecID = DsNameFormat(rawValue: 0xFFFF_FFEF)
  public static let nt4AccountSansDomainEx = DsNameFormat(rawValue: 0xFFFF_FFF0)
  public static let listGlobalCatalogServers = DsNameFormat(rawValue: 0xFFFF_FFF1)
  public static let userPrincipalForLogon = DsNameFormat(rawValue: 0xFFFF_FFF2)
  public static let listServersWithDCsInSite = DsNameFormat(rawValue: 0xFFFF_FFF3)
  public static let stringSID = DsNameFormat(rawValue: 0xFFFF_FFF4)
  public static let altSecurityIdentities = DsNameFormat(rawValue: 0xFFFF_FFF5)
  public static let listNCs = DsNameFormat(rawValue: 0xFFFF_FFF6)
  public static let listDomains = DsNameFormat(rawValue: 0xFFFF_FFF7)
  public static let mapSchemaGUID = DsNameFormat(rawValue: 0xFFFF_FFF8)
  public static let nt4AccountSansDomain = DsNameFormat(rawValue: 0xFFFF_FFF9)
  public static let listRoles = DsNameFormat(rawValue: 0xFFFF_FFFA)
  public static let listInfoForServer = DsNameFormat(rawValue: 0xFFFF_FFFB)
  public static let listServersForDomainInSite = DsNameFormat(rawValue: 0xFFFF_FFFC)
  public static let listDomainsInSite = DsNameFormat(rawValue: 0xFFFF_FFFD)
  public static let listServersInSite = DsNameFormat(rawValue: 0xFFFF_FFFE)
  public static let listSites = DsNameFormat(rawValue: 0xFFFF_FFFF)

  /// The formats with their names: the DS_*_NAME / DS_LIST_* constant without `DS_` and `_NAME`,
  /// in lower case (`nt4_account`, `fqdn_1779`, `list_sites`, …).
  public static let named: [(DsNameFormat, String)] = [
    (.unknown, "unknown"), (.fqdn1779, "fqdn_1779"), (.nt4Account, "nt4_account"), (.display, "display"),
    (.uniqueID, "unique_id"), (.canonical, "canonical"), (.userPrincipal, "user_principal"),
    (.canonicalEx, "canonical_ex"), (.servicePrincipal, "service_principal"),
    (.sidOrSidHistory, "sid_or_sid_history"), (.dnsDomain, "dns_domain"),
    (.upnAndAltSecID, "upn_and_altsecid"), (.nt4AccountSansDomainEx, "nt4_account_sans_domain_ex"),
    (.listGlobalCatalogServers, "list_global_catalog_servers"),
    (.userPrincipalForLogon, "user_principal_for_logon"),
    (.listServersWithDCsInSite, "list_servers_with_dcs_in_site"), (.stringSID, "string_sid"),
    (.altSecurityIdentities, "alt_security_identities"), (.listNCs, "list_ncs"),
    (.listDomains, "list_domains"),
    (.mapSchemaGUID, "map_schema_guid"), (.nt4AccountSansDomain, "nt4_account_sans_domain"),
    (.listRoles, "list_roles"), (.listInfoForServer, "list_info_for_server"),
    (.listServersForDomainInSite, "list_servers_for_domain_in_site"),
    (.listDomainsInSite, "list_domains_in_site"), (.listServersInSite, "list_servers_in_site"),
    (.listSites, "list_sites"),
  ]

  /// The format with this lower-case name (or a decimal or 0x number).
  public init?(name: String) {
    let key = name.lowercased()
    if let (format, _) = Self.named.first(where: { $0.1 == key }) {
      self = format
    } else if key.hasPrefix("0x"), let v = UInt32(key.dropFirst(2), radix: 16) {
      self.init(rawValue: v)
    } else if let v = UInt32(key) {
      self.init(rawValue: v)
    } else {
      return nil
    }
  }

  public var description: String {
    Self.named.first { $0.0 == self }?.1 ?? "0x" + String(rawValue, radix: 16)
  }
}

/// DS_NAME_ERROR: the status of one name in a DsCrackNames result.
public struct DsNameError: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let noError = DsNameError(rawValue: 0)
  public static let resolving = DsNameError(rawValue: 1)
  public static let notFound = DsNameError(rawValue: 2)
  public static let notUnique = DsNameError(rawValue: 3)
  public static let noMapping = DsNameError(rawValue: 4)
  public static let domainOnly = DsNameError(rawValue: 5)
  public static let noSyntacticalMapping = DsNameError(rawValue: 6)
  public static let trustReferral = DsNameError(rawValue: 7)

  static let names = [
    "DS_NAME_NO_ERROR", "DS_NAME_ERROR_RESOLVING", "DS_NAME_ERROR_NOT_FOUND", "DS_NAME_ERROR_NOT_UNIQUE",
    "DS_NAME_ERROR_NO_MAPPING", "DS_NAME_ERROR_DOMAIN_ONLY", "DS_NAME_ERROR_NO_SYNTACTICAL_MAPPING",
    "DS_NAME_ERROR_TRUST_REFERRAL",
  ]

  /// The constant's name (`DS_NAME_ERROR_NOT_FOUND`), or `DS_NAME_ERROR_<n>` for another value.
  public var description: String {
    rawValue < Self.names.count ? Self.names[Int(rawValue)] : "DS_NAME_ERROR_\(rawValue)"
  }
}

/// DS_NAME_FLAGS: DsCrackNames options.
public struct DsNameFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// DS_NAME_FLAG_SYNTACTICAL_ONLY: map by syntax alone, without looking in the directory.
  public static let syntacticalOnly = DsNameFlags(rawValue: 0x1)
  /// DS_NAME_FLAG_EVAL_AT_DC.
  public static let evalAtDC = DsNameFlags(rawValue: 0x2)
  /// DS_NAME_FLAG_GCVERIFY: verify in a global catalog.
  public static let gcVerify = DsNameFlags(rawValue: 0x4)
  /// DS_NAME_FLAG_TRUST_REFERRAL: report a name of a trusted forest as DS_NAME_ERROR_TRUST_REFERRAL.
  public static let trustReferral = DsNameFlags(rawValue: 0x8)
  /// DS_NAME_FLAG_PRIVATE_RESOLVE_FPOS (MS-DRSR): resolve foreign security principals.
  public static let privateResolveFPOs = DsNameFlags(rawValue: 0x8000_0000)
}

/// One name of a DsCrackNames result (DS_NAME_RESULT_ITEM).
public struct DsNameResultItem: Sendable, Hashable {
  public var status: DsNameError
  /// The DNS domain of the object, when the DC names it.
  public var domain: String?
  /// The name in the desired format.
  public var name: String?

  public init(status: DsNameError, domain: String?, name: String?) {
    self.status = status
    self.domain = domain
    self.name = name
  }
}
