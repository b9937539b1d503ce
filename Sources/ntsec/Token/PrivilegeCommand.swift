import ArgumentParser
import NTSecurity

/// `ntsec privilege value|name|display`: LookupPrivilegeValue, LookupPrivilegeName,
/// LookupPrivilegeDisplayName.
struct PrivilegeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "privilege",
    abstract: "Look up privileges by name or LUID.",
    subcommands: [Value.self, Name.self, Display.self]
  )

}
