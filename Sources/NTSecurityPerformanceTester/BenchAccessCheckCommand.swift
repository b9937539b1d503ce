import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity

/// The micro-benchmark used by `scripts/bench-compare` to compare NTSecurity's AccessCheck with
/// Samba's `samba.security.access_check`.
///
///     NTSecurityPerformanceTester bench-access-check --iterations N --sd SDDL --token FILE --desired MASK
///                              [--mapping file|...] [--domain SID] [--check]
///
/// The descriptor is parsed and the token read once, untimed; then, after a warm-up of
/// `max(1, min(N/10, 1000))` untimed checks, N access checks run in-process and one line
/// `ops_per_sec=<float>` is printed. SDDL may be `@FILE` to read it from a file.
///
/// With `--cpu-time` the loop is timed by the thread's CPU clock (`CLOCK_THREAD_CPUTIME_ID`)
/// instead of the wall clock, so time spent descheduled on a busy machine does not count.
///
/// With `--check` nothing is timed: one check runs and its result is printed as two lines,
/// `granted=0x…` (lowercase hex; 0x0 when access is denied) and `status=ERROR_…`, so the caller
/// can check that both implementations agree before timing them.
struct BenchAccessCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-access-check",
    abstract: "Time AccessCheck on one descriptor, token and desired access (for scripts/bench-compare)."
  )

  @Option(help: "Number of timed access checks.")
  var iterations: Int = 100_000

  @Option(help: "Security descriptor as SDDL; @FILE reads it from FILE.")
  var sd: String

  @Option(help: "Token JSON file (docs/token-format.md).")
  var token: String

  @Option(help: "Desired access, decimal or 0x-hex.")
  var desired: String

  @Option(help: "Generic mapping: file, directory, registry, ds, token, process or thread.")
  var mapping: String = "file"

  @OptionGroup var domain: DomainOption

  @Flag(help: "Run one check and print its result instead of timing.")
  var check = false

  @Flag(help: "Time by the thread's CPU clock instead of the wall clock.")
  var cpuTime = false

  func validate() throws {
    guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
  }

  func run() throws {
    let domainSID = try domain.resolve()
    let descriptor = try SecurityDescriptor(sddl: try Self.readInput(sd), domain: domainSID)
    let accessToken = try AccessToken.load(path: token)
    guard let desiredMask = Self.parseMask(desired) else {
      throw ValidationError("--desired: not a number: \(desired)")
    }
    guard let genericMapping = Self.mappings[mapping] else {
      throw ValidationError("--mapping: one of \(Self.mappings.keys.sorted().joined(separator: ", "))")
    }
    let request = Request(
      descriptor: descriptor, token: accessToken, desired: AccessMask(rawValue: desiredMask),
      mapping: genericMapping)

    if check {
      let (granted, status) = request.run()
      print("granted=0x\(String(granted, radix: 16))")
      print("status=\(status)")
      return
    }
    print("ops_per_sec=\(try Self.time(request, iterations: iterations, cpuTime: cpuTime))")
  }

  /// One access check as the benchmark repeats it.
  struct Request {
    var descriptor: SecurityDescriptor
    var token: AccessToken
    var desired: AccessMask
    var mapping: GenericMapping

    /// The granted mask (0 unless access is granted) and the Windows status name; a failure of
    /// the call itself (e.g. ERROR_GENERIC_NOT_MAPPED) is reported like a denial.
    @inline(__always)
    func run() -> (granted: UInt32, status: String) {
      do {
        let result = try AccessCheck.evaluate(
          token: token, descriptor: descriptor, desired: desired, mapping: mapping)
        return (result.granted.rawValue, result.status.name)
      } catch {
        return (0, error.code.name)
      }
    }
  }

  // MARK: - Timing loop

  private static func time(_ request: Request, iterations: Int, cpuTime: Bool) throws -> Double {
    // `sink` depends on every result so the optimizer cannot drop the work.
    var sink: UInt32 = 0
    for _ in 0..<max(1, min(iterations / 10, 1000)) {
      sink &+= request.run().granted &+ 1
    }
    let clock: BenchClock = cpuTime ? .threadCPU : .wall
    let start = clock.seconds
    for _ in 0..<iterations {
      sink &+= request.run().granted &+ 1
    }
    let total = clock.seconds - start
    guard sink != 0 else { throw ValidationError("no result") }
    return BenchClock.rate(iterations, total)
  }

  // MARK: - Helpers

  static let mappings: [String: GenericMapping] = [
    "file": .file, "directory": .directory, "registry": .registryKey, "ds": .directoryServiceObject,
    "token": .token, "process": .process, "thread": .thread,
  ]

  private static func parseMask(_ text: String) -> UInt32? {
    let lower = text.lowercased()
    return lower.hasPrefix("0x") ? UInt32(lower.dropFirst(2), radix: 16) : UInt32(lower)
  }

  private static func readInput(_ argument: String) throws -> String {
    guard argument.hasPrefix("@") else {
      return argument.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return try String(contentsOfFile: String(argument.dropFirst()), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
