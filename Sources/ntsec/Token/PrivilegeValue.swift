import ArgumentParser
import NTSecurity

extension PrivilegeCommand {
  struct Value: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "value",
      abstract: "LookupPrivilegeValue: print the privilege's LUID (decimal).")
    @Argument(help: "A privilege name (case-insensitive) or LUID; without it, one per line on stdin.")
    var privilege: String?
    func run() throws { try processInputs(privilege) { String(try parsePrivilege($0).luid.value) } }
  }
}
