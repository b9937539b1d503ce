import Foundation
import GSSAPI
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

extension SSPISuite {
  @Suite struct KerberosContexts {
    /// The Windows loop: ISC → CONTINUE_NEEDED, ASC → OK with the AP-REP, ISC → OK.
    @Test func mutualAuthenticationTakesThreeLegs() throws {
      let x = try exchange()
      #expect(x.legs == 3)
      #expect(x.client.status == .ok && x.server.status == .ok)
      #expect(x.client.context.isEstablished && x.server.context.isEstablished)
      #expect(
        x.client.attributes.isSuperset(of: [
          .mutualAuth, .replayDetect, .sequenceDetect, .confidentiality, .integrity, .connection,
        ]))
      #expect(
        x.server.attributes.isSuperset(of: [
          .mutualAuth, .replayDetect, .sequenceDetect, .confidentiality, .integrity, .connection,
        ]))
      #expect(!x.client.attributes.contains(.delegate))
      #expect((x.client.expiry.secondsRemaining ?? 0) > 3600)
    }

    @Test func withoutMutualAuthOneLegDoes() throws {
      let x = try exchange(requirements: [.connection, .integrity])
      #expect(x.legs == 2)
      #expect(!x.client.attributes.contains(.mutualAuth))
      #expect(x.server.context.isEstablished)
    }

    @Test func delegationForwardsTheTGT() throws {
      let x = try exchange(requirements: [.mutualAuth, .delegate])
      #expect(x.client.attributes.contains(.delegate))
      #expect(x.server.attributes.contains(.delegate))
    }

    @Test func allocateMemoryIsReported() throws {
      let x = try exchange(requirements: [.mutualAuth, .allocateMemory])
      #expect(x.client.attributes.contains(.allocatedMemory))
    }

    @Test func targetForms() throws {
      let spn = try SSPI.TargetName("HTTP/web.example.com:8080")
      #expect(spn.service == "HTTP" && spn.host == "web.example.com" && spn.port == 8080 && spn.realm == nil)
      let withName = try SSPI.TargetName("MSSQLSvc/db.example.com:1433/instance")
      #expect(withName.host == "db.example.com" && withName.port == 1433)
      let upn = try SSPI.TargetName("user@EXAMPLE.COM")
      #expect(upn.service == nil && upn.realm == "EXAMPLE.COM")
      let realmSPN = try SSPI.TargetName("host/server.example.com@EXAMPLE.COM")
      #expect(realmSPN.host == "server.example.com" && realmSPN.realm == "EXAMPLE.COM")
      #expect(try SSPI.TargetName("HTTP/192.168.1.10").isIPAddress)
      #expect(try SSPI.TargetName("HTTP/[fe80::1]:80").isIPAddress)
      #expect(try SSPI.TargetName("cifs/2001:db8::7").isIPAddress)
      #expect(!(try SSPI.TargetName("HTTP/1.2.3.example.com").isIPAddress))
      expectStatus(.targetUnknown) { _ = try SSPI.TargetName("") }
      expectStatus(.targetUnknown) { _ = try SSPI.TargetName("HTTP/") }
      expectStatus(.targetUnknown) { _ = try SSPI.TargetName("HTTP/host:notaport") }
    }

    /// An SPN the KDC has never heard of.
    @Test func unknownServiceIsTargetUnknown() throws {
      _ = try Realm.get()
      let creds = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
      expectStatus(.targetUnknown) {
        _ = try SSPI.initializeSecurityContext(
          credentials: creds, target: "HTTP/nowhere.ntsec.test", requirements: [.mutualAuth])
      }
    }

    /// One credentials handle, several targets in turn (the handle remembers the last target it
    /// imported): each context is with the service named, and a bad target changes nothing.
    @Test func oneCredentialsHandleManyTargets() throws {
      _ = try Realm.get()
      let creds = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
      for target in ["host/localhost", "HTTP/localhost", "HTTP/localhost", "host/localhost"] {
        let x = try exchange(target: target, clientCredentials: creds)
        #expect(try x.client.context.nativeNames().serverName.hasPrefix(target + "@"))
        expectStatus(.targetUnknown) {
          _ = try SSPI.initializeSecurityContext(credentials: creds, target: "HTTP/nowhere.ntsec.test")
        }
      }
    }

    @Test func garbageTokenIsInvalidToken() throws {
      _ = try Realm.get()
      let creds = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .inbound).credentials
      expectStatus(.invalidToken) {
        _ = try SSPI.acceptSecurityContext(
          credentials: creds, input: .token(Array("not a kerberos token".utf8)))
      }
      expectStatus(.invalidToken) { _ = try SSPI.acceptSecurityContext(credentials: creds, input: []) }
    }

    /// A server whose keytab lacks the ticket's key cannot decrypt it.
    @Test func wrongServerKeyIsDenied() throws {
      _ = try Realm.get()
      let client = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
      let first = try SSPI.initializeSecurityContext(
        credentials: client, target: hostSPN, requirements: [.mutualAuth])
      let http = try SSPI.acquireCredentialsHandle(
        principal: "HTTP/localhost", package: "Kerberos", use: .inbound
      ).credentials
      let e = try #require(
        expectStatus(.wrongPrincipal) {
          _ = try SSPI.acceptSecurityContext(credentials: http, input: .token(first.token))
        })
      #expect(e.gssError != nil)
    }

    @Test func channelBindingsMustMatch() throws {
      let hash = [UInt8](repeating: 0xAB, count: 32)
      let cb = SSPI.ChannelBindings.tlsServerEndPoint(certificateHash: hash)
      let x = try exchange(clientBindings: cb, serverBindings: cb)
      #expect(x.server.status == .ok)
      let other = SSPI.ChannelBindings.tlsServerEndPoint(certificateHash: [UInt8](repeating: 0xCD, count: 32))
      expectStatus(.badBindings) { _ = try exchange(clientBindings: cb, serverBindings: other) }
    }

    @Test func channelBindingsLayout() throws {
      let cb = SSPI.ChannelBindings(
        initiatorAddressType: 2, initiatorAddress: [127, 0, 0, 1],
        applicationData: Array("tls-server-end-point:".utf8) + [1, 2])
      let bytes = cb.bytes
      #expect(bytes.count == 32 + 4 + 23)
      #expect(Array(bytes[0..<12]) == [2, 0, 0, 0, 4, 0, 0, 0, 32, 0, 0, 0])
      #expect(Array(bytes[12..<24]) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
      #expect(Array(bytes[24..<32]) == [23, 0, 0, 0, 36, 0, 0, 0])
      #expect(try SSPI.ChannelBindings(bytes: bytes) == cb)
      var bad = bytes
      bad[24] = 200  // application data longer than the buffer
      let e = expectStatus(.invalidToken) { _ = try SSPI.ChannelBindings(bytes: bad) }
      #expect(e?.message.contains("application data") == true)
      expectStatus(.invalidToken) { _ = try SSPI.ChannelBindings(bytes: [1, 2, 3]) }
    }

    @Test func attributesOfAnEstablishedContext() throws {
      let x = try exchange()
      let server = x.server.context
      let client = x.client.context
      guard case .names(let name) = try server.attribute(.names) else { throw TestFailure(text: "names") }
      #expect(name == "user@NTSEC.TEST")
      let native = try server.nativeNames()
      #expect(native.clientName == "user@NTSEC.TEST")
      #expect(native.serverName.hasPrefix("host/localhost"))
      #expect(try client.authority() == "NTSEC.TEST")
      #expect(try server.sessionKey().key == client.sessionKey().key)
      #expect(try server.sessionKey().key.count == 32)
      let key = try client.keyInfo()
      #expect(
        key.encryptAlgorithm == 18 && key.keySize == 256
          && key.encryptAlgorithmName == "AES-256-CTS-HMAC-SHA1-96")
      let sizes = try client.sizes()
      #expect(sizes.maxToken == 65535 && sizes.maxSignature == 28 && sizes.blockSize == 1)
      // RFC 4121 AES: 16 header + 16 confounder + 16 header copy + 12 HMAC
      #expect(sizes.securityTrailer == 60)
      let stream = try client.streamSizes()
      #expect(stream.header == 60 && stream.trailer == 0 && stream.maximumMessage > 60_000)
      guard case .packageInfo(let info) = try client.attribute(.packageInfo) else {
        throw TestFailure(text: "pkg")
      }
      #expect(info.name == "Kerberos")
      guard case .negotiationInfo(let n) = try server.attribute(.negotiationInfo) else {
        throw TestFailure(text: "neg")
      }
      #expect(n.state == .complete)
      guard case .flags(let f) = try client.attribute(.flags) else { throw TestFailure(text: "flags") }
      #expect(f == x.client.attributes.rawValue)
      guard case .lifespan(let life) = try server.attribute(.lifespan) else {
        throw TestFailure(text: "life")
      }
      #expect(life.start.date! <= Date() && life.expiry.date! > Date())
    }

    @Test func unfinishedContextAnswersOnlyPackageAndFlags() throws {
      _ = try Realm.get()
      let creds = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
      let first = try SSPI.initializeSecurityContext(
        credentials: creds, target: hostSPN, requirements: [.mutualAuth])
      #expect(first.status == .continueNeeded)
      guard case .negotiationInfo(let n) = try first.context.attribute(.negotiationInfo) else {
        throw TestFailure(text: "neg")
      }
      #expect(n.state == .inProgress)
      expectStatus(.invalidHandle) { _ = try first.context.attribute(.sizes) }
      expectStatus(.invalidHandle) {
        var m: SSPI.SecurityBufferDescriptor = [SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, [1])]
        try first.context.makeSignature(&m)
      }
    }

    @Test func exportAndImportKeepTheContextWorking() throws {
      let x = try exchange()
      let exported = try x.server.context.export()
      expectStatus(.invalidHandle) { _ = try x.server.context.sizes() }
      let imported = try SSPI.importSecurityContext(
        package: exported.package, packedContext: exported.packedContext)
      #expect(imported.isEstablished && !imported.isClient)
      var message: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, Array("after import".utf8)),
      ]
      try x.client.context.encryptMessage(&message)
      try imported.decryptMessage(&message)
      #expect(message[1].bytes == Array("after import".utf8))
      expectStatus(.invalidToken) {
        _ = try SSPI.importSecurityContext(package: "Kerberos", packedContext: [1, 2, 3])
      }
    }
  }
}
