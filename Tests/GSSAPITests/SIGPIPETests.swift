import Foundation
import NTSecurityTesting
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The test realm leaves the process's SIGPIPE disposition alone; a write to a program that has
/// exited fails on its own instead of killing the process.
@Suite struct SIGPIPETests {
  @Test("Starting a realm leaves the process's SIGPIPE disposition as it was")
  func realmLeavesDisposition() throws {
    // A realm of its own (not the shared one, which another suite may have started already), not
    // exported into the environment; the disposition is compared around its start. (Whether SIGPIPE
    // is ignored at all is not asserted: libraries other suites of this process load may set it.)
    var before = sigaction()
    sigaction(SIGPIPE, nil, &before)
    let realm = try KerberosTestRealm.start()
    defer { realm.stop() }
    var after = sigaction()
    sigaction(SIGPIPE, nil, &after)
    // SIG_DFL is 0 and SIG_IGN 1: compare the handlers' addresses
    let handler = { (action: sigaction) in unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    }
    #expect(handler(after) == handler(before))
  }

  @Test("A write to a pipe whose reader has exited throws instead of killing the process")
  func writeToExitedReader() throws {
    let pipe = Pipe()
    try pipe.fileHandleForReading.close()
    #expect(throws: (any Error).self) {
      try writeWithoutSIGPIPE(Data(repeating: 0x61, count: 1 << 20), to: pipe.fileHandleForWriting)
    }
    let r = try runProgram("/bin/true", [], input: String(repeating: "x", count: 1 << 20))
    #expect(r.status == 0)
  }
}
