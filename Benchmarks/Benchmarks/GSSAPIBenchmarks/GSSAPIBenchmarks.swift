import Benchmark
import Foundation
import GSSAPI
import NTSecurityTesting

// GSS-API benchmarks on a throwaway MIT realm (KerberosTestRealm): the operations
// scripts/bench-compare runs against C (Benchmarks/gssapi-c) and python-gssapi — wrap+unwrap of
// 16 KiB and 64 bytes (AES256-CTS), get_mic, and in-process context establishment with the
// service ticket already cached.

private func establish(_ target: GSSAPI.Name) throws -> (GSSAPI.SecurityContext, GSSAPI.SecurityContext) {
  let flags: GSSAPI.RequirementFlags = [.mutualAuthentication, .confidentiality, .integrity]
  let first = try GSSAPI.initSecurityContext(
    target: target, mechanism: GSSAPI.MechanismType.kerberos, flags: flags)
  let accepted = try GSSAPI.acceptSecurityContext(inputToken: first.token ?? [])
  let second = try GSSAPI.initSecurityContext(
    target: target, context: first.context, mechanism: GSSAPI.MechanismType.kerberos, flags: flags,
    inputToken: accepted.token)
  return (second.context, accepted.context)
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    maxDuration: .seconds(2),
    maxIterations: 100_000
  )
  let realm: KerberosTestRealm
  let target: GSSAPI.Name
  let initiator: GSSAPI.SecurityContext
  let acceptor: GSSAPI.SecurityContext
  do {
    realm = try KerberosTestRealm.start()
    realm.exportEnvironment()
    target = try GSSAPI.importName(KerberosTestRealm.hostService, type: GSSAPI.NameType.hostbasedService)
    (initiator, acceptor) = try establish(target)
  } catch {
    fatalError("GSSAPI benchmarks need a realm: \(error)")
  }
  let small = [UInt8](repeating: 0x5a, count: 64)
  let large = [UInt8](repeating: 0x5a, count: 16384)

  Benchmark("wrap+unwrap 64 B") { benchmark in
    for _ in benchmark.scaledIterations {
      let wrapped = try GSSAPI.wrap(initiator, message: small)
      blackHole(try GSSAPI.unwrap(acceptor, message: wrapped.message))
    }
  }
  Benchmark("wrap+unwrap 16 KiB") { benchmark in
    for _ in benchmark.scaledIterations {
      let wrapped = try GSSAPI.wrap(initiator, message: large)
      blackHole(try GSSAPI.unwrap(acceptor, message: wrapped.message))
    }
  }
  Benchmark("get_mic 64 B") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try GSSAPI.getMIC(initiator, message: small))
    }
  }
  Benchmark("context establishment (cached ticket)", configuration: .init(maxIterations: 2_000)) {
    benchmark in
    withExtendedLifetime(realm) {}  // the closure keeps the realm (its ccache and keytab) alive
    for _ in benchmark.scaledIterations {
      blackHole(try establish(target))
    }
  }
}
