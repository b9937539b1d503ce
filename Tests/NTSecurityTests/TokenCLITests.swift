import Foundation
import Testing

/// `ntsec token` and `ntsec privilege`, in their documented forms.
@Suite struct TokenCLITests {
  let cli = CLITests()

  func object(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }

  @Test("token show fills in Windows' defaults: Medium integrity, no_write_up, primary, owner = user")
  func showDefaults() throws {
    let path = try cli.tokenFile(#"{"user": "S-1-5-21-1-2-3-1001"}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try cli.run(["token", "show", path])
    #expect(result.status == 0)
    let token = try object(result.output)
    #expect(token["integrity_level"] as? String == "S-1-16-8192")
    #expect(token["mandatory_policy"] as? [String] == ["no_write_up"])
    #expect(token["type"] as? String == "primary")
    #expect(token["owner"] as? String == "S-1-5-21-1-2-3-1001")
    #expect((token["groups"] as? [Any])?.isEmpty == true)
  }

  @Test("token show round-trips the issue's example token")
  func roundTrip() throws {
    let example = """
      {"user": "S-1-5-21-1-2-3-1001", "groups": [{"sid": "S-1-5-32-544", "attributes": ["mandatory", "enabled_by_default", "enabled"]}], "privileges": [{"name": "SeSecurityPrivilege", "attributes": ["enabled"]}], "restricted_sids": ["S-1-1-0"], "write_restricted": false, "owner": "S-1-5-32-544", "primary_group": "S-1-5-32-544", "integrity_level": "S-1-16-12288", "mandatory_policy": ["no_write_up", "new_process_min"], "type": "impersonation", "impersonation_level": "delegation", "user_claims": [{"name": "Title", "type": "string", "values": ["PM"]}, {"name": "n", "type": "int64", "values": [-3]}], "device_claims": [{"name": "managed", "type": "boolean", "values": [true]}], "device_groups": [{"sid": "S-1-5-21-1-2-3-3000", "attributes": ["enabled"]}]}
      """
    let path = try cli.tokenFile(example)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let first = try cli.run(["token", "show", path])
    #expect(first.status == 0)
    let again = try cli.tokenFile(first.output)
    defer { try? FileManager.default.removeItem(atPath: again) }
    let second = try cli.run(["token", "show", again])
    #expect(second.output == first.output)
    let token = try object(first.output)
    #expect(token["restricted_sids"] as? [String] == ["S-1-1-0"])
    #expect(token["impersonation_level"] as? String == "delegation")
    #expect(token["integrity_level"] as? String == "S-1-16-12288")
    #expect(first.output.contains(#"{"name": "n", "type": "int64", "values": [-3]}"#))
  }

  @Test("token show writes every key once, in the order of the key table of docs/token-format.md")
  func keyOrder() throws {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/token-format.md")
    let lines = try String(contentsOf: docs, encoding: .utf8).split(separator: "\n")
    let header = try #require(lines.firstIndex { $0.hasPrefix("| key |") })
    let keys = lines[(header + 2)...].prefix { $0.hasPrefix("| `") }.map {
      String($0.dropFirst(3).prefix { $0 != "`" })
    }
    #expect(keys.count == 18)
    let path = try cli.tokenFile(
      #"{"user": "S-1-5-21-1-2-3-1001", "user_attributes": ["use_for_deny_only"]}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let output = try cli.run(["token", "show", path]).output
    let offsets = keys.map { output.range(of: "\"\($0)\": ")?.lowerBound }
    #expect(!offsets.contains(nil), "\(output)")
    #expect(offsets.compactMap { $0 } == offsets.compactMap { $0 }.sorted(), "\(output)")
  }

  @Test("unknown keys, attribute names and claim types are errors with exit status 1")
  func rejectsUnknown() throws {
    for bad in [
      #"{"user": "S-1-1-0", "colour": 1}"#,
      #"{"groups": []}"#,
      #"{"user": "S-1-1-0", "groups": [{"sid": "S-1-1-0", "attributes": ["shiny"]}]}"#,
      #"{"user": "S-1-1-0", "privileges": [{"name": "SeFlyPrivilege"}]}"#,
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "float", "values": [1]}]}"#,
      #"{"user": "S-1-1-0", "integrity_level": "S-1-5-18"}"#,
      #"{"user": "not a sid"}"#,
      "not json",
    ] {
      let path = try cli.tokenFile(bad)
      defer { try? FileManager.default.removeItem(atPath: path) }
      let result = try cli.run(["token", "show", path])
      #expect(result.status == 1, "\(bad)")
      #expect(result.output.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER: "), "\(bad): \(result.output)")
    }
  }

  @Test(
    "token restrict applies CreateRestrictedToken: deny-only, deleted privileges, restricting SIDs, flags")
  func restrict() throws {
    let path = try cli.tokenFile(
      #"{"user": "S-1-5-21-1-2-3-1001", "groups": [{"sid": "BA"}, {"sid": "S-1-1-0"}], "privileges": [{"name": "SeBackupPrivilege", "attributes": ["enabled"]}, {"name": "SeChangeNotifyPrivilege", "attributes": ["enabled"]}, {"name": "SeShutdownPrivilege"}]}"#
    )
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try cli.run([
      "token", "restrict", path, "--disable", "S-1-5-32-544", "--delete-privilege",
      "SeShutdownPrivilege", "--restrict", "S-1-1-0", "RC", "--flags", "sandbox_inert,write_restricted",
    ])
    #expect(result.status == 0)
    let token = try object(result.output)
    let groups = try #require(token["groups"] as? [[String: Any]])
    #expect(groups.first?["attributes"] as? [String] == ["mandatory", "use_for_deny_only"])
    let privileges = try #require(token["privileges"] as? [[String: Any]])
    #expect(
      privileges.compactMap { $0["name"] as? String } == ["SeBackupPrivilege", "SeChangeNotifyPrivilege"])
    #expect(token["restricted_sids"] as? [String] == ["S-1-1-0", "S-1-5-12"])
    #expect(token["write_restricted"] as? Bool == true)
    #expect(token["sandbox_inert"] as? Bool == true)

    let max = try cli.run(["token", "restrict", path, "--flags", "disable_max_privilege"])
    let maxToken = try object(max.output)
    let kept = try #require(maxToken["privileges"] as? [[String: Any]])
    #expect(kept.compactMap { $0["name"] as? String } == ["SeChangeNotifyPrivilege"])

    let badFlag = try cli.run(["token", "restrict", path, "--flags", "turbo"])
    #expect(badFlag.status == 1)
    #expect(badFlag.output.hasPrefix("ntsec: error: ERROR_INVALID_FLAGS: "))
  }

  @Test("privilege value|name|display follow LookupPrivilegeValue/Name/DisplayName")
  func privilege() throws {
    #expect(try cli.run(["privilege", "value", "SeBackupPrivilege"]).output == "17\n")
    #expect(try cli.run(["privilege", "value", "sesecurityprivilege"]).output == "8\n")
    #expect(try cli.run(["privilege", "name", "23"]).output == "SeChangeNotifyPrivilege\n")
    #expect(try cli.run(["privilege", "name", "0x14"]).output == "SeDebugPrivilege\n")
    #expect(
      try cli.run(["privilege", "display", "SeChangeNotifyPrivilege"]).output
        == "Bypass traverse checking\n")
    let unknown = try cli.run(["privilege", "value", "SeInteractiveLogonRight"])
    #expect(unknown.status == 1)
    #expect(unknown.output.hasPrefix("ntsec: error: ERROR_NO_SUCH_PRIVILEGE: "))
    let badLUID = try cli.run(["privilege", "name", "99"])
    #expect(badLUID.output.hasPrefix("ntsec: error: ERROR_NO_SUCH_PRIVILEGE: "))
    let lines = try cli.run(["privilege", "value"], stdin: "SeTcbPrivilege\nSeNope\nSeDebugPrivilege\n")
    #expect(lines.output.split(separator: "\n").map(String.init).first == "7")
    #expect(lines.output.split(separator: "\n").count == 3)
    #expect(lines.status == 1)
  }
}
