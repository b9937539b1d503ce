import ArgumentParser
import DirectoryServices
import Foundation
import NTSecurity

/// `ntsec ds`: directory services against Active Directory.
struct DSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ds",
    abstract:
      "Active Directory: locate a domain controller (DsGetDcName), compose and write SPNs, crack names and list sites, servers, domains and roles (DRSUAPI).",
    subcommands: [
      DSDomainController.self, DSGetSPN.self, DSSPN.self, DSCrack.self, DSSites.self, DSServers.self,
      DSDomains.self, DSRoles.self,
    ]
  )
}
