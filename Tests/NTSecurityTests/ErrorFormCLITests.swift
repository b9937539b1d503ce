import Foundation
import TestPeers
import Testing

/// The one way `ntsec` fails, driven through every command with its documented bad inputs: a
/// failed command says `ntsec: error: CODE: message` on standard error and nothing on standard
/// output, exit status 1 (2 for a usage error, and for access-check's unusable arguments); a line
/// of a line mode that fails gets `error: CODE message at offset N` in place on standard output,
/// or a `{"error": {…}}` object under `--json`.
@Suite struct ErrorFormCLITests {
  /// Where a case's failure must show.
  enum Form {
    /// `ntsec: error: CODE: …` as the first line of standard error, standard output empty.
    case stderr
    /// `ntsec: error: ERROR_BAD_ARGUMENTS: …` on standard error, exit status 2.
    case usage
    /// A line `error: CODE …` on standard output, standard error empty.
    case inPlace
    /// Every line of standard output JSON, one of them `{"error": {"code": CODE, …}}`.
    case json
  }

  struct Case: CustomStringConvertible {
    var arguments: [String]
    var form: Form
    /// The code (a prefix, so `ERROR_` accepts any Windows code where the host decides which).
    var code: String
    /// Text the message must contain.
    var contains: String = ""
    var stdin: String = ""
    var status: Int32 = 1
    /// The offset a JSON error object must carry.
    var offset: Int? = nil
    var description: String { arguments.joined(separator: " ") }
  }

  static let missing = "/nonexistent/ntsec-input"
  static let directory = "/tmp"
  static let domain = "S-1-5-21-2457507606-2709100691-398136650"

  /// A token JSON file with a syntax error on line 3, and an unreadable one.
  static let files: (badJSON: String, unreadable: String, token: String) = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ntsec-errors-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let bad = dir.appendingPathComponent("bad.json").path
    try? Data("{\n  \"user\": \"S-1-5-18\",\n  \"groups\": [,]\n}\n".utf8).write(
      to: URL(fileURLWithPath: bad))
    let unreadable = dir.appendingPathComponent("unreadable.json").path
    try? Data("{}".utf8).write(to: URL(fileURLWithPath: unreadable))
    chmod(unreadable, 0)
    let token = dir.appendingPathComponent("token.json").path
    try? Data(#"{"user": "S-1-5-21-1-2-3-1001", "groups": []}"#.utf8).write(to: URL(fileURLWithPath: token))
    return (bad, unreadable, token)
  }()

  static var cases: [Case] {
    let (badJSON, unreadable, token) = files
    let badSDDL = "D:(A;;FA;;;SY"
    return [
      // sddl
      Case(
        arguments: ["sddl", "to-binary", badSDDL], form: .stderr, code: "ERROR_INVALID_ACL",
        contains: "at offset"),
      Case(
        arguments: ["sddl", "to-binary", "--format", "octal", "D:"], form: .usage, code: "ERROR_BAD_ARGUMENTS"
      ),
      Case(
        arguments: ["sddl", "to-binary"], form: .inPlace, code: "ERROR_INVALID_ACL", contains: "at offset",
        stdin: "D:(A;;FA;;;SY)\n\n\(badSDDL)\n"),
      Case(arguments: ["sddl", "from-binary", "0100"], form: .stderr, code: "ERROR_INVALID_SECURITY_DESCR"),
      Case(arguments: ["sddl", "from-binary", "zz!"], form: .stderr, code: "ERROR_INVALID_PARAMETER"),
      Case(
        arguments: ["sddl", "from-binary", "--raw", missing], form: .stderr, code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      Case(
        arguments: ["sddl", "from-binary", "--raw", unreadable], form: .stderr, code: "ERROR_ACCESS_DENIED",
        contains: "Permission denied"),
      Case(
        arguments: ["sddl", "from-binary", "--raw", directory], form: .stderr, code: "ERROR_READ_FAULT",
        contains: "Is a directory"),
      Case(
        arguments: ["sddl", "canonical", "D:(A;;FA;;;S-1-5-32-544-)"], form: .stderr,
        code: "ERROR_INVALID_ACL",
        contains: "at offset 11"),
      Case(arguments: ["sddl", "canonical", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["sddl", "explain", badSDDL], form: .stderr, code: "ERROR_INVALID_ACL"),
      Case(
        arguments: ["sddl", "explain", "--json"], form: .json, code: "ERROR_INVALID_ACL",
        stdin: "D:(A;;FA;;;SY)\n\(badSDDL)\n", offset: 13),
      // sid
      Case(
        arguments: ["sid", "parse", "S-1-x"], form: .stderr, code: "ERROR_INVALID_SID", contains: "at offset"),
      Case(
        arguments: ["sid", "parse", "--json"], form: .json, code: "ERROR_INVALID_SID",
        stdin: "S-1-5-18\nS-1-x\n", offset: 4),
      Case(
        arguments: ["sid", "parse"], form: .inPlace, code: "ERROR_INVALID_SID", stdin: "S-1-5-18\nS-1-x\n"),
      Case(arguments: ["sid", "well-known", "NoSuchType"], form: .stderr, code: "ERROR_INVALID_PARAMETER"),
      Case(arguments: ["sid", "well-known", "AccountDomainAdmins"], form: .stderr, code: "ERROR_"),
      // token
      Case(
        arguments: ["token", "show", missing], form: .stderr, code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      Case(
        arguments: ["token", "show", unreadable], form: .stderr, code: "ERROR_ACCESS_DENIED",
        contains: "Permission denied"),
      Case(
        arguments: ["token", "show", badJSON], form: .stderr, code: "ERROR_INVALID_PARAMETER",
        contains: "not JSON at line 3, column 14"),
      Case(arguments: ["token", "show"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["token", "restrict", missing], form: .stderr, code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      Case(
        arguments: ["token", "restrict", token, "--disable", "S-1-x"], form: .stderr,
        code: "ERROR_INVALID_SID"),
      // privilege
      Case(arguments: ["privilege", "list", "extra"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["privilege", "value", "SeNoSuchPrivilege"], form: .stderr, code: "ERROR_NO_SUCH_PRIVILEGE"
      ),
      Case(arguments: ["privilege", "name", "99999"], form: .stderr, code: "ERROR_NO_SUCH_PRIVILEGE"),
      Case(
        arguments: ["privilege", "display"], form: .inPlace, code: "ERROR_NO_SUCH_PRIVILEGE",
        stdin: "SeBackupPrivilege\nSeNoSuchPrivilege\n"),
      // access-check: 1 means "not granted", so unusable input is 2
      Case(
        arguments: ["access-check", "--sd", "D:", "--token", missing, "--desired", "1"], form: .stderr,
        code: "ERROR_FILE_NOT_FOUND", contains: "No such file or directory", status: 2),
      Case(
        arguments: ["access-check", "--sd", badSDDL, "--token", token, "--desired", "1"], form: .stderr,
        code: "ERROR_INVALID_ACL", status: 2),
      Case(arguments: ["access-check", "--sd", "D:"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["access-check", "--batch"], form: .json, code: "ERROR_INVALID_PARAMETER",
        contains: "not JSON", stdin: "{oops\n"),
      // lookup
      Case(
        arguments: ["lookup", "name", "no-such-account-ntsec-test"], form: .stderr, code: "ERROR_NONE_MAPPED"),
      Case(arguments: ["lookup", "sid", "S-1-x"], form: .stderr, code: "ERROR_INVALID_SID"),
      Case(arguments: ["lookup", "machine", "extra"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      // inherit
      Case(arguments: ["inherit", "--parent", badSDDL], form: .stderr, code: "ERROR_INVALID_ACL"),
      Case(
        arguments: ["inherit", "--parent", "D:", "--token", missing], form: .stderr,
        code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      Case(
        arguments: ["inherit", "--parent", "D:", "--flags", "bogus"], form: .stderr,
        code: "ERROR_INVALID_FLAGS"),
      Case(arguments: ["inherit"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      // whoami
      Case(
        arguments: ["whoami", missing], form: .stderr, code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      Case(
        arguments: ["whoami", badJSON], form: .stderr, code: "ERROR_INVALID_PARAMETER", contains: "line 3"),
      Case(
        arguments: ["whoami", "--pac", missing], form: .stderr, code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      Case(arguments: ["whoami", "--pac", "-"], form: .stderr, code: "ERROR_", stdin: "00112233"),
      Case(arguments: ["whoami", "--fo", "xml"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      // logon, runas
      Case(arguments: ["logon", "--type", "bogus", "root"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["runas"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["runas", "--token", missing, "--", "/bin/true"], form: .stderr,
        code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      // klist
      Case(arguments: ["klist", "bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["klist", "get"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["klist", "get", "HTTP/nonexistent.invalid", "--cache", "FILE:/nonexistent/krb5cc"],
        form: .stderr, code: "SEC_E_NO_CREDENTIALS"),
      // lsa (account names that resolve to nothing fail before the policy store is opened)
      Case(arguments: ["lsa", "rights", "list"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["lsa", "rights", "add", "ntsec-no-such-account-zz", "SeBackupPrivilege"], form: .stderr,
        code: "ERROR_NONE_MAPPED", contains: "ntsec-no-such-account-zz"),
      Case(
        arguments: ["lsa", "rights", "remove", "ntsec-no-such-account-zz", "SeBackupPrivilege"],
        form: .stderr,
        code: "ERROR_NONE_MAPPED"),
      Case(arguments: ["lsa", "policy", "show", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["lsa", "policy", "audit", "--mode", "bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["lsa", "sessions", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      // ds (DRSUAPI commands), http
      Case(
        arguments: ["ds", "crack", "--from", "bogus", "--to", "fqdn_1779", "x"], form: .usage,
        code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["ds", "sites", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["ds", "servers", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["ds", "domains", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["ds", "roles", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["http", "get"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["http", "get", "https://127.0.0.1:1/"], form: .stderr, code: "ERROR_", contains: "https"),
      // cred
      Case(arguments: ["cred", "show", "no-such-target-ntsec-test"], form: .stderr, code: "ERROR_NOT_FOUND"),
      Case(
        arguments: ["cred", "delete", "no-such-target-ntsec-test"], form: .stderr, code: "ERROR_NOT_FOUND"),
      Case(
        arguments: ["cred", "rename", "no-such-target-ntsec-test", "b"], form: .stderr,
        code: "ERROR_NOT_FOUND"),
      Case(arguments: ["cred", "add"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["cred", "list", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["cred", "unmarshal", "@@bogus"], form: .stderr, code: "ERROR_"),
      Case(arguments: ["cred", "marshal"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["cred", "parse-user", "alice"], form: .stderr, code: "ERROR_INVALID_ACCOUNT_NAME"),
      Case(arguments: ["cred", "is-marshaled"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["cred", "git-helper"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["cred", "key", "show", "extra"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["cred", "key", "protect", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["cred", "key", "unprotect", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      // gss, sspi
      Case(
        arguments: ["gss", "init", "--target", "host@localhost", "--connect", "nonsense"], form: .stderr,
        code: "ERROR_INVALID_PARAMETER", contains: "HOST:PORT"),
      Case(
        arguments: ["gss", "init", "--target", "host@localhost", "--connect", "127.0.0.1:1"], form: .stderr,
        code: "ERROR_OPEN_FAILED", contains: "Connection refused"),
      Case(
        arguments: ["gss", "init", "--target", "host@localhost", "--mech", "bogus"], form: .usage,
        code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["gss", "accept", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["gss", "mechs", "extra"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["sspi", "client", "--package", "Bogus"], form: .stderr, code: "SEC_E_"),
      Case(arguments: ["sspi", "server", "--package", "Bogus"], form: .stderr, code: "SEC_E_"),
      Case(arguments: ["sspi", "packages", "extra"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["sspi", "logon-id", "extra"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      // ds
      Case(arguments: ["ds", "getspn", "bogus_type", "http"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["ds", "dc", "--ping-timeout", "0"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["ds", "dc", "--domain-guid", "not-a-guid"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["ds", "spn", "add"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["ds", "spn", "list"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["ds", "spn", "remove"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      // acl
      Case(
        arguments: ["acl", "get", missing], form: .stderr, code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      Case(arguments: ["acl", "set", directory, badSDDL], form: .stderr, code: "ERROR_INVALID_ACL"),
      Case(
        arguments: ["acl", "check", missing, "--token", token, "--desired", "R"], form: .stderr,
        code: "ERROR_"),
      Case(arguments: ["acl", "grant", missing, "WD", "R"], form: .stderr, code: "ERROR_"),
      Case(arguments: ["acl", "deny", missing, "WD", "R"], form: .stderr, code: "ERROR_"),
      Case(arguments: ["acl", "remove", missing, "WD"], form: .stderr, code: "ERROR_"),
      Case(
        arguments: ["acl", "reset", missing], form: .stderr, code: "ERROR_FILE_NOT_FOUND",
        contains: "No such file or directory"),
      // tour
      Case(arguments: ["tour", "--bogus"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(arguments: ["nosuchcommand"], form: .usage, code: "ERROR_BAD_ARGUMENTS"),
      Case(
        arguments: ["help", "sdl"], form: .usage, code: "ERROR_BAD_ARGUMENTS", contains: "no such command"),
    ]
  }

  /// A throwaway vault for the cred cases.
  static let home: String = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ntsec-errors-home-\(getpid())")
      .path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }()

  /// Runs `ntsec`; as root, files are unreadable only to someone else, so the unreadable-file cases
  /// run as nobody (setpriv).
  func run(_ c: Case) throws -> (status: Int32, stdout: String, stderr: String) {
    let ntsec = try #require(builtProduct("ntsec"), "ntsec not built next to the tests")
    let env = [
      "HOME": Self.home, "XDG_DATA_HOME": Self.home + "/data", "XDG_CONFIG_HOME": Self.home + "/config",
    ]
    if getuid() == 0, c.arguments.contains(Self.files.unreadable) {
      return try runProgram(
        "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", ntsec] + c.arguments,
        input: c.stdin, environment: env)
    }
    return try runProgram(ntsec, c.arguments, input: c.stdin, environment: env)
  }

  @Test("every command fails in the one form", arguments: cases)
  func failsInTheOneForm(_ c: Case) throws {
    let r = try run(c)
    let errLines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let outLines = r.stdout.split(separator: "\n").map(String.init)
    switch c.form {
    case .stderr, .usage:
      #expect(r.status == (c.form == .usage ? 2 : c.status), "\(c): \(r.status) \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(c): stdout \(r.stdout)")
      let first = errLines.first ?? ""
      #expect(first.hasPrefix("ntsec: error: \(c.code)"), "\(c): \(r.stderr)")
      #expect(first.wholeMatch(of: /ntsec: error: [A-Z][A-Z0-9_]+: \S.*/) != nil, "\(c): \(first)")
      #expect(c.contains.isEmpty || first.contains(c.contains), "\(c): \(first)")
    case .inPlace:
      #expect(r.status == 1, "\(c): \(r.status)")
      #expect(r.stderr.isEmpty, "\(c): stderr \(r.stderr)")
      let line = try #require(outLines.first { $0.hasPrefix("error: ") }, "\(c): \(r.stdout)")
      #expect(line.wholeMatch(of: /error: [A-Z][A-Z0-9_]+ \S.*/) != nil, "\(c): \(line)")
      #expect(
        line.hasPrefix("error: \(c.code)") && (c.contains.isEmpty || line.contains(c.contains)),
        "\(c): \(line)")
      // one output line per non-blank input line, in place
      let inputs = c.stdin.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }
      #expect(outLines.count == inputs.count, "\(c): \(r.stdout)")
    case .json:
      #expect(r.status == 1, "\(c): \(r.status)")
      #expect(r.stderr.isEmpty, "\(c): stderr \(r.stderr)")
      var sawError = false
      for line in outLines {
        let object = try #require(
          try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(c): \(line)")
        guard let error = object["error"] else { continue }
        let fields = try #require(error as? [String: Any], "\(c): \(line)")
        #expect((fields["code"] as? String)?.hasPrefix(c.code) == true, "\(c): \(line)")
        #expect(
          c.contains.isEmpty || (fields["message"] as? String)?.contains(c.contains) == true, "\(c): \(line)")
        if let offset = c.offset { #expect(fields["offset"] as? Int == offset, "\(c): \(line)") }
        sawError = true
      }
      #expect(sawError, "\(c): \(r.stdout)")
    }
  }

  /// Every leaf command `ntsec --help` leads to, as its words (`["sddl", "to-binary"]`).
  func commands(_ prefix: [String] = []) throws -> [[String]] {
    let ntsec = try #require(builtProduct("ntsec"))
    let help = try runProgram(ntsec, prefix + ["--help"]).stdout
    guard let section = help.range(of: "SUBCOMMANDS:") else { return [prefix] }
    var leaves: [[String]] = []
    for line in help[section.upperBound...].split(separator: "\n") {
      guard line.hasPrefix("  "), !line.hasPrefix("   ") || line.hasPrefix("  ") else { continue }
      let words = line.split(separator: " ")
      guard let name = words.first, name.first?.isLetter == true, !line.hasPrefix("  See ") else { continue }
      let word = String(name)
      if word == "help" || line.dropFirst(2).first == " " { continue }
      leaves += try commands(prefix + [word])
    }
    return leaves
  }

  @Test("the table drives every command")
  func tableCoversEveryCommand() throws {
    let all = try commands()
    #expect(all.count > 40, "\(all)")
    for command in all {
      #expect(
        Self.cases.contains { $0.arguments.starts(with: command) }, "no bad-input case for ntsec \(command)")
    }
  }

  @Test("a single SDDL argument at a terminal shows a caret under the offset")
  func caretAtATerminal() throws {
    let ntsec = try #require(builtProduct("ntsec"))
    // script(1) gives the command a terminal for its standard error
    let r = try runProgram(
      "/usr/bin/script", ["-qec", "\(ntsec) sddl canonical 'D:(A;;FA;;;S-1-5-32-544-)' 2>&1", "/dev/null"])
    let lines = r.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
    #expect(r.status == 1)
    #expect(lines.first == "ntsec: error: ERROR_INVALID_ACL: malformed trustee SID at offset 11", "\(lines)")
    #expect(lines.dropFirst().first == "  D:(A;;FA;;;S-1-5-32-544-)", "\(lines)")
    #expect(lines.dropFirst(2).first == "  " + String(repeating: " ", count: 11) + "^", "\(lines)")
    // without a terminal: the one line only
    let piped = try runProgram(ntsec, ["sddl", "canonical", "D:(A;;FA;;;S-1-5-32-544-)"])
    #expect(piped.stderr == "ntsec: error: ERROR_INVALID_ACL: malformed trustee SID at offset 11\n")
  }
}
