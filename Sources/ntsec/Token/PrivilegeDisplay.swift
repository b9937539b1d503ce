import ArgumentParser
import NTSecurity

extension PrivilegeCommand {
  struct Display: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "display",
      abstract: "LookupPrivilegeDisplayName: print the English display name.")
    @Argument(help: "A privilege name (case-insensitive) or LUID; without it, one per line on stdin.")
    var privilege: String?
    func run() throws { try processInputs(privilege) { try parsePrivilege($0).displayName } }
  }
}
