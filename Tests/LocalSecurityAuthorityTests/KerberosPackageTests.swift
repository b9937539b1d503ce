import Foundation
import NTSecurity
import NTSecurityTesting
import TestPeers
import Testing

@testable import LocalSecurityAuthority

extension HostAccountSuites {
  /// The authentication-package calls (LsaConnectUntrusted … LsaCallAuthenticationPackage) and
  /// `ntsec klist`, over credential caches that MIT's `kinit` fills from the embedded test realm
  /// (KerberosTestRealm), checked against MIT's `klist`.
  @Suite(.serialized, .timeLimit(.minutes(2))) struct KerberosPackageTests {
    typealias LSA = LocalSecurityAuthority

    /// A fresh ccache holding the test user's TGT, from kinit.
    func filledCache() throws -> (realm: KerberosTestRealm, cache: String, directory: String) {
      let realm = try KerberosTestRealm.shared()
      let directory = try makeTemporaryDirectory("ntsec-klist")
      let cache = "FILE:\(directory)/ccache"
      try realm.kinit(KerberosTestRealm.userPrincipal, password: realm.userPassword, ccache: cache)
      return (realm, cache, directory)
    }

    @Test(
      "LsaLookupAuthenticationPackage numbers the packages as Windows; LsaRegisterLogonProcess needs SeTcbPrivilege"
    )
    func lookupAndRegister() throws {
      let lsa = LSA.connectUntrusted()
      #expect(!lsa.isTrusted)
      for (name, id) in [
        ("Kerberos", 2), ("kerberos", 2), ("Negotiate", 0), ("MICROSOFT_AUTHENTICATION_PACKAGE_V1_0", 3),
        ("NTLM", 3),
      ] as [(String, UInt32)] {
        #expect(try LSA.lookupAuthenticationPackage(lsa, name: name) == id, "\(name)")
      }
      expectError(WindowsError(rawValue: 1364)) {
        _ = try LSA.lookupAuthenticationPackage(lsa, name: "WDigest")
      }
      expectError(WindowsError(rawValue: 206)) {
        _ = try LSA.lookupAuthenticationPackage(lsa, name: String(repeating: "K", count: 128))
      }
      expectError(WindowsError(rawValue: 1364)) {
        _ = try LSA.callAuthenticationPackage(lsa, package: 0, message: .queryTicketCacheEx)
      }
      // This test process is root with CAP_SYS_ADMIN: SeTcbPrivilege.
      let trusted = try LSA.registerLogonProcess("ntsec-tests")
      #expect(trusted.isTrusted && trusted.logonProcessName == "ntsec-tests")
      LSA.deregisterLogonProcess(trusted)
      // A thread impersonating a user holds no capability: refused, and so is another session's cache.
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let user = try accounts.addUser("k")
      let directory = try makeTemporaryDirectory("ntsec-lsa-pkg")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let configuration = isolatedConfiguration(directory)
      let token = try LSA.logonUserWithoutPassword(user.name, configuration: configuration)
      try onNewThread {
        try LSA.withImpersonation(token, configuration: configuration) {
          expectError(.privilegeNotHeld) {
            _ = try LSA.registerLogonProcess("x", configuration: configuration)
          }
          expectError(.privilegeNotHeld) {
            _ = try LSA.callAuthenticationPackage(
              lsa, package: 2, message: .queryTicketCacheEx, logonID: LUID(lowPart: 0x3E7, highPart: 0),
              configuration: configuration)
          }
        }
      }
    }

    @Test("A Kerberos logon whose ticket has no logon-info PAC is refused, not mapped to a local account")
    func ticketWithoutPACIsRefused() throws {
      // MIT's KDC writes no logon-info PAC: without the refusal, daemon@NTSEC.TEST would become the
      // local account daemon by the local-account rule, past PAM's account checks.
      let realm = try KerberosTestRealm.shared()
      let password = "NoPac-" + UUID().uuidString
      try realm.run(
        "/usr/sbin/kadmin.local", ["-r", KerberosTestRealm.realmName],
        input: "addprinc -pw \(password) daemon\ncpw -pw \(password) daemon\n")
      let directory = try makeTemporaryDirectory("ntsec-nopac")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      var configuration = isolatedConfiguration(directory)
      configuration.logonKeytab = realm.keytab
      configuration.logonServicePrincipal = "host/localhost@\(KerberosTestRealm.realmName)"
      configuration.logonFailureDuration = .zero
      var bytes = Array(password.utf8)
      do {
        _ = try LSA.logonUser(
          "daemon@\(KerberosTestRealm.realmName)", password: &bytes, type: .network,
          configuration: configuration)
        Issue.record("a ticket without a PAC made a token")
      } catch {
        #expect(error.code == .logonFailure, "\(error)")
        #expect(error.message.contains("PAC"), "\(error)")
      }
    }

    @Test("The Kerberos messages query, retrieve, get and purge the caller's MIT ccache")
    func ticketCacheMessages() throws {
      let (_, cache, directory) = try filledCache()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let lsa = LSA.connectUntrusted()
      func call(_ message: LSA.KerberosMessage) throws -> LSA.KerberosResponse {
        try LSA.callAuthenticationPackage(lsa, package: 2, message: message, cacheName: cache)
      }
      let now = UInt64(Date().timeIntervalSince1970 + 11_644_473_600) * 10_000_000
      guard case .ticketCache(let tickets) = try call(.queryTicketCacheEx) else {
        Issue.record("no ticket cache response")
        return
      }
      try #require(tickets.count == 1, "\(tickets)")
      let tgt = tickets[0]
      #expect(tgt.clientName == KerberosTestRealm.user && tgt.clientRealm == KerberosTestRealm.realmName)
      #expect(
        tgt.serverName == "krbtgt/\(KerberosTestRealm.realmName)"
          && tgt.serverRealm == KerberosTestRealm.realmName)
      #expect(tgt.ticketFlags.contains(.initial), "\(tgt.ticketFlags.names)")
      #expect(tgt.startTime <= now + 10_000_000 * 60 && now < tgt.endTime)
      #expect([17, 18, 19, 20, 23].contains(tgt.encryptionType) && tgt.sessionKeyType != 0)
      guard case .ticketCache(let plain) = try call(.queryTicketCache) else { return }
      #expect(plain.map(\.serverName) == [tgt.serverName] && plain[0].clientName.isEmpty)

      guard case .ticket(let retrieved) = try call(.retrieveTicket) else { return }
      #expect(retrieved.serviceName.names == ["krbtgt", KerberosTestRealm.realmName])
      #expect(retrieved.sessionKey.isEmpty, "a TGT's session key is withheld")
      #expect(retrieved.encodedTicket.first == 0x61)  // [APPLICATION 1] Ticket

      guard
        case .ticket(let host) = try call(
          .retrieveEncodedTicket(targetName: "host/localhost", cacheOnly: false))
      else { return }
      #expect(
        host.serviceName.names == ["host", "localhost"] && host.domainName == KerberosTestRealm.realmName)
      #expect(host.clientName.names == [KerberosTestRealm.user])
      #expect(!host.sessionKey.isEmpty && host.encodedTicket.first == 0x61)
      guard case .ticketCache(let two) = try call(.queryTicketCacheEx) else { return }
      #expect(Set(two.map(\.serverName)) == ["krbtgt/\(KerberosTestRealm.realmName)", "host/localhost"])

      expectError(WindowsError(rawValue: 0x8009_0303)) {
        _ = try call(.retrieveEncodedTicket(targetName: "nosuch/service", cacheOnly: false))
      }
      expectError(WindowsError(rawValue: 0x8009_030E)) {
        _ = try call(.retrieveEncodedTicket(targetName: "HTTP/localhost", cacheOnly: true))
      }
      _ = try call(.purgeTicketCache(serverName: "host/localhost", realmName: nil))
      guard case .ticketCache(let one) = try call(.queryTicketCacheEx) else { return }
      #expect(one.map(\.serverName) == [tgt.serverName])
      _ = try call(.purgeTicketCache(serverName: nil, realmName: nil))
      guard case .ticketCache(let none) = try call(.queryTicketCacheEx) else { return }
      #expect(none.isEmpty)
      expectError(WindowsError(rawValue: 0x8009_030E)) { _ = try call(.retrieveTicket) }
      #expect(try run("/usr/bin/klist", ["-s", "-c", cache]).status != 0, "MIT klist still sees tickets")
    }

    /// MIT klist -f -e of `cache`.
    func mitTickets(_ cache: String) throws -> [String: MITTicket] {
      let r = try run(
        "/usr/bin/klist", ["-f", "-e", "-c", cache], environment: ["TZ": "UTC", "LC_ALL": "C"])
      try #require(r.status == 0, "klist: \(r.stderr)")
      return parseMITKlist(r.stdout)
    }

    @Test("ntsec klist lists the tickets MIT klist lists; get adds one; purge empties the cache")
    func klistAgreesWithMIT() throws {
      let (_, cache, directory) = try filledCache()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let get = try ntsec(["klist", "get", "HTTP/localhost", "--cache", cache])
      try #require(get.status == 0, "\(get.stderr)")
      #expect(get.stdout.contains("A ticket to HTTP/localhost has been retrieved successfully."))
      #expect(get.stdout.contains("Cached Tickets: (2)"))
      #expect(get.stdout.contains("#0>\tClient: user @ NTSEC.TEST"), "\(get.stdout)")
      let listed = try ntsec(["klist", "--json", "--cache", cache])
      try #require(listed.status == 0, "\(listed.stderr)")
      try expectKlistAgrees(
        ntsecJSON: listed.stdout, mit: try mitTickets(cache), client: KerberosTestRealm.userPrincipal,
        count: 2)
      let purge = try ntsec(["klist", "purge", "--cache", cache])
      #expect(purge.status == 0 && purge.stdout.contains("Ticket(s) purged!"), "\(purge.stderr)")
      #expect(try mitTickets(cache).isEmpty)
      let after = try ntsec(["klist", "--cache", cache])
      #expect(after.stdout.contains("Cached Tickets: (0)"))
    }
  }
}
