import Foundation
import GSSAPI
import KerberosTestRealm
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

struct TestFailure: Error, CustomStringConvertible {
  let text: String
  var description: String { text }
}

/// Runs a program, feeding `input`; returns (status, stdout, stderr).
func runProgram(
  _ path: String, _ arguments: [String], input: String = "", environment: [String: String] = [:]
)
  throws -> (status: Int32, stdout: String, stderr: String)
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let out = Pipe()
  let err = Pipe()
  let inp = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = inp
  try process.run()
  inp.fileHandleForWriting.write(Data(input.utf8))
  try inp.fileHandleForWriting.close()
  let group = DispatchGroup()
  nonisolated(unsafe) var errData = Data()
  group.enter()
  DispatchQueue.global().async {
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: outData, as: UTF8.self),
    String(decoding: errData, as: UTF8.self)
  )
}
