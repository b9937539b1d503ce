import Foundation
import NTSecurity
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension SSPISuite {
  /// AcquireCredentialsHandle (Kerberos): each documented result from its real cause.
  @Suite struct Credentials {
    @Test func defaultOutboundKerberosIsTheCachedTGT() throws {
      _ = try Realm.get()
      let r = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound)
      #expect(r.credentials.principal == KerberosTestRealm.userPrincipal)
      #expect(r.credentials.use == .outbound)
      // The realm issues 10-hour tickets.
      let remaining = try #require(r.expiry.secondsRemaining)
      #expect(remaining > 9 * 3600 && remaining <= 10 * 3600)
    }

    /// The TimeStamp is local time, as the seed requires: FILETIME of the instant shifted by the
    /// zone's offset.
    @Test func expiryIsLocalTime() throws {
      let date = Date(timeIntervalSince1970: 1_700_000_000)
      let utc = SSPI.TimeStamp(date, timeZone: TimeZone(identifier: "UTC")!)
      #expect(utc.localFileTime == (1_700_000_000 + 11_644_473_600) * 10_000_000)
      let paris = SSPI.TimeStamp(date, timeZone: TimeZone(identifier: "Europe/Paris")!)
      #expect(paris.localFileTime - utc.localFileTime == 3600 * 10_000_000)  // UTC+1 in November
      #expect(SSPI.TimeStamp(nil).localFileTime == Int64.max)
    }

    /// The expiries the calls return are local time in the zone Foundation knows as current.
    @Test func returnedExpiriesAreLocalTime() throws {
      let x = try exchange()
      let creds = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound)
      for stamp in [x.client.expiry, x.server.expiry, x.client.context.expiry, creds.expiry] {
        let date = try #require(stamp.date)
        #expect(stamp.localFileTime == SSPI.TimeStamp(date).localFileTime)
      }
    }

    @Test func passwordGetsATicket() throws {
      _ = try Realm.get()
      let identity = SSPI.AuthIdentity(
        user: "user", domain: "ntsec.test", password: try KerberosTestRealm.shared().userPassword)
      let r = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound, authData: identity)
      #expect(r.credentials.principal == "user@NTSEC.TEST")
      #expect((r.expiry.secondsRemaining ?? 0) > 3600)
      // …and it authenticates.
      let x = try exchange(clientCredentials: r.credentials)
      #expect(x.client.status == .ok && x.server.status == .ok)
    }

    @Test func wrongPasswordIsUnknownCredentials() throws {
      _ = try Realm.get()
      let identity = SSPI.AuthIdentity(user: "user", domain: "NTSEC.TEST", password: "not-the-password")
      let e = expectStatus(.unknownCredentials) {
        _ = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound, authData: identity)
      }
      #expect(e?.gssError != nil)
    }

    @Test func unknownUserIsUnknownCredentials() throws {
      _ = try Realm.get()
      let identity = SSPI.AuthIdentity(user: "nosuchuser", domain: "NTSEC.TEST", password: "x")
      expectStatus(.unknownCredentials) {
        _ = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound, authData: identity)
      }
    }

    /// A realm with no KDC anyone can find: no authenticating authority.
    @Test func unreachableRealmIsNoAuthenticatingAuthority() throws {
      _ = try Realm.get()
      let identity = SSPI.AuthIdentity(user: "user", domain: "NOWHERE.INVALID", password: "x")
      expectStatus(.noAuthenticatingAuthority) {
        _ = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound, authData: identity)
      }
    }

    /// Another principal's credentials, which the caller's caches do not hold.
    @Test func anotherPrincipalIsNoCredentials() throws {
      _ = try Realm.get()
      expectStatus(.noCredentials) {
        _ = try SSPI.acquireCredentialsHandle(
          principal: "someone@NTSEC.TEST", package: "Kerberos", use: .outbound)
      }
    }

    @Test func inboundNeedsTheKeyInTheKeytab() throws {
      _ = try Realm.get()
      let any = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .inbound)
      #expect(any.credentials.use == .inbound)
      _ = try SSPI.acquireCredentialsHandle(principal: "HTTP/localhost", package: "Kerberos", use: .inbound)
      expectStatus(.noCredentials) {
        _ = try SSPI.acquireCredentialsHandle(principal: "HTTP/elsewhere", package: "Kerberos", use: .inbound)
      }
    }

    /// Logon ids: another session's credentials need SE_TCB_NAME (root); no logon session exists
    /// until the LSA does.
    @Test func logonIDRule() throws {
      _ = try Realm.get()
      let expected: SSPI.Status = geteuid() == 0 ? .noCredentials : .notOwner
      expectStatus(expected) {
        _ = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound, logonID: LUID(0x3e7))
      }
    }

    @Test func freedHandleIsInvalid() throws {
      _ = try Realm.get()
      let creds = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
      creds.free()
      expectStatus(.invalidHandle) {
        _ = try SSPI.initializeSecurityContext(credentials: creds, target: hostSPN)
      }
    }

    @Test func ntlmKeepsThePasswordAndNegotiateHasBoth() throws {
      _ = try Realm.get()
      let identity = SSPI.AuthIdentity(
        user: "user", domain: "NTSEC", password: try KerberosTestRealm.shared().userPassword)
      let ntlm = try SSPI.acquireCredentialsHandle(package: "NTLM", use: .outbound, authData: identity)
      #expect(ntlm.expiry.date == nil)  // NTLM credentials do not expire
      let negotiate = try SSPI.acquireCredentialsHandle(package: "Negotiate", use: .outbound)
      #expect(negotiate.credentials.negotiablePackages.first == .kerberos)
    }
  }
}
