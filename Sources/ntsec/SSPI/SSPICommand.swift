import ArgumentParser
import Foundation
import NTSecurity
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

/// `ntsec sspi`: Windows' SSPI from the command line. `client` and `server` speak the line
/// protocol of `ntsec gss init/accept` (one base64 token a line each way), so they pair with each
/// other and with the GSS-API commands.
struct SSPICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sspi",
    abstract: "SSPI (Kerberos, Negotiate, NTLM): list packages, run a client or a server.",
    subcommands: [Packages.self, Client.self, Server.self, LogonID.self]
  )

  /// Names for the token's SIDs that only this exchange knows: the user (the PAC's or the local
  /// account's) and the Unix groups of the local-account rule.
  static func names(for token: AccessToken, context: SSPI.SecurityContext) -> [SID: String] {
    var names: [SID: String] = [:]
    if let user = try? context.userName() {
      if case .localAccount(let account)? = context.tokenRule {
        names[token.user.sid] = "Unix User\\\(account)"
      } else {
        names[token.user.sid] = user
      }
    }
    for g in token.groups where g.sid.description.hasPrefix("S-1-22-2-") {
      if let gid = UInt32(g.sid.description.split(separator: "-").last ?? ""), let gr = getgrgid(gid) {
        names[g.sid] = "Unix Group\\" + String(cString: gr.pointee.gr_name)
      }
    }
    return names
  }
}
