import ArgumentParser
import NTSecurity

extension PrivilegeCommand {
  struct Name: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "LookupPrivilegeName: print the privilege's programmatic name.")
    @Argument(help: "A privilege LUID (decimal or 0x hex) or name; without it, one per line on stdin.")
    var privilege: String?
    func run() throws { try processInputs(privilege) { try parsePrivilege($0).name } }
  }
}
