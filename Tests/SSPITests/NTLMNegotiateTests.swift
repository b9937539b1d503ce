import Foundation
import GSSAPI
import NTSecurity
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

extension SSPISuite {
  /// NTLM through gss-ntlmssp (its acceptor checks the realm's NTLM user file) and Negotiate.
  @Suite struct NTLMAndNegotiate {
    /// An NTLM client handle for `NTSEC\\user`, with the realm's password unless `password` is given.
    func ntlmClient(password: String? = nil) throws -> SSPI.CredentialsHandle {
      let password = try password ?? Realm.get().userPassword
      return try SSPI.acquireCredentialsHandle(
        package: "NTLM", use: .outbound,
        authData: SSPI.AuthIdentity(user: "user", domain: "NTSEC", password: password)
      ).credentials
    }

    /// NEGOTIATE → CHALLENGE → AUTHENTICATE: ISC and ASC each return SEC_I_CONTINUE_NEEDED once.
    @Test func ntlmThreeMessages() throws {
      let server = try SSPI.acquireCredentialsHandle(package: "NTLM", use: .inbound).credentials
      let client = try ntlmClient()
      let negotiate = try SSPI.initializeSecurityContext(
        credentials: client, target: nil,
        requirements: [.confidentiality, .integrity, .replayDetect, .sequenceDetect])
      #expect(negotiate.status == .continueNeeded)
      #expect(negotiate.token.starts(with: Array("NTLMSSP\0".utf8) + [1, 0, 0, 0]))
      let challenge = try SSPI.acceptSecurityContext(credentials: server, input: .token(negotiate.token))
      #expect(challenge.status == .continueNeeded)
      #expect(challenge.token.starts(with: Array("NTLMSSP\0".utf8) + [2, 0, 0, 0]))
      let authenticate = try SSPI.initializeSecurityContext(
        credentials: client, context: negotiate.context, target: nil, input: .token(challenge.token))
      #expect(authenticate.status == .ok)
      #expect(authenticate.token.starts(with: Array("NTLMSSP\0".utf8) + [3, 0, 0, 0]))
      let done = try SSPI.acceptSecurityContext(
        credentials: server, context: challenge.context, input: .token(authenticate.token))
      #expect(done.status == .ok && done.token.isEmpty)
      #expect(done.context.negotiatedPackage == .ntlm)
      #expect(try done.context.userName().uppercased() == "NTSEC\\USER")
      // Messages: NTLM's 16-byte signature in TOKEN.
      let sizes = try done.context.sizes()
      #expect(sizes.maxSignature == 16 && sizes.securityTrailer == 16 && sizes.maxToken == 2888)
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, Array("ntlm sealed".utf8)),
      ]
      try authenticate.context.encryptMessage(&m)
      #expect(m[0].bytes.count == 16 && m[1].bytes != Array("ntlm sealed".utf8))
      try done.context.decryptMessage(&m)
      #expect(m[1].bytes == Array("ntlm sealed".utf8))
      var sig: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, [1, 2, 3]), SSPI.SecurityBuffer(.token),
      ]
      try done.context.makeSignature(&sig)
      #expect(sig[1].bytes.count == 16)
      try authenticate.context.verifySignature(sig)
      #expect(try done.context.sessionKey().key.count == 16)
    }

    @Test func ntlmWrongPasswordIsLogonDenied() throws {
      let server = try SSPI.acquireCredentialsHandle(package: "NTLM", use: .inbound).credentials
      let client = try ntlmClient(password: "wrong-password")
      let negotiate = try SSPI.initializeSecurityContext(credentials: client, target: nil)
      let challenge = try SSPI.acceptSecurityContext(credentials: server, input: .token(negotiate.token))
      let authenticate = try SSPI.initializeSecurityContext(
        credentials: client, context: negotiate.context, target: nil, input: .token(challenge.token))
      expectStatus(.logonDenied) {
        _ = try SSPI.acceptSecurityContext(
          credentials: server, context: challenge.context, input: .token(authenticate.token))
      }
    }

    /// Negotiate with Kerberos credentials and a host name: Kerberos.
    @Test func negotiatePrefersKerberos() throws {
      let x = try exchange(package: "Negotiate")
      #expect(x.client.status == .ok && x.server.status == .ok)
      #expect(x.client.context.negotiatedPackage == .kerberos)
      #expect(x.server.context.negotiatedPackage == .kerberos)
      #expect(x.client.context.package == .negotiate)
      guard case .packageInfo(let info) = try x.server.context.attribute(.packageInfo) else {
        throw TestFailure(text: "pkg")
      }
      #expect(info.name == "Kerberos")
      // The first token is SPNEGO's NegTokenInit (RFC 4178 [APPLICATION 0] with the SPNEGO OID).
      let creds = try SSPI.acquireCredentialsHandle(package: "Negotiate", use: .outbound).credentials
      let first = try SSPI.initializeSecurityContext(
        credentials: creds, target: hostSPN, requirements: [.mutualAuth])
      #expect(first.token.first == 0x60)
      let lengthBytes = first.token[1] & 0x80 != 0 ? Int(first.token[1] & 0x7f) : 0
      let oid = 2 + lengthBytes
      #expect(Array(first.token[oid..<oid + 8]) == [0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02])
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, [5, 6, 7]),
      ]
      try x.client.context.encryptMessage(&m)
      try x.server.context.decryptMessage(&m)
      #expect(m[1].bytes == [5, 6, 7])
    }

    /// Negotiate to an IP address: NTLM, as Windows does (no SPN for an address).
    @Test func negotiateToAnIPAddressUsesNTLM() throws {
      let realm = try Realm.get()
      // One domain name for both packages: the realm's, also known to gss-ntlmssp's user file.
      try addNTLMUser(realm, domain: "NTSEC.TEST")
      let client = try SSPI.acquireCredentialsHandle(
        package: "Negotiate", use: .outbound,
        authData: SSPI.AuthIdentity(
          user: "user", domain: "ntsec.test", password: try KerberosTestRealm.shared().userPassword)
      ).credentials
      #expect(client.negotiablePackages == [.kerberos, .ntlm])
      let server = try SSPI.acquireCredentialsHandle(package: "Negotiate", use: .inbound).credentials
      let x = try exchange(
        package: "Negotiate", target: "host/127.0.0.1", clientCredentials: client, serverCredentials: server)
      #expect(x.client.context.negotiatedPackage == .ntlm)
      #expect(x.server.context.negotiatedPackage == .ntlm)
      #expect(x.server.status == .ok)
      // The same credentials still negotiate Kerberos for a host name.
      let y = try exchange(
        package: "Negotiate", target: hostSPN, clientCredentials: client, serverCredentials: server)
      #expect(y.client.context.negotiatedPackage == .kerberos)
    }
  }
}

/// Adds DOMAIN:user:password to the realm's NTLM user file (gss-ntlmssp reads it per logon).
func addNTLMUser(
  _ realm: KerberosTestRealm, domain: String, user: String = "user",
  password: String? = nil
) throws {
  let password = password ?? realm.userPassword
  let line = "\(domain):\(user):\(password)\n"
  let existing = (try? String(contentsOfFile: realm.ntlmUserFile, encoding: .utf8)) ?? ""
  if !existing.contains(line) {
    try (existing + line).write(toFile: realm.ntlmUserFile, atomically: true, encoding: .utf8)
  }
}
