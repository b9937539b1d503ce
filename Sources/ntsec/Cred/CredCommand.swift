import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

/// `ntsec cred`: the user's credential vault, after Windows' cmdkey.
struct CredCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cred", abstract: "Stored credentials (win32cred), after Windows' cmdkey.",
    subcommands: [
      CredList.self, CredAdd.self, CredShow.self, CredDelete.self, CredRename.self, CredMarshal.self,
      CredUnmarshal.self, CredIsMarshaled.self, CredParseUser.self, CredGitHelper.self, CredKey.self,
    ])
}
