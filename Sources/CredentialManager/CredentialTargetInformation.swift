/// CREDENTIAL_TARGET_INFORMATION: what an authentication attempt learned about a target.
public struct CredentialTargetInformation: Hashable, Sendable, Codable {
  /// CRED_TI_* flags.
  public struct Flags: OptionSet, Hashable, Sendable, Codable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// CRED_TI_SERVER_FORMAT_UNKNOWN (0x1)
    public static let serverFormatUnknown = Flags(rawValue: 0x1)
    /// CRED_TI_DOMAIN_FORMAT_UNKNOWN (0x2)
    public static let domainFormatUnknown = Flags(rawValue: 0x2)
    /// CRED_TI_ONLY_PASSWORD_REQUIRED (0x4)
    public static let onlyPasswordRequired = Flags(rawValue: 0x4)
    /// CRED_TI_USERNAME_TARGET (0x8)
    public static let usernameTarget = Flags(rawValue: 0x8)
    /// CRED_TI_CREATE_EXPLICIT_CRED (0x10)
    public static let createExplicitCred = Flags(rawValue: 0x10)
    /// CRED_TI_WORKGROUP_MEMBER (0x20)
    public static let workgroupMember = Flags(rawValue: 0x20)
    /// CRED_TI_DNSTREE_IS_DFS_SERVER (0x40)
    public static let dnsTreeIsDfsServer = Flags(rawValue: 0x40)
    /// CRED_TI_VALID_FLAGS (0xF07F)
    public static let valid = Flags(rawValue: 0xF07F)
  }

  public var targetName: String?
  public var netbiosServerName: String?
  public var dnsServerName: String?
  public var netbiosDomainName: String?
  public var dnsDomainName: String?
  public var dnsTreeName: String?
  /// The authentication package that recorded it ("Kerberos", "NTLM", "Negotiate").
  public var packageName: String?
  public var flags: Flags
  /// The credential types the package can use, most preferred first.
  public var credTypes: [CredentialType]

  public init(
    targetName: String? = nil, netbiosServerName: String? = nil, dnsServerName: String? = nil,
    netbiosDomainName: String? = nil, dnsDomainName: String? = nil, dnsTreeName: String? = nil,
    packageName: String? = nil, flags: Flags = [], credTypes: [CredentialType] = []
  ) {
    self.targetName = targetName
    self.netbiosServerName = netbiosServerName
    self.dnsServerName = dnsServerName
    self.netbiosDomainName = netbiosDomainName
    self.dnsDomainName = dnsDomainName
    self.dnsTreeName = dnsTreeName
    self.packageName = packageName
    self.flags = flags
    self.credTypes = credTypes
  }

  /// Whether at least one of the five naming members is set, as CredReadDomainCredentials needs.
  var hasName: Bool {
    [netbiosServerName, dnsServerName, netbiosDomainName, dnsDomainName, dnsTreeName]
      .contains { !($0 ?? "").isEmpty }
  }

  /// The target names that match this information, most specific first: the DNS then NetBIOS
  /// server name; `*.suffix` for each DNS suffix of the server, longest first; `DNSDOMAIN\*`,
  /// `NETBIOSDOMAIN\*`, `DNSTREE\*`; then `*`.
  var candidateTargets: [String] {
    var out: [String] = []
    func add(_ s: String?) { if let s, !s.isEmpty, !out.contains(s) { out.append(s) } }
    add(dnsServerName)
    add(netbiosServerName)
    if let dns = dnsServerName, dns.contains(".") {
      var labels = dns.split(separator: ".", omittingEmptySubsequences: false).dropFirst()
      while !labels.isEmpty {
        add("*." + labels.joined(separator: "."))
        labels = labels.dropFirst()
      }
    }
    for d in [dnsDomainName, netbiosDomainName, dnsTreeName] { if let d, !d.isEmpty { add(d + "\\*") } }
    add("*")
    return out
  }
}
