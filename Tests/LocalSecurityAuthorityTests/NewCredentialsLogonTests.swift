import Foundation
import NTSecurity
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

@testable import LocalSecurityAuthority

extension HostAccountSuites {
  /// Domain logons against the embedded test realm: LOGON32_LOGON_NEW_CREDENTIALS (the token
  /// keeps the caller's identity, and SSPI's outbound Kerberos on a thread impersonating it
  /// authenticates as the domain user to a service of the realm), and a host without a keytab.
  @Suite(.serialized, .timeLimit(.minutes(1))) struct NewCredentialsLogonTests {
    @Test("Without a keytab a domain logon is ERROR_NO_SUCH_DOMAIN, right password or not")
    func noKeytabFailsAlike() throws {
      let realm = try KerberosTestRealm.shared()
      let directory = try makeTemporaryDirectory("ntsec-nokeytab")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      var configuration = isolatedConfiguration(directory)
      configuration.logonKeytab = "FILE:\(directory)/no-such.keytab"
      configuration.logonFailureDuration = .milliseconds(200)
      for password in [realm.userPassword, "not-the-password"] {
        var bytes = Array(password.utf8)
        expectError(.noSuchDomain) {
          _ = try LocalSecurityAuthority.logonUser(
            KerberosTestRealm.userPrincipal, password: &bytes, configuration: configuration)
        }
      }
    }

    @Test(
      "NEW_CREDENTIALS keeps the local identity; SSPI with no identity on the impersonating thread uses the domain TGT"
    )
    func newCredentialsOutbound() throws {
      let realm = try KerberosTestRealm.shared()
      let directory = try makeTemporaryDirectory("ntsec-newcreds")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let configuration = isolatedConfiguration(directory)
      var password = Array(realm.userPassword.utf8)
      let token = try LocalSecurityAuthority.logonUser(
        KerberosTestRealm.userPrincipal, password: &password, type: .newCredentials,
        configuration: configuration)
      #expect(password.allSatisfy { $0 == 0 }, "the password is wiped")
      let caller = try LocalSecurityAuthority.processToken(configuration: configuration)
      #expect(token.user.sid == caller.user.sid, "the local identity is kept")
      #expect(token.statistics.authenticationID != caller.statistics.authenticationID, "a new logon session")

      let server = try SSPI.acquireKerberosCredentials(keytab: realm.keytab, principal: nil)
      let (principal, clientName) = try onNewThread {
        try LocalSecurityAuthority.withImpersonation(token, configuration: configuration) {
          () throws -> (String?, String) in
          #expect(SSPI.threadLogonSession == token.statistics.authenticationID)
          let client = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
          var step = try SSPI.initializeSecurityContext(credentials: client, target: "host/localhost")
          var accepted = try SSPI.acceptSecurityContext(credentials: server, input: .token(step.token))
          var legs = 0
          while accepted.status != .ok && legs < 4 {
            legs += 1
            step = try SSPI.initializeSecurityContext(
              credentials: client, context: step.context, target: "host/localhost",
              input: .token(accepted.token))
            accepted = try SSPI.acceptSecurityContext(
              credentials: server, context: accepted.context, input: .token(step.token))
          }
          return (client.principal, try accepted.context.nativeNames().clientName)
        }
      }
      #expect(principal == KerberosTestRealm.userPrincipal)
      #expect(clientName == KerberosTestRealm.userPrincipal)
      #expect(try onNewThread { SSPI.threadLogonSession } == nil)
      // Named by its logon id, the session's credentials are the same.
      let named = try SSPI.acquireCredentialsHandle(
        package: "Kerberos", use: .outbound, logonID: token.statistics.authenticationID)
      #expect(named.credentials.principal == KerberosTestRealm.userPrincipal)
      // LsaCallAuthenticationPackage on that logon session reads its tickets (the TGT, and the
      // service ticket the SSPI client got).
      let response = try LocalSecurityAuthority.callAuthenticationPackage(
        LocalSecurityAuthority.connectUntrusted(), package: 2, message: .queryTicketCacheEx,
        logonID: token.statistics.authenticationID, configuration: configuration)
      guard case .ticketCache(let tickets) = response else {
        Issue.record("no ticket cache: \(response)")
        return
      }
      #expect(Set(tickets.map(\.serverName)) == ["krbtgt/\(KerberosTestRealm.realmName)", "host/localhost"])
      #expect(tickets.allSatisfy { $0.clientName == KerberosTestRealm.user })

      var wrong = Array("not-the-password".utf8)
      expectError(.logonFailure) {
        _ = try LocalSecurityAuthority.logonUser(
          KerberosTestRealm.userPrincipal, password: &wrong, type: .newCredentials,
          configuration: configuration)
      }
    }
  }
}
