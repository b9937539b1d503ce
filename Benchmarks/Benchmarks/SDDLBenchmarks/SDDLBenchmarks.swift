import Benchmark
import Foundation
import NTSecurity

// SDDL <-> binary conversion benchmarks. The inputs are the same files that
// scripts/bench-compare measures against Samba (Benchmarks/inputs/*.sddl), so
// the numbers here and there are about the same work.
//
// Each benchmark iteration (`scaledIterations`, scalingFactor .kilo) performs
// 1000 conversions, so the reported times are per 1000 operations and the
// throughput is in thousands of operations per second.

private let domainSIDText = "S-1-5-21-2457507606-2709100691-398136650"

/// Benchmarks/inputs, found from this source file's location.
private let inputsDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent()  // SDDLBenchmarks/
  .deletingLastPathComponent()  // Benchmarks/Benchmarks/
  .deletingLastPathComponent()  // Benchmarks/
  .appendingPathComponent("inputs")

private func loadInput(_ name: String) -> String {
  let url = inputsDirectory.appendingPathComponent("\(name).sddl")
  do {
    return try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
  } catch {
    fatalError("cannot read benchmark input \(url.path): \(error)")
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
    scalingFactor: .kilo,
    maxDuration: .seconds(2),
    maxIterations: 1_000
  )

  let domain: SID
  do {
    domain = try SID(parsing: domainSIDText)
  } catch {
    fatalError("bad domain SID: \(error)")
  }

  // An input the library rejects fails only its own two benchmarks (the
  // throwing closures report the error), not the whole suite.
  for name in ["short", "forty-ace"] {
    let sddl = loadInput(name)

    Benchmark("\(name) to-binary") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try SecurityDescriptor(sddl: sddl, domain: domain).bytes)
      }
    }

    Benchmark("\(name) from-binary") { benchmark in
      let bytes = try SecurityDescriptor(sddl: sddl, domain: domain).bytes
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        blackHole(try SecurityDescriptor(bytes: bytes).sddl(domain: domain))
      }
    }
  }
}
