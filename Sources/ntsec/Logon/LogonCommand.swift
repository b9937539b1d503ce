import ArgumentParser
import Foundation
import LocalSecurityAuthority
import NTSecIO
import NTSecurity

/// `ntsec logon USER`: LogonUser through PAM, then the token printed as `whoami /all` does or as
/// token JSON.
struct LogonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "logon",
    abstract: "Log a user on through PAM (LogonUser) and print the token.",
    discussion: """
      The PAM service is `ntsecurity` (docs/pam.d/ntsecurity; NTSEC_PAM_SERVICE names another). \
      USER is `name`, `.\\name` or `MACHINE\\name`. The password is asked on the terminal, or read \
      from stdin's first line with --password-stdin. Errors are Windows': ERROR_LOGON_FAILURE, \
      ERROR_ACCOUNT_EXPIRED, ERROR_PASSWORD_EXPIRED, ERROR_ACCOUNT_RESTRICTION (locked), \
      ERROR_INVALID_LOGON_HOURS.
      """)

  @Argument(help: "The user to log on.") var user: String
  @Option(help: "The logon type: interactive, network, batch, service, network-cleartext or new-credentials.")
  var type: String = "interactive"
  @Flag(help: "Read the password from stdin's first line.") var passwordStdin = false
  @Flag(help: "Print the token as token JSON (docs/token-format.md).") var json = false

  static let types: [String: LogonType] = [
    "interactive": .interactive, "network": .network, "batch": .batch, "service": .service,
    "network-cleartext": .networkCleartext, "new-credentials": .newCredentials,
  ]

  func validate() throws {
    guard Self.types[type.lowercased()] != nil else {
      throw ValidationError("--type: expected \(Self.types.keys.sorted().joined(separator: ", "))")
    }
  }

  func run() throws {
    var password = Array(try TerminalLine.password(for: user, standardInput: passwordStdin).utf8)
    let token: AccessToken
    do {
      token = try LocalSecurityAuthority.logonUser(
        user, password: &password, type: Self.types[type.lowercased()] ?? .interactive)
    } catch {
      throw CLIFailure(code: error.code, message: error.message)
    }
    var formatter = WhoamiFormatter()
    formatter.names = try WhoamiCommand.localNames(of: token)
    WhoamiCommand.emit(token, json: json, formatter: formatter, sections: .all)
  }
}
