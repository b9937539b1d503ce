import ArgumentParser
import NTSecurity

/// `ntsec token show|restrict`: read a token JSON file, and CreateRestrictedToken on it.
struct TokenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "Show access tokens and make restricted ones (docs/token-format.md).",
    subcommands: [Show.self, Restrict.self]
  )

}
