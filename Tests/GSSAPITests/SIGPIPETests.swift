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
  @Test("Starting the realm does not ignore SIGPIPE for the whole process")
  func realmLeavesDisposition() throws {
    var before = sigaction()
    sigaction(SIGPIPE, nil, &before)
    _ = try KerberosTestRealm.shared()
    var after = sigaction()
    sigaction(SIGPIPE, nil, &after)
    // SIG_DFL is 0 and SIG_IGN 1: compare the handlers' addresses
    let handler = { (action: sigaction) in unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    }
    #expect(handler(after) == handler(before))
    #expect(handler(after) != 1, "SIGPIPE is ignored process-wide")
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
