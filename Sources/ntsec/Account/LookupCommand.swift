import ArgumentParser
import LocalSecurityAuthority
import NTSecurity

/// `ntsec lookup`: LookupAccountName and LookupAccountSid against this host's accounts.
struct LookupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lookup",
    abstract: "Look up this host's accounts by name or SID (LookupAccountName, LookupAccountSid).",
    discussion: """
      Prints SID<TAB>TYPE<TAB>DOMAIN\\NAME per account, TYPE the SID_NAME_USE word (User, Group, \
      Alias, WellKnownGroup, Domain, Label, LogonSession). An unknown account prints \
      `error: ERROR_NONE_MAPPED …` and makes the exit status 1.
      """,
    subcommands: [Name.self, SIDs.self, Machine.self])

  /// One account as a line.
  static func line(_ account: AccountName) -> String {
    "\(account.sid)\t\(account.use)\t\(account.qualifiedName)"
  }

  /// One account database for the whole command: smb.conf, Samba's passdb and the winbind check
  /// are read once, not once per line of standard input; when they cannot be read, every line
  /// reports that error.
  static func database() -> Result<AccountDatabase, NTSecurityError> {
    Result { () throws(NTSecurityError) in try AccountDatabase(.current) }
  }

  struct Name: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "name",
      abstract: "LookupAccountName: name, DOMAIN\\name, name@domain, .\\name, a domain's name.")
    @Argument(help: "Account names; without them, one name per line from standard input.")
    var names: [String] = []

    func run() throws {
      let database = LookupCommand.database()
      try processInputs(names, LineMode(what: "account name")) {
        try LookupCommand.line(database.get().lookup(name: $0))
      }
    }
  }

  struct SIDs: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sid", abstract: "LookupAccountSid.")
    @Argument(help: "SIDs (S-1-…); without them, one SID per line from standard input.")
    var sids: [String] = []

    func run() throws {
      let database = LookupCommand.database()
      try processInputs(sids, LineMode(what: "SID")) { text in
        let sid = try SID(parsing: text.trimmingCharacters(in: " "))
        return LookupCommand.line(try database.get().lookup(sid: sid))
      }
    }
  }

  struct Machine: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "machine",
      abstract: "The machine's account domain: SID, NetBIOS name, DNS name and where the SID comes from.")

    func run() throws {
      let machine = try LocalSecurityAuthority.machineDomain()
      print("\(machine.sid)\tDomain\t\(machine.netbiosName)\t\(machine.dnsName)\t\(machine.source.rawValue)")
    }
  }
}
