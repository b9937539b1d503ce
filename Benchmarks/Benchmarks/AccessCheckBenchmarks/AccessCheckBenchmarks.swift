import Benchmark
import NTSecurity

// AccessCheck benchmarks: granted, denied and MAXIMUM_ALLOWED for the 6-ACE descriptor with a
// 20-group token and for a 60-ACE DACL with a 200-group token. The cases are
// Benchmarks/inputs/access-check/cases.txt, the ones scripts/bench-compare times against Samba.
//
// Each benchmark iteration (`scaledIterations`, scalingFactor .kilo) performs 1000 access checks,
// so the reported times are per 1000 checks and the throughput is in thousands of checks per
// second. Descriptor and token are built once, outside the measurement.

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
    scalingFactor: .kilo,
    maxDuration: .seconds(2),
    maxIterations: 1_000
  )

  let cases: [AccessCheckCase]
  do {
    cases = try loadCases()
  } catch {
    fatalError("access-check benchmark inputs: \(error)")
  }

  for c in cases {
    Benchmark(c.name) { benchmark in
      // The expected result first: a benchmark of a wrong answer is worthless.
      let first = try AccessCheck.evaluate(token: c.token, descriptor: c.descriptor, desired: c.desired)
      guard first.granted.rawValue == c.expectedGranted, first.status.name == c.expectedStatus else {
        throw InputError(
          description: "\(c.name): expected granted 0x\(String(c.expectedGranted, radix: 16)) "
            + "\(c.expectedStatus), got 0x\(String(first.granted.rawValue, radix: 16)) \(first.status.name)")
      }
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        blackHole(try AccessCheck.evaluate(token: c.token, descriptor: c.descriptor, desired: c.desired))
      }
    }
  }
}
