import ArgumentParser
import NTSecurity

extension PrivilegeCommand {
  struct Name: PrivilegeLookup {
    static let configuration = CommandConfiguration(
      commandName: "name",
      abstract: "LookupPrivilegeName: print the privilege's programmatic name.")
    @Argument(help: "A privilege LUID (decimal or 0x hex) or name; without it, one per line on stdin.")
    var privilege: String?
    static func answer(_ privilege: Privilege) -> String { privilege.name }
  }
}
