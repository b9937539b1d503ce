import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// DS_SPN_NAME_TYPE: the form of the SPNs ``DirectoryServices/getSPNs(type:serviceClass:serviceName:port:instanceNames:instancePorts:)``
/// composes.
public enum SPNNameType: UInt32, Sendable, CaseIterable {
  /// DS_SPN_DNS_HOST: `class/host[:port]`, host the DNS name of the computer.
  case dnsHost = 0
  /// DS_SPN_DN_HOST: `class/host[:port]` for a host named by its account's DN; the host component
  /// is still a DNS name.
  case dnHost = 1
  /// DS_SPN_NB_HOST: `class/host[:port]`, host the NetBIOS name of the computer.
  case netBIOSHost = 2
  /// DS_SPN_DOMAIN: `class/host[:port]/domain`, a replicable service for a DNS domain (or its DN).
  case domain = 3
  /// DS_SPN_NB_DOMAIN: `class/host[:port]/domain` with NetBIOS host names.
  case netBIOSDomain = 4
  /// DS_SPN_SERVICE: `class/host[:port]/service`, service a canonical DN or DNS name (an SRV
  /// record, a service connection point).
  case service = 5

  /// Whether the form has no service-name component.
  public var isHostBased: Bool { self == .dnsHost || self == .dnHost || self == .netBIOSHost }

  /// Whether the default instance name is the NetBIOS name of the computer.
  var usesNetBIOSName: Bool { self == .netBIOSHost || self == .netBIOSDomain }
}

/// DS_SPN_WRITE_OP: what DsWriteAccountSpn does with the SPNs it is given.
public enum SPNWriteOperation: UInt32, Sendable {
  /// DS_SPN_ADD_SPN_OP: adds them to the account's servicePrincipalName.
  case add = 0
  /// DS_SPN_REPLACE_SPN_OP: makes them the account's only SPNs.
  case replace = 1
  /// DS_SPN_DELETE_SPN_OP: removes them.
  case delete = 2
}

extension DirectoryServices {
  /// DsGetSpn: the SPNs of a service's instances, `class/instance[:port][/service]`.
  ///
  /// With no `instanceNames`, one SPN names the local computer (its fully qualified DNS name, or
  /// its NetBIOS name for the NetBIOS types) with `port`; otherwise one SPN per instance name, each
  /// with its entry of `instancePorts` (nil: no ports). A port of 0 is left out.
  ///
  /// - Throws: `ERROR_INVALID_PARAMETER` for an empty service class or one with `/`, a service
  ///   name given for a host-based type or missing for the others, or a port list whose length is
  ///   not the instance list's.
  public static func getSPNs(
    type: SPNNameType, serviceClass: String, serviceName: String? = nil, port: UInt16 = 0,
    instanceNames: [String] = [], instancePorts: [UInt16]? = nil
  ) throws -> [String] {
    try checkServiceClass(serviceClass)
    if type.isHostBased {
      guard serviceName == nil else {
        throw NTSecurityError(.invalidParameter, "DsGetSpn: a host-based SPN takes no service name")
      }
    } else {
      guard let serviceName, !serviceName.isEmpty else {
        throw NTSecurityError(.invalidParameter, "DsGetSpn: \(type) SPNs need a service name")
      }
    }
    if let instancePorts, instancePorts.count != instanceNames.count {
      throw NTSecurityError(
        .invalidParameter,
        "DsGetSpn: \(instancePorts.count) instance ports for \(instanceNames.count) instance names")
    }
    let instances: [(String, UInt16)]
    if instanceNames.isEmpty {
      let host = type.usesNetBIOSName ? LocalComputer.netBIOSName : LocalComputer.dnsName
      instances = [(host, port)]
    } else {
      for name in instanceNames where name.isEmpty {
        throw NTSecurityError(.invalidParameter, "DsGetSpn: an empty instance name")
      }
      instances = instanceNames.enumerated().map { ($0.element, instancePorts?[$0.offset] ?? 0) }
    }
    return instances.map { compose(serviceClass, $0.0, $0.1, serviceName) }
  }

  /// DsMakeSpn: the SPN a client presents for one service instance.
  ///
  /// With no `instanceName` the SPN is host-based, `class/service[:port]`; with one it is
  /// `class/instance[:port]/service`. `referrer` is used only when `serviceName` is an IP address:
  /// the SPN is then `class/address[:port]/referrer`, naming the host that gave the address.
  ///
  /// - Throws: `ERROR_INVALID_PARAMETER` for an empty service class or service name, or a class
  ///   with `/`.
  public static func makeSPN(
    serviceClass: String, serviceName: String, instanceName: String? = nil, port: UInt16 = 0,
    referrer: String? = nil
  ) throws -> String {
    try checkServiceClass(serviceClass)
    guard !serviceName.isEmpty else {
      throw NTSecurityError(.invalidParameter, "DsMakeSpn: the service name is empty")
    }
    if let instanceName, !instanceName.isEmpty {
      return compose(serviceClass, instanceName, port, serviceName)
    }
    if let referrer, !referrer.isEmpty, isIPAddress(serviceName) {
      return compose(serviceClass, serviceName, port, referrer)
    }
    return compose(serviceClass, serviceName, port, nil)
  }

  private static func compose(_ serviceClass: String, _ instance: String, _ port: UInt16, _ service: String?)
    -> String
  {
    var spn = serviceClass + "/" + instance
    if port != 0 { spn += ":\(port)" }
    if let service { spn += "/" + service }
    return spn
  }

  private static func checkServiceClass(_ serviceClass: String) throws {
    guard !serviceClass.isEmpty, !serviceClass.contains("/") else {
      throw NTSecurityError(.invalidParameter, "SPN service class \"\(serviceClass)\" is empty or has a /")
    }
  }

  static func isIPAddress(_ text: String) -> Bool {
    var v4 = in_addr()
    var v6 = in6_addr()
    return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
  }
}

/// The names of this computer DsGetSpn uses by default.
enum LocalComputer {
  /// The fully qualified DNS name: the host name, canonicalised by the resolver when it has no
  /// dot.
  static var dnsName: String {
    let host = hostName
    if host.contains(".") { return host }
    var hints = addrinfo()
    hints.ai_flags = AI_CANONNAME
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &result) == 0, let result else { return host }
    defer { freeaddrinfo(result) }
    if let canonical = result.pointee.ai_canonname { return String(cString: canonical) }
    return host
  }

  /// The NetBIOS name: the host name's first label in upper case, at most 15 characters.
  static var netBIOSName: String {
    String(hostName.split(separator: ".").first ?? "").uppercased().prefix(15).description
  }

  static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
