import ArgumentParser
import NTSecurity

/// `ntsec`: the command-line face of NTSecurity.
@main
struct NTSec: ParsableCommand {
  /// The release, as CHANGELOG.md names it; `ntsec --version` prints it.
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "ntsec",
    abstract: "Windows security descriptors, SIDs and SDDL on any platform Swift runs on.",
    version: version,
    subcommands: [
      SDDLCommand.self, SIDCommand.self, TokenCommand.self, PrivilegeCommand.self,
      AccessCheckCommand.self, LookupCommand.self, CredCommand.self, InheritCommand.self, WhoamiCommand.self,
      LogonCommand.self, RunasCommand.self,
      GSSCommand.self,
      SSPICommand.self,
      TourCommand.self,
    ]
  )
}
