import ArgumentParser
import DirectoryServices
import Foundation
import NTSecurity

/// `ntsec ds`: directory services against Active Directory.
struct DSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ds",
    abstract: "Active Directory: locate a domain controller (DsGetDcName), compose and write SPNs.",
    subcommands: [DSDomainController.self, DSGetSPN.self, DSSPN.self]
  )
}

/// Runs `body`, printing an NTSecurityError as `error: ERROR_NAME message` on stderr and exiting 1.
func dsRun(_ body: () throws -> Void) throws {
  do { try body() } catch let error as NTSecurityError {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    throw ExitCode(1)
  }
}
