import Foundation
import GSSAPI
import NTSecurityTesting
import TestPeers
import Testing

/// Every GSSAPI test runs inside this suite, serialized: they share the process-global KRB5_*
/// environment of one realm, started on first use and torn down when the test process exits.
@Suite(.serialized) struct GSS {}

enum Realm {
  /// The process's shared realm (KerberosTestRealm.shared()); a test that needs it fails
  /// (loudly) if it could not start.
  static func get() throws -> KerberosTestRealm { try KerberosTestRealm.shared() }
}

/// Host-based service name of the realm's host/localhost principal.
func hostTarget() throws -> GSSAPI.Name {
  try GSSAPI.importName(KerberosTestRealm.hostService, type: GSSAPI.NameType.hostbasedService)
}

/// A complete in-process context pair (user → host/localhost), with the default credentials of
/// both sides unless given.
func establish(
  flags: GSSAPI.RequirementFlags = [
    .mutualAuthentication, .replayDetection, .outOfSequenceDetection, .confidentiality, .integrity,
  ],
  mechanism: GSSAPI.OID? = GSSAPI.MechanismType.kerberos, target: GSSAPI.Name? = nil,
  initiatorCredentials: GSSAPI.Credentials? = nil, acceptorCredentials: GSSAPI.Credentials? = nil,
  initiatorBindings: GSSAPI.ChannelBindings? = nil, acceptorBindings: GSSAPI.ChannelBindings? = nil
) throws -> (initiator: GSSAPI.InitSecContextResult, acceptor: GSSAPI.AcceptSecContextResult) {
  _ = try Realm.get()
  let name = try target ?? hostTarget()
  var initResult = try GSSAPI.initSecurityContext(
    target: name, credentials: initiatorCredentials, mechanism: mechanism, flags: flags,
    channelBindings: initiatorBindings)
  var acceptContext: GSSAPI.SecurityContext? = nil
  var acceptResult: GSSAPI.AcceptSecContextResult? = nil
  var rounds = 0
  while true {
    rounds += 1
    guard rounds < 10 else { throw GSSError.testFailure("too many rounds") }
    guard let token = initResult.token else { break }
    let a = try GSSAPI.acceptSecurityContext(
      inputToken: token, credentials: acceptorCredentials, context: acceptContext,
      channelBindings: acceptorBindings)
    acceptContext = a.context
    acceptResult = a
    guard initResult.moreSteps, let reply = a.token else { break }
    initResult = try GSSAPI.initSecurityContext(
      target: name, credentials: initiatorCredentials, context: initResult.context, mechanism: mechanism,
      flags: flags, channelBindings: initiatorBindings, inputToken: reply)
    if !initResult.moreSteps && !a.moreSteps && initResult.token == nil { break }
  }
  guard let acceptResult else { throw GSSError.testFailure("the acceptor never ran") }
  return (initResult, acceptResult)
}

extension GSSError {
  static func testFailure(_ text: String) -> Error { TestFailure(text: text) }
}
