import ArgumentParser
import Foundation
import LocalSecurityAuthority
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// `ntsec runas --user NAME -- COMMAND…`: CreateProcessAsUser with a logon token.
struct RunasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runas",
    abstract: "Run a command as another user with that user's logon token (CreateProcessAsUser).",
    discussion: """
      As root (SeTcbPrivilege) --user needs no password, as runuser; with --password-stdin the user \
      is logged on through PAM with the password on stdin's first line. The command gets the \
      token's uid, gid and groups (real, effective and saved) and no capability unless the user is \
      root; --no-new-privileges sets PR_SET_NO_NEW_PRIVS. ntsec exits with the command's status.
      """)

  @Option(help: "The user to run the command as.") var user: String
  @Flag(help: "Log the user on through PAM with the password on stdin's first line.") var passwordStdin =
    false
  @Flag(help: "Set PR_SET_NO_NEW_PRIVS in the child.") var noNewPrivileges = false
  @Argument(parsing: .postTerminator, help: "The command and its arguments.") var command: [String] = []

  func validate() throws {
    guard !command.isEmpty else { throw ValidationError("give the command after --") }
  }

  func run() throws {
    let program = try Self.resolve(command[0])
    let pid: Int32
    do {
      let token: AccessToken
      if passwordStdin {
        var password = Array(readSecretFromStandardInput().utf8)
        token = try LocalSecurityAuthority.logonUser(user, password: &password, type: .batch)
      } else {
        token = try LocalSecurityAuthority.logonUserWithoutPassword(user, type: .batch)
      }
      pid = try LocalSecurityAuthority.createProcess(
        as: token, executable: program, arguments: Array(command.dropFirst()),
        noNewPrivileges: noNewPrivileges)
    } catch {
      throw CLIFailure(code: error.code, message: error.message)
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    let exited = status & 0x7f == 0
    throw ExitCode(exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
  }

  /// An absolute path for `name`: itself when it holds a slash, else the first executable of PATH.
  static func resolve(_ name: String) throws -> String {
    if name.contains("/") {
      return name.hasPrefix("/") ? name : FileManager.default.currentDirectoryPath + "/" + name
    }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
      return "\(directory)/\(name)"
    }
    throw CLIFailure(code: .fileNotFound, message: "\(name) is not in PATH")
  }
}
