import ArgumentParser
import LocalSecurityAuthority
import NTSecurity

/// `ntsec lsa`: the LSA policy (account rights, policy information) and the logon sessions.
struct LSACommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lsa",
    abstract: "The LSA policy: account rights, policy information, logon sessions.",
    discussion: """
      The policy store is /var/lib/ntsecurity/lsa.sqlite (NTSEC_LSA_STORE names another), root's \
      alone. Errors are Windows': ERROR_FILE_NOT_FOUND for an account without rights, \
      ERROR_NO_SUCH_PRIVILEGE for an unknown right, ERROR_ACCESS_DENIED when the policy does not \
      open to the caller.
      """,
    subcommands: [LSARightsCommand.self, LSAPolicyCommand.self, LSASessionsCommand.self])

  /// An account given by name (LookupAccountName) or as `S-1-…`.
  static func account(_ text: String) throws(NTSecurityError) -> SID {
    if text.uppercased().hasPrefix("S-"), let sid = SID(text) { return sid }
    return try LocalSecurityAuthority.lookupAccount(name: text).sid
  }
}
