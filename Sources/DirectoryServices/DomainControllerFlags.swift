/// The DS_*_FLAG bits of DOMAIN_CONTROLLER_INFO's Flags (MS-NRPC 2.2.1.2.1), the low 20 of which
/// (DS_PING_FLAGS) a DC reports about itself in its netlogon response; DsGetDcName adds the three
/// DNS bits for the names it returns.
public struct DomainControllerFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let pdc = Self(rawValue: 0x1)
  public static let gc = Self(rawValue: 0x4)
  public static let ldap = Self(rawValue: 0x8)
  public static let ds = Self(rawValue: 0x10)
  public static let kdc = Self(rawValue: 0x20)
  public static let timeServer = Self(rawValue: 0x40)
  public static let closest = Self(rawValue: 0x80)
  public static let writable = Self(rawValue: 0x100)
  public static let goodTimeServer = Self(rawValue: 0x200)
  public static let ndnc = Self(rawValue: 0x400)
  public static let selectSecretDomain6 = Self(rawValue: 0x800)
  public static let fullSecretDomain6 = Self(rawValue: 0x1000)
  public static let webService = Self(rawValue: 0x2000)
  public static let ds8 = Self(rawValue: 0x4000)
  public static let ds9 = Self(rawValue: 0x8000)
  public static let ds10 = Self(rawValue: 0x1_0000)
  public static let keyList = Self(rawValue: 0x2_0000)
  /// DS_PING_FLAGS: the bits a DC reports in its netlogon response.
  public static let pingFlags = Self(rawValue: 0x000F_FFFF)
  /// DS_DNS_CONTROLLER_FLAG: DomainControllerName is a DNS name.
  public static let dnsController = Self(rawValue: 0x2000_0000)
  /// DS_DNS_DOMAIN_FLAG: DomainName is a DNS name.
  public static let dnsDomain = Self(rawValue: 0x4000_0000)
  /// DS_DNS_FOREST_FLAG: DnsForestName is a DNS name.
  public static let dnsForest = Self(rawValue: 0x8000_0000)

  /// The Windows names, in bit order.
  public static let names: [(flag: Self, name: String)] = [
    (.pdc, "DS_PDC_FLAG"), (.gc, "DS_GC_FLAG"), (.ldap, "DS_LDAP_FLAG"), (.ds, "DS_DS_FLAG"),
    (.kdc, "DS_KDC_FLAG"), (.timeServer, "DS_TIMESERV_FLAG"), (.closest, "DS_CLOSEST_FLAG"),
    (.writable, "DS_WRITABLE_FLAG"), (.goodTimeServer, "DS_GOOD_TIMESERV_FLAG"), (.ndnc, "DS_NDNC_FLAG"),
    (.selectSecretDomain6, "DS_SELECT_SECRET_DOMAIN_6_FLAG"),
    (.fullSecretDomain6, "DS_FULL_SECRET_DOMAIN_6_FLAG"), (.webService, "DS_WS_FLAG"),
    (.ds8, "DS_DS_8_FLAG"), (.ds9, "DS_DS_9_FLAG"), (.ds10, "DS_DS_10_FLAG"), (.keyList, "DS_KEY_LIST_FLAG"),
    (.dnsController, "DS_DNS_CONTROLLER_FLAG"), (.dnsDomain, "DS_DNS_DOMAIN_FLAG"),
    (.dnsForest, "DS_DNS_FOREST_FLAG"),
  ]

  /// The names of the bits set, `|`-separated, with any unnamed rest in hex.
  public var description: String {
    var parts = Self.names.filter { contains($0.flag) }.map(\.name)
    let rest = rawValue & ~Self.names.reduce(0) { $0 | $1.flag.rawValue }
    if rest != 0 || parts.isEmpty { parts.append("0x" + String(rest, radix: 16)) }
    return parts.joined(separator: "|")
  }
}

/// DsGetDcName's Flags (MS-NRPC 3.5.4.3.1): what the caller requires of the DC and how names are
/// returned.
public struct GetDCNameFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let forceRediscovery = Self(rawValue: 0x1)
  public static let directoryServiceRequired = Self(rawValue: 0x10)
  public static let directoryServicePreferred = Self(rawValue: 0x20)
  public static let gcServerRequired = Self(rawValue: 0x40)
  public static let pdcRequired = Self(rawValue: 0x80)
  public static let backgroundOnly = Self(rawValue: 0x100)
  public static let ipRequired = Self(rawValue: 0x200)
  public static let kdcRequired = Self(rawValue: 0x400)
  public static let timeServerRequired = Self(rawValue: 0x800)
  public static let writableRequired = Self(rawValue: 0x1000)
  public static let goodTimeServerPreferred = Self(rawValue: 0x2000)
  public static let avoidSelf = Self(rawValue: 0x4000)
  public static let onlyLDAPNeeded = Self(rawValue: 0x8000)
  public static let isFlatName = Self(rawValue: 0x1_0000)
  public static let isDNSName = Self(rawValue: 0x2_0000)
  public static let tryNextClosestSite = Self(rawValue: 0x4_0000)
  public static let directoryService6Required = Self(rawValue: 0x8_0000)
  public static let webServiceRequired = Self(rawValue: 0x10_0000)
  public static let directoryService8Required = Self(rawValue: 0x20_0000)
  public static let directoryService9Required = Self(rawValue: 0x40_0000)
  public static let directoryService10Required = Self(rawValue: 0x80_0000)
  public static let keyListSupportRequired = Self(rawValue: 0x100_0000)
  public static let returnDNSName = Self(rawValue: 0x4000_0000)
  public static let returnFlatName = Self(rawValue: 0x8000_0000)

  /// The Windows names (`DS_PDC_REQUIRED` …), in bit order.
  public static let names: [(flag: Self, name: String)] = [
    (.forceRediscovery, "DS_FORCE_REDISCOVERY"),
    (.directoryServiceRequired, "DS_DIRECTORY_SERVICE_REQUIRED"),
    (.directoryServicePreferred, "DS_DIRECTORY_SERVICE_PREFERRED"),
    (.gcServerRequired, "DS_GC_SERVER_REQUIRED"), (.pdcRequired, "DS_PDC_REQUIRED"),
    (.backgroundOnly, "DS_BACKGROUND_ONLY"), (.ipRequired, "DS_IP_REQUIRED"),
    (.kdcRequired, "DS_KDC_REQUIRED"), (.timeServerRequired, "DS_TIMESERV_REQUIRED"),
    (.writableRequired, "DS_WRITABLE_REQUIRED"), (.goodTimeServerPreferred, "DS_GOOD_TIMESERV_PREFERRED"),
    (.avoidSelf, "DS_AVOID_SELF"), (.onlyLDAPNeeded, "DS_ONLY_LDAP_NEEDED"),
    (.isFlatName, "DS_IS_FLAT_NAME"), (.isDNSName, "DS_IS_DNS_NAME"),
    (.tryNextClosestSite, "DS_TRY_NEXTCLOSEST_SITE"),
    (.directoryService6Required, "DS_DIRECTORY_SERVICE_6_REQUIRED"),
    (.webServiceRequired, "DS_WEB_SERVICE_REQUIRED"),
    (.directoryService8Required, "DS_DIRECTORY_SERVICE_8_REQUIRED"),
    (.directoryService9Required, "DS_DIRECTORY_SERVICE_9_REQUIRED"),
    (.directoryService10Required, "DS_DIRECTORY_SERVICE_10_REQUIRED"),
    (.keyListSupportRequired, "DS_KEY_LIST_SUPPORT_REQUIRED"),
    (.returnDNSName, "DS_RETURN_DNS_NAME"), (.returnFlatName, "DS_RETURN_FLAT_NAME"),
  ]

  /// Every defined bit; any other is ERROR_INVALID_FLAGS.
  public static let valid = Self(rawValue: names.reduce(0) { $0 | $1.flag.rawValue })

  /// The flag named `name`: `DS_PDC_REQUIRED`, `PDC_REQUIRED` or `pdc_required` (nltest's
  /// `/PDC` style names are not accepted).
  public init?(name: String) {
    let upper = name.uppercased()
    let full = upper.hasPrefix("DS_") ? upper : "DS_" + upper
    guard let match = Self.names.first(where: { $0.name == full }) else { return nil }
    self = match.flag
  }

  /// The DC property each "required" flag asks for, as the netlogon response reports it.
  static let requirements: [(flag: Self, needs: DomainControllerFlags)] = [
    (.directoryServiceRequired, .ds), (.gcServerRequired, .gc), (.pdcRequired, .pdc),
    (.kdcRequired, .kdc), (.timeServerRequired, .timeServer), (.writableRequired, .writable),
    (.onlyLDAPNeeded, .ldap), (.directoryService6Required, [.fullSecretDomain6]),
    (.webServiceRequired, .webService), (.directoryService8Required, .ds8),
    (.directoryService9Required, .ds9), (.directoryService10Required, .ds10),
    (.keyListSupportRequired, .keyList),
  ]

  /// The DC flags the request requires.
  var requiredServerFlags: DomainControllerFlags {
    Self.requirements.reduce(into: DomainControllerFlags()) {
      if contains($1.flag) { $0.formUnion($1.needs) }
    }
  }

  /// The flags that change which DC is acceptable (a cached DC found for the others may not do).
  static let selection: Self = Self(rawValue: Self.requirements.reduce(0) { $0 | $1.flag.rawValue })
    .union([.avoidSelf, .tryNextClosestSite])
}
