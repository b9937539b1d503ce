import Foundation
import Testing

/// `ntsec cred …` exactly as the issue gives the commands, and git's credential protocol with
/// real git.
@Suite struct CredCLITests {
  let home: String
  let env: [String: String]
  init() throws {
    home = try makeTemporaryDirectory(prefix: "ntsec-cred-cli")
    env = NTSecBinary.environment(home: home)
  }

  func ntsec(_ args: [String], stdin: String? = nil) throws -> NTSecBinary.Result {
    guard let exe = NTSecBinary.path else {
      Issue.record("ntsec executable not found next to the test bundle: build it first")
      return NTSecBinary.Result(status: -1, output: "", error: "")
    }
    return try NTSecBinary.run(exe, ["cred"] + args, environment: env, stdin: stdin)
  }

  @Test func addListShowRenameDelete() throws {
    var r = try ntsec(
      ["add", "MyService", "--user", "alice", "--password-stdin", "--comment", "work"], stdin: "pa55\n")
    #expect(r.status == 0 && r.output == "Credential added: MyService\n", "\(r.error)")
    r = try ntsec(
      [
        "add", "fs1", "--user", "CORP\\alice", "--password-stdin", "--type", "domain", "--persist",
        "enterprise",
      ], stdin: "dom")
    #expect(r.status == 0, "\(r.error)")
    r = try ntsec(["list"])
    #expect(r.output.hasPrefix("Currently stored credentials:\n"))
    #expect(
      r.output.contains(
        "Target: MyService\nType: Generic\nUser: alice\nPersist: Local machine\nComment: work\n"))
    #expect(r.output.contains("Target: fs1\nType: Domain password\nUser: CORP\\alice\nPersist: Enterprise\n"))
    #expect(!r.output.contains("pa55"))
    r = try ntsec(["list", "my*"])
    #expect(r.output.contains("MyService") && !r.output.contains("fs1"))
    r = try ntsec(["list", "zzz*"])
    #expect(r.status == 0 && r.output.contains("* NONE *"))
    r = try ntsec(["show", "myservice"])
    #expect(r.status == 0 && r.output.contains("User: alice") && !r.output.contains("pa55"))
    r = try ntsec(["show", "myservice", "--reveal"])
    #expect(r.output.contains("Password: pa55\n"))
    r = try ntsec(["show", "fs1", "--type", "domain", "--reveal"])
    #expect(r.output.contains("Password: (not readable by applications, as on Windows)"))
    r = try ntsec(["rename", "MyService", "Renamed"])
    #expect(r.status == 0, "\(r.error)")
    r = try ntsec(["show", "renamed", "--reveal"])
    #expect(r.output.contains("Target: Renamed") && r.output.contains("Password: pa55"))
    r = try ntsec(["delete", "renamed"])
    #expect(r.status == 0)
    r = try ntsec(["delete", "renamed"])
    #expect(r.status == 1 && r.error.hasPrefix("ntsec: error: ERROR_NOT_FOUND"))
    r = try ntsec(["show", "renamed"])
    #expect(r.status == 1 && r.error.hasPrefix("ntsec: error: ERROR_NOT_FOUND"))
    r = try ntsec(["add", "x", "--user", "bob", "--type", "domain", "--password-stdin"], stdin: "p")
    #expect(r.status == 1 && r.error.hasPrefix("ntsec: error: ERROR_BAD_USERNAME"))
    r = try ntsec(
      ["add", "x", "--user", "bob", "--password-stdin", "--comment", String(repeating: "c", count: 257)],
      stdin: "p")
    #expect(r.status == 1 && r.error.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER"))
  }

  @Test func marshalUnmarshalIsMarshaledParseUser() throws {
    var r = try ntsec(["marshal", "--username", "test"])
    #expect(r.output == "@@CIAAAAA0BQZAMHA0BA\n")
    r = try ntsec(["marshal", "--cert", String(repeating: "0", count: 40)])
    #expect(r.output == "@@BAAAAAAAAAAAAAAAAAAAAAAAAAAA\n")
    r = try ntsec(["unmarshal", "@@CIAAAAA0BQZAMHA0BA"])
    #expect(r.output == "username test\n")
    r = try ntsec(["unmarshal", "@@BXlmblBAAAAAAAAAAAAAAAAAAAAA"])
    #expect(r.output == "cert 57696e6500000000000000000000000000000000\n")
    r = try ntsec(["unmarshal", "@@BAAAAAAAAAAAAAAAAAAAAAAAAAA+"])
    #expect(r.status == 1 && r.error.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER"))
    r = try ntsec(["is-marshaled", "@@CCAAAAA0BA"])
    #expect(r.output == "true\n")
    r = try ntsec(["is-marshaled", "winetest"])
    #expect(r.output == "false\n" && r.status == 0)
    r = try ntsec(["parse-user", "CORP\\alice"])
    #expect(r.output == "user alice\ndomain CORP\n")
    r = try ntsec(["parse-user", "alice@corp.example.com"])
    #expect(r.output == "user alice@corp.example.com\ndomain \n")
    r = try ntsec(["parse-user", "alice"])
    #expect(r.status == 1 && r.error.hasPrefix("ntsec: error: ERROR_INVALID_ACCOUNT_NAME"))
  }

  @Test func gitCredentialFillApproveReject() throws {
    guard let git = which("git"), let exe = NTSecBinary.path else {
      Issue.record("git or ntsec missing: run scripts/install-deps and build first")
      return
    }
    var genv = env
    genv["GIT_CONFIG_NOSYSTEM"] = "1"
    genv["GIT_TERMINAL_PROMPT"] = "0"
    genv["GIT_ASKPASS"] = ""
    genv.removeValue(forKey: "SSH_ASKPASS")
    var r = try NTSecBinary.run(
      git, ["config", "--global", "credential.helper", "\(exe) cred git-helper"], environment: genv)
    #expect(r.status == 0, "\(r.error)")
    // Nothing stored: fill cannot complete without a prompt.
    r = try NTSecBinary.run(
      git, ["credential", "fill"], environment: genv, stdin: "protocol=https\nhost=git.example.com\n\n")
    #expect(r.status != 0)
    r = try NTSecBinary.run(
      git, ["credential", "approve"], environment: genv,
      stdin: "protocol=https\nhost=git.example.com\nusername=bob\npassword=tok-123\n\n")
    #expect(r.status == 0, "\(r.error)")
    r = try NTSecBinary.run(
      git, ["credential", "fill"], environment: genv, stdin: "protocol=https\nhost=git.example.com\n\n")
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output.contains("username=bob\n") && r.output.contains("password=tok-123\n"))
    let list = try ntsec(["list", "git:*"])
    #expect(
      list.output.contains("Target: git:https://git.example.com\n") && list.output.contains("User: bob"))
    // Another host is another credential.
    r = try NTSecBinary.run(
      git, ["credential", "fill"], environment: genv, stdin: "protocol=https\nhost=other.example.com\n\n")
    #expect(r.status != 0)
    r = try NTSecBinary.run(
      git, ["credential", "reject"], environment: genv,
      stdin: "protocol=https\nhost=git.example.com\nusername=bob\npassword=tok-123\n\n")
    #expect(r.status == 0)
    r = try NTSecBinary.run(
      git, ["credential", "fill"], environment: genv, stdin: "protocol=https\nhost=git.example.com\n\n")
    #expect(r.status != 0)
    #expect(try ntsec(["list", "git:*"]).output.contains("* NONE *"))
  }

  @Test func gitHelperProtocolDirectly() throws {
    var r = try ntsec(
      ["git-helper", "store"],
      stdin: "protocol=https\nhost=h.example\npath=org/repo.git\nusername=u\npassword=p w=x\n")
    #expect(r.status == 0, "\(r.error)")
    r = try ntsec(["git-helper", "get"], stdin: "protocol=https\nhost=h.example\npath=org/repo.git\n")
    #expect(r.output == "username=u\npassword=p w=x\n")
    r = try ntsec(
      ["git-helper", "get"],
      stdin: "protocol=https\nhost=h.example\npath=org/repo.git\nusername=someoneelse\n")
    #expect(r.output == "")
    // erase with a different password leaves it alone.
    r = try ntsec(
      ["git-helper", "erase"],
      stdin: "protocol=https\nhost=h.example\npath=org/repo.git\nusername=u\npassword=old\n")
    #expect(
      try ntsec(["git-helper", "get"], stdin: "protocol=https\nhost=h.example\npath=org/repo.git\n").output
        .contains("username=u"))
    r = try ntsec(["git-helper", "unknown-op"], stdin: "protocol=https\nhost=h.example\n")
    #expect(r.status == 0)
  }
}

extension CredCLITests {
  /// The reported reproduction, as written: a credential stored for github.com must not be given to
  /// gıthub.com (dotless ı), nor sso.example.com's to ſſo.example.com.
  @Test func gitHelperMatchesHostsExactly() throws {
    var r = try ntsec(
      ["git-helper", "store"],
      stdin: "protocol=https\nhost=github.com\nusername=alice\npassword=gh-secret-token\n\n")
    #expect(r.status == 0, "\(r.error)")
    r = try ntsec(["git-helper", "get"], stdin: "protocol=https\nhost=g\u{131}thub.com\n\n")
    #expect(r.output == "", "gıthub.com got github.com's credential")
    r = try ntsec(
      ["git-helper", "store"],
      stdin: "protocol=https\nhost=sso.example.com\nusername=bob\npassword=sso-secret\n\n")
    #expect(r.status == 0, "\(r.error)")
    r = try ntsec(["git-helper", "get"], stdin: "protocol=https\nhost=\u{17F}\u{17F}o.example.com\n\n")
    #expect(r.output == "", "ſſo.example.com got sso.example.com's credential")
    #expect(r.status == 1 && r.error.contains("ERROR_INVALID_PARAMETER"), "\(r.error)")
    // The real hosts still get theirs; DNS ignores ASCII case.
    r = try ntsec(["git-helper", "get"], stdin: "protocol=https\nhost=GitHub.com\n\n")
    #expect(r.output == "username=alice\npassword=gh-secret-token\n")
    // gıthub.com is a host of its own, stored under its IDNA name.
    r = try ntsec(
      ["git-helper", "store"],
      stdin: "protocol=https\nhost=g\u{131}thub.com\nusername=eve\npassword=other\n\n")
    #expect(r.status == 0, "\(r.error)")
    r = try ntsec(["git-helper", "get"], stdin: "protocol=https\nhost=github.com\n\n")
    #expect(r.output == "username=alice\npassword=gh-secret-token\n")
    r = try ntsec(["list", "git:*"])
    #expect(r.output.contains("Target: git:https://xn--gthub-n4a.com\n"), "\(r.output)")
    #expect(!r.output.contains("g\u{131}thub"))
  }

  @Test func tourStoresListsAndReadsInAThrowawayVault() throws {
    let r = try NTSecBinary.run(NTSecBinary.path ?? "/nonexistent", ["tour"], environment: env)
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output.contains("== Credential Manager (a throwaway vault) =="))
    #expect(r.output.contains("CredEnumerate: CRED_TYPE_GENERIC \"tour/MyService\" user alice"))
    #expect(r.output.contains("CredRead (case-insensitive): user alice, password correct horse"))
    // The user's own vault was not touched.
    #expect(!FileManager.default.fileExists(atPath: home + "/data/ntsec"))
  }

  /// `--persist session` credentials are marked as the login session's in `cred list`; `ntsec tour`
  /// runs in a session keyring of its own, so it neither lists the session's credentials nor
  /// leaves its own session credential behind.
  @Test func sessionCredentialsAreMarkedAndTheTourNeverSeesThem() throws {
    var r = try ntsec(
      ["add", "mine/ThisLogon", "--user", "bob", "--password-stdin", "--persist", "session"], stdin: "s3\n")
    #expect(r.status == 0, "\(r.error)")
    defer { _ = try? ntsec(["delete", "mine/ThisLogon"]) }
    r = try ntsec(["list"])
    #expect(
      r.output.contains(
        "Target: mine/ThisLogon\nType: Generic\nUser: bob\nPersist: Session (shared by this login session)\n")
    )
    let tour = try NTSecBinary.run(NTSecBinary.path ?? "/nonexistent", ["tour"], environment: env)
    #expect(tour.status == 0, "\(tour.error)")
    #expect(tour.output.contains("CredEnumerate: CRED_TYPE_GENERIC \"tour/ThisLogon\" user alice"))
    #expect(!tour.output.contains("mine/ThisLogon"))
    r = try ntsec(["list"])
    #expect(r.output.contains("Target: mine/ThisLogon"))
    #expect(!r.output.contains("tour/ThisLogon"))
  }
}
