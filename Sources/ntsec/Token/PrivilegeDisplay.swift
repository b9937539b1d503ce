import ArgumentParser
import NTSecurity

extension PrivilegeCommand {
  struct Display: PrivilegeLookup {
    static let configuration = CommandConfiguration(
      commandName: "display",
      abstract: "LookupPrivilegeDisplayName: print the English display name.")
    @Argument(help: "A privilege name (case-insensitive) or LUID; without it, one per line on stdin.")
    var privilege: String?
    static func answer(_ privilege: Privilege) -> String { privilege.displayName }
  }
}

/// `privilege value|name|display`: one privilege (by name or LUID) in, one answer out, for the
/// argument or each line of standard input.
protocol PrivilegeLookup: ParsableCommand {
  var privilege: String? { get }
  static func answer(_ privilege: Privilege) -> String
}

extension PrivilegeLookup {
  func run() throws {
    try processInputs(privilege, LineMode(what: "privilege")) { Self.answer(try parsePrivilege($0)) }
  }
}
