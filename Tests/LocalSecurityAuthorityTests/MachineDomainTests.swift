import Foundation
import LocalSecurityAuthority
import NTSecurity
import Synchronization
import TestPeers
import Testing

/// The machine's account domain without Samba: one SID, created once, atomically, mode 0644.
@Suite struct MachineDomainTests {
  @Test("The machine SID file is created once (S-1-5-21-a-b-c, mode 0644) and read back after")
  func createdOnce() throws {
    let directory = try makeTemporaryDirectory("ntsec-lsa-machine")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let configuration = isolatedConfiguration(directory + "/sub")
    let first = try LocalSecurityAuthority.machineDomain(configuration: configuration)
    #expect(first.source == .file)
    #expect(first.sid.description.hasPrefix("S-1-5-21-") && first.sid.subAuthorityCount == 4)
    let attributes = try FileManager.default.attributesOfItem(atPath: configuration.machineSIDPath)
    #expect((attributes[.posixPermissions] as? Int) == 0o644)
    #expect(try String(contentsOfFile: configuration.machineSIDPath, encoding: .utf8) == "\(first.sid)\n")
    #expect(try LocalSecurityAuthority.machineDomain(configuration: configuration).sid == first.sid)
    #expect(first.netbiosName == first.netbiosName.uppercased() && first.netbiosName.count <= 15)
    // The machine's names look up to its domain, and `.\` names the machine too.
    let domain = try LocalSecurityAuthority.lookupAccount(
      name: first.netbiosName, configuration: configuration)
    #expect(domain.sid == first.sid && domain.use == .domain)
    #expect(
      try LocalSecurityAuthority.lookupAccount(sid: first.sid, configuration: configuration).use == .domain)
    let none = try LocalSecurityAuthority.lookupAccount(name: ".\\None", configuration: configuration)
    #expect(none.sid == (try first.sid.appending(513)) && none.use == .group)
  }

  @Test("CreateWellKnownSid and ConvertStringSidToSid take the machine's domain when given none")
  func machineDomainDefaults() throws {
    let directory = try makeTemporaryDirectory("ntsec-lsa-machine")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let configuration = isolatedConfiguration(directory)
    let machine = try LocalSecurityAuthority.machineDomain(configuration: configuration).sid
    let administrator = try LocalSecurityAuthority.createWellKnownSID(
      .accountAdministratorSid, configuration: configuration)
    #expect(administrator == (try machine.appending(500)))
    let other = try SID(parsing: "S-1-5-21-1-2-3")
    #expect(
      try LocalSecurityAuthority.createWellKnownSID(
        .accountAdministratorSid, domain: other, configuration: configuration)
        == (try other.appending(500)))
    #expect(
      try LocalSecurityAuthority.createWellKnownSID(.worldSid, configuration: configuration) == .everyone)
    #expect(
      try LocalSecurityAuthority.convertStringSIDToSID("DU", configuration: configuration)
        == (try machine.appending(513)))
    #expect(
      try LocalSecurityAuthority.convertStringSIDToSID("BA", configuration: configuration)
        == .builtinAdministrators)
    expectError(.invalidSid) {
      _ = try LocalSecurityAuthority.convertStringSIDToSID("S-1-x", configuration: configuration)
    }
  }

  @Test("Processes creating the machine SID at the same time agree on one")
  func concurrentCreation() throws {
    let directory = try makeTemporaryDirectory("ntsec-lsa-machine")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = try #require(builtProduct("ntsec"))
    let environment = ProcessInfo.processInfo.environment.merging(
      ["NTSEC_SMB_CONF": "", "NTSEC_MACHINE_SID_FILE": directory + "/machine-sid"]) { $1 }
    let processes = (0..<6).map { _ in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: path)
      process.arguments = ["lookup", "machine"]
      process.environment = environment
      let pipe = Pipe()
      process.standardOutput = pipe
      return (process, pipe)
    }
    for (process, _) in processes { try process.run() }
    var sids = Set<String>()
    for (process, pipe) in processes {
      let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      sids.insert(String(output.split(separator: "\t").first ?? ""))
    }
    #expect(sids.count == 1)
    let stored = try String(contentsOfFile: directory + "/machine-sid", encoding: .utf8)
    #expect(sids == [stored.trimmingCharacters(in: .newlines)])
  }

  @Test("A machine SID file that holds something else is ERROR_INVALID_DATA, not replaced")
  func malformedFile() throws {
    let directory = try makeTemporaryDirectory("ntsec-lsa-machine")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let configuration = isolatedConfiguration(directory)
    try "S-1-5-32-544\n".write(toFile: configuration.machineSIDPath, atomically: true, encoding: .utf8)
    expectError(.invalidData) { _ = try LocalSecurityAuthority.machineDomain(configuration: configuration) }
    #expect(try String(contentsOfFile: configuration.machineSIDPath, encoding: .utf8) == "S-1-5-32-544\n")
  }

  @Test("AllocateLocallyUniqueId: distinct and rising across callers, and after the counter is removed")
  func locallyUniqueIDs() throws {
    let directory = try makeTemporaryDirectory("ntsec-lsa-luid")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let configuration = isolatedConfiguration(directory)
    let values = try (0..<200).map { _ in
      try LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration)
    }
    #expect(Set(values).count == values.count)
    #expect(values == values.sorted())
    // Concurrent callers, each opening the counter on its own, never get the same value.
    let concurrent = Mutex<[LUID]>([])
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      for _ in 0..<50 {
        if let luid = try? LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration) {
          concurrent.withLock { $0.append(luid) }
        }
      }
    }
    let all = concurrent.withLock { $0 }
    #expect(all.count == 400 && Set(all + values).count == 600)
    // Root allocates from its own counter (the shared one is for unprivileged callers).
    try FileManager.default.removeItem(
      atPath: geteuid() == 0
        ? configuration.privilegedLocallyUniqueIDCounterPath : configuration.locallyUniqueIDCounterPath)
    let after = try LocalSecurityAuthority.allocateLocallyUniqueID(configuration: configuration)
    #expect(after > (all + values).max()!)
  }
}
