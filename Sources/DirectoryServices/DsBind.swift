import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

extension DirectoryServices {
  /// DsBind / DsBindWithCred with the caller's default Kerberos credentials: finds the DRSUAPI
  /// port through `domainController`'s endpoint mapper (TCP 135), binds DRSUAPI over TCP with
  /// Kerberos at packet privacy, then calls IDL_DRSBind with ntdsapi's client GUID and extensions.
  ///
  /// - Parameters:
  ///   - domainController: the DC's DNS host name; nil for a DC of `domain` found with DsGetDcName.
  ///   - domain: the DNS domain (nil for the host's own, as DsGetDcName takes it).
  ///   - timeout: the limit in seconds on every connect, read and write.
  /// - Throws: ERROR_NO_SUCH_DOMAIN when no DC is found or reachable; EPT_S_NOT_REGISTERED (1753)
  ///   from the endpoint mapper; ERROR_ACCESS_DENIED when Kerberos fails; the DC's WERROR or RPC
  ///   fault status. Messages name the DC and the step (epmapper, bind, auth, call).
  public static func dsBind(domainController: String? = nil, domain: String? = nil, timeout: Double = 10)
    throws
    -> DsHandle
  {
    let host: String
    let address: String
    if let domainController {
      host = domainController.hasPrefix("\\\\") ? String(domainController.dropFirst(2)) : domainController
      address = try resolve(host)
    } else {
      let dc = try locateDomainController(domain: domain, flags: [.returnDNSName, .directoryServiceRequired])
      host = String(dc.domainControllerName.dropFirst(2))
      address = String(dc.domainControllerAddress.dropFirst(2))
    }
    let port = try EndpointMapper.map(DRSUAPI.interface, host: host, address: address, timeout: timeout)
    let connection = try RPCConnection(
      host: host, address: address, port: Int(port), interface: DRSUAPI.interface, sealed: true,
      timeout: timeout)
    do {
      let (extensions, handle) = try DRSUAPI.bindResponse(
        try connection.call(0, DRSUAPI.bindRequest(), name: "DsBind"), peer: host)
      return DsHandle(
        connection: connection, handle: handle, domainController: host, serverExtensions: extensions)
    } catch {
      connection.close()
      throw error
    }
  }

  /// DsUnBind: IDL_DRSUnbind, then closes the association (closed also when the call fails).
  public static func dsUnbind(_ handle: DsHandle) throws {
    defer { handle.connection.close() }
    var w = NDRWriter()
    w.raw(handle.handle)
    let stub = try handle.connection.call(1, w.bytes, name: "DsUnbind")
    var r = NDRReader(stub, what: "DRSUAPI \(handle.domainController): DsUnbind response")
    _ = try r.raw(20, "bind_handle")
    try DRSUAPI.check(try r.uint32("WERROR"), peer: handle.domainController, call: "DsUnbind")
  }

  /// DsCrackNames (IDL_DRSCrackNames, request version 1): one result per name, in order, each
  /// with its DS_NAME_ERROR status. The DC evaluates every format, including the extended ones
  /// DsList* use (with a DS_LIST_* format offered, one result per listed name, possibly none).
  ///
  /// - Throws: ERROR_INVALID_PARAMETER for no names or more than 10,000; the DC's WERROR.
  public static func dsCrackNames(
    _ handle: DsHandle, flags: DsNameFlags = [], formatOffered: DsNameFormat, formatDesired: DsNameFormat,
    names: [String]
  ) throws -> [DsNameResultItem] {
    guard !names.isEmpty, names.count <= 10000 else {
      throw NTSecurityError(.invalidParameter, "DsCrackNames: \(names.count) names (1 to 10,000)")
    }
    let stub = try handle.connection.call(
      12,
      DRSUAPI.crackNamesRequest(
        handle.handle, flags: flags, offered: formatOffered, desired: formatDesired, names: names),
      name: "DsCrackNames")
    let items = try DRSUAPI.crackNamesResponse(stub, peer: handle.domainController)
    // A DsList* format answers one item per listed name; the others one per name.
    guard items.count == names.count || formatOffered.rawValue >= DsNameFormat.upnAndAltSecID.rawValue else {
      throw NTSecurityError(
        .invalidData, "DRSUAPI \(handle.domainController): \(items.count) results for \(names.count) names")
    }
    return items
  }

  /// DsWriteAccountSpn over DRSUAPI (IDL_DRSWriteSPN): adds, replaces or deletes `spns` on the
  /// account named by its DN. The DC checks the caller's rights and SPN uniqueness.
  public static func dsWriteAccountSpn(
    _ handle: DsHandle, operation: SPNWriteOperation, account: String, spns: [String]
  ) throws {
    let stub = try handle.connection.call(
      13, DRSUAPI.writeSPNRequest(handle.handle, operation: operation, account: account, spns: spns),
      name: "DsWriteAccountSpn")
    try DRSUAPI.writeSPNResponse(stub, peer: handle.domainController)
  }

  /// DsListSites: the DNs of the forest's sites.
  public static func dsListSites(_ handle: DsHandle) throws -> [DsNameResultItem] {
    try list(handle, .listSites, "")
  }

  /// DsListServersInSite: the server objects of `site` (its DN).
  public static func dsListServersInSite(_ handle: DsHandle, site: String) throws -> [DsNameResultItem] {
    try list(handle, .listServersInSite, site)
  }

  /// DsListDomainsInSite: the domains with a DC in `site` (its DN).
  public static func dsListDomainsInSite(_ handle: DsHandle, site: String) throws -> [DsNameResultItem] {
    try list(handle, .listDomainsInSite, site)
  }

  /// DsListRoles: the FSMO role owners, in DS_ROLE_* order (schema, domain naming, PDC, RID,
  /// infrastructure).
  public static func dsListRoles(_ handle: DsHandle) throws -> [DsNameResultItem] {
    try list(handle, .listRoles, "")
  }

  /// DsListInfoForServer: the DNs of `server`'s (its server-object DN) DSA object, computer
  /// object and DNS host name, as the DC answers them.
  public static func dsListInfoForServer(_ handle: DsHandle, server: String) throws -> [DsNameResultItem] {
    try list(handle, .listInfoForServer, server)
  }

  /// A DsList* call: DsCrackNames of one name with an extended format to FQDN_1779; the DC
  /// answers one item per listed name (the first result's status fails the call).
  static func list(_ handle: DsHandle, _ format: DsNameFormat, _ name: String) throws -> [DsNameResultItem] {
    let stub = try handle.connection.call(
      12,
      DRSUAPI.crackNamesRequest(handle.handle, flags: [], offered: format, desired: .fqdn1779, names: [name]),
      name: "DsCrackNames (\(format))")
    let items = try DRSUAPI.crackNamesResponse(stub, peer: handle.domainController)
    if let first = items.first, first.status != .noError, items.count == 1 {
      throw NTSecurityError(
        .dsNoSuchObject, "DRSUAPI \(handle.domainController): \(format): \(first.status)")
    }
    return items
  }

  /// The numeric address of a host name (the system resolver).
  static func resolve(_ host: String) throws -> String {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &list) == 0, let list else {
      throw NTSecurityError(.noSuchDomain, "DRSUAPI \(host): the name does not resolve")
    }
    defer { freeaddrinfo(list) }
    var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    guard
      getnameinfo(
        list.pointee.ai_addr, list.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
        == 0
    else { throw NTSecurityError(.noSuchDomain, "DRSUAPI \(host): no numeric address") }
    return String(cString: text)
  }
}
