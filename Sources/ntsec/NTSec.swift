import ArgumentParser
import NTSecurity

/// `ntsec`: the command-line face of NTSecurity.
@main
struct NTSec: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ntsec",
    abstract: "Windows security descriptors, SIDs and SDDL on any platform Swift runs on.",
    subcommands: [
      SDDLCommand.self, SIDCommand.self, TokenCommand.self, PrivilegeCommand.self,
      AccessCheckCommand.self, CredCommand.self, InheritCommand.self, WhoamiCommand.self, GSSCommand.self,
      SSPICommand.self,
      TourCommand.self, BenchSDDLCommand.self, BenchGSSCommand.self, BenchSSPICommand.self,
      BenchAccessCheckCommand.self,
    ]
  )
}

/// Options shared by commands that resolve domain-relative SDDL aliases.
struct DomainOption: ParsableArguments {
  @Option(name: .long, help: "Domain SID for domain-relative aliases such as DA, DU, EA.")
  var domain: String?

  func resolve() throws -> SID? {
    guard let domain else { return nil }
    do { return try SID(parsing: domain) } catch {
      throw ValidationError("--domain: \(error)")
    }
  }
}
