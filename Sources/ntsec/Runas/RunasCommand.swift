import ArgumentParser
import Foundation
import LocalSecurityAuthority
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// `ntsec runas --user NAME|--token FILE [--restricted …] -- COMMAND…`: CreateProcessAsUser with
/// a logon token or a token file, optionally restricted first (CreateRestrictedToken).
struct RunasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runas",
    abstract: "Run a command as another user with that user's logon token (CreateProcessAsUser).",
    discussion: """
      As root (SeTcbPrivilege) --user needs no password, as runuser; with --password-stdin the user \
      is logged on through PAM with the password on stdin's first line. --token FILE takes a token \
      file (token JSON) instead. --restricted first makes a restricted copy (CreateRestrictedToken): \
      --disable SID makes a group deny-only (left out of the child's groups), --delete-privilege \
      NAME removes a privilege (its capabilities leave the child, bounding set included); a \
      restricted token's child always has PR_SET_NO_NEW_PRIVS. The command gets the token's uid, \
      gid and groups (real, effective and saved) and no capability unless the user is root; \
      --no-new-privileges sets PR_SET_NO_NEW_PRIVS. ntsec exits with the command's status.
      """)

  @Option(help: "The user to run the command as.") var user: String?
  @Option(help: "A token file (token JSON) to run the command with, instead of --user.") var token: String?
  @Flag(help: "Log the user on through PAM with the password on stdin's first line.") var passwordStdin =
    false
  @Flag(help: "Set PR_SET_NO_NEW_PRIVS in the child.") var noNewPrivileges = false
  @Flag(help: "Restrict the token first (CreateRestrictedToken).") var restricted = false
  @Option(help: "With --restricted: a SID to make deny-only (repeatable).") var disable: [String] = []
  @Option(help: "With --restricted: a privilege to delete (repeatable).") var deletePrivilege: [String] = []
  @Argument(parsing: .postTerminator, help: "The command and its arguments.") var command: [String] = []

  func validate() throws {
    guard !command.isEmpty else { throw ValidationError("give the command after --") }
    guard (user == nil) != (token == nil) else { throw ValidationError("give one of --user and --token") }
    guard restricted || (disable.isEmpty && deletePrivilege.isEmpty) else {
      throw ValidationError("--disable and --delete-privilege need --restricted")
    }
  }

  func run() throws {
    let program = try Self.resolve(command[0])
    var base: AccessToken
    if let token {
      base = try loadToken(token)
    } else {
      let user = user ?? ""
      do {
        if passwordStdin {
          var password = Array(readSecretFromStandardInput().utf8)
          base = try LocalSecurityAuthority.logonUser(user, password: &password, type: .batch)
        } else {
          base = try LocalSecurityAuthority.logonUserWithoutPassword(user, type: .batch)
        }
      } catch {
        throw CLIFailure(code: error.code, message: error.message)
      }
    }
    if restricted {
      let sids = try disable.map { try parseSID($0, "--disable") }
      let privileges = try deletePrivilege.map { try parsePrivilege($0).luid }
      do { base = try base.restricted(disabling: sids, deleting: privileges) } catch {
        throw CLIFailure(code: error.code, message: error.message)
      }
    }
    let pid: Int32
    do {
      pid = try LocalSecurityAuthority.createProcess(
        as: base, executable: program, arguments: Array(command.dropFirst()),
        noNewPrivileges: noNewPrivileges || restricted)
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
