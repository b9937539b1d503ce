import Foundation
import Testing

@testable import CredentialManager

/// CredRead's commit check without a read transaction: the WAL-index header in the mapped `-shm`
/// file, trusted only under SQLite's torn-header rules, and a write by another process seen by
/// the very next read.
@Suite struct WALIndexCheckTests {
  /// A header pair as SQLite writes it: both copies equal, isInit set, checksum over 40 bytes.
  static func header(change: UInt32, frames: UInt32) -> [UInt8] {
    var h = [UInt8](repeating: 0, count: 48)
    func put(_ v: UInt32, at offset: Int) {
      withUnsafeBytes(of: v) { h.replaceSubrange(offset..<offset + 4, with: $0) }
    }
    put(3_007_000, at: 0)  // iVersion
    put(change, at: 8)  // iChange
    h[12] = 1  // isInit
    h[15] = 0x10  // szPage 4096, little-endian
    put(frames, at: 16)  // mxFrame
    put(7, at: 20)  // nPage
    put(0x1234_5678, at: 32)  // salts
    put(0x9abc_def0, at: 36)
    var s1: UInt32 = 0
    var s2: UInt32 = 0
    h.withUnsafeBytes { raw in
      for i in stride(from: 0, to: 40, by: 8) {
        s1 = s1 &+ raw.loadUnaligned(fromByteOffset: i, as: UInt32.self) &+ s2
        s2 = s2 &+ raw.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self) &+ s1
      }
    }
    put(s1, at: 40)
    put(s2, at: 44)
    return h + h
  }

  static func trusted(_ bytes: [UInt8]) -> WALIndexHeader.Snapshot? {
    bytes.withUnsafeBytes { WALIndexHeader.trusted($0.baseAddress!) }
  }

  @Test func aHeaderIsTrustedOnlyUnderSQLitesRules() {
    let good = Self.header(change: 5, frames: 12)
    #expect(Self.trusted(good) != nil)
    #expect(Self.trusted(good) != Self.trusted(Self.header(change: 6, frames: 12)))
    var torn = good
    torn[48 + 8] ^= 1  // the writer has filled in the second copy only
    #expect(Self.trusted(torn) == nil)
    var uninitialised = Self.header(change: 5, frames: 12)
    uninitialised[12] = 0
    uninitialised[60] = 0
    #expect(Self.trusted(uninitialised) == nil)
    var badSum = good
    badSum[16] ^= 0x40
    badSum[64] ^= 0x40
    #expect(Self.trusted(badSum) == nil)
  }

  @Test func theMappedHeaderChangesWithEveryCommit() throws {
    let t = try TemporaryVault()
    try t.vault.write(Credential(type: .generic, targetName: "a", userName: "u", password: "1"))
    _ = try t.vault.read(target: "a", type: .generic)
    // SQLite's own mapping for a reading connection (no descriptor of the -shm file is opened).
    let connection = try VaultReadConnection(path: t.vault.database.path)
    _ = try connection.dataVersion()
    #expect(try connection.inWALMode())
    let index = WALIndexHeader(region: try #require(connection.sharedMemoryRegion()))
    var previous = try #require(index.read())
    for round in 0..<5 {
      try t.vault.write(Credential(type: .generic, targetName: "a", userName: "u", password: "\(round)"))
      let now = try #require(index.read())
      #expect(now != previous, "commit \(round) left the WAL-index header unchanged")
      previous = now
    }
  }

  @Test func aWriteByAnotherProcessIsSeenByTheVeryNextRead() throws {
    guard let exe = NTSecBinary.path else {
      Issue.record("ntsec executable not found next to the test bundle: build it first")
      return
    }
    let home = try makeTemporaryDirectory(prefix: "ntsec-cred-shm")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = NTSecBinary.environment(home: home)
    func add(_ password: String) throws {
      let r = try NTSecBinary.run(
        exe, ["cred", "add", "Shared", "--user", "alice", "--password-stdin"], environment: env,
        stdin: password + "\n")
      #expect(r.status == 0, "ntsec cred add: \(r.error)")
    }
    try add("p0")
    let v = try CredentialVault(location: try VaultLocation.user(environment: env), protection: .keyFile)
    for round in 1...6 {
      // Warm: repeated reads with no commit take no read transaction.
      #expect(try v.read(target: "shared", type: .generic).credentialBlob.password == "p\(round - 1)")
      _ = try v.read(target: "shared", type: .generic)  // the first read of all maps the header
      let warm = v.database.readCache.validation
      for _ in 0..<20 { _ = try v.read(target: "shared", type: .generic) }
      let after = v.database.readCache.validation
      #expect(after.mapped, "the -shm header is not mapped")
      #expect(after.transactionChecks == warm.transactionChecks, "unchanged reads took a read transaction")
      try add("p\(round)")
      // The very next read sees the other process's commit.
      #expect(try v.read(target: "shared", type: .generic).credentialBlob.password == "p\(round)")
    }
  }
}
