import Foundation
import NTSecurity
import Testing

@testable import LocalSecurityAuthority

/// The read-only TDB reader behind Samba's machine SID and passdb users.
@Suite struct TrivialDatabaseTests {
  /// A TDB file as Samba writes it (host byte order): header, hash table, records.
  static func file(_ records: [(key: [UInt8], data: [UInt8], magic: UInt32)], hashSize: UInt32 = 3) -> [UInt8]
  {
    func word(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    var bytes = Array("TDB file\n".utf8) + [UInt8](repeating: 0, count: 23)
    bytes += word(0x2601_196D) + word(hashSize)
    bytes += [UInt8](repeating: 0, count: 168 - bytes.count)
    bytes += [UInt8](repeating: 0, count: 4 * Int(hashSize + 1))
    for record in records {
      let padding = 5
      let length = UInt32(record.key.count + record.data.count + padding)
      bytes += word(0) + word(length) + word(UInt32(record.key.count)) + word(UInt32(record.data.count))
      bytes += word(0) + word(record.magic)
      bytes += record.key + record.data + [UInt8](repeating: 0xEE, count: padding)
    }
    return bytes
  }

  static let machineSID: [UInt8] =
    [1, 4, 0, 0, 0, 0, 0, 5] + [21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
    + [UInt8](repeating: 0, count: 44)

  @Test("Live records are read, free and dead ones skipped; a stored dom_sid decodes")
  func records() throws {
    let bytes = Self.file([
      (Array("SECRETS/SID/HOST".utf8), Self.machineSID, 0x2601_1999),
      (Array("RID_000003e8\0".utf8), Array("alice\0".utf8), 0x2601_1999),
      (Array("RID_000003e9\0".utf8), Array("gone\0".utf8), 0xFEE1_DEAD),
      (Array("RID_000003ea\0".utf8), Array("free\0".utf8), ~0x2601_1999),
    ])
    let database = try TrivialDatabase(bytes: bytes, name: "test")
    #expect(database.keys(withPrefix: "RID_") == ["RID_000003e8"])
    #expect(database.string("RID_000003e8") == "alice")
    let sid = try SambaConfiguration.domainSID(try #require(database.value("SECRETS/SID/HOST")))
    #expect(sid.description == "S-1-5-21-1-2-4294967295")
  }

  @Test("Truncated, corrupted and foreign files never crash: ERROR_INVALID_DATA or fewer records")
  func badInput() throws {
    let good = Self.file([(Array("RID_000003e8\0".utf8), Array("alice\0".utf8), 0x2601_1999)])
    for length in 0..<good.count {
      do { _ = try TrivialDatabase(bytes: Array(good.prefix(length)), name: "cut") } catch {
        #expect(error.code == .invalidData)
      }
    }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      var bytes = good
      for _ in 0..<4 {
        bytes[Int.random(in: 9..<bytes.count, using: &generator)] = .random(in: 0...255, using: &generator)
      }
      do { _ = try TrivialDatabase(bytes: bytes, name: "flipped") } catch {
        #expect(error.code == .invalidData)
      }
    }
    expectError(.invalidData) { _ = try TrivialDatabase(bytes: Array("not a tdb".utf8), name: "text") }
    expectError(.invalidData) { _ = try SambaConfiguration.domainSID([1, 16, 0, 0, 0, 0, 0, 5]) }
    expectError(.invalidData) { _ = try SambaConfiguration.domainSID([1, 4, 0, 0, 0, 0, 0, 5, 21]) }
  }

  @Test(
    "passdb fails closed: unreadable is ERROR_ACCESS_DENIED, cut short is ERROR_INVALID_DATA, absent is empty"
  )
  func passdbFailsClosed() throws {
    let directory = try makeTemporaryDirectory("ntsec-lsa-passdb")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let conf = directory + "/smb.conf"
    try "[global]\npassdb backend = tdbsam:\(directory)/passdb.tdb\n".write(
      toFile: conf, atomically: true, encoding: .utf8)
    let samba = try #require(SambaConfiguration(path: conf))
    #expect(try samba.passdbUsers().isEmpty)
    let good = Self.file([(Array("RID_000003e8\0".utf8), Array("alice\0".utf8), 0x2601_1999)])
    try Data(good).write(to: URL(fileURLWithPath: directory + "/passdb.tdb"))
    #expect(try samba.passdbUsers() == [1000: "alice"])
    // A record header whose record runs past the end (being written): the walk stops early.
    let cut = good + [0, 0, 0, 0, 0x40, 0, 0, 0] + [UInt8](repeating: 0x11, count: 20)
    #expect(try TrivialDatabase(bytes: cut, name: "cut").string("RID_000003e8") == "alice")
    try Data(cut).write(to: URL(fileURLWithPath: directory + "/passdb.tdb"))
    expectError(.invalidData) { _ = try samba.passdbUsers() }
    try FileManager.default.removeItem(atPath: directory + "/passdb.tdb")
    try FileManager.default.createDirectory(
      atPath: directory + "/passdb.tdb", withIntermediateDirectories: false)
    expectError(.accessDenied) { _ = try samba.passdbUsers() }
  }
}
