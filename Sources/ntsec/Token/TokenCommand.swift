import ArgumentParser
import NTSecurity

/// `ntsec token show|restrict`: read a token JSON file, and CreateRestrictedToken on it.
struct TokenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "Show access tokens and make restricted ones (docs/token-format.md).",
    subcommands: [Show.self, Restrict.self]
  )

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read a token JSON file and print it with every default filled in.")
    @Argument(help: "The token JSON file.") var file: String

    func run() throws {
      try processInputs(file) { TokenJSON.encode(try loadToken($0)) }
    }
  }

  struct Restrict: ParsableCommand {
    static let configuration = CommandConfiguration(
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
      try processInputs(file) { try restrict(loadToken($0)) }
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
      return TokenJSON.encode(result)
    }
  }
}

/// `ntsec privilege value|name|display`: LookupPrivilegeValue, LookupPrivilegeName,
/// LookupPrivilegeDisplayName.
struct PrivilegeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "privilege",
    abstract: "Look up privileges by name or LUID.",
    subcommands: [Value.self, Name.self, Display.self]
  )

  struct Value: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "LookupPrivilegeValue: print the privilege's LUID (decimal).")
    @Argument(help: "A privilege name (case-insensitive) or LUID; without it, one per line on stdin.")
    var privilege: String?
    func run() throws { try processInputs(privilege) { String(try parsePrivilege($0).luid.value) } }
  }

  struct Name: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "LookupPrivilegeName: print the privilege's programmatic name.")
    @Argument(help: "A privilege LUID (decimal or 0x hex) or name; without it, one per line on stdin.")
    var privilege: String?
    func run() throws { try processInputs(privilege) { try parsePrivilege($0).name } }
  }

  struct Display: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "LookupPrivilegeDisplayName: print the English display name.")
    @Argument(help: "A privilege name (case-insensitive) or LUID; without it, one per line on stdin.")
    var privilege: String?
    func run() throws { try processInputs(privilege) { try parsePrivilege($0).displayName } }
  }
}

/// A failure the CLI reports as `error: CODE message` with exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
  var code: WindowsError
  var message: String
  var description: String { "\(code.name) \(message)" }
}

/// A privilege named (case-insensitive) or given by its LUID (decimal, or 0x hex, or HIGH:LOW).
func parsePrivilege(_ text: String) throws -> Privilege {
  let trimmed = text.trimmingCharacters(in: " ")
  if let value = parseNumber(trimmed) {
    guard let privilege = Privilege(luid: LUID(value)) else {
      throw CLIFailure(code: .noSuchPrivilege, message: "no privilege has the LUID \(trimmed)")
    }
    return privilege
  }
  do { return try Privilege.named(trimmed) } catch {
    throw CLIFailure(code: error.code, message: error.message)
  }
}

/// A decimal or 0x-hexadecimal unsigned number.
func parseNumber(_ text: String) -> UInt64? {
  if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
  return UInt64(text)
}

func parseSID(_ text: String, _ option: String) throws -> SID {
  do { return try SID(parsing: text.trimmingCharacters(in: " ")) } catch {
    throw CLIFailure(code: error.code, message: "\(option) \(text): \(error.message)")
  }
}

func loadToken(_ path: String) throws -> AccessToken {
  do { return try TokenJSON.load(path: path) } catch let error as TokenJSON.Error {
    throw CLIFailure(code: .invalidParameter, message: error.description)
  }
}
