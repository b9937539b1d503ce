import ArgumentParser
import DirectoryServices
import Foundation
import NTSecurity

/// `ntsec ds spn list|add|remove`: an account's SPNs, as setspn -L, -S and -D print them.
struct DSSPN: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "spn",
    abstract: "List, add or remove an account's SPNs (setspn -L, -S, -D; DsWriteAccountSpn).",
    discussion: """
      ACCOUNT is a sAMAccountName (a computer's with or without its $) or a DN. The DC is found \
      with DsGetDcName (a writable one for add and remove) and reached over LDAP with the \
      caller's Kerberos credentials (the default credential cache), sealed. add refuses an SPN \
      already registered anywhere in the forest, as setspn -S does.
      """,
    subcommands: [List.self, Add.self, Remove.self]
  )

  struct Common: ParsableArguments {
    @Option(help: "The account's DNS domain (default: the host's DNS domain).")
    var domain: String?

    @Argument(help: "The account.")
    var account: String

    @Flag(help: "Write through DRSUAPI's DsWriteAccountSpn (IDL_DRSWriteSPN) instead of LDAP.")
    var drsuapi = false

    /// DsWriteAccountSpn over DRSUAPI on the account's DN (found over LDAP); the account after it.
    func writeOverDRSUAPI(_ spns: [String], _ operation: SPNWriteOperation) throws -> AccountSPNs {
      let target = try DirectoryServices.accountSPNs(account, domain: domain)
      let handle = try DirectoryServices.dsBind(domain: domain)
      defer { try? DirectoryServices.dsUnbind(handle) }
      try DirectoryServices.dsWriteAccountSpn(
        handle, operation: operation, account: target.distinguishedName, spns: spns)
      return target
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "Print the account's SPNs (setspn -L).")
    @OptionGroup var common: Common

    func run() throws {
      let found = try DirectoryServices.accountSPNs(common.account, domain: common.domain)
      print("Registered ServicePrincipalNames for \(found.distinguishedName):")
      for spn in found.spns { print("\t\(spn)") }
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add SPNs to the account after checking the forest for duplicates (setspn -S).")
    @OptionGroup var common: Common
    @Argument(help: "The SPNs.") var spns: [String]
    @Flag(help: "Skip the forest-wide duplicate check (setspn -A); the DC may still refuse.")
    var noDuplicateCheck = false

    func run() throws {
      let found =
        common.drsuapi
        ? try common.writeOverDRSUAPI(spns, .add)
        : try DirectoryServices.writeAccountSPNs(
          spns, operation: .add, account: common.account, domain: common.domain,
          rejectDuplicates: !noDuplicateCheck)
      print("Registering ServicePrincipalNames for \(found.distinguishedName)")
      for spn in spns { print("\t\(spn)") }
      print("Updated object")
    }
  }

  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove", abstract: "Remove SPNs from the account (setspn -D).")
    @OptionGroup var common: Common
    @Argument(help: "The SPNs.") var spns: [String]

    func run() throws {
      let found =
        common.drsuapi
        ? try common.writeOverDRSUAPI(spns, .delete)
        : try DirectoryServices.writeAccountSPNs(
          spns, operation: .delete, account: common.account, domain: common.domain)
      print("Unregistering ServicePrincipalNames for \(found.distinguishedName)")
      for spn in spns { print("\t\(spn)") }
      print("Updated object")
    }
  }
}
