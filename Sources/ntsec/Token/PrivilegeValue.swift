import ArgumentParser
import NTSecurity

extension PrivilegeCommand {
  struct Value: PrivilegeLookup {
    static let configuration = CommandConfiguration(
      commandName: "value",
      abstract: "LookupPrivilegeValue: print the privilege's LUID (decimal).")
    @Argument(help: "A privilege name (case-insensitive) or LUID; without it, one per line on stdin.")
    var privilege: String?
    static func answer(_ privilege: Privilege) -> String { String(privilege.luid.value) }
  }
}
