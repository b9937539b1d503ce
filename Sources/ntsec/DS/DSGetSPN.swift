import ArgumentParser
import DirectoryServices
import Foundation
import NTSecurity

/// `ntsec ds getspn`: DsGetSpn (and DsMakeSpn with --referrer), one SPN a line.
struct DSGetSPN: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "getspn",
    abstract: "Compose SPNs (DsGetSpn): class/instance[:port][/service].",
    discussion: """
      TYPE is dns_host, dn_host, nb_host, domain, nb_domain or service (DS_SPN_*). With no \
      --instance the local computer's name is the instance. With --referrer, DsMakeSpn composes \
      one SPN for SERVICE-NAME (an IP address takes the referrer as its service component).
      """
  )

  @Argument(help: "DS_SPN_* type without its prefix.")
  var type: String

  @Argument(help: "The service class (http, ldap, MSSQLSvc …).")
  var serviceClass: String

  @Option(help: "The service name (domain, DN or DNS name of a replicable service).")
  var serviceName: String?

  @Option(help: "The instance port (0: none), used when no --instance is given.")
  var port: UInt16 = 0

  @Option(help: "An instance name; repeat for several (each may end in :PORT).")
  var instance: [String] = []

  @Option(help: "DsMakeSpn's referrer (the host that gave an IP address).")
  var referrer: String?

  static let types: [String: SPNNameType] = [
    "dns_host": .dnsHost, "dn_host": .dnHost, "nb_host": .netBIOSHost, "domain": .domain,
    "nb_domain": .netBIOSDomain, "service": .service,
  ]

  func run() throws {
    guard let spnType = Self.types[type.lowercased().replacingOccurrences(of: "ds_spn_", with: "")] else {
      throw ValidationError(
        "unknown SPN type '\(type)' (dns_host, dn_host, nb_host, domain, nb_domain, service)")
    }
    if let referrer {
      guard let serviceName else { throw ValidationError("--referrer needs --service-name") }
      print(
        try DirectoryServices.makeSPN(
          serviceClass: serviceClass, serviceName: serviceName, instanceName: instance.first, port: port,
          referrer: referrer))
      return
    }
    var names: [String] = []
    var ports: [UInt16] = []
    for item in instance {
      if let colon = item.lastIndex(of: ":"), let p = UInt16(item[item.index(after: colon)...]) {
        names.append(String(item[..<colon]))
        ports.append(p)
      } else {
        names.append(item)
        ports.append(0)
      }
    }
    let spns = try DirectoryServices.getSPNs(
      type: spnType, serviceClass: serviceClass, serviceName: serviceName, port: port,
      instanceNames: names, instancePorts: ports.allSatisfy { $0 == 0 } ? nil : ports)
    for spn in spns { print(spn) }
  }
}
