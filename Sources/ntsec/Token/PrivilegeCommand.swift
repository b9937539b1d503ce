import ArgumentParser
import NTSecurity

/// `ntsec privilege list|value|name|display`: LookupPrivilegeValue, LookupPrivilegeName,
/// LookupPrivilegeDisplayName.
struct PrivilegeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "privilege",
    abstract: "Look up privileges by name or LUID.",
    subcommands: [List.self, Value.self, Name.self, Display.self]
  )

}
