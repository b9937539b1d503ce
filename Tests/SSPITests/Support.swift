import Foundation
import GSSAPI
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

/// Every SSPI test runs inside this suite, serialized; they share the process's one MIT realm
/// (KerberosTestRealm.shared(), also used by the GSSAPI tests).
@Suite(.serialized) struct SSPISuite {}

enum Realm {
  /// The shared realm; a test that needs it fails (loudly) if it could not start.
  static func get() throws -> KerberosTestRealm { try KerberosTestRealm.shared() }
}

/// The realm's service the tests authenticate to, in Windows' SPN form.
let hostSPN = "host/localhost"

/// A complete SSPI exchange, the loop a Windows program writes: InitializeSecurityContext until
/// it returns SEC_E_OK, each output token fed to AcceptSecurityContext and back.
struct Exchange {
  var client: SSPI.InitializeResult
  var server: SSPI.AcceptResult
  var legs: Int
}

func exchange(
  package: String = "Kerberos", target: String? = hostSPN,
  requirements: SSPI.InitializeRequirements = [
    .mutualAuth, .replayDetect, .sequenceDetect, .confidentiality, .integrity,
  ],
  clientCredentials: SSPI.CredentialsHandle? = nil, serverCredentials: SSPI.CredentialsHandle? = nil,
  clientBindings: SSPI.ChannelBindings? = nil, serverBindings: SSPI.ChannelBindings? = nil
) throws -> Exchange {
  _ = try Realm.get()
  let clientCreds =
    try clientCredentials
    ?? SSPI.acquireCredentialsHandle(package: package, use: .outbound).credentials
  let serverCreds =
    try serverCredentials
    ?? SSPI.acquireCredentialsHandle(package: package, use: .inbound).credentials
  var extra: [SSPI.SecurityBuffer] = []
  if let clientBindings { extra.append(SSPI.SecurityBuffer(.channelBindings, clientBindings.bytes)) }
  var serverExtra: [SSPI.SecurityBuffer] = []
  if let serverBindings { serverExtra.append(SSPI.SecurityBuffer(.channelBindings, serverBindings.bytes)) }
  var client = try SSPI.initializeSecurityContext(
    credentials: clientCreds, target: target, requirements: requirements,
    input: extra.isEmpty ? nil : SSPI.SecurityBufferDescriptor(extra))
  var server: SSPI.AcceptResult?
  var legs = 1
  while true {
    guard legs < 10 else { throw TestFailure(text: "too many legs") }
    if client.token.isEmpty { break }
    let s = try SSPI.acceptSecurityContext(
      credentials: serverCreds, context: server?.context,
      input: SSPI.SecurityBufferDescriptor([SSPI.SecurityBuffer(.token, client.token)] + serverExtra))
    server = s
    legs += 1
    if s.token.isEmpty || client.status == .ok { break }
    client = try SSPI.initializeSecurityContext(
      credentials: clientCreds, context: client.context, target: target, requirements: requirements,
      input: SSPI.SecurityBufferDescriptor([SSPI.SecurityBuffer(.token, s.token)] + extra))
    legs += 1
    if client.status == .ok && client.token.isEmpty { break }
  }
  guard let server else { throw TestFailure(text: "the server never ran") }
  return Exchange(client: client, server: server, legs: legs)
}

/// Expects `body` to throw an SSPIError with `status`; returns it.
@discardableResult
func expectStatus(
  _ status: SSPI.Status, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> SSPIError? {
  do {
    try body()
    Issue.record("expected \(status.name), but the call succeeded", sourceLocation: sourceLocation)
  } catch let error as SSPIError {
    #expect(error.status == status, "\(error)", sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record("expected SSPIError \(status.name), got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
