import DirectoryServices
import NTSecurity
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// DsGetSpn and DsMakeSpn: the forms their documentation gives.
@Suite struct SPNComposition {
  @Test func hostBasedSPNsNameEachInstanceWithItsPort() throws {
    #expect(
      try DirectoryServices.getSPNs(type: .dnsHost, serviceClass: "http", instanceNames: ["web.contoso.com"])
        == ["http/web.contoso.com"])
    #expect(
      try DirectoryServices.getSPNs(
        type: .dnsHost, serviceClass: "MSSQLSvc", instanceNames: ["db1.contoso.com", "db2.contoso.com"],
        instancePorts: [1433, 0]) == ["MSSQLSvc/db1.contoso.com:1433", "MSSQLSvc/db2.contoso.com"])
    #expect(
      try DirectoryServices.getSPNs(type: .netBIOSHost, serviceClass: "HOST", instanceNames: ["DC1"])
        == ["HOST/DC1"])
    #expect(
      try DirectoryServices.getSPNs(type: .dnHost, serviceClass: "ldap", instanceNames: ["dc1.contoso.com"])
        == ["ldap/dc1.contoso.com"])
  }

  /// The replicable forms, as a DC registers its own: `ldap/host/domain`, `ldap/host/NETBIOS`,
  /// `E3514235-…/guid._msdcs.forest` (DS_SPN_SERVICE).
  @Test func replicableSPNsEndInTheServiceName() throws {
    #expect(
      try DirectoryServices.getSPNs(
        type: .domain, serviceClass: "ldap", serviceName: "contoso.com", instanceNames: ["dc1.contoso.com"])
        == ["ldap/dc1.contoso.com/contoso.com"])
    #expect(
      try DirectoryServices.getSPNs(
        type: .netBIOSDomain, serviceClass: "ldap", serviceName: "CONTOSO", instanceNames: ["dc1.contoso.com"]
      )
        == ["ldap/dc1.contoso.com/CONTOSO"])
    #expect(
      try DirectoryServices.getSPNs(
        type: .service, serviceClass: "E3514235-4B06-11D1-AB04-00C04FC2DCD2",
        serviceName: "4f2e7a4c-1111-2222-3333-444455556666._msdcs.contoso.com",
        instanceNames: ["dc1.contoso.com"], instancePorts: [3268])
        == [
          "E3514235-4B06-11D1-AB04-00C04FC2DCD2/dc1.contoso.com:3268/4f2e7a4c-1111-2222-3333-444455556666._msdcs.contoso.com"
        ])
  }

  /// With no instance names: one SPN for this computer (DNS name, or NetBIOS name for the NB
  /// types) with InstancePort.
  @Test func noInstanceNamesMeansThisComputer() throws {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, 255)
    let host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let netBIOS = String(host.split(separator: ".").first!.uppercased().prefix(15))
    #expect(
      try DirectoryServices.getSPNs(type: .netBIOSHost, serviceClass: "http", port: 8080) == [
        "http/\(netBIOS):8080"
      ])
    let dns = try DirectoryServices.getSPNs(type: .dnsHost, serviceClass: "http")
    #expect(dns.count == 1)
    #expect(dns[0].lowercased().hasPrefix("http/" + host.split(separator: ".").first!.lowercased()))
    #expect(
      try DirectoryServices.getSPNs(type: .netBIOSDomain, serviceClass: "ldap", serviceName: "CONTOSO")
        == ["ldap/\(netBIOS)/CONTOSO"])
  }

  @Test func badArgumentsAreInvalidParameter() {
    let cases: [() throws -> Void] = [
      { _ = try DirectoryServices.getSPNs(type: .dnsHost, serviceClass: "") },
      { _ = try DirectoryServices.getSPNs(type: .dnsHost, serviceClass: "a/b", instanceNames: ["h"]) },
      {
        _ = try DirectoryServices.getSPNs(
          type: .dnsHost, serviceClass: "http", serviceName: "x", instanceNames: ["h"])
      },
      { _ = try DirectoryServices.getSPNs(type: .domain, serviceClass: "ldap", instanceNames: ["h"]) },
      {
        _ = try DirectoryServices.getSPNs(
          type: .service, serviceClass: "ldap", serviceName: "", instanceNames: ["h"])
      },
      {
        _ = try DirectoryServices.getSPNs(
          type: .dnsHost, serviceClass: "http", instanceNames: ["a", "b"], instancePorts: [1])
      },
      { _ = try DirectoryServices.getSPNs(type: .dnsHost, serviceClass: "http", instanceNames: [""]) },
      { _ = try DirectoryServices.makeSPN(serviceClass: "http", serviceName: "") },
    ]
    for (i, body) in cases.enumerated() {
      do {
        try body()
        Issue.record("case \(i) succeeded")
      } catch let error as NTSecurityError {
        #expect(error.code == .invalidParameter, "case \(i)")
      } catch { Issue.record("case \(i): \(error)") }
    }
  }

  @Test func makeSPNInstancePortAndReferrerForms() throws {
    #expect(
      try DirectoryServices.makeSPN(serviceClass: "http", serviceName: "web.contoso.com")
        == "http/web.contoso.com")
    #expect(
      try DirectoryServices.makeSPN(serviceClass: "http", serviceName: "web.contoso.com", port: 8443)
        == "http/web.contoso.com:8443")
    #expect(
      try DirectoryServices.makeSPN(
        serviceClass: "ldap", serviceName: "contoso.com", instanceName: "dc1.contoso.com", port: 389)
        == "ldap/dc1.contoso.com:389/contoso.com")
    // The referrer only counts when the service name is an IP address.
    #expect(
      try DirectoryServices.makeSPN(
        serviceClass: "ldap", serviceName: "10.1.2.3", referrer: "dc1.contoso.com")
        == "ldap/10.1.2.3/dc1.contoso.com")
    #expect(
      try DirectoryServices.makeSPN(
        serviceClass: "ldap", serviceName: "fe80::1", port: 636, referrer: "dc1.contoso.com")
        == "ldap/fe80::1:636/dc1.contoso.com")
    #expect(
      try DirectoryServices.makeSPN(
        serviceClass: "ldap", serviceName: "dc1.contoso.com", referrer: "other.contoso.com")
        == "ldap/dc1.contoso.com")
  }
}
