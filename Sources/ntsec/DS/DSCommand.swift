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
