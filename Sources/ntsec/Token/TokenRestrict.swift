import ArgumentParser
import NTSecIO
import NTSecurity

extension TokenCommand {
  struct Restrict: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "restrict",
      abstract: "CreateRestrictedToken: print the restricted token as JSON.")
    @Argument(help: "The token JSON file.") var file: String
    @Option(name: .customLong("disable"), parsing: .upToNextOption, help: "SIDs to make deny-only.")
    var disable: [String] = []
    @Option(
      name: .customLong("delete-privilege"), parsing: .upToNextOption,
      help: "Privileges to delete, by name (SeBackupPrivilege) or LUID.")
    var deletePrivilege: [String] = []
    @Option(name: .customLong("restrict"), parsing: .upToNextOption, help: "Restricting SIDs.")
    var restrict: [String] = []
    @Option(
      help: "Comma-separated: disable_max_privilege, sandbox_inert, lua_token, write_restricted.")
    var flags: String?

    func run() throws {
      print(try restrict(loadToken(file)))
    }

    func restrict(_ token: AccessToken) throws -> String {
      let disabling = try disable.map { try parseSID($0, "--disable") }
      let restricting = try restrict.map { try parseSID($0, "--restrict") }
      let deleting = try deletePrivilege.map { try parsePrivilege($0).luid }
      var restriction = RestrictionFlags()
      for name in (flags ?? "").split(separator: ",").map({ String($0).trimmingCharacters(in: " ") })
      where !name.isEmpty {
        guard let flag = RestrictionFlags.names.first(where: { $0.0 == name })?.1 else {
          throw CLIFailure(
            code: .invalidFlags,
            message: "unknown flag \"\(name)\"; expected "
              + RestrictionFlags.names.map(\.0).joined(separator: ", "))
        }
        restriction.insert(flag)
      }
      let result = try token.restricted(
        disabling: disabling, deleting: deleting, restricting: restricting, flags: restriction)
      return result.jsonLine
    }
  }
}
