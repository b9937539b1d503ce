import DirectoryServices
import Foundation
import NTSecurity
import TestPeers
import Testing

/// DsGetDcName (`ntsec ds dc`, run inside the test DC's namespace) against Samba's own DC
/// locator (`net lookup dsgetdcname DOMAIN FLAGS`, the dsgetdcname() winbindd uses) field for
/// field, and against the DC's DsrGetDcNameEx2 (`rpcclient dsr_getdcnameex`) for the flags it
/// refuses.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DomainControllerLocator {
  var ntsec: String {
    get throws {
      guard let path = builtProduct("ntsec") else {
        throw TestFailure(text: "ntsec is not built next to the tests")
      }
      return path
    }
  }

  /// DOMAIN_CONTROLLER_INFO as Samba prints netr_DsRGetDCNameInfo, keyed by our JSON names.
  static func parseSamba(_ text: String) -> [String: String] {
    let keys = [
      "dc_unc": "domain_controller_name", "dc_address": "domain_controller_address",
      "dc_address_type": "domain_controller_address_type", "domain_guid": "domain_guid",
      "domain_name": "domain_name", "forest_name": "dns_forest_name", "dc_flags": "flags",
      "dc_site_name": "dc_site_name", "client_site_name": "client_site_name",
    ]
    var out: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2, let key = keys[parts[0]], parts[1] != "*" else { continue }
      var value = parts[1]
      if value.hasPrefix("'") && value.hasSuffix("'") { value = String(value.dropFirst().dropLast()) }
      if key == "flags", let hex = value.split(separator: " ").first,
        let v = UInt32(hex.dropFirst(2), radix: 16)
      {
        value = String(v)
      }
      if key == "domain_controller_address_type", let open = value.lastIndex(of: "(") {
        value = String(value[value.index(after: open)...].dropLast())
      }
      out[key] = value
    }
    return out
  }

  /// Our answer as the same string map.
  func locate(_ domain: String, flags: UInt32) throws -> (
    status: Int32, fields: [String: String], errors: String
  ) {
    let r = try DomainController.run([
      try ntsec, "ds", "dc", domain, "--flags", "0x" + String(flags, radix: 16), "--json",
    ])
    guard r.status == 0 else { return (r.status, [:], r.stderr) }
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    return (0, object.mapValues { "\($0)" }, r.stderr)
  }

  /// Every combination the test DC satisfies: the plain call, each requirement it meets, each
  /// name form, and mixtures.
  static let satisfiable: [UInt32] = [
    0, 0x1, 0x10, 0x20, 0x30, 0x40, 0x80, 0x200, 0x400, 0x1000, 0x2000, 0x8000, 0x2_0000, 0x8_0000,
    0x4000_0000, 0x8000_0000, 0x8000_0080, 0x4000_0040, 0x1610, 0x8000_1400, 0x8000_8000, 0x4002_0201,
  ]

  @Test(arguments: satisfiable)
  func sameAnswerAsSambasLocator(flags: UInt32) throws {
    let env = try DomainController.environment()
    let domain = env["AD_DC_DNS_DOMAIN"]!
    let ours = try locate(domain, flags: flags)
    #expect(ours.status == 0, "ntsec ds dc: \(ours.errors)")
    let oracle = try DomainController.run([
      "net", "lookup", "dsgetdcname", domain, "0x" + String(flags, radix: 16),
    ])
    #expect(oracle.status == 0, "net lookup dsgetdcname: \(oracle.stderr)")
    let expected = Self.parseSamba(oracle.stdout)
    #expect(expected.count == 9, "net printed \(oracle.stdout)")
    #expect(ours.fields == expected, "flags 0x\(String(flags, radix: 16))")
  }

  /// The plain call equals winbind's `wbinfo --dsgetdcname` (name, address, type, GUID, domain,
  /// forest, flags, DC site, client site, one a line).
  @Test func plainCallEqualsWinbind() throws {
    let env = try DomainController.environment()
    let domain = env["AD_DC_DNS_DOMAIN"]!
    let ours = try locate(domain, flags: 0)
    #expect(ours.status == 0, "\(ours.errors)")
    let wbinfo = try DomainController.run(["wbinfo", "--dsgetdcname=\(domain)"])
    #expect(wbinfo.status == 0, "wbinfo: \(wbinfo.stderr)")
    let lines = wbinfo.stdout.split(separator: "\n").map(String.init)
    let keys = [
      "domain_controller_name", "domain_controller_address", "domain_controller_address_type", "domain_guid",
      "domain_name", "dns_forest_name", "flags", "dc_site_name", "client_site_name",
    ]
    try #require(lines.count == keys.count, "wbinfo printed \(wbinfo.stdout)")
    for (key, line) in zip(keys, lines) {
      let expected = key == "flags" ? String(UInt32(line.dropFirst(2), radix: 16) ?? 0) : line
      #expect(ours.fields[key] == expected, "\(key)")
    }
  }

  /// What the test DC is not (a time server, a web-service DC, a 2012+ DC): both locators find
  /// nothing; ours says ERROR_NO_SUCH_DOMAIN and names the DC that lacked it.
  @Test(arguments: [UInt32(0x800), 0x10_0000, 0x20_0000, 0x40_0000, 0x80_0000, 0x8000_0800])
  func requirementsTheDCLacksFindNothing(flags: UInt32) throws {
    let env = try DomainController.environment()
    let ours = try locate(env["AD_DC_DNS_DOMAIN"]!, flags: flags)
    #expect(ours.status == 1)
    #expect(ours.errors.contains("ERROR_NO_SUCH_DOMAIN"), "\(ours.errors)")
    #expect(ours.errors.contains("lack what was asked"), "\(ours.errors)")
    let oracle = try DomainController.run(
      ["net", "lookup", "dsgetdcname", env["AD_DC_DNS_DOMAIN"]!, "0x" + String(flags, radix: 16)])
    #expect(oracle.status != 0 || oracle.stdout.contains("failed"), "Samba found a DC: \(oracle.stdout)")
  }

  /// Contradictory or undefined flags: ERROR_INVALID_FLAGS, as the DC's DsrGetDcNameEx2 answers
  /// WERR_INVALID_FLAGS.
  @Test(arguments: [UInt32(0xC0), 0x440, 0x480, 0x3_0000, 0xC000_0000, 0x100_0000, 0x200_0000])
  func contradictoryFlagsAreInvalidFlags(flags: UInt32) throws {
    let env = try DomainController.environment()
    let hex = "0x" + String(flags, radix: 16)
    let ours = try locate(env["AD_DC_DNS_DOMAIN"]!, flags: flags)
    #expect(ours.status == 1)
    #expect(ours.errors.contains("ERROR_INVALID_FLAGS"), "\(hex): \(ours.errors)")
    let oracle = try DomainController.run([
      "sh", "-c",
      "rpcclient -U \"$AD_DC_DOMAIN\\\\$AD_DC_ADMIN_USER%$AD_DC_ADMIN_PASSWORD\" \"$AD_DC_ADDRESS\" "
        + "-c \"dsr_getdcnameex $AD_DC_DNS_DOMAIN 00000000-0000-0000-0000-000000000000 Default-First-Site-Name \(hex)\"",
    ])
    #expect(oracle.stdout.contains("WERR_INVALID_FLAGS"), "\(hex): \(oracle.stdout) \(oracle.stderr)")
  }

  /// A domain with no SRV records, and one whose SRV record names a host where no DC answers:
  /// ERROR_NO_SUCH_DOMAIN well within the locator's time limits, as Samba's locator fails too.
  @Test func domainsThatDoNotAnswerAreNoSuchDomain() throws {
    let env = try DomainController.environment()
    let add = try DomainController.run([
      "sh", "-c",
      "u=\"$AD_DC_ADMIN_USER%$AD_DC_ADMIN_PASSWORD\"; samba-tool dns add $AD_DC_ADDRESS $AD_DC_DNS_DOMAIN "
        + "silent-dc A 127.0.0.3 -U \"$u\" && samba-tool dns add $AD_DC_ADDRESS $AD_DC_DNS_DOMAIN "
        + "_ldap._tcp.dc._msdcs.silent SRV \"silent-dc.$AD_DC_DNS_DOMAIN 389 0 100\" -U \"$u\"",
    ])
    #expect(add.status == 0 || add.stderr.contains("already exists"), "samba-tool dns add: \(add.stderr)")
    for domain in ["nosuch.test", "silent." + env["AD_DC_DNS_DOMAIN"]!] {
      let start = Date()
      let ours = try locate(domain, flags: 0)
      #expect(Date().timeIntervalSince(start) < 10, "\(domain) took too long")
      #expect(ours.status == 1)
      #expect(ours.errors.contains("ERROR_NO_SUCH_DOMAIN") && ours.errors.contains(domain), "\(ours.errors)")
      let oracle = try DomainController.run(["net", "lookup", "dsgetdcname", domain])
      #expect(oracle.stdout.contains("failed") || oracle.status != 0, "Samba found a DC for \(domain)")
    }
    let silent = try locate("silent." + env["AD_DC_DNS_DOMAIN"]!, flags: 0)
    #expect(
      silent.errors.contains("silent-dc.\(env["AD_DC_DNS_DOMAIN"]!) (127.0.0.3): no answer"),
      "\(silent.errors)")
  }

  /// With no domain, the host's DNS domain: the namespace's resolv.conf searches the DC's domain.
  @Test func noDomainMeansTheHostsDNSDomain() throws {
    let env = try DomainController.environment()
    let r = try DomainController.run([try ntsec, "ds", "dc", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    #expect(object?["domain_name"] as? String == env["AD_DC_DNS_DOMAIN"])
    #expect(object?["domain_controller_name"] as? String == "\\\\" + env["AD_DC_HOST"]!)
  }

  /// A second look-up in the same process is answered from the cache (no LDAP ping) unless
  /// DS_FORCE_REDISCOVERY is set, and one that asks more than the cached DC's flags show looks again.
  @Test func cacheAnswersUntilForceRediscovery() throws {
    let env = try DomainController.environment()
    let domain = env["AD_DC_DNS_DOMAIN"]!
    func pings(_ flags: String) throws -> [Int] {
      let r = try DomainController.run([
        try ntsec, "ds", "dc", domain, domain, "--flags", flags, "--verbose", "--json",
      ])
      #expect(r.status == 0, "\(r.stderr)")
      return r.stderr.split(separator: "\n").compactMap { line in
        line.split(separator: " ").dropLast(2).last.flatMap { Int($0) }
      }
    }
    #expect(try pings("0") == [1, 0])
    #expect(try pings("force_rediscovery") == [1, 1])
    #expect(try pings("pdc_required") == [1, 0])
  }

  /// DsGetSpn composes the SPNs the DC registered for itself (read from its database with
  /// ldbsearch): host-based, domain, NetBIOS-domain and service forms.
  @Test func getSPNComposesTheDCsOwnSPNs() throws {
    let env = try DomainController.environment()
    let search = try DomainController.run([
      "sh", "-c",
      "ldbsearch -H \"$AD_DC_DIR/dc/private/sam.ldb\" '(sAMAccountName=DC1$)' servicePrincipalName",
    ])
    #expect(search.status == 0, "ldbsearch: \(search.stderr)")
    // LDIF folds long lines: a continuation starts with a space.
    let unfolded = search.stdout.replacingOccurrences(of: "\n ", with: "")
    let registered = Set(
      unfolded.split(separator: "\n").filter { $0.hasPrefix("servicePrincipalName: ") }
        .map { String($0.dropFirst(22)) })
    let host = env["AD_DC_HOST"]!
    let dns = env["AD_DC_DNS_DOMAIN"]!
    let netBIOS = env["AD_DC_DOMAIN"]!
    let drsuapi = try #require(registered.first { $0.hasPrefix("E3514235-4B06-11D1-AB04-00C04FC2DCD2/") })
    let ntdsGUID = String(drsuapi.split(separator: "/")[1])
    let cases: [[String]] = [
      ["dns_host", "HOST", "--instance", host],
      ["nb_host", "HOST", "--instance", "DC1"],
      ["domain", "ldap", "--service-name", dns, "--instance", host],
      ["nb_domain", "ldap", "--service-name", netBIOS, "--instance", host],
      ["domain", "GC", "--service-name", dns, "--instance", host],
      ["domain", "E3514235-4B06-11D1-AB04-00C04FC2DCD2", "--service-name", dns, "--instance", ntdsGUID],
      ["dns_host", "ldap", "--instance", "\(ntdsGUID)._msdcs.\(dns)"],
      ["service", "ldap", "--service-name", "DomainDnsZones.\(dns)", "--instance", host],
    ]
    for arguments in cases {
      let r = try runProgram(try ntsec, ["ds", "getspn"] + arguments)
      #expect(r.status == 0, "\(arguments): \(r.stderr)")
      let spn = r.stdout.trimmingCharacters(in: .newlines)
      #expect(registered.contains(spn), "\(spn) is not among the DC's SPNs \(registered.sorted())")
    }
  }
}
