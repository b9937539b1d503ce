import Benchmark
import CredentialManager
import Foundation

// Credential Manager benchmarks on a vault holding 100,000 credentials (targets:
// CredRead ≥ 200,000/s warm, CredEnumerate with a prefix filter < 10 ms, durable CredWrite
// ≥ 2,000/s). The vault lives in a temporary directory on the same file system as /tmp; it is
// filled once with one bulk transaction and removed when the process exits.

private let credentialCount = 100_000

private final class Fixture: @unchecked Sendable {
  let directory: String
  let vault: CredentialVault
  init() {
    directory = NSTemporaryDirectory() + "ntsec-cred-bench-\(getpid())"
    try? FileManager.default.removeItem(atPath: directory)
    do {
      vault = try CredentialVault(location: .inside(directory), protection: .keyFile)
      var batch: [Credential] = []
      batch.reserveCapacity(10_000)
      for i in 0..<credentialCount {
        batch.append(
          Credential(
            type: .generic, targetName: Fixture.target(i), userName: "user\(i)", password: "password-\(i)"))
        if batch.count == 10_000 {
          try vault.importCredentials(batch)
          batch.removeAll(keepingCapacity: true)
        }
      }
    } catch {
      fatalError("cannot fill the benchmark vault: \(error)")
    }
    atexit {
      try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "ntsec-cred-bench-\(getpid())")
    }
  }
  static func target(_ i: Int) -> String { "bench/" + String(format: "%06d", i) }
}

private let fixture = Fixture()

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    maxDuration: .seconds(3),
    maxIterations: 10_000
  )

  // One CredRead per scaled iteration over random existing targets (scalingFactor .kilo: times
  // are per 1,000 reads and the throughput is in thousands of reads per second).
  Benchmark("CredRead warm (100k vault)", configuration: .init(scalingFactor: .kilo)) { benchmark in
    let vault = fixture.vault
    var generator = SystemRandomNumberGenerator()
    let targets = (0..<4_096).map { _ in
      Fixture.target(Int.random(in: 0..<credentialCount, using: &generator))
    }
    _ = try vault.read(target: targets[0], type: .generic)
    var i = 0
    for _ in benchmark.scaledIterations {
      blackHole(try vault.read(target: targets[i & 4_095], type: .generic))
      i += 1
    }
  }

  // One CredEnumerate with a prefix matching 10 of the 100,000 credentials per iteration.
  Benchmark("CredEnumerate prefix filter (100k vault)") { benchmark in
    let vault = fixture.vault
    var generator = SystemRandomNumberGenerator()
    for _ in benchmark.scaledIterations {
      let prefix = "bench/" + String(format: "%05d", Int.random(in: 0..<10_000, using: &generator)) + "*"
      blackHole(try vault.enumerate(filter: prefix))
    }
  }

  // One durable CredWrite (its own committed, fsynced transaction) per iteration.
  Benchmark("CredWrite durable (100k vault)") { benchmark in
    let vault = fixture.vault
    var i = 0
    for _ in benchmark.scaledIterations {
      i += 1
      try vault.write(
        Credential(
          type: .generic, targetName: Fixture.target(i % credentialCount), userName: "user",
          password: "new-\(i)"))
    }
  }
}
