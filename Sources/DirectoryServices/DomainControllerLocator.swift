import NTSecurity
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Time limits of the DC locator.
public struct LocatorTimeLimits: Sendable, Hashable {
  /// How long one LDAP ping waits for its answer, in seconds.
  public var ping: Double
  /// How many times a silent address is pinged; each try waits `ping` seconds longer than the
  /// one before (0.4, 0.8, 1.2 s by default), so a busy DC still counts.
  public var attempts: Int
  /// The whole search, in seconds: past it, DsGetDcName gives up with ERROR_NO_SUCH_DOMAIN.
  public var total: Double

  public init(ping: Double = 0.4, attempts: Int = 3, total: Double = 15) {
    self.ping = ping
    self.attempts = attempts
    self.total = total
  }
}

extension DirectoryServices {
  /// DsGetDcName: finds a domain controller of `domain` that has what `flags` require, as
  /// Windows' DC locator does: the domain's SRV records (`_ldap._tcp.dc._msdcs.DOMAIN`, the
  /// client's site first; `pdc`, `gc` or `_kerberos` records for DS_PDC_REQUIRED,
  /// DS_GC_SERVER_REQUIRED, DS_KDC_REQUIRED) through the system resolver, then an LDAP ping to
  /// each DC until one answers with the required DS_*_FLAG bits. A DC found earlier is answered
  /// from the process's cache unless DS_FORCE_REDISCOVERY is set.
  ///
  /// - Parameters:
  ///   - computer: must be nil (the local computer); asking a remote computer to locate is not
  ///     supported.
  ///   - domain: the DNS name of the domain; nil for the host's DNS domain (resolv.conf's
  ///     `domain`, else its first `search` entry).
  ///   - domainGUID: sent in the ping; a DC of another domain does not answer it.
  ///   - site: the site whose DCs are tried first; nil for the client site the DCs report.
  ///   - flags: what the DC must be (DS_*_REQUIRED), how names come back, DS_FORCE_REDISCOVERY.
  ///   - timeLimits: how long each LDAP ping and the whole search may take.
  /// - Throws: `ERROR_INVALID_FLAGS` for undefined or contradictory flags (two of DS_PDC_REQUIRED,
  ///   DS_GC_SERVER_REQUIRED and DS_KDC_REQUIRED, both DS_RETURN_DNS_NAME and DS_RETURN_FLAT_NAME,
  ///   both DS_IS_FLAT_NAME and DS_IS_DNS_NAME, …); `ERROR_NO_SUCH_DOMAIN` when no DC answers
  ///   with what the flags require within the time limits (the message names the SRV names and
  ///   the DCs tried); `ERROR_NOT_SUPPORTED` for a remote `computer` or a NetBIOS-only
  ///   (DS_IS_FLAT_NAME) look-up, which needs NetBIOS mailslots.
  public static func locateDomainController(
    computer: String? = nil, domain: String? = nil, domainGUID: GUID? = nil, site: String? = nil,
    flags: GetDCNameFlags = [], timeLimits: LocatorTimeLimits = LocatorTimeLimits()
  ) throws -> DomainControllerInfo {
    try DomainControllerLocator.shared.locate(
      computer: computer, domain: domain, domainGUID: domainGUID, site: site, flags: flags,
      timeLimits: timeLimits)
  }

  /// How many LDAP pings this process has sent (a look-up the cache answered sends none).
  public static var ldapPingCount: Int { DomainControllerLocator.shared.pings.load(ordering: .relaxed) }

  /// Forgets every DC the locator cached.
  public static func flushDomainControllerCache() { DomainControllerLocator.shared.flush() }
}

/// The DC locator and its cache (one per process, as Netlogon's is one per machine).
final class DomainControllerLocator: Sendable {
  static let shared = DomainControllerLocator()

  struct CacheEntry {
    var response: NetlogonSAMLogonResponse
    var address: String
    var found: Double
  }

  /// Cached DCs by lower-case domain name; an entry older than this many seconds is found anew
  /// (Netlogon's closest-site refresh interval, 15 minutes).
  static let cacheLifetime = 15.0 * 60
  private let cache = Mutex<[String: CacheEntry]>([:])
  /// How many LDAP pings this process sent (a cached answer sends none).
  let pings = Atomic<Int>(0)

  func flush() { cache.withLock { $0.removeAll() } }

  func locate(
    computer: String?, domain: String?, domainGUID: GUID?, site: String?, flags: GetDCNameFlags,
    timeLimits: LocatorTimeLimits
  ) throws -> DomainControllerInfo {
    try Self.validate(flags)
    if let computer, !computer.isEmpty {
      throw NTSecurityError(
        .notSupported, "DsGetDcName: locating from remote computer \(computer) is not supported")
    }
    guard let domainName = Self.normalized(domain ?? Self.hostDomain()) else {
      throw NTSecurityError(.noSuchDomain, "DsGetDcName: no domain given and the host has no DNS domain")
    }
    if flags.contains(.isFlatName) {
      throw NTSecurityError(
        .notSupported,
        "DsGetDcName: \(domainName) is a NetBIOS name (DS_IS_FLAT_NAME); NetBIOS discovery is not supported")
    }
    let key = domainName.lowercased()
    if !flags.contains(.forceRediscovery), let entry = cache.withLock({ $0[key] }),
      Monotonic.now - entry.found < Self.cacheLifetime, Self.satisfies(entry.response, flags),
      site == nil || entry.response.dcSiteName.lowercased() == site!.lowercased(),
      domainGUID == nil || entry.response.domainGUID == domainGUID
    {
      return DomainControllerInfo(response: entry.response, address: entry.address, flags: flags)
    }
    let knownSite = site ?? cache.withLock { $0[key]?.response.clientSiteName }
    let (response, address) = try discover(
      domain: domainName, domainGUID: domainGUID, site: knownSite, flags: flags, timeLimits: timeLimits)
    cache.withLock { $0[key] = CacheEntry(response: response, address: address, found: Monotonic.now) }
    return DomainControllerInfo(response: response, address: address, flags: flags)
  }

  /// The SRV names to ask, most specific first.
  static func serviceNames(domain: String, site: String?, flags: GetDCNameFlags) -> [String] {
    let siteNames: (String, String) -> [String] = { prefix, suffix in
      (site.map { ["\(prefix).\($0)._sites.\(suffix)"] } ?? []) + ["\(prefix).\(suffix)"]
    }
    if flags.contains(.pdcRequired) { return ["_ldap._tcp.pdc._msdcs.\(domain)"] }
    if flags.contains(.gcServerRequired) { return siteNames("_ldap._tcp", "gc._msdcs.\(domain)") }
    if flags.contains(.kdcRequired) { return siteNames("_kerberos._tcp", "dc._msdcs.\(domain)") }
    if flags.contains(.onlyLDAPNeeded) { return siteNames("_ldap._tcp", domain) }
    return siteNames("_ldap._tcp", "dc._msdcs.\(domain)")
  }

  /// DNS, then pings, within the time limits; the first DC that qualifies, preferring one in the
  /// client's site: when the first to answer is not (no DS_CLOSEST_FLAG) and names a client site,
  /// that site's DCs are tried before settling for it.
  private func discover(
    domain: String, domainGUID: GUID?, site: String?, flags: GetDCNameFlags, timeLimits: LocatorTimeLimits
  ) throws -> (NetlogonSAMLogonResponse, String) {
    let deadline = Monotonic.now + timeLimits.total
    var tried: [String] = []
    var fallback: (NetlogonSAMLogonResponse, String)?
    var sitesTried: Set<String> = []
    var queue = Self.serviceNames(domain: domain, site: site, flags: flags)
    if let site { sitesTried.insert(site.lowercased()) }
    var asked: Set<String> = []
    while !queue.isEmpty {
      let name = queue.removeFirst()
      guard asked.insert(name.lowercased()).inserted else { continue }
      switch DNSServiceRecords.lookUp(name) {
      case .noSuchName:
        tried.append("\(name): no SRV records")
        continue
      case .failed(let why):
        tried.append(why)
        continue
      case .records(let records):
        records: for record in records {
          for address in Self.addresses(of: record.target) {
            guard Monotonic.now < deadline else {
              throw Self.noDomain(domain, tried + ["time limit of \(timeLimits.total) s reached"])
            }
            guard
              let response = try ping(
                address, domain: domain, domainGUID: domainGUID, flags: flags, limits: timeLimits)
            else {
              tried.append("\(record.target) (\(address.text)): no answer")
              continue
            }
            guard Self.satisfies(response, flags), !(flags.contains(.avoidSelf) && Self.isSelf(response))
            else {
              tried.append("\(record.target) (\(address.text)): flags \(response.flags) lack what was asked")
              continue
            }
            if response.flags.contains(.closest) || response.clientSiteName.isEmpty
              || sitesTried.contains(response.clientSiteName.lowercased())
            {
              return (response, address.text)
            }
            // Not in the client's site: look there first, keep this one in case none answers.
            if fallback == nil { fallback = (response, address.text) }
            sitesTried.insert(response.clientSiteName.lowercased())
            queue = Self.serviceNames(domain: domain, site: response.clientSiteName, flags: flags)
            break records
          }
        }
      }
    }
    if let fallback { return fallback }
    throw Self.noDomain(domain, tried)
  }

  private static func noDomain(_ domain: String, _ tried: [String]) -> NTSecurityError {
    NTSecurityError(
      .noSuchDomain,
      "DsGetDcName: no domain controller of \(domain) answered (\(tried.joined(separator: "; ")))")
  }

  struct Address {
    var storage: sockaddr_storage
    var length: socklen_t
    var family: Int32
    var text: String
  }

  /// The host's addresses (IPv4 and IPv6) through getaddrinfo, in its order.
  static func addresses(of host: String) -> [Address] {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, "389", &hints, &list) == 0, let list else { return [] }
    defer { freeaddrinfo(list) }
    var out: [Address] = []
    var p: UnsafeMutablePointer<addrinfo>? = list
    while let a = p {
      p = a.pointee.ai_next
      guard let sa = a.pointee.ai_addr else { continue }
      var storage = sockaddr_storage()
      withUnsafeMutableBytes(of: &storage) { dst in
        dst.copyMemory(from: UnsafeRawBufferPointer(start: sa, count: Int(a.pointee.ai_addrlen)))
      }
      var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
      guard getnameinfo(sa, a.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0
      else { continue }
      let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      guard !out.contains(where: { $0.text == address }) else { continue }
      out.append(
        Address(storage: storage, length: a.pointee.ai_addrlen, family: a.pointee.ai_family, text: address))
    }
    return out
  }

  private func ping(
    _ address: Address, domain: String, domainGUID: GUID?, flags: GetDCNameFlags, limits: LocatorTimeLimits
  ) throws -> NetlogonSAMLogonResponse? {
    var version: NetlogonVersion = [.v5, .v5ex, .withClosestSite]
    if flags.contains(.ipRequired) { version.insert(.v5exWithIP) }
    for attempt in 0..<max(1, limits.attempts) {
      let id = Int.random(in: 1...0x7FFF_FFFF)
      let request = LDAPPing.request(
        messageID: id, dnsDomain: domain, host: LocalComputer.netBIOSName, domainGUID: domainGUID,
        ntVersion: version)
      pings.add(1, ordering: .relaxed)
      var storage = address.storage
      let value = try withUnsafePointer(to: &storage) {
        try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          try LDAPPing.send(
            to: $0, length: address.length, family: address.family, request: request, messageID: id,
            timeout: limits.ping * Double(attempt + 1))
        }
      }
      guard let value else { continue }
      // A reply we cannot read is no DC: the next one is tried.
      return try? NetlogonSAMLogonResponse(bytes: value, requestedVersion: version.rawValue)
    }
    return nil
  }

  /// Whether a DC's reported flags meet the request.
  static func satisfies(_ response: NetlogonSAMLogonResponse, _ flags: GetDCNameFlags) -> Bool {
    var needs = flags.requiredServerFlags
    if flags.contains(.directoryService6Required) {
      // Windows Server 2008 or later: a writable (full secret) or read-only (select secret) DC.
      guard !response.flags.isDisjoint(with: [.fullSecretDomain6, .selectSecretDomain6]) else { return false }
      needs.remove(.fullSecretDomain6)
    }
    return response.flags.isSuperset(of: needs)
  }

  static func isSelf(_ response: NetlogonSAMLogonResponse) -> Bool {
    response.dnsHostName.lowercased() == LocalComputer.dnsName.lowercased()
  }

  /// ERROR_INVALID_FLAGS for what MS-NRPC 3.5.4.3.1 rejects.
  static func validate(_ flags: GetDCNameFlags) throws {
    func fail(_ why: String) -> NTSecurityError {
      NTSecurityError(.invalidFlags, "DsGetDcName: flags 0x\(String(flags.rawValue, radix: 16)): \(why)")
    }
    guard flags.isSubset(of: .valid) else { throw fail("undefined bits") }
    let exclusive: [GetDCNameFlags] = [.gcServerRequired, .pdcRequired, .kdcRequired]
    guard exclusive.filter({ flags.contains($0) }).count <= 1 else {
      throw fail("DS_GC_SERVER_REQUIRED, DS_PDC_REQUIRED and DS_KDC_REQUIRED exclude each other")
    }
    guard !flags.isSuperset(of: [.isFlatName, .isDNSName]) else {
      throw fail("DS_IS_FLAT_NAME and DS_IS_DNS_NAME exclude each other")
    }
    guard !flags.isSuperset(of: [.returnDNSName, .returnFlatName]) else {
      throw fail("DS_RETURN_DNS_NAME and DS_RETURN_FLAT_NAME exclude each other")
    }
    guard !flags.contains(.keyListSupportRequired) || flags.contains(.kdcRequired) else {
      throw fail("DS_KEY_LIST_SUPPORT_REQUIRED needs DS_KDC_REQUIRED")
    }
  }

  /// The name without a trailing dot; nil when empty.
  static func normalized(_ name: String?) -> String? {
    guard var n = name?.filter({ $0 != " " }) else { return nil }
    if n.hasSuffix(".") { n.removeLast() }
    return n.isEmpty ? nil : n
  }

  /// The host's DNS domain from /etc/resolv.conf: its `domain` line, else the first `search`
  /// entry.
  static func hostDomain() -> String? {
    guard let file = fopen("/etc/resolv.conf", "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 20 {
      let n = fread(&chunk, 1, chunk.count, file)
      guard n > 0 else { break }
      bytes += chunk.prefix(n)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    var search: String?
    for line in text.split(separator: "\n") {
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard words.count >= 2 else { continue }
      if words[0] == "domain" { return String(words[1]) }
      if words[0] == "search", search == nil { search = String(words[1]) }
    }
    return search
  }
}
