import Foundation
import GSSAPI
import NTSecurityTesting
import TestPeers
import Testing

/// Interoperability with MIT's own sample programs (krb5-gss-samples), which no one here wrote.
extension GSS {
  @Suite struct MITSamples {
    /// The Swift binding as initiator against MIT's gss-server: context, then a wrapped message,
    /// for which the server returns a MIC that the binding verifies.
    @Test func swiftInitiatorAgainstGssServer() throws {
      let realm = try Realm.get()
      let (server, connection) = try SampleConnection.startGssServer(
        service: "host@localhost", environment: realm.environment)
      defer { connection.close() }
      let target = try hostTarget()
      var step = try GSSAPI.initSecurityContext(
        target: target, mechanism: GSSAPI.MechanismType.kerberos,
        flags: [.mutualAuthentication, .replayDetection, .confidentiality, .integrity])
      while true {
        if let token = step.token { try connection.send(SampleConnection.context, token) }
        guard step.moreSteps else { break }
        let reply = try connection.receive()
        #expect(reply.flags == SampleConnection.context)
        step = try GSSAPI.initSecurityContext(
          target: target, context: step.context, mechanism: GSSAPI.MechanismType.kerberos,
          flags: [.mutualAuthentication, .replayDetection, .confidentiality, .integrity],
          inputToken: reply.token)
      }
      let message = Array("hello from Swift".utf8)
      let wrapped = try GSSAPI.wrap(step.context, message: message)
      try connection.send(
        SampleConnection.data | SampleConnection.wrapped | SampleConnection.encrypted
          | SampleConnection.sendMIC,
        wrapped.message)
      let mic = try connection.receive()
      #expect(mic.flags == SampleConnection.mic)
      try GSSAPI.verifyMIC(step.context, message: message, token: mic.token)
      try connection.send(SampleConnection.noop, [])
      let (status, output) = server.finish()
      #expect(status == 0, "\(output)")
      #expect(output.contains("Accepted connection: \"user@NTSEC.TEST\""))
      #expect(output.contains("Received message: \"hello from Swift\""))
    }

    /// MIT's gss-client against a Swift acceptor: the client wraps a message and verifies the
    /// Swift acceptor's MIC over it ("Signature verified.").
    @Test func gssClientAgainstSwiftAcceptor() throws {
      let realm = try Realm.get()
      let listener = try SampleConnection.Listener()
      defer { listener.close() }
      let client = try Background(
        "/usr/bin/gss-client",
        ["-port", String(listener.port), "localhost", "host@localhost", "hello from MIT"],
        environment: realm.environment)
      let connection = try listener.accept()
      defer { connection.close() }
      let first = try connection.receive()
      #expect(first.flags == SampleConnection.noop | SampleConnection.contextNext)
      var context: GSSAPI.SecurityContext? = nil
      var initiator: GSSAPI.Name? = nil
      while true {
        let token = try connection.receive()
        #expect(token.flags == SampleConnection.context)
        let step = try GSSAPI.acceptSecurityContext(inputToken: token.token, context: context)
        context = step.context
        initiator = step.initiatorName
        if let reply = step.token { try connection.send(SampleConnection.context, reply) }
        if !step.moreSteps { break }
      }
      #expect(initiator?.description == "user@NTSEC.TEST")
      let data = try connection.receive()
      #expect(data.flags & SampleConnection.wrapped != 0)
      let plain = try GSSAPI.unwrap(context!, message: data.token)
      #expect(plain.message == Array("hello from MIT".utf8))
      #expect(plain.encrypted)
      let mic = try GSSAPI.getMIC(context!, message: plain.message)
      try connection.send(SampleConnection.mic, mic)
      let end = try connection.receive()
      #expect(end.flags == SampleConnection.noop)
      let (status, output) = client.finish()
      #expect(status == 0, "\(output)")
      #expect(output.contains("Signature verified."))
    }
  }
}
