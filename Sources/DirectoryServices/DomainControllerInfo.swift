import NTSecurity

/// DOMAIN_CONTROLLER_INFO: what DsGetDcName returns about the DC it found.
public struct DomainControllerInfo: Sendable, Hashable {
  /// DS_INET_ADDRESS (1) or DS_NETBIOS_ADDRESS (2).
  public enum AddressType: UInt32, Sendable {
    case inet = 1
    case netBIOS = 2
  }

  /// `\\` and the DC's DNS host name (or its NetBIOS name with DS_RETURN_FLAT_NAME).
  public var domainControllerName: String
  /// `\\` and the DC's address.
  public var domainControllerAddress: String
  public var domainControllerAddressType: AddressType
  public var domainGUID: GUID?
  /// The domain's DNS name (or its NetBIOS name with DS_RETURN_FLAT_NAME).
  public var domainName: String
  public var dnsForestName: String
  /// The DC's DS_*_FLAG bits, with DS_DNS_CONTROLLER/DOMAIN/FOREST_FLAG for the names above.
  public var flags: DomainControllerFlags
  public var dcSiteName: String?
  public var clientSiteName: String?

  public init(
    domainControllerName: String, domainControllerAddress: String, domainControllerAddressType: AddressType,
    domainGUID: GUID?, domainName: String, dnsForestName: String, flags: DomainControllerFlags,
    dcSiteName: String?, clientSiteName: String?
  ) {
    self.domainControllerName = domainControllerName
    self.domainControllerAddress = domainControllerAddress
    self.domainControllerAddressType = domainControllerAddressType
    self.domainGUID = domainGUID
    self.domainName = domainName
    self.dnsForestName = dnsForestName
    self.flags = flags
    self.dcSiteName = dcSiteName
    self.clientSiteName = clientSiteName
  }

  /// The result DsGetDcName builds from a DC's netlogon response: names in the form the flags
  /// ask for (DNS unless DS_RETURN_FLAT_NAME), the address the DC answered the ping on (a DC's
  /// DcSockAddr names one of its interfaces, not necessarily one the client reaches: Samba reports
  /// its first, 127.0.0.1 for the test DC at 127.0.0.2), and the DC's flags with the DNS bits for
  /// the names that are DNS names.
  init(response: NetlogonSAMLogonResponse, address: String, flags requested: GetDCNameFlags) {
    let flat = requested.contains(.returnFlatName) || response.dnsHostName.isEmpty
    domainControllerName = "\\\\" + (flat ? response.netBIOSComputerName : response.dnsHostName)
    domainName = flat || response.dnsDomainName.isEmpty ? response.netBIOSDomainName : response.dnsDomainName
    domainControllerAddress = "\\\\" + address
    domainControllerAddressType = .inet
    let zero = response.domainGUID.wireBytes.allSatisfy { $0 == 0 }
    domainGUID = zero ? nil : response.domainGUID
    dnsForestName = response.dnsForestName
    var f = response.flags.intersection(.pingFlags)
    if !flat { f.formUnion([.dnsController, .dnsDomain]) }
    if !response.dnsForestName.isEmpty { f.insert(.dnsForest) }
    self.flags = f
    dcSiteName = response.dcSiteName.isEmpty ? nil : response.dcSiteName
    clientSiteName = response.clientSiteName.isEmpty ? nil : response.clientSiteName
  }
}
