import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import DirectoryServices

/// Time and size limits of the LDAP client and of `ntsec ds dc`: bad values are refused or
/// clamped, never a trap.
@Suite struct LDAPLimitTests {
  @Test("Poll and socket time limits clamp infinite, huge, NaN and tiny seconds")
  func clampedTimeLimits() {
    #expect(Monotonic.milliseconds(.infinity) == Int32.max)
    #expect(Monotonic.milliseconds(1e10) == Int32.max)
    #expect(Monotonic.milliseconds(.nan) == 1 && Monotonic.milliseconds(0.0001) == 1)
    #expect(Monotonic.milliseconds(0.4) == 400)
    #expect(Monotonic.timeval(.infinity).tv_sec == Int(Int32.max))
    #expect(Monotonic.timeval(.nan).tv_usec == 1000 && Monotonic.timeval(1.5).tv_usec == 500_000)
  }

  @Test("An LDAP length header over 16 MiB is ERROR_INVALID_DATA; under it, the length")
  func messageLengthCap() throws {
    #expect(try LDAPConnection.messageLength([0x30, 0x84, 0x00, 0xFF, 0xFF, 0xF9], host: "dc") == 0xFF_FFFF)
    for header: [UInt8] in [[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF], [0x30, 0x84, 0x01, 0x00, 0x00, 0x00]] {
      do {
        _ = try LDAPConnection.messageLength(header, host: "dc")
        Issue.record("no error for \(header)")
      } catch {
        #expect(error.code == .invalidData)
      }
    }
  }

  @Test("ds dc --ping-timeout outside (0, 3600] is a usage error (exit 2), not a trap")
  func pingTimeoutValidated() throws {
    guard let ntsec = builtProduct("ntsec") else { throw TestFailure(text: "ntsec is not built") }
    for value in ["1e10", "inf", "nan", "0", "-1", "3601"] {
      let r = try runProgram(ntsec, ["ds", "dc", "example.invalid", "--ping-timeout=\(value)"])
      #expect(r.status == 2, "\(value): \(r.status) \(r.stderr)")
      #expect(r.stderr.contains("--ping-timeout"), "\(value): \(r.stderr)")
    }
  }
}
