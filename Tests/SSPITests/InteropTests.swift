import Foundation
import GSSAPI
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension SSPISuite {
  /// SSPI against peers no one here wrote: python-gssapi and MIT's gss-sample programs, both
  /// directions.
  @Suite struct Interop {
    static let peer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("scripts/gssapi-peer.py").path

    func python(_ arguments: [String]) throws -> LinePeer {
      let realm = try Realm.get()
      return try LinePeer("/usr/bin/env", ["python3", Self.peer] + arguments, environment: realm.environment)
    }

    @Test(arguments: ["Kerberos", "Negotiate"])
    func sspiClientToPythonGSSAPI(package: String) throws {
      let peer = try python(["accept"])
      let creds = try SSPI.acquireCredentialsHandle(package: package, use: .outbound).credentials
      let req: SSPI.InitializeRequirements = [
        .mutualAuth, .confidentiality, .integrity, .replayDetect, .sequenceDetect,
      ]
      var step = try SSPI.initializeSecurityContext(credentials: creds, target: hostSPN, requirements: req)
      var established: String?
      while true {
        if !step.token.isEmpty { peer.send(Data(step.token).base64EncodedString()) }
        guard let line = peer.receive() else { break }
        if line.hasPrefix("established ") {
          established = String(line.dropFirst(12))
          break
        }
        step = try SSPI.initializeSecurityContext(
          credentials: creds, context: step.context, target: hostSPN, requirements: req,
          input: .token([UInt8](Data(base64Encoded: line)!)))
        if step.status == .ok && step.token.isEmpty {
          established = peer.receive().map { String($0.dropFirst(12)) }
          break
        }
      }
      #expect(step.status == .ok)
      #expect(established == KerberosTestRealm.userPrincipal)
      let ctx = step.context
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, Array("from SSPI".utf8)),
        SSPI.SecurityBuffer(.padding),
      ]
      try ctx.encryptMessage(&m)
      peer.send("wrap:" + Data(m[0].bytes + m[1].bytes + m[2].bytes).base64EncodedString())
      let mic = try #require(peer.receive())
      var sig: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, Array("from SSPI".utf8)),
        SSPI.SecurityBuffer(.token, [UInt8](Data(base64Encoded: String(mic.dropFirst(4)))!)),
      ]
      try ctx.verifySignature(sig)
      let wrap = try #require(peer.receive())
      var reply: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.stream, [UInt8](Data(base64Encoded: String(wrap.dropFirst(5)))!)),
        SSPI.SecurityBuffer(.data),
      ]
      #expect(try ctx.decryptMessage(&reply) == 0)
      #expect(String(decoding: reply[1].bytes, as: UTF8.self) == "reply: from SSPI")
      sig[0].bytes = []
      let (status, errors) = peer.finish()
      #expect(status == 0, "\(errors)")
    }

    @Test(arguments: ["krb5", "spnego"])
    func pythonGSSAPIClientToSSPIServer(mech: String) throws {
      let peer = try python(["initiate", KerberosTestRealm.hostService, mech])
      let creds = try SSPI.acquireCredentialsHandle(
        package: mech == "krb5" ? "Kerberos" : "Negotiate", use: .inbound
      ).credentials
      var context: SSPI.SecurityContext?
      while true {
        let line = try #require(peer.receive())
        if line == "established" { break }
        let step = try SSPI.acceptSecurityContext(
          credentials: creds, context: context, input: .token([UInt8](Data(base64Encoded: line)!)))
        context = step.context
        if !step.token.isEmpty { peer.send(Data(step.token).base64EncodedString()) }
      }
      let ctx = try #require(context)
      #expect(ctx.isEstablished && ctx.negotiatedPackage == .kerberos)
      #expect(try ctx.nativeNames().clientName == KerberosTestRealm.userPrincipal)
      let wrap = try #require(peer.receive())
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.stream, [UInt8](Data(base64Encoded: String(wrap.dropFirst(5)))!)),
        SSPI.SecurityBuffer(.data),
      ]
      try ctx.decryptMessage(&m)
      #expect(String(decoding: m[1].bytes, as: UTF8.self) == "hello from python-gssapi")
      var sig: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, m[1].bytes), SSPI.SecurityBuffer(.token),
      ]
      try ctx.makeSignature(&sig)
      peer.send("mic:" + Data(sig[1].bytes).base64EncodedString())
      var reply: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, Array("reply: from Swift".utf8)),
        SSPI.SecurityBuffer(.padding),
      ]
      try ctx.encryptMessage(&reply)
      peer.send("wrap:" + Data(reply[0].bytes + reply[1].bytes + reply[2].bytes).base64EncodedString())
      #expect(peer.receive() == "got:reply: from Swift")
      let (status, errors) = peer.finish()
      #expect(status == 0, "\(errors)")
    }

    /// An SSPI client against MIT's gss-server: EncryptMessage's TOKEN‖DATA‖PADDING is the wrap
    /// token gss-server unwraps; its MIC passes VerifySignature.
    @Test func sspiClientToGssServer() throws {
      let realm = try Realm.get()
      let (server, connection) = try SampleConnection.startGssServer(
        service: KerberosTestRealm.hostService, environment: realm.environment)
      defer { connection.close() }
      let creds = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
      let req: SSPI.InitializeRequirements = [.mutualAuth, .replayDetect, .confidentiality, .integrity]
      var step = try SSPI.initializeSecurityContext(credentials: creds, target: hostSPN, requirements: req)
      while true {
        if !step.token.isEmpty { try connection.send(SampleConnection.context, step.token) }
        guard step.status == .continueNeeded else { break }
        let reply = try connection.receive()
        step = try SSPI.initializeSecurityContext(
          credentials: creds, context: step.context, target: hostSPN, requirements: req,
          input: .token(reply.token))
      }
      let message = Array("hello from SSPI".utf8)
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, message), SSPI.SecurityBuffer(.padding),
      ]
      try step.context.encryptMessage(&m)
      try connection.send(
        SampleConnection.data | SampleConnection.wrapped | SampleConnection.encrypted
          | SampleConnection.sendMIC,
        m[0].bytes + m[1].bytes + m[2].bytes)
      let mic = try connection.receive()
      #expect(mic.flags == SampleConnection.mic)
      try step.context.verifySignature([
        SSPI.SecurityBuffer(.data, message), SSPI.SecurityBuffer(.token, mic.token),
      ])
      try connection.send(SampleConnection.noop, [])
      let (status, output) = server.finish()
      #expect(status == 0, "\(output)")
      #expect(output.contains("Accepted connection: \"user@NTSEC.TEST\""))
      #expect(output.contains("Received message: \"hello from SSPI\""))
    }

    /// MIT's gss-client against an SSPI server: DecryptMessage (STREAM) reads its wrap token and
    /// MakeSignature's token is the MIC it verifies.
    @Test func gssClientToSSPIServer() throws {
      let realm = try Realm.get()
      let listener = try SampleConnection.Listener()
      defer { listener.close() }
      let client = try Background(
        "/usr/bin/gss-client",
        ["-port", String(listener.port), "localhost", KerberosTestRealm.hostService, "hello from MIT"],
        environment: realm.environment)
      let connection = try listener.accept()
      defer { connection.close() }
      _ = try connection.receive()
      let creds = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .inbound).credentials
      var context: SSPI.SecurityContext?
      while true {
        let token = try connection.receive()
        let step = try SSPI.acceptSecurityContext(
          credentials: creds, context: context, input: .token(token.token))
        context = step.context
        if !step.token.isEmpty { try connection.send(SampleConnection.context, step.token) }
        if step.status == .ok { break }
      }
      let ctx = try #require(context)
      let data = try connection.receive()
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.stream, data.token), SSPI.SecurityBuffer(.data),
      ]
      #expect(try ctx.decryptMessage(&m) == 0)
      #expect(m[1].bytes == Array("hello from MIT".utf8))
      var sig: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, m[1].bytes), SSPI.SecurityBuffer(.token),
      ]
      try ctx.makeSignature(&sig)
      try connection.send(SampleConnection.mic, sig[1].bytes)
      _ = try connection.receive()
      let (status, output) = client.finish()
      #expect(status == 0, "\(output)")
      #expect(output.contains("Signature verified."))
    }
  }
}
