import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity

/// The micro-benchmark used by `scripts/bench-compare` to compare NTSecurity with Samba.
///
///     NTSecurityPerformanceTester bench-sddl --iterations N --direction to-binary|from-binary [--domain SID] INPUT
///
/// Prints exactly one line, `ops_per_sec=<float>`, after a warm-up of `max(1, min(N/10, 1000))`
/// untimed iterations followed by N timed iterations in-process:
///
/// - `to-binary`: `SecurityDescriptor(sddl: INPUT, domain:)` followed by `.bytes`.
/// - `from-binary`: `SecurityDescriptor(bytes:)` followed by `.sddl(domain:)`. The bytes are
///   those of INPUT parsed as SDDL (encoded once, untimed), or with `--input-hex` INPUT itself
///   is the hex of a self-relative security descriptor (bench-compare passes Samba's bytes).
///
/// INPUT may be `@FILE` to read it from a file (surrounding whitespace is trimmed).
///
/// With `--check` nothing is timed: one operation runs and its result is printed instead, as
/// `hex=<lowercase hex>` (to-binary) or `sddl=<text>` (from-binary), so the caller can check
/// that both implementations agree before timing them.
struct BenchSDDLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-sddl",
    abstract: "Time SDDL <-> binary security descriptor conversion (for scripts/bench-compare)."
  )

  enum Direction: String, ExpressibleByArgument, CaseIterable {
    case toBinary = "to-binary"
    case fromBinary = "from-binary"
  }

  @Option(help: "Number of timed operations.")
  var iterations: Int = 10_000

  @Option(help: "to-binary (parse SDDL + encode) or from-binary (decode + emit SDDL).")
  var direction: Direction

  @OptionGroup var domain: DomainOption

  @Flag(help: "INPUT is the hex of a self-relative security descriptor (from-binary only).")
  var inputHex = false

  @Flag(help: "Run one operation and print its result instead of timing.")
  var check = false

  @Argument(help: "SDDL string (or hex with --input-hex); @FILE reads it from FILE.")
  var input: String

  func validate() throws {
    guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
    if inputHex && direction != .fromBinary {
      throw ValidationError("--input-hex requires --direction from-binary")
    }
  }

  func run() throws {
    let domainSID = try domain.resolve()
    let text = try Self.readInput(input)

    switch direction {
    case .toBinary:
      if check {
        let bytes = try SecurityDescriptor(sddl: text, domain: domainSID).bytes
        print("hex=\(bytes.hexString)")
        return
      }
      let ops = try Self.timeToBinary(text, domain: domainSID, iterations: iterations)
      print("ops_per_sec=\(ops)")

    case .fromBinary:
      let blob: [UInt8]
      if inputHex {
        guard let decoded = try? decodeBinary(text) else { throw ValidationError("INPUT is not valid hex") }
        blob = decoded
      } else {
        blob = try SecurityDescriptor(sddl: text, domain: domainSID).bytes
      }
      if check {
        let sddl = try SecurityDescriptor(bytes: blob).sddl(domain: domainSID)
        print("sddl=\(sddl)")
        return
      }
      let ops = try Self.timeFromBinary(blob, domain: domainSID, iterations: iterations)
      print("ops_per_sec=\(ops)")
    }
  }

  // MARK: - Timing loops

  private static func warmupCount(_ iterations: Int) -> Int { max(1, min(iterations / 10, 1000)) }

  private static func timeToBinary(_ sddl: String, domain: SID?, iterations: Int) throws -> Double {
    // `sink` depends on every result so the optimizer cannot drop the work.
    var sink = 0
    for _ in 0..<warmupCount(iterations) {
      sink &+= try SecurityDescriptor(sddl: sddl, domain: domain).bytes.count
    }
    let start = BenchClock.wall.seconds
    for _ in 0..<iterations {
      sink &+= try SecurityDescriptor(sddl: sddl, domain: domain).bytes.count
    }
    let elapsed = BenchClock.wall.seconds - start
    guard sink != 0 else { throw ValidationError("encoder produced no bytes") }
    return BenchClock.rate(iterations, elapsed)
  }

  private static func timeFromBinary(_ blob: [UInt8], domain: SID?, iterations: Int) throws -> Double {
    var sink = 0
    for _ in 0..<warmupCount(iterations) {
      sink &+= try SecurityDescriptor(bytes: blob).sddl(domain: domain).utf8.count
    }
    let start = BenchClock.wall.seconds
    for _ in 0..<iterations {
      sink &+= try SecurityDescriptor(bytes: blob).sddl(domain: domain).utf8.count
    }
    let elapsed = BenchClock.wall.seconds - start
    guard sink != 0 else { throw ValidationError("decoder produced no SDDL") }
    return BenchClock.rate(iterations, elapsed)
  }

  // MARK: - Helpers

  private static func readInput(_ argument: String) throws -> String {
    guard argument.hasPrefix("@") else {
      return argument.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let path = String(argument.dropFirst())
    return try String(contentsOfFile: path, encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

}
