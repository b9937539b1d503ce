import Foundation
import LocalSecurityAuthority
import NTSecurity
import Testing

/// AllocateLocallyUniqueId's counter file: what another user can plant there is refused, its lock
/// cannot be held forever, and root allocates from a range of its own.
@Suite struct LocallyUniqueIDCounterTests {
  /// The counter this process allocates from.
  private func counterPath(_ configuration: LocalSecurityAuthority.Configuration) -> String {
    geteuid() == 0
      ? configuration.privilegedLocallyUniqueIDCounterPath : configuration.locallyUniqueIDCounterPath
  }

  @Test("A FIFO at the counter path is refused with ERROR_ACCESS_DENIED, without blocking")
  func fifoRefused() throws {
    let directory = try makeTemporaryDirectory("ntsec-lsa-luid")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let configuration = isolatedConfiguration(directory)
    #expect(mkfifo(counterPath(configuration), 0o666) == 0)
    expectError(.accessDenied) {
      _ = try LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration)
    }
  }

  @Test("Root refuses a counter owned by another user, or writable by others, and leaves it as it is")
  func rootRefusesForeignCounter() throws {
    try #require(geteuid() == 0, "needs root: the privileged counter is root's")
    let directory = try makeTemporaryDirectory("ntsec-lsa-luid")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let configuration = isolatedConfiguration(directory)
    let path = configuration.privilegedLocallyUniqueIDCounterPath
    let planted = withUnsafeBytes(of: UInt64(1 << 61)) { Data($0) }
    try planted.write(to: URL(fileURLWithPath: path))
    #expect(chown(path, 65534, 65534) == 0 && chmod(path, 0o600) == 0)
    expectError(.accessDenied) {
      _ = try LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration)
    }
    #expect(chown(path, 0, 0) == 0 && chmod(path, 0o666) == 0)
    expectError(.accessDenied) {
      _ = try LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration)
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == planted)
    #expect(unlink(path) == 0)
    // Created afresh: root-owned, 0600, values from 2^62 up, untouched by the shared counter.
    let shared: UInt64 = (1 << 62) + 5
    try withUnsafeBytes(of: shared) { Data($0) }.write(
      to: URL(fileURLWithPath: configuration.locallyUniqueIDCounterPath))
    let luid = try LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration)
    #expect(luid.value >= 1 << 62 && luid.value != shared + 1)
    var status = stat()
    #expect(stat(path, &status) == 0 && status.st_uid == 0 && status.st_mode & 0o777 == 0o600)
  }

  @Test("A held lock makes allocation fail within seconds instead of blocking forever")
  func heldLockBounded() throws {
    let directory = try makeTemporaryDirectory("ntsec-lsa-luid")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let configuration = isolatedConfiguration(directory)
    _ = try LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration)
    let holder = open(counterPath(configuration), O_RDWR)
    try #require(holder >= 0 && flock(holder, LOCK_EX) == 0)
    // Released after 6 s, so the unbounded wait this guards against ends the test too.
    DispatchQueue.global().asyncAfter(deadline: .now() + 6) { close(holder) }
    let start = ContinuousClock.now
    expectError(.accessDenied) {
      _ = try LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration)
    }
    #expect(ContinuousClock.now - start < .seconds(5))
  }
}
