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
      A failure is reported on standard error as "ntsec: error: CODE: message" (CODE the Windows, \
      SSPI or GSS-API name, e.g. ERROR_FILE_NOT_FOUND); in a line mode a line that fails gets \
      "error: CODE message at offset N" in its place on standard output ({"error": {…}} with --json).
      """,
    version: version,
    // Every command names itself (`commandName:`): ArgumentParser derives a missing name with
    // String(describing:), whose protocol conformance scans cost about 1.4 million instructions
    // per command at every start, whatever the command line asks for.
    subcommands: [
      SDDLCommand.self, SIDCommand.self, TokenCommand.self, PrivilegeCommand.self,
      AccessCheckCommand.self, LookupCommand.self, CredCommand.self, InheritCommand.self, WhoamiCommand.self,
      LogonCommand.self, RunasCommand.self, KlistCommand.self, LSACommand.self,
      GSSCommand.self,
      SSPICommand.self, DSCommand.self, ACLCommand.self,
      HTTPCommand.self, TourCommand.self,
    ]
  )

  /// ArgumentParser's own `main` with `ntsec`'s one error form: a failure thrown out of a command
  /// prints `ntsec: error: CODE: message` on standard error (``ErrorReport``) and exits 1; a usage
  /// error prints `ntsec: error: ERROR_BAD_ARGUMENTS: …` with the usage and exits with 2 (the
  /// status the help documents, as most Unix tools use) instead of EX_USAGE (64). A command that
  /// has said everything itself throws `ExitCode` to set the status alone.
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    // `ntsec help WORD` would print the top-level help for a word that names no command
    if arguments.first == "help", let hint = CommandSuggestion.hint(arguments: arguments) {
      let word = arguments.dropFirst().joined(separator: " ")
      usageFailure("no such command '\(word)'\n\(hint)")
    }
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch let status as ExitCode {
      Foundation.exit(status.rawValue)
    } catch {
      switch exitCode(for: error) {
      case .validationFailure:
        var message = fullMessage(for: error)
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        if !message.contains("Did you mean"), let suggestion = CommandSuggestion.hint(arguments: arguments) {
          message += "\n" + suggestion
        }
        usageFailure(message)
      case .success:
        exit(withError: error)  // --help, --version
      default:
        ErrorReport(error).exit()
      }
    }
  }

  /// Prints a usage error in the one error form and exits with ``usageExitCode``.
  static func usageFailure(_ message: String) -> Never {
    let text = "ntsec: error: \(WindowsError.badArguments.name): \(message)\n"
    FileHandle.standardError.write(Data(text.utf8))
    Foundation.exit(usageExitCode)
  }
}
