import ArgumentParser
import LocalSecurityAuthority
import NTSecurity

/// `ntsec lsa rights list|add|remove`: LsaEnumerateAccountRights, LsaAddAccountRights,
/// LsaRemoveAccountRights, LsaEnumerateAccountsWithUserRight.
struct LSARightsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rights",
    abstract: "List, grant or take account rights (privileges and logon rights).",
    subcommands: [List.self, Add.self, Remove.self])

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "Print the rights of ACCOUNT, or with --right the accounts holding RIGHT.")
    @Argument(help: "The account: a name or S-1-….") var account: String?
    @Option(help: "List the accounts holding this right instead (LsaEnumerateAccountsWithUserRight).")
    var right: String?

    func validate() throws {
      guard (account == nil) != (right == nil) else {
        throw ValidationError("give ACCOUNT or --right, not both")
      }
    }

    func run() throws {
      if let right {
        let policy = try LocalSecurityAuthority.Policy(access: [
          .policyLookupNames, .policyViewLocalInformation,
        ])
        for sid in try policy.accounts(withRight: right) {
          let name = try? LocalSecurityAuthority.lookupAccount(sid: sid)
          print(name.map { "\(sid) \($0.domain.isEmpty ? "" : $0.domain + "\\")\($0.name)" } ?? "\(sid)")
        }
        return
      }
      let policy = try LocalSecurityAuthority.Policy(access: .policyLookupNames)
      for name in try policy.accountRights(of: LSACommand.account(account ?? "")) { print(name) }
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Grant RIGHTs to ACCOUNT (LsaAddAccountRights); on disk when the command succeeds.")
    @Argument(help: "The account: a name or S-1-….") var account: String
    @Argument(help: "Se…Privilege or Se…LogonRight names.") var rights: [String]

    func run() throws {
      let sid = try LSACommand.account(account)
      try LocalSecurityAuthority.Policy(access: [.policyCreateAccount, .policyLookupNames])
        .addAccountRights(rights, to: sid)
    }
  }

  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove",
      abstract: "Take RIGHTs (or --all) from ACCOUNT (LsaRemoveAccountRights).")
    @Argument(help: "The account: a name or S-1-….") var account: String
    @Argument(help: "Se…Privilege or Se…LogonRight names.") var rights: [String] = []
    @Flag(help: "Remove every right, deleting the account's entry (AllRights).") var all = false

    func validate() throws {
      guard all || !rights.isEmpty else { throw ValidationError("give RIGHTs or --all") }
    }

    func run() throws {
      let sid = try LSACommand.account(account)
      try LocalSecurityAuthority.Policy(access: [.policyCreateAccount, .policyLookupNames])
        .removeAccountRights(rights, from: sid, all: all)
    }
  }
}
