import Foundation
import TestPeers
import Testing

/// One JSON style across `ntsec`: snake_case keys (as the token format's `sub_authorities`), and
/// `--json` on the listing commands.
@Suite struct JSONStyleCLITests {
  /// Every key of every object in `value`, however deep.
  func keys(_ value: Any) -> [String] {
    if let object = value as? [String: Any] { return object.keys + object.values.flatMap(keys) }
    if let array = value as? [Any] { return array.flatMap(keys) }
    return []
  }

  func json(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> [Any] {
    let ntsec = try #require(builtProduct("ntsec"), "ntsec not built next to the tests")
    let r = try runProgram(ntsec, arguments, input: input, environment: environment)
    #expect(r.status == 0, "\(arguments): \(r.stderr)")
    return try r.stdout.split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed)
    }
  }

  @Test("every --json output has snake_case keys")
  func snakeCaseKeys() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ntsec-json-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: home) }
    let vault = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config"]
    let ntsec = try #require(builtProduct("ntsec"))
    let added = try runProgram(
      ntsec, ["cred", "add", "svc", "--user", "alice", "--password-stdin", "--comment", "c"], input: "pw",
      environment: vault)
    #expect(added.status == 0, "\(added.stderr)")
    let outputs: [(String, [Any])] = [
      ("sid parse", try json(["sid", "parse", "--json", "S-1-5-32-544"])),
      ("sid well-known", try json(["sid", "well-known", "--json"])),
      ("privilege list", try json(["privilege", "list", "--json"])),
      (
        "sddl explain",
        try json([
          "sddl", "explain", "--json",
          "O:SYD:(OA;CI;RP;bf967aba-0de6-11d0-a285-00aa003049e2;bf967a86-0de6-11d0-a285-00aa003049e2;WD)",
        ])
      ),
      ("whoami", try json(["whoami", "--json"])),
      ("cred list", try json(["cred", "list", "--json"], environment: vault)),
    ]
    for (command, values) in outputs {
      #expect(!values.isEmpty, "\(command)")
      for key in values.flatMap(keys) {
        #expect(key.wholeMatch(of: /[a-z][a-z0-9_]*/) != nil, "\(command): key \(key)")
      }
    }
    let sid = try #require(outputs[0].1.first as? [String: Any])
    #expect(sid["sub_authorities"] as? [Int] == [32, 544])
    #expect(sid["well_known_type"] as? String == "WinBuiltinAdministratorsSid")
    let explained = try #require(outputs[3].1.first as? [String: Any])
    let ace = try #require(((explained["dacl"] as? [String: Any])?["aces"] as? [[String: Any]])?.first)
    #expect(ace["object_type"] as? String == "bf967aba-0de6-11d0-a285-00aa003049e2")
    #expect(ace["inherited_object_type"] as? String == "bf967a86-0de6-11d0-a285-00aa003049e2")
    let privileges = try #require(outputs[2].1.first as? [[String: Any]])
    #expect(privileges.count > 30)
    #expect(
      privileges.contains {
        $0["name"] as? String == "SeBackupPrivilege" && $0["luid"] as? Int == 17
          && $0["display_name"] as? String == "Back up files and directories"
      })
    let credentials = try #require(outputs[5].1.first as? [[String: Any]])
    let stored = try #require(credentials.first { $0["target_name"] as? String == "svc" }, "\(credentials)")
    #expect(stored["user_name"] as? String == "alice" && stored["comment"] as? String == "c")
    #expect(!String(describing: credentials).contains("pw"), "no secret in the listing")
  }
}
