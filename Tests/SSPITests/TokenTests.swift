import Foundation
import GSSAPI
import NTSecurity
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension SSPISuite {
  /// QuerySecurityContextToken without a PAC (MIT's KDC issues no LOGON_INFO): the local-account
  /// rule, and Impersonate/RevertSecurityContext.
  @Suite struct Tokens {
    /// A principal named after an account of this machine ("nobody"), with a password.
    func nobodyCredentials() throws -> SSPI.CredentialsHandle {
      let realm = try Realm.get()
      try realm.run(
        "/usr/sbin/kadmin.local", ["-r", KerberosTestRealm.realmName],
        input: "addprinc -pw nobody-password nobody\n")
      return try SSPI.acquireCredentialsHandle(
        package: "Kerberos", use: .outbound,
        authData: SSPI.AuthIdentity(user: "nobody", domain: "NTSEC.TEST", password: "nobody-password")
      ).credentials
    }

    @Test func localAccountRuleGivesUnixSIDs() throws {
      let pw = try #require(getpwnam("nobody"), "this machine has no 'nobody' account")
      let (uid, gid) = (pw.pointee.pw_uid, pw.pointee.pw_gid)
      let x = try exchange(clientCredentials: try nobodyCredentials())
      let token = try x.server.context.querySecurityContextToken()
      #expect(x.server.context.tokenRule == .localAccount("nobody"))
      #expect(token.user.sid.description == "S-1-22-1-\(uid)")
      #expect(token.primaryGroup.description == "S-1-22-2-\(gid)")
      let groups = Set(token.groups.map(\.sid.description))
      for sid in [
        "S-1-1-0", "S-1-5-32-545", "S-1-5-2", "S-1-5-11", "S-1-5-15", "S-1-22-2-\(gid)", "S-1-16-8192",
      ] {
        #expect(groups.contains(sid), "missing \(sid)")
      }
      #expect(!groups.contains("S-1-5-64-10"))  // Kerberos has no package SID
      #expect(token.type == .impersonation && token.impersonationLevel == .impersonation)
      #expect(token.source.name == "Kerberos")
    }

    @Test func identifyGivesAnIdentificationToken() throws {
      _ = try #require(getpwnam("nobody"))
      let x = try exchange(
        requirements: [.mutualAuth, .identify], clientCredentials: try nobodyCredentials())
      #expect(x.server.attributes.contains(.identify))
      #expect(try x.server.context.querySecurityContextToken().impersonationLevel == .identification)
    }

    @Test func noPACAndNoAccountIsLogonDenied() throws {
      let x = try exchange()
      if getpwnam("user") == nil {
        let e = expectStatus(.logonDenied) { _ = try x.server.context.querySecurityContextToken() }
        #expect(e?.message.contains("user@NTSEC.TEST") == true)
      } else {
        #expect(x.server.context.tokenRule == .localAccount("user"))
      }
      expectStatus(.unsupportedFunction) { _ = try x.client.context.querySecurityContextToken() }
    }

    @Test func impersonationIsPerThread() throws {
      _ = try #require(getpwnam("nobody"))
      let x = try exchange(clientCredentials: try nobodyCredentials())
      #expect(SSPI.threadToken == nil)
      try x.server.context.impersonate()
      let token = try #require(SSPI.threadToken)
      #expect(token == (try x.server.context.querySecurityContextToken()))
      nonisolated(unsafe) var otherThreadSees: AccessToken? = token
      let done = DispatchSemaphore(value: 0)
      // This thread is blocked on the semaphore, so the block runs on another one.
      DispatchQueue.global().async {
        otherThreadSees = SSPI.threadToken
        done.signal()
      }
      done.wait()
      #expect(otherThreadSees == nil)
      // AccessCheck on the impersonating thread uses the client's token.
      let user = token.user.sid
      let grant = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FR;;;\(user))")
      let deny = try SecurityDescriptor(sddl: "O:BAG:BAD:(D;;FR;;;\(user))(A;;FA;;;WD)")
      #expect(try SSPI.accessCheck(descriptor: grant, desired: .fileGenericRead).granted == .fileGenericRead)
      #expect(try SSPI.accessCheck(descriptor: deny, desired: .fileGenericRead).status == .accessDenied)
      try x.server.context.revert()
      #expect(SSPI.threadToken == nil)
      let error = #expect(throws: NTSecurityError.self) {
        try SSPI.accessCheck(descriptor: grant, desired: .fileGenericRead)
      }
      #expect(error?.code == .noToken)
    }
  }
}
