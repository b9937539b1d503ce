import ArgumentParser
import Foundation
import GSSAPI

/// `NTSecurityPerformanceTester bench-gss`: the Swift side of scripts/bench-compare's GSSAPI section, the same
/// loop as Benchmarks/gssapi-c/gss-bench.c and scripts/python-gss-bench.py.
struct BenchGSSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-gss", abstract: "GSS-API micro-benchmark for scripts/bench-compare.")

  @Argument(
    help: """
      wrap16k, wrap64, getmic or context; wrap16k-into, wrap64-into, getmic-into reuse output arrays; \
      context-cred passes credentials acquired once (as an SSPI credentials handle does).
      """)
  var operation: String
  @Argument(help: "Seconds to run.") var seconds: Double

  func run() throws {
    let target = try GSSAPI.importName("host@localhost", type: GSSAPI.NameType.hostbasedService)
    let flags: GSSAPI.RequirementFlags = [.mutualAuthentication, .confidentiality, .integrity]
    // context-cred: the Kerberos credentials SSPI's AcquireCredentialsHandle would hold; else
    // GSS_C_NO_CREDENTIAL, as the C and Python peers use.
    var initiator: GSSAPI.Credentials?
    var acceptor: GSSAPI.Credentials?
    if operation == "context-cred" {
      let kerberos = [GSSAPI.MechanismType.kerberos]
      initiator = try GSSAPI.acquireCredentials(mechanisms: kerberos, usage: .initiate).credentials
      acceptor = try GSSAPI.acquireCredentials(mechanisms: kerberos, usage: .accept).credentials
    }
    func establish() throws -> (GSSAPI.SecurityContext, GSSAPI.SecurityContext) {
      let first = try GSSAPI.initSecurityContext(
        target: target, credentials: initiator, mechanism: GSSAPI.MechanismType.kerberos, flags: flags)
      let accepted = try GSSAPI.acceptSecurityContext(inputToken: first.token ?? [], credentials: acceptor)
      let second = try GSSAPI.initSecurityContext(
        target: target, credentials: initiator, context: first.context,
        mechanism: GSSAPI.MechanismType.kerberos,
        flags: flags, inputToken: accepted.token)
      return (second.context, accepted.context)
    }
    let (ic, ac) = try establish()
    let message = [UInt8](repeating: 0x5a, count: operation.hasPrefix("wrap16k") ? 16384 : 64)
    var token: [UInt8] = []
    var plain: [UInt8] = []
    var ops = 0
    // decided once: neither the property wrapper's getter nor string comparisons are timed
    guard let op = Loop(operation) else { throw ValidationError("unknown operation \(operation)") }
    let start = BenchClock.processCPU.seconds
    var elapsed = 0.0
    while elapsed < seconds {
      inner: for i in 0..<64 {
        switch op {
        case .context:
          let (a, b) = try establish()
          try GSSAPI.deleteSecurityContext(a)
          try GSSAPI.deleteSecurityContext(b)
          if i == 7 {
            ops += 1
            break inner
          }
        case .getMIC:
          _ = try GSSAPI.getMIC(ic, message: message)
        case .getMICInto:
          try GSSAPI.getMIC(ic, message: message, into: &token)
        case .wrapInto:
          try GSSAPI.wrap(ic, message: message, into: &token)
          try GSSAPI.unwrap(ac, message: token, into: &plain)
          guard plain.count == message.count else { throw ValidationError("unwrap length") }
        case .wrap:
          let wrapped = try GSSAPI.wrap(ic, message: message)
          let plain = try GSSAPI.unwrap(ac, message: wrapped.message)
          guard plain.message.count == message.count else { throw ValidationError("unwrap length") }
        }
        ops += 1
      }
      elapsed = BenchClock.processCPU.seconds - start
    }
    print("ops_per_sec=\(String(format: "%.1f", Double(ops) / elapsed))")
  }

  /// The timed loop an operation name selects.
  enum Loop {
    case context, getMIC, getMICInto, wrapInto, wrap

    init?(_ operation: String) {
      switch operation {
      case "context", "context-cred": self = .context
      case "getmic": self = .getMIC
      case "getmic-into": self = .getMICInto
      case "wrap16k-into", "wrap64-into": self = .wrapInto
      case "wrap16k", "wrap64": self = .wrap
      default: return nil
      }
    }
  }
}
