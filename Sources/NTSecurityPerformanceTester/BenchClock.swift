import Foundation

/// The one clock of every timing loop here, read through `clock_gettime`: the monotonic wall
/// clock, the calling thread's CPU clock, or the process's CPU clock (the clock of the GSS-API and
/// SSPI loops, as of their C and Python peers: time spent descheduled on a shared, loaded machine
/// counts for none of them).
enum BenchClock {
  case wall, threadCPU, processCPU

  /// Seconds since an arbitrary origin fixed for the clock.
  var seconds: Double {
    var ts = timespec()
    switch self {
    case .wall: clock_gettime(CLOCK_MONOTONIC, &ts)
    case .threadCPU: clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    case .processCPU: clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    }
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  /// Operations per second for `operations` done in `elapsed` seconds (infinity for no time).
  static func rate(_ operations: Int, _ elapsed: Double) -> Double {
    elapsed > 0 ? Double(operations) / elapsed : Double.infinity
  }
}
