import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// SE_LMSHARE: Samba's share descriptors (share_info.tdb) as Samba's own `sharesec` sets and shows
/// them, on a temporary smb.conf.
@Suite(.serialized) struct ShareSecurityTests {
  let work: String
  let configuration: String
  let store: FileSecurity

  init() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sharesec") else {
      throw TestFailure(text: "/usr/bin/sharesec missing (samba-common-bin): run scripts/install-deps")
    }
    work = try TemporaryDirectory.make("objsec-shares")
    configuration = work + "/smb.conf"
    for directory in ["state", "lock", "private", "cache", "data"] {
      try FileManager.default.createDirectory(
        atPath: work + "/" + directory, withIntermediateDirectories: true)
    }
    let text = """
      [global]
        state directory = \(work)/state
        lock directory = \(work)/lock
        private dir = \(work)/private
        cache directory = \(work)/cache
        pid directory = \(work)/lock
      [data]
        path = \(work)/data
      [Mixed Case]
        path = \(work)/data

      """
    try text.write(toFile: configuration, atomically: true, encoding: .utf8)
    var store = FileSecurity()
    store.shares = ShareSecurity(configurationFile: configuration)
    self.store = store
  }

  func sharesec(_ arguments: [String]) throws -> String {
    let (status, out, err) = try runProgram("/usr/bin/sharesec", ["-s", configuration] + arguments)
    guard status == 0 else { throw TestFailure(text: "sharesec \(arguments) exited \(status): \(out)\(err)") }
    return out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The Windows code `body` fails with; nil when it succeeds or fails otherwise.
  func code(_ body: () throws -> Void) -> WindowsError? {
    do {
      try body()
      return nil
    } catch { return (error as? NTSecurityError)?.code }
  }

  @Test("shares sharesec set read back as sharesec --viewsddl shows them; defaults as Samba's")
  func readsWhatSharesecWrote() throws {
    defer { try? FileManager.default.removeItem(atPath: work) }
    // No database yet: Samba's default for a defined share.
    let initial = try store.getNamedSecurityInfo("data", .lmShare, [.dacl])
    #expect(try initial.sddl() == sharesec(["data", "--viewsddl"]))
    #expect(initial == ShareSecurity.defaultDescriptor)

    var generator = SambaDescriptorGenerator(seed: 0x0B_5EC0_0101)
    for k in 0..<25 {
      let share = k % 2 == 0 ? "data" : "Mixed Case"
      let sd = SecurityDescriptor(dacl: generator.descriptor(sddlExpressible: true).dacl)
      _ = try sharesec([share, "--setsddl", try sd.sddl()])
      let line = try sharesec([share, "--viewsddl"])
      let read = try store.getNamedSecurityInfo(share.uppercased(), .lmShare, [.owner, .group, .dacl, .sacl])
      // SDDL has no ACL revision (Samba stores revision 4 here): compare the text and the ACEs.
      #expect(try read.sddl() == line, "case \(k)")
      #expect(read.dacl?.aces == (try SecurityDescriptor(sddl: line)).dacl?.aces, "case \(k)")
      #expect(read.dacl?.aces == sd.dacl?.aces, "case \(k): set \(show(sd)), read \(show(read))")
    }
    _ = try sharesec(["data", "--replace", "S-1-1-0:ALLOWED/0/READ,S-1-5-32-544:DENIED/3/FULL"])
    let replaced = try store.getNamedSecurityInfo("data", .lmShare, [.dacl])
    #expect(try replaced.sddl() == "D:(D;OICI;FA;;;BA)(A;;0x1200a9;;;WD)")
    // Owner and group selected away as GetNamedSecurityInfo selects them.
    #expect(try store.getNamedSecurityInfo("data", .lmShare, [.owner]).dacl == nil)
  }

  @Test("SE_LMSHARE refusals: unknown share, no Samba, and setting")
  func refusals() throws {
    defer { try? FileManager.default.removeItem(atPath: work) }
    #expect(code { _ = try store.getNamedSecurityInfo("nosuch", .lmShare, [.dacl]) } == .fileNotFound)
    var noSamba = store
    noSamba.shares = ShareSecurity(configurationFile: work + "/missing.conf")
    #expect(code { _ = try noSamba.getNamedSecurityInfo("data", .lmShare, [.dacl]) } == .notSupported)
    #expect(
      code { try store.setNamedSecurityInfo("data", .lmShare, [.dacl], dacl: ACL()) } == .notSupported)
    // A damaged record is ERROR_INVALID_DATA, not a crash: a database that is not TDB.
    try Data("not a tdb".utf8).write(to: URL(fileURLWithPath: work + "/state/share_info.tdb"))
    #expect(code { _ = try store.getNamedSecurityInfo("data", .lmShare, [.dacl]) } == .invalidData)
  }
}
