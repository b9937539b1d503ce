import ArgumentParser
import DirectoryServices
import Foundation
import NTSecIO
import NTSecurity

/// `ntsec ds dc`: DsGetDcName, printed as `nltest /dsgetdc:` does, or as JSON.
struct DSDomainController: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dc",
    abstract: "Locate a domain controller (DsGetDcName: DNS SRV records, then the CLDAP LDAP ping).",
    discussion: """
      Prints what nltest /dsgetdc: prints, or with --json one object a domain with the fields of \
      DOMAIN_CONTROLLER_INFO in snake case. Several domains are located in turn in one process, \
      so a later one may come from the locator's cache (--verbose says how many LDAP pings each \
      took). Exit 1 with the Windows error (ERROR_NO_SUCH_DOMAIN, ERROR_INVALID_FLAGS) on failure.
      """
  )

  @Argument(help: "DNS domain names (default: the host's DNS domain from resolv.conf).")
  var domains: [String] = []

  @Option(
    help: ArgumentHelp(
      "DsGetDcName flags: a number (0x80) or names separated by commas (pdc_required,return_flat_name or DS_PDC_REQUIRED).",
      valueName: "flags"))
  var flags: String = "0"

  @Option(help: "The site whose DCs are tried first.")
  var site: String?

  @Option(help: "The domain's GUID (sent in the LDAP ping).")
  var guid: String?

  @Option(help: "Seconds one LDAP ping waits for its answer (more than 0, at most 3600).")
  var pingTimeout: Double = 0.4

  @Flag(help: "One JSON object a domain.")
  var json = false

  @Flag(help: "On stderr: the LDAP pings each look-up sent (0 when the cache answered).")
  var verbose = false

  /// The flags from `--flags`: a number, or names.
  static func parseFlags(_ text: String) throws -> GetDCNameFlags {
    let t = text.trimmingCharacters(in: .whitespaces)
    if t.lowercased().hasPrefix("0x"), let v = UInt32(t.dropFirst(2), radix: 16) {
      return GetDCNameFlags(rawValue: v)
    }
    if let v = UInt32(t) { return GetDCNameFlags(rawValue: v) }
    var flags = GetDCNameFlags()
    for name in t.split(whereSeparator: { $0 == "," || $0 == "|" || $0 == " " }) {
      guard let flag = GetDCNameFlags(name: String(name)) else {
        throw ValidationError("unknown DsGetDcName flag '\(name)'")
      }
      flags.formUnion(flag)
    }
    return flags
  }

  /// nltest's words for the DS_*_FLAG bits, in bit order.
  static let nltestWords: [(DomainControllerFlags, String)] = [
    (.pdc, "PDC"), (.gc, "GC"), (.ldap, "LDAP"), (.ds, "DS"), (.kdc, "KDC"), (.timeServer, "TIMESERV"),
    (.closest, "CLOSE_SITE"), (.writable, "WRITABLE"), (.goodTimeServer, "GTIMESERV"), (.ndnc, "NDNC"),
    (.selectSecretDomain6, "SELECT_SECRET_DOMAIN_6"), (.fullSecretDomain6, "FULL_SECRET_DOMAIN_6"),
    (.webService, "WS"), (.ds8, "DS_8"), (.ds9, "DS_9"), (.ds10, "DS_10"), (.keyList, "KEYLIST"),
    (.dnsController, "DNS_DC"), (.dnsDomain, "DNS_DOMAIN"), (.dnsForest, "DNS_FOREST"),
  ]

  static func jsonText(_ info: DomainControllerInfo) -> String {
    var w = JSONWriter(.compact)
    w.beginObject()
    w.field("domain_controller_name", info.domainControllerName)
    w.field("domain_controller_address", info.domainControllerAddress)
    w.field("domain_controller_address_type", literal: info.domainControllerAddressType.rawValue)
    w.field("domain_guid", info.domainGUID?.description)
    w.field("domain_name", info.domainName)
    w.field("dns_forest_name", info.dnsForestName)
    w.field("flags", literal: info.flags.rawValue)
    w.field("dc_site_name", info.dcSiteName)
    w.field("client_site_name", info.clientSiteName)
    w.endObject()
    return w.text
  }

  static func nltestText(_ info: DomainControllerInfo) -> String {
    let words = nltestWords.filter { info.flags.contains($0.0) }.map(\.1).joined(separator: " ")
    var lines = [
      "           DC: \(info.domainControllerName)",
      "      Address: \(info.domainControllerAddress)",
    ]
    if let guid = info.domainGUID { lines.append("     Dom Guid: \(guid)") }
    lines += [
      "     Dom Name: \(info.domainName)",
      "  Forest Name: \(info.dnsForestName)",
      " Dc Site Name: \(info.dcSiteName ?? "")",
      "Our Site Name: \(info.clientSiteName ?? "")",
      "        Flags: \(words)",
    ]
    return lines.joined(separator: "\n")
  }

  func validate() throws {
    guard pingTimeout > 0, pingTimeout <= 3600 else {
      throw ValidationError("--ping-timeout must be more than 0 and at most 3600 seconds, not \(pingTimeout)")
    }
  }

  func run() throws {
    let requested = try Self.parseFlags(flags)
    var domainGUID: GUID?
    if let guid {
      guard let g = GUID(guid.trimmingCharacters(in: ["{", "}"])) else {
        throw ValidationError("--guid '\(guid)' is not a GUID")
      }
      domainGUID = g
    }
    let limits = LocatorTimeLimits(ping: pingTimeout)
    for domain in domains.isEmpty ? [nil] : domains.map(Optional.some) {
      let before = DirectoryServices.ldapPingCount
      let info = try DirectoryServices.locateDomainController(
        domain: domain, domainGUID: domainGUID, site: site, flags: requested, timeLimits: limits)
      if verbose {
        FileHandle.standardError.write(
          Data(
            "\(domain ?? "(host domain)"): \(DirectoryServices.ldapPingCount - before) LDAP pings\n".utf8))
      }
      print(json ? Self.jsonText(info) : Self.nltestText(info))
    }
  }
}
