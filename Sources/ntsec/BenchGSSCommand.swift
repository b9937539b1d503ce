import ArgumentParser
import Foundation
import GSSAPI

/// `ntsec bench-gss` (hidden): the Swift side of scripts/bench-compare's GSSAPI section, the same
/// loop as Benchmarks/gssapi-c/gss-bench.c and scripts/python-gss-bench.py.
struct BenchGSSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-gss", abstract: "GSS-API micro-benchmark for scripts/bench-compare.",
    shouldDisplay: false)

  @Argument(
    help: "wrap16k, wrap64, getmic or context; wrap16k-into, wrap64-into, getmic-into reuse output arrays.")
  var operation: String
  @Argument(help: "Seconds to run.") var seconds: Double

  func run() throws {
    let target = try GSSAPI.importName("host@localhost", type: GSSAPI.NameType.hostbasedService)
    let flags: GSSAPI.RequirementFlags = [.mutualAuthentication, .confidentiality, .integrity]
    func establish() throws -> (GSSAPI.SecurityContext, GSSAPI.SecurityContext) {
      let first = try GSSAPI.initSecurityContext(
        target: target, mechanism: GSSAPI.MechanismType.kerberos, flags: flags)
      let accepted = try GSSAPI.acceptSecurityContext(inputToken: first.token ?? [])
      let second = try GSSAPI.initSecurityContext(
        target: target, context: first.context, mechanism: GSSAPI.MechanismType.kerberos, flags: flags,
        inputToken: accepted.token)
      return (second.context, accepted.context)
    }
    let (ic, ac) = try establish()
    let message = [UInt8](repeating: 0x5a, count: operation.hasPrefix("wrap16k") ? 16384 : 64)
    var token: [UInt8] = []
    var plain: [UInt8] = []
    var ops = 0
    // CPU time of this process, as the C and Python peers measure: fair on a shared, loaded machine
    func cpuSeconds() -> Double {
      var ts = timespec()
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
      return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    let start = cpuSeconds()
    var elapsed = 0.0
    while elapsed < seconds {
      inner: for i in 0..<64 {
        switch operation {
        case "context":
          let (a, b) = try establish()
          try GSSAPI.deleteSecurityContext(a)
          try GSSAPI.deleteSecurityContext(b)
          if i == 7 {
            ops += 1
            break inner
          }
        case "getmic":
          _ = try GSSAPI.getMIC(ic, message: message)
        case "getmic-into":
          try GSSAPI.getMIC(ic, message: message, into: &token)
        case "wrap16k-into", "wrap64-into":
          try GSSAPI.wrap(ic, message: message, into: &token)
          try GSSAPI.unwrap(ac, message: token, into: &plain)
          guard plain.count == message.count else { throw ValidationError("unwrap length") }
        case "wrap16k", "wrap64":
          let wrapped = try GSSAPI.wrap(ic, message: message)
          let plain = try GSSAPI.unwrap(ac, message: wrapped.message)
          guard plain.message.count == message.count else { throw ValidationError("unwrap length") }
        default:
          throw ValidationError("unknown operation \(operation)")
        }
        ops += 1
      }
      elapsed = cpuSeconds() - start
    }
    print("ops_per_sec=\(String(format: "%.1f", Double(ops) / elapsed))")
  }
}
