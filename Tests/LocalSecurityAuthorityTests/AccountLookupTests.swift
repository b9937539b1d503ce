import Foundation
import LocalSecurityAuthority
import NTSecurity
import Testing

extension HostAccountSuites {
  /// LookupAccountName and LookupAccountSid over NSS's accounts, the well-known and builtin names,
  /// and the Unix fallback domains (Samba leaves out of these: see SambaAgreementTests).
  @Suite final class AccountLookupTests {
    let directory: String
    let configuration: LocalSecurityAuthority.Configuration

    /// Each test gets an instance with a fresh directory for the machine SID, removed after it.
    init() throws {
      directory = try makeTemporaryDirectory("ntsec-lsa")
      configuration = isolatedConfiguration(directory)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func name(_ text: String) throws -> AccountName {
      try LocalSecurityAuthority.lookupAccount(name: text, configuration: configuration)
    }

    func sid(_ text: String) throws -> AccountName {
      try LocalSecurityAuthority.lookupAccount(sid: SID(parsing: text), configuration: configuration)
    }

    @Test("Well-known and builtin names as Windows names them, with their SID_NAME_USE")
    func wellKnown() throws {
      let cases: [(String, String, String, SIDNameUse)] = [
        ("Everyone", "S-1-1-0", "Everyone", .wellKnownGroup),
        ("\\everyone", "S-1-1-0", "Everyone", .wellKnownGroup),
        ("SYSTEM", "S-1-5-18", "NT AUTHORITY\\SYSTEM", .wellKnownGroup),
        ("nt authority\\system", "S-1-5-18", "NT AUTHORITY\\SYSTEM", .wellKnownGroup),
        ("Administrators", "S-1-5-32-544", "BUILTIN\\Administrators", .alias),
        ("BUILTIN\\Users", "S-1-5-32-545", "BUILTIN\\Users", .alias),
        ("BUILTIN", "S-1-5-32", "BUILTIN", .domain),
        ("Authenticated Users", "S-1-5-11", "NT AUTHORITY\\Authenticated Users", .wellKnownGroup),
        ("CONSOLE LOGON", "S-1-2-1", "CONSOLE LOGON", .wellKnownGroup),
        (
          "Mandatory Label\\High Mandatory Level", "S-1-16-12288", "Mandatory Label\\High Mandatory Level",
          .label
        ),
        ("Unix User\\root", "S-1-22-1-0", "Unix User\\root", .user),
        ("root", "S-1-22-1-0", "Unix User\\root", .user),
        ("Unix Group\\root", "S-1-22-2-0", "Unix Group\\root", .group),
      ]
      for (text, sidText, qualified, use) in cases {
        let account = try name(text)
        #expect(account.sid.description == sidText, "\(text)")
        #expect(account.qualifiedName == qualified, "\(text)")
        #expect(account.use == use, "\(text)")
        let back = try sid(sidText)
        #expect(back.qualifiedName == qualified && back.use == use, "\(sidText)")
      }
      #expect(try name("Everyone").domain == "")
      #expect(try sid("S-1-5-5-0-77").qualifiedName == "NT AUTHORITY\\LogonSessionId_0_77")
      #expect(try sid("S-1-5-5-0-77").use == .logonSession)
    }

    @Test("Unknown names and SIDs are ERROR_NONE_MAPPED; a batch maps what it can")
    func noneMapped() throws {
      for text in [
        "ntsec-no-such-account", "BUILTIN\\root", "Unix User\\ntsec-no-such", "NOSUCHDOMAIN\\root", "",
        "root\0x",
      ] {
        expectError(.noneMapped, "\(text)") { _ = try name(text) }
      }
      expectError(.noneMapped) { _ = try sid("S-1-5-21-1-2-3-1000") }
      let batch = try LocalSecurityAuthority.lookupAccounts(
        sids: [.everyone, SID(parsing: "S-1-5-21-1-2-3-4")], configuration: configuration)
      #expect(batch.map { $0?.qualifiedName } == ["Everyone", nil])
      expectError(.noneMapped) {
        _ = try LocalSecurityAuthority.lookupAccounts(
          sids: [SID(parsing: "S-1-5-21-1-2-3-4")], configuration: configuration)
      }
    }

    @Test("Every getent passwd and group account round-trips through ntsec lookup name and sid")
    func everyNSSAccount() throws {
      let users = try getent("passwd")
      let groups = try getent("group")
      #expect(users.contains { $0.name == "root" })
      let names = users.map { "Unix User\\" + $0.name } + groups.map { "Unix Group\\" + $0.name }
      let environment = ["NTSEC_SMB_CONF": "", "NTSEC_MACHINE_SID_FILE": directory + "/machine-sid"]
      let forward = try ntsec(
        ["lookup", "name"], input: names.joined(separator: "\n") + "\n", environment: environment)
      #expect(forward.status == 0, "\(forward.stdout)")
      let lines = forward.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
      #expect(lines.count == names.count)
      let expected =
        users.map { ("S-1-22-1-\($0.id)", "User") } + groups.map { ("S-1-22-2-\($0.id)", "Group") }
      for (i, line) in lines.enumerated() where i < expected.count {
        #expect(
          line.count == 3 && line[0] == expected[i].0 && line[1] == expected[i].1, "\(names[i]): \(line)")
      }
      let back = try ntsec(
        ["lookup", "sid"], input: lines.map { $0[0] }.joined(separator: "\n") + "\n", environment: environment
      )
      #expect(back.status == 0)
      // NSS names the first entry of a uid or gid; names shared by several ids are rare but possible.
      let firstNames = Dictionary(
        users.map { ("S-1-22-1-\($0.id)", $0.name) }, uniquingKeysWith: { a, _ in a }
      )
      .merging(groups.map { ("S-1-22-2-\($0.id)", $0.name) }, uniquingKeysWith: { a, _ in a })
      for line in back.stdout.split(separator: "\n").map({ $0.split(separator: "\t").map(String.init) }) {
        let domain = line[0].hasPrefix("S-1-22-1-") ? "Unix User\\" : "Unix Group\\"
        #expect(line.count == 3 && line[2] == domain + (firstNames[line[0]] ?? "?"), "\(line)")
      }
    }

    @Test("Users and groups created with useradd/groupadd look up by name, DOMAIN\\name and SID")
    func createdAccounts() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let group = try accounts.addGroup("g")
      let user = try accounts.addUser("u", groups: [group.name])
      let byName = try name(user.name)
      #expect(byName.sid.description == "S-1-22-1-\(user.uid)" && byName.use == .user)
      #expect(try sid("S-1-22-1-\(user.uid)").qualifiedName == "Unix User\\\(user.name)")
      // An isolated name that is only a group is a Unix group.
      let groupAccount = try name(group.name)
      #expect(groupAccount.sid.description == "S-1-22-2-\(group.gid)" && groupAccount.use == .group)
      #expect(try name("Unix Group\\\(user.name)").sid.description == "S-1-22-2-\(user.gid)")
      #expect(try sid("S-1-22-2-\(group.gid)").qualifiedName == "Unix Group\\\(group.name)")
      accounts.remove()
      // Removed: the name no longer maps, the SID is named by its number as Samba names it.
      expectError(.noneMapped) { _ = try name(user.name) }
      #expect(try sid("S-1-22-1-\(user.uid)").qualifiedName == "Unix User\\\(user.uid)")
    }

    @Test("ntsec lookup prints SID, TYPE and DOMAIN\\NAME, and ERROR_NONE_MAPPED with status 1")
    func cli() throws {
      let environment = ["NTSEC_SMB_CONF": "", "NTSEC_MACHINE_SID_FILE": directory + "/machine-sid"]
      let result = try ntsec(
        ["lookup", "name", "Everyone", "ntsec-no-such", "BUILTIN"], environment: environment)
      #expect(result.status == 1)
      let lines = result.stdout.split(separator: "\n").map(String.init)
      #expect(lines.count == 3)
      #expect(lines.first == "S-1-1-0\tWellKnownGroup\tEveryone")
      #expect(lines.count > 1 && lines[1].hasPrefix("error: ERROR_NONE_MAPPED "))
      #expect(lines.last == "S-1-5-32\tDomain\tBUILTIN")
      let sids = try ntsec(["lookup", "sid", "S-1-5-32-544", "S-1-22-1-0"], environment: environment)
      #expect(
        sids.stdout == "S-1-5-32-544\tAlias\tBUILTIN\\Administrators\nS-1-22-1-0\tUser\tUnix User\\root\n")
    }
  }
}
