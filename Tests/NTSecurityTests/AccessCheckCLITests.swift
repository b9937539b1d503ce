import Foundation
import Testing

/// `ntsec access-check`, single and `--batch`, run as the built executable.
@Suite struct AccessCheckCLITests {
  let cli = CLITests()

  let alice =
    #"{"user": "S-1-5-21-1-2-3-1001", "groups": [{"sid": "S-1-1-0"}, {"sid": "S-1-5-32-545"}], "privileges": [{"name": "SeTakeOwnershipPrivilege", "attributes": ["enabled"]}]}"#

  @Test("access-check prints status and granted rights; exit status 0 when granted, 1 when denied")
  func singleCheck() throws {
    let token = try cli.tokenFile(alice)
    defer { try? FileManager.default.removeItem(atPath: token) }
    let sd = "O:SYG:SYD:(A;;FR;;;WD)"
    let ok = try cli.run(["access-check", "--sd", sd, "--token", token, "--desired", "FR"])
    #expect(ok.status == 0)
    #expect(
      ok.output.hasPrefix(
        "status: ERROR_SUCCESS\ngranted: 0x120089 (FILE_READ_DATA, FILE_READ_EA, FILE_READ_ATTRIBUTES, READ_CONTROL, SYNCHRONIZE)\n"
          + "FILE_READ_DATA: granted\n  DACL pass: granted by DACL ACE 0 (A;;FR;;;WD)\n"))
    let denied = try cli.run(["access-check", "--sd", sd, "--token", token, "--desired", "0x2", "--json"])
    #expect(
      denied.status == 1 && denied.output == #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}"# + "\n")
    let decimal = try cli.run([
      "access-check", "--sd", sd, "--token", token, "--desired", "1179785", "--json",
    ])
    #expect(decimal.output == #"{"granted": "0x120089", "status": "ERROR_SUCCESS"}"# + "\n")
    let privileged = try cli.run([
      "access-check", "--sd", sd, "--token", token, "--desired", "FR|WRITE_OWNER", "--json",
    ])
    #expect(
      privileged.output
        == #"{"granted": "0x1a0089", "status": "ERROR_SUCCESS", "privileges_used": ["SeTakeOwnershipPrivilege"]}"#
        + "\n")
    let registry = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:NO_ACCESS_CONTROL", "--token", token, "--desired", "MAXIMUM_ALLOWED",
      "--mapping", "registry", "--json",
    ])
    #expect(registry.output == #"{"granted": "0xf003f", "status": "ERROR_SUCCESS"}"# + "\n")
  }

  @Test("access-check reports ERROR_GENERIC_NOT_MAPPED and ERROR_PRIVILEGE_NOT_HELD as statuses")
  func failureStatuses() throws {
    let token = try cli.tokenFile(alice)
    defer { try? FileManager.default.removeItem(atPath: token) }
    let generic = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:", "--token", token, "--desired", "GR", "--json",
    ])
    #expect(
      generic.status == 1
        && generic.output.hasPrefix(#"{"granted": "0x0", "status": "ERROR_GENERIC_NOT_MAPPED""#))
    let privilege = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:", "--token", token, "--desired", "ACCESS_SYSTEM_SECURITY",
    ])
    #expect(privilege.status == 1 && privilege.output.hasPrefix("status: ERROR_PRIVILEGE_NOT_HELD"))
  }

  @Test("access-check with --object-types, --principal-self and --backup-intent")
  func objectTypesPrincipalSelfAndBackup() throws {
    let token = try cli.tokenFile(
      #"{"user": "S-1-5-21-1-2-3-1001", "privileges": [{"name": "SeBackupPrivilege", "attributes": ["enabled"]}]}"#
    )
    defer { try? FileManager.default.removeItem(atPath: token) }
    let set = "22222222-0000-0000-0000-000000000001"
    let types =
      #"[{"level": 0, "guid": "11111111-0000-0000-0000-000000000000"}, {"level": 1, "guid": "\#(set)"}, {"level": 1, "guid": "22222222-0000-0000-0000-000000000002"}]"#
    let byType = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:(OA;;RP;\(set);;PS)", "--token", token, "--desired", "RP",
      "--mapping", "ds",
      "--object-types", types, "--principal-self", "S-1-5-21-1-2-3-1001", "--json",
    ])
    #expect(
      byType.output
        == #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED", "results": [{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}, {"granted": "0x10", "status": "ERROR_SUCCESS"}, {"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}]}"#
        + "\n")
    let backup = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:", "--token", token, "--desired", "FR", "--backup-intent", "--json",
    ])
    #expect(backup.status == 0 && backup.output.contains(#""privileges_used": ["SeBackupPrivilege"]"#))
  }

  @Test("access-check refuses unusable arguments with exit status 2")
  func badArguments() throws {
    let token = try cli.tokenFile(alice)
    defer { try? FileManager.default.removeItem(atPath: token) }
    for args in [
      ["--sd", "O:SYG:SYD:", "--token", token, "--desired", "NOT_A_RIGHT"],
      ["--sd", "O:SYG:SYD:(A;;XX;;;WD)", "--token", token, "--desired", "1"],
      ["--sd", "O:SYG:SYD:", "--token", "/nonexistent/token.json", "--desired", "1"],
      ["--sd", "O:SYG:SYD:", "--token", token, "--desired", "1", "--mapping", "printer"],
    ] {
      let result = try cli.run(["access-check"] + args)
      #expect(result.status == 2 && result.output.hasPrefix("ntsec: error: "), "\(args)")
    }
  }

  @Test(
    "access-check --batch: one JSON line out per line in; bad lines get {\"error\": …} and the run goes on")
  func batch() throws {
    let token = #"{"user": "S-1-5-21-1-2-3-1001", "groups": [{"sid": "S-1-1-0"}]}"#
    let lines = [
      #"{"sd": "O:SYG:SYD:(A;;FR;;;WD)", "token": \#(token), "desired": 1179785}"#,
      #"{"sd": "O:SYG:SYD:(A;;FR;;;WD)", "token": \#(token), "desired": "0x120116"}"#,
      "not json",
      #"{"sd": "O:SYG:SYD:(A;;FR;;;WD)", "token": \#(token), "desired": "GR"}"#,
      #"{"sd": "D:(A;;FR;;;WD)", "token": \#(token), "desired": 1}"#,
      #"{"sd": "O:SYG:SYD:(A;;FR;;;WD)", "token": \#(token), "desired": 1, "extra": 1}"#,
      #"{"sd": "O:SYG:SYD:(OA;;RP;;;WD)", "token": \#(token), "desired": 16, "mapping": "ds", "object_types": [{"level": 0, "guid": "11111111-0000-0000-0000-000000000000"}]}"#,
      #"{"sd": "O:SYG:SYD:(A;;FA;;;PS)", "token": \#(token), "desired": 1, "principal_self": "S-1-5-21-1-2-3-1001", "backup_intent": false}"#,
    ]
    let result = try cli.run(["access-check", "--batch"], stdin: lines.joined(separator: "\n") + "\n")
    let out = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(result.status == 1)
    #expect(
      out == [
        #"{"granted": "0x120089", "status": "ERROR_SUCCESS"}"#,
        #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}"#,
        #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "not JSON"}}"#,
        #"{"granted": "0x0", "status": "ERROR_GENERIC_NOT_MAPPED"}"#,
        #"{"granted": "0x0", "status": "ERROR_INVALID_SECURITY_DESCR"}"#,
        #"{"error": {"code": "ERROR_INVALID_PARAMETER", "message": "unknown key \"extra\""}}"#,
        #"{"granted": "0x10", "status": "ERROR_SUCCESS", "results": [{"granted": "0x10", "status": "ERROR_SUCCESS"}]}"#,
        #"{"granted": "0x1", "status": "ERROR_SUCCESS"}"#,
        "",
      ])
  }

  @Test("access-check --batch reuses a token it has read only for the same token text")
  func batchTokenReuse() throws {
    let alice = #"{"user": "S-1-5-21-1-2-3-1001", "groups": [{"sid": "S-1-1-0"}]}"#
    let bob = #"{"user": "S-1-5-21-1-2-3-1002"}"#
    let lines = [
      #"{"token": \#(alice), "sd": "O:SYG:SYD:(A;;FR;;;WD)", "desired": "FR"}"#,
      #"{"token": \#(alice), "sd": "O:SYG:SYD:(A;;FW;;;WD)", "desired": "FR"}"#,
      #"{"token": \#(bob), "sd": "O:SYG:SYD:(A;;FR;;;WD)", "desired": "FR"}"#,
      // A "token" key nested where it does not belong fails the line and is not remembered.
      #"{"object_types": [{"token": \#(bob)}], "token": \#(alice), "sd": "O:SYG:SYD:(A;;FR;;;WD)", "desired": 1}"#,
      #"{"mapping": "token", "token": \#(bob), "sd": "O:SYG:SYD:(A;;FR;;;WD)", "desired": "FR"}"#,
      #"{"token": \#(alice), "sd": "O:SYG:SYD:(A;;FR;;;WD)", "desired": "FR"}"#,
    ]
    let result = try cli.run(["access-check", "--batch"], stdin: lines.joined(separator: "\n") + "\n")
    let out = result.output.split(separator: "\n").map(String.init)
    #expect(out.count == 6)
    #expect(out[0] == #"{"granted": "0x120089", "status": "ERROR_SUCCESS"}"#)
    #expect(out[1] == #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}"#)
    #expect(out[2] == #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}"#)
    #expect(out[3].hasPrefix(#"{"error": {"code": "#))
    #expect(out[4] == #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}"#)
    #expect(out[5] == #"{"granted": "0x120089", "status": "ERROR_SUCCESS"}"#)
  }

  @Test("access-check --batch with only good lines exits 0")
  func batchAllGood() throws {
    let line = #"{"sd": "O:SYG:SYD:(A;;FR;;;WD)", "token": {"user": "S-1-5-21-1-2-3-1001"}, "desired": "FR"}"#
    let result = try cli.run(["access-check", "--batch"], stdin: line + "\n" + line + "\n")
    #expect(result.status == 0)
    #expect(
      result.output
        == String(repeating: #"{"granted": "0x0", "status": "ERROR_ACCESS_DENIED"}"# + "\n", count: 2))
  }
}
