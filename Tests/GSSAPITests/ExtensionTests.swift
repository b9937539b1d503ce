import Foundation
import GSSAPI
import NTSecurityTesting
import TestPeers
import Testing

extension GSS {
  @Suite struct DCEExtensions {
    @Test func wrapIOVAndUnwrapIOV() throws {
      let (i, a) = try establish()
      var iov = GSSAPI.IOV(
        [
          GSSAPI.IOVBuffer(.signOnly, value: Array("header".utf8)),
          GSSAPI.IOVBuffer(.data, value: Array("payload".utf8)),
        ])
      #expect(iov.buffers.map(\.type) == [.header, .signOnly, .data, .padding, .trailer])
      #expect(try GSSAPI.wrapIOV(i.context, message: &iov))
      #expect(iov[2].value != Array("payload".utf8))  // encrypted in place
      #expect(iov[1].value == Array("header".utf8))  // signed only
      #expect((iov[0].value?.count ?? 0) > 0)
      let result = try GSSAPI.unwrapIOV(a.context, message: &iov)
      #expect(result.encrypted)
      #expect(iov[2].value == Array("payload".utf8))
      // the stream form: one wrap token in, the data out
      let token = try GSSAPI.wrap(i.context, message: Array("streamed".utf8)).message
      var stream = GSSAPI.IOV(
        [GSSAPI.IOVBuffer(.stream, value: token), GSSAPI.IOVBuffer(.data)], standardLayout: false)
      _ = try GSSAPI.unwrapIOV(a.context, message: &stream)
      #expect(stream[1].value == Array("streamed".utf8))
    }

    @Test func wrapIOVLengthThenWrapWithoutAllocation() throws {
      let (i, a) = try establish()
      var iov = GSSAPI.IOV(data: Array("sized".utf8), autoAllocate: false)
      try GSSAPI.wrapIOVLength(i.context, message: &iov)
      let header = try #require(iov[0].value)
      #expect(header.count >= 16)  // RFC 4121 token header
      try GSSAPI.wrapIOV(i.context, message: &iov)
      _ = try GSSAPI.unwrapIOV(a.context, message: &iov)
      #expect(iov[1].value == Array("sized".utf8))
    }

    @Test func aeadRoundTripAndAssociatedDataMismatch() throws {
      let (i, a) = try establish()
      let sealed = try GSSAPI.wrapAEAD(
        i.context, message: Array("secret".utf8), associated: Array("aad".utf8))
      #expect(sealed.encrypted)
      let opened = try GSSAPI.unwrapAEAD(a.context, message: sealed.message, associated: Array("aad".utf8))
      #expect(opened.message == Array("secret".utf8))
      let other = try GSSAPI.wrapAEAD(i.context, message: Array("secret".utf8), associated: Array("aad".utf8))
      do {
        _ = try GSSAPI.unwrapAEAD(a.context, message: other.message, associated: Array("AAD".utf8))
        Issue.record("other associated data verified")
      } catch { #expect(error.routine == .badMIC) }
      // the refused token left a gap in the sequence: the next one says so (python: TokenTooEarlyError)
      let noAAD = try GSSAPI.wrapAEAD(i.context, message: [1, 2, 3], confidential: false)
      #expect(!noAAD.encrypted)
      do {
        _ = try GSSAPI.unwrapAEAD(a.context, message: noAAD.message)
        Issue.record("a gap in the sequence went unreported")
      } catch {
        #expect(error.supplementary == .gapToken && error.routine == nil)
        #expect(error.pythonName == "TokenTooEarlyError")
      }
      let (i2, a2) = try establish()
      let plain = try GSSAPI.wrapAEAD(i2.context, message: [1, 2, 3], confidential: false)
      #expect(try GSSAPI.unwrapAEAD(a2.context, message: plain.message).message == [1, 2, 3])
    }

    @Test func micIOV() throws {
      let (i, a) = try establish()
      var iov = GSSAPI.IOV(
        [GSSAPI.IOVBuffer(.data, value: Array("mic me".utf8)), GSSAPI.IOVBuffer(.micToken, allocate: true)],
        standardLayout: false)
      try GSSAPI.getMICIOV(i.context, message: &iov)
      let token = try #require(iov[1].value)
      #expect(token.count >= 16)
      #expect(try GSSAPI.verifyMICIOV(a.context, message: iov) == 0)
      var sized = GSSAPI.IOV(
        [GSSAPI.IOVBuffer(.data, value: [1]), GSSAPI.IOVBuffer(.micToken)], standardLayout: false)
      try GSSAPI.getMICIOVLength(i.context, message: &sized)
      #expect(sized[1].value?.count == token.count)
      var bad = iov
      bad.buffers[0].value = Array("mic mE".utf8)
      do {
        try GSSAPI.verifyMICIOV(a.context, message: bad)
        Issue.record("a MIC over other bytes verified")
      } catch { #expect(error.routine == .badMIC) }
    }
  }

  @Suite struct KerberosExtensions {
    @Test func sessionKeyByOIDAndSASLSSF() throws {
      let (i, a) = try establish()
      let ours = try GSSAPI.inquireSecurityContext(i.context, byOID: GSSAPI.OID.krb5InquireSSPISessionKey)
      let theirs = try GSSAPI.inquireSecurityContext(a.context, byOID: GSSAPI.OID.krb5InquireSSPISessionKey)
      #expect(ours.count == 2)
      #expect(ours[0].count == 32)  // aes256-cts session key
      #expect(ours == theirs)
      let ssf = try GSSAPI.inquireSecurityContext(i.context, byOID: GSSAPI.OID.secContextSASLSSF)
      #expect(ssf == [[0, 0, 1, 0]])  // 256 bits, network order
      #expect(throws: GSSError.self) {
        try GSSAPI.inquireSecurityContext(i.context, byOID: GSSAPI.OID(dotted: "1.2.3.4"))
      }
    }

    @Test func lucidContextAuthtimeAuthzDataAndTicketFlags() throws {
      let (i, a) = try establish(flags: [.mutualAuthentication, .delegateToPeer])
      let authtime = try GSSAPI.krb5AuthTime(of: a.context)
      let now = Int32(Date().timeIntervalSince1970)
      #expect(authtime <= now && authtime > now - 36000)
      // the PAC (ad-type 128) is wrapped in AD-IF-RELEVANT (1): a DER SEQUENCE OF AuthorizationData
      let ifRelevant = try GSSAPI.krb5AuthorizationData(of: a.context, type: 1)
      #expect(ifRelevant.first == 0x30 && ifRelevant.count > 64)
      #expect(ifRelevant.starts(with: [0x30]) && ifRelevant.contains(0x80))
      do {
        _ = try GSSAPI.krb5AuthorizationData(of: a.context, type: 128)
        Issue.record("found a PAC at the top level")
      } catch { #expect(error.routine == .failure) }
      let flags = try GSSAPI.krb5TicketFlags(of: a.context)
      #expect(flags & 0x4000_0000 != 0)  // TKT_FLG_FORWARDABLE (kinit -f)
      #expect(flags & 0x0040_0000 == 0)  // TKT_FLG_INITIAL: a service ticket is not an initial ticket
      let lucid = try GSSAPI.krb5ExportLucidSecurityContext(i.context)
      #expect(lucid.version == 1 && lucid.isInitiator && lucid.protocolNumber == 1)
      #expect(lucid.cfxKeyData?.keyType == 18 && lucid.cfxKeyData?.key.count == 32)
      #expect(lucid.rfc1964KeyData == nil)
      #expect(throws: GSSError.self) { try GSSAPI.wrap(i.context, message: [1]) }  // consumed
      let theirs = try GSSAPI.krb5ExportLucidSecurityContext(a.context)
      #expect(!theirs.isInitiator)
      #expect(theirs.sendSequence == lucid.receiveSequence)
      #expect(throws: GSSError.self) {
        try GSSAPI.krb5ExportLucidSecurityContext(GSSAPI.SecurityContext(), version: 1)
      }
    }

    @Test func delegationStoredIntoACCacheWithStoreCredInto() throws {
      let realm = try Realm.get()
      let (i, a) = try establish(flags: [.mutualAuthentication, .delegateToPeer])
      #expect(i.flags.contains(.delegateToPeer))
      #expect(a.flags.contains(.delegateToPeer))
      let delegated = try #require(a.delegatedCredentials)
      let file = realm.directory.appendingPathComponent("delegated-\(UInt32.random(in: 0...UInt32.max))").path
      let stored = try GSSAPI.storeCredentials(delegated, into: ["ccache": "FILE:" + file], usage: .initiate)
      #expect(stored.mechanisms == [GSSAPI.MechanismType.kerberos])
      let klist = try realm.run("/usr/bin/klist", ["-c", "FILE:" + file])
      #expect(klist.contains("Default principal: user@NTSEC.TEST"))
      #expect(klist.contains("krbtgt/NTSEC.TEST@NTSEC.TEST"))
      // the service now acts as the user towards another service
      let forwarded = try GSSAPI.acquireCredentials(from: ["ccache": "FILE:" + file], usage: .initiate)
      let http = try GSSAPI.importName(KerberosTestRealm.httpService, type: GSSAPI.NameType.hostbasedService)
      let (_, onward) = try establish(target: http, initiatorCredentials: forwarded.credentials)
      #expect(onward.initiatorName?.description == "user@NTSEC.TEST")
      // without the flag there is nothing to store
      let (_, plain) = try establish(flags: [.mutualAuthentication])
      #expect(plain.delegatedCredentials == nil)
    }

    /// S4U2Self: host/localhost (ok_to_auth_as_delegate) gets a ticket to itself in the user's name.
    @Test func s4u2SelfImpersonation() throws {
      let realm = try Realm.get()
      let service = try GSSAPI.importName(
        "host/localhost@NTSEC.TEST", type: GSSAPI.NameType.kerberosPrincipal)
      let ccache = "MEMORY:s4u-\(UInt32.random(in: 0...UInt32.max))"
      let impersonator = try GSSAPI.acquireCredentials(
        from: ["client_keytab": realm.keytab, "ccache": ccache], name: service, usage: .initiate)
      let user = try GSSAPI.importName("user@NTSEC.TEST", type: GSSAPI.NameType.kerberosPrincipal)
      let s4u = try GSSAPI.acquireCredentials(impersonating: user, with: impersonator.credentials)
      #expect(try GSSAPI.inquireCredentials(s4u.credentials).name?.description == "user@NTSEC.TEST")
      let who = try GSSAPI.inquireCredentials(s4u.credentials, byOID: GSSAPI.OID.krb5GetCredImpersonator)
      #expect(who.first.map { String(decoding: $0, as: UTF8.self) } == "host/localhost@NTSEC.TEST")
      let (_, a) = try establish(target: hostTarget(), initiatorCredentials: s4u.credentials)
      #expect(a.initiatorName?.description == "user@NTSEC.TEST")
      let added = try GSSAPI.addCredentials(
        to: nil, impersonating: user, with: impersonator.credentials, mechanism: GSSAPI.MechanismType.kerberos
      )
      #expect(added.mechanisms == [GSSAPI.MechanismType.kerberos])
    }
  }

  @Suite struct Negotiation {
    @Test func channelBindingsMatchAndMismatch() throws {
      let bindings = GSSAPI.ChannelBindings(applicationData: Array("tls-server-end-point:abc".utf8))
      let (_, ok) = try establish(initiatorBindings: bindings, acceptorBindings: bindings)
      #expect(ok.flags.contains(.channelBound))
      let other = GSSAPI.ChannelBindings(
        initiatorAddressType: .ip, initiatorAddress: [127, 0, 0, 1],
        applicationData: Array("tls-server-end-point:xyz".utf8))
      do {
        _ = try establish(initiatorBindings: bindings, acceptorBindings: other)
        Issue.record("mismatched channel bindings were accepted")
      } catch let error as GSSError {
        #expect(error.routine == .badBindings)
        #expect(error.pythonName == "BadChannelBindingsError")
      }
    }

    @Test func spnegoNegotiatesKerberos() throws {
      let (i, a) = try establish(mechanism: GSSAPI.MechanismType.spnego)
      #expect(i.mechanism == GSSAPI.MechanismType.kerberos)
      #expect(a.mechanism == GSSAPI.MechanismType.kerberos)
      #expect(a.initiatorName?.description == "user@NTSEC.TEST")
    }

    @Test func setNegMechsLimitsSPNEGO() throws {
      _ = try Realm.get()
      let creds = try GSSAPI.acquireCredentials(
        name: nil, mechanisms: [GSSAPI.MechanismType.spnego], usage: .initiate)
      try GSSAPI.setNegotiationMechanisms([GSSAPI.MechanismType.kerberos], for: creds.credentials)
      let (i, _) = try establish(
        mechanism: GSSAPI.MechanismType.spnego, initiatorCredentials: creds.credentials)
      #expect(i.mechanism == GSSAPI.MechanismType.kerberos)
      // an acceptor limited to NTLM cannot agree with an initiator limited to Kerberos
      let acceptor = try GSSAPI.acquireCredentials(
        name: nil, mechanisms: [GSSAPI.MechanismType.spnego], usage: .accept)
      try GSSAPI.setNegotiationMechanisms([GSSAPI.MechanismType.ntlmssp], for: acceptor.credentials)
      #expect(throws: GSSError.self) {
        try establish(
          mechanism: GSSAPI.MechanismType.spnego, initiatorCredentials: creds.credentials,
          acceptorCredentials: acceptor.credentials)
      }
    }

    @Test func ntlmThroughGssNtlmssp() throws {
      _ = try Realm.get()
      let user = try GSSAPI.importName("NTSEC\\user", type: GSSAPI.NameType.user)
      let creds = try GSSAPI.acquireCredentials(
        name: user, password: Array(try KerberosTestRealm.shared().userPassword.utf8),
        mechanisms: [GSSAPI.MechanismType.ntlmssp])
      let acceptor = try GSSAPI.acquireCredentials(
        name: nil, mechanisms: [GSSAPI.MechanismType.ntlmssp], usage: .accept)
      let (i, a) = try establish(
        flags: [
          .mutualAuthentication, .confidentiality, .integrity, .replayDetection, .outOfSequenceDetection,
        ],
        mechanism: GSSAPI.MechanismType.ntlmssp, initiatorCredentials: creds.credentials,
        acceptorCredentials: acceptor.credentials)
      #expect(i.mechanism == GSSAPI.MechanismType.ntlmssp)
      #expect(a.initiatorName?.description == "NTSEC\\user")  // without the NUL gss-ntlmssp counts
      let wrapped = try GSSAPI.wrap(i.context, message: Array("over ntlm".utf8))
      #expect(try GSSAPI.unwrap(a.context, message: wrapped.message).message == Array("over ntlm".utf8))
      for n in 0..<3 {
        let mic = try GSSAPI.getMIC(a.context, message: [1, 2, UInt8(n)])
        try GSSAPI.verifyMIC(i.context, message: [1, 2, UInt8(n)], token: mic)
      }
      try GSSAPI.setSecurityContextOption(
        GSSAPI.OID.ntlmsspResetCrypto, context: i.context, value: [0, 0, 0, 0])
      // a wrong password is refused by the acceptor
      let bad = try GSSAPI.acquireCredentials(
        name: user, password: Array("wrong".utf8), mechanisms: [GSSAPI.MechanismType.ntlmssp])
      #expect(throws: GSSError.self) {
        try establish(
          mechanism: GSSAPI.MechanismType.ntlmssp, initiatorCredentials: bad.credentials,
          acceptorCredentials: acceptor.credentials)
      }
    }
  }
}
