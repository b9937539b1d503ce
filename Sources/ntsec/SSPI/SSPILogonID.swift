import ArgumentParser
import Foundation
import NTSecurity
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

extension SSPICommand {
  struct LogonID: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "logon-id",
      abstract: "The caller's logon id, the LUID AcquireCredentialsHandle takes as its own (pvLogonID).",
      discussion: """
        From the audit session id (HighPart 1) or, without one, the session keyring (HighPart 2); \
        printed as 0xHIGH:0xLOW. Exits 1 when the process has neither.
        """)

    func run() throws {
      guard let id = SSPI.callerLogonID else {
        throw CLIFailure(code: .noSuchLogonSession, message: "no audit session id and no session keyring")
      }
      print(id)
    }
  }
}
