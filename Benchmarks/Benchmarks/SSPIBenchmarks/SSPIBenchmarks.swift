import Benchmark
import Foundation
import NTSecurityTesting
import SSPI

// SSPI benchmarks on a throwaway MIT realm (KerberosTestRealm), Kerberos package: the operations
// scripts/bench-compare --suite sspi times beside raw GSS-API (GSSAPIBenchmarks has the GSS side)
// — EncryptMessage+DecryptMessage of 16 KiB and 64 bytes in Windows' TOKEN+DATA+PADDING layout,
// MakeSignature on 64 bytes, and in-process context establishment with the service ticket cached.

private let target = "host/localhost"

private func establish(_ client: SSPI.CredentialsHandle, _ server: SSPI.CredentialsHandle) throws
  -> (SSPI.SecurityContext, SSPI.SecurityContext)
{
  let requirements: SSPI.InitializeRequirements = [.mutualAuth, .confidentiality, .integrity]
  let first = try SSPI.initializeSecurityContext(
    credentials: client, target: target, requirements: requirements)
  let accepted = try SSPI.acceptSecurityContext(credentials: server, input: .token(first.token))
  let second = try SSPI.initializeSecurityContext(
    credentials: client, context: first.context, target: target, requirements: requirements,
    input: .token(accepted.token))
  guard second.status == .ok, accepted.status == .ok else { fatalError("the exchange did not finish") }
  return (second.context, accepted.context)
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    maxDuration: .seconds(2),
    maxIterations: 100_000
  )
  let realm: KerberosTestRealm
  let client: SSPI.CredentialsHandle
  let server: SSPI.CredentialsHandle
  let initiator: SSPI.SecurityContext
  let acceptor: SSPI.SecurityContext
  let sizes: SSPI.ContextSizes
  do {
    realm = try KerberosTestRealm.start()
    realm.exportEnvironment()
    client = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
    server = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .inbound).credentials
    (initiator, acceptor) = try establish(client, server)
    sizes = try initiator.sizes()
  } catch {
    fatalError("SSPI benchmarks need a realm: \(error)")
  }
  let small = [UInt8](repeating: 0x5a, count: 64)
  let large = [UInt8](repeating: 0x5a, count: 16384)

  func roundTrip(_ plain: [UInt8]) throws -> SSPI.SecurityBufferDescriptor {
    var m: SSPI.SecurityBufferDescriptor = [
      SSPI.SecurityBuffer(.token, size: Int(sizes.securityTrailer)), SSPI.SecurityBuffer(.data, plain),
      SSPI.SecurityBuffer(.padding, size: Int(sizes.blockSize)),
    ]
    try initiator.encryptMessage(&m)
    try acceptor.decryptMessage(&m)
    return m
  }

  Benchmark("EncryptMessage+DecryptMessage 64 B") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try roundTrip(small))
    }
  }
  Benchmark("EncryptMessage+DecryptMessage 16 KiB") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try roundTrip(large))
    }
  }
  Benchmark("MakeSignature 64 B") { benchmark in
    for _ in benchmark.scaledIterations {
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, small), SSPI.SecurityBuffer(.token, size: Int(sizes.maxSignature)),
      ]
      try initiator.makeSignature(&m)
      blackHole(m)
    }
  }
  Benchmark("context establishment (cached ticket)", configuration: .init(maxIterations: 2_000)) {
    benchmark in
    withExtendedLifetime(realm) {}  // the closure keeps the realm (its ccache and keytab) alive
    for _ in benchmark.scaledIterations {
      let (a, b) = try establish(client, server)
      a.delete()
      b.delete()
    }
  }
}
