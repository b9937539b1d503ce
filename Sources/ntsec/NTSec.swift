import ArgumentParser
import Foundation
import NTSecurity

/// `ntsec`: the command-line face of NTSecurity.
@main
struct NTSec: ParsableCommand {
  /// The release, as CHANGELOG.md names it; `ntsec --version` prints it.
  static let version = "0.1.0"

  /// The exit status of a usage error (a bad option, a missing argument, an unknown subcommand).
  static let usageExitCode: Int32 = 2

  static let configuration = CommandConfiguration(
    commandName: "ntsec",
    abstract: "Windows security descriptors, SIDs and SDDL on any platform Swift runs on.",
    discussion: """
      Exit status: 0 when everything succeeded, 1 when some input failed (the rest was still \
      processed), 2 for a usage error (an unknown command or option, a missing or bad argument).
      """,
    version: version,
    subcommands: [
      SDDLCommand.self, SIDCommand.self, TokenCommand.self, PrivilegeCommand.self,
      AccessCheckCommand.self, LookupCommand.self, CredCommand.self, InheritCommand.self, WhoamiCommand.self,
      LogonCommand.self, RunasCommand.self,
      GSSCommand.self,
      SSPICommand.self, DSCommand.self, ACLCommand.self,
      HTTPCommand.self, TourCommand.self,
    ]
  )

  /// ArgumentParser's own `main`, except that a usage error exits with 2 (the status the help
  /// documents, as most Unix tools use) instead of EX_USAGE (64).
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    // `ntsec help WORD` would print the top-level help for a word that names no command
    if arguments.first == "help", let hint = CommandSuggestion.hint(arguments: arguments) {
      FileHandle.standardError.write(Data("Error: no such command.\n\(hint)\n".utf8))
      Foundation.exit(usageExitCode)
    }
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch {
      guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
      var message = fullMessage(for: error)
      if !message.contains("Did you mean"), let suggestion = CommandSuggestion.hint(arguments: arguments) {
        message += "\n" + suggestion
      }
      FileHandle.standardError.write(Data((message + "\n").utf8))
      Foundation.exit(usageExitCode)
    }
  }
}
