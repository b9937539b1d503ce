import Foundation
import Testing

/// `ntsec access-check`'s explanation and `ntsec sddl explain`'s names, run as the built executable.
@Suite struct ExplainCLITests {
  let cli = CLITests()
  let alice =
    #"{"user": "S-1-5-21-1-2-3-1001", "groups": [{"sid": "S-1-1-0"}, {"sid": "S-1-5-32-545"}, {"sid": "S-1-5-21-1-2-3-512"}]}"#

  @Test("access-check's text names the deciding ACE by index and SDDL, and the pass, per named right")
  func textExplainsEachRight() throws {
    let token = try cli.tokenFile(alice)
    defer { try? FileManager.default.removeItem(atPath: token) }
    let r = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:(D;;FW;;;BU)(A;;FA;;;WD)", "--token", token, "--desired", "0x2|0x1",
    ])
    #expect(r.status == 1)
    #expect(
      r.output.contains("FILE_WRITE_DATA: not granted\n  DACL pass: denied by DACL ACE 0 (D;;FW;;;BU)\n"))
    #expect(
      r.output.contains("FILE_READ_DATA: not granted\n  DACL pass: granted by DACL ACE 1 (A;;FA;;;WD)\n"))
    let label = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:(A;;FA;;;WD)S:(ML;;NW;;;HI)", "--token", token, "--desired",
      "MAXIMUM_ALLOWED",
    ])
    #expect(
      label.output.contains(
        "DELETE: not granted (MAXIMUM_ALLOWED)\n  mandatory check: limited by the mandatory integrity label (SACL ACE 0 (ML;;NW;;;HI))"
      ))
    let registry = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:(A;;KR;;;WD)", "--token", token, "--desired", "0x1", "--mapping",
      "registry",
    ])
    #expect(registry.status == 0 && registry.output.contains("KEY_QUERY_VALUE: granted\n"))
  }

  @Test("--explain adds the explanation to --json and to each --batch line")
  func jsonAndBatch() throws {
    let token = try cli.tokenFile(alice)
    defer { try? FileManager.default.removeItem(atPath: token) }
    let plain = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:(A;;FR;;;WD)", "--token", token, "--desired", "FR", "--json",
    ])
    #expect(!plain.output.contains("explanation"))
    let r = try cli.run([
      "access-check", "--sd", "O:SYG:SYD:(XA;;FR;;;WD;(Member_of {SID(BA)}))", "--token", token, "--desired",
      "0x1",
      "--json", "--explain",
    ])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any])
    let rights = try #require((object["explanation"] as? [String: Any])?["rights"] as? [[String: Any]])
    let step = try #require((rights.first?["steps"] as? [[String: Any]])?.first)
    #expect(rights.first?["right"] as? String == "FILE_READ_DATA")
    #expect(step["ace"] as? Int == 0 && step["rule"] as? String == "condition")
    #expect(step["condition"] as? String == "FALSE" && step["pass"] as? String == "discretionary")
    let line = #"{"sd": "O:SYG:SYD:(A;;FA;;;WD)", "token": \#(alice), "desired": 65536}"#
    let batch = try cli.run(["access-check", "--batch", "--explain"], stdin: line + "\n")
    let result = try #require(
      try JSONSerialization.jsonObject(with: Data(batch.output.utf8)) as? [String: Any])
    let batchRights = (result["explanation"] as? [String: Any])?["rights"] as? [[String: Any]]
    #expect(
      batchRights?.first?["right"] as? String == "DELETE" && batchRights?.first?["granted"] as? Bool == true)
  }

  @Test("--domain resolves domain aliases; without it the error says to pass --domain")
  func domainAliases() throws {
    let token = try cli.tokenFile(alice)
    defer { try? FileManager.default.removeItem(atPath: token) }
    let args = ["access-check", "--sd", "O:DAG:DAD:(A;;FA;;;DA)", "--token", token, "--desired", "FR"]
    let ok = try cli.run(args + ["--domain", "S-1-5-21-1-2-3"])
    #expect(ok.status == 0 && ok.output.contains("granted by DACL ACE 0 (A;;FA;;;DA)"))
    let missing = try cli.run(args)
    #expect(missing.status != 0 && missing.output.contains("pass --domain"))
    let explain = try cli.run(["sddl", "explain", "O:DAD:(A;;FA;;;DA)"])
    #expect(explain.status != 0 && explain.output.contains("pass --domain"))
  }

  @Test("sddl explain: rights named per --type, an icacls line per ACE, empty and NULL DACLs said plainly")
  func sddlExplain() throws {
    let r = try cli.run([
      "sddl", "explain", "O:SYG:SYD:(A;OICI;0x1200a9;;;BU)(D;;WD;;;WD)(A;ID;0x1201bf;;;AU)",
    ])
    #expect(r.output.contains("      icacls: BUILTIN\\Users:(OI)(CI)(RX)\n"))
    #expect(r.output.contains("      icacls: Everyone:(DENY)(WDAC)\n"))
    #expect(r.output.contains("      icacls: NT AUTHORITY\\Authenticated Users:(I)(RX,W)\n"))
    let registry = try cli.run(["sddl", "explain", "--type", "registry", "D:(A;CI;0x9;;;BU)"])
    #expect(registry.output.contains("KEY_QUERY_VALUE, KEY_ENUMERATE_SUB_KEYS"))
    #expect(registry.output.contains("icacls: BUILTIN\\Users:(CI)(KEY_QUERY_VALUE,KEY_ENUMERATE_SUB_KEYS)"))
    let service = try cli.run(["sddl", "explain", "--type", "service", "D:(A;;0x30;;;IU)"])
    #expect(service.output.contains("SERVICE_START, SERVICE_STOP"))
    let empty = try cli.run(["sddl", "explain", "O:SYG:SYD:"])
    #expect(empty.output.contains("DACL: 0 ACEs (no one has access"))
    let null = try cli.run(["sddl", "explain", "O:SYG:SYD:NO_ACCESS_CONTROL"])
    #expect(null.output.contains("everyone has full access"))
    let bad = try cli.run(["sddl", "explain", "--type", "nosuch", "D:"])
    #expect(bad.status != 0)
  }

  @Test("sddl explain names AD schema classes, attributes, property sets and extended rights")
  func schemaNames() throws {
    let sddl =
      "D:(OA;;CR;00299570-246d-11d0-a768-00aa006e0529;;WD)(OA;;RPWP;77b5b886-944a-11d1-aebd-0000f80367c1;;PS)"
      + "(OA;;SW;bf9679c0-0de6-11d0-a285-00aa003049e2;bf967a9c-0de6-11d0-a285-00aa003049e2;PS)"
      + "(OA;;WP;bf9679c0-0de6-11d0-a285-00aa003049e2;;DU)"
    let r = try cli.run(["sddl", "explain", "--type", "ds", "--domain", "S-1-5-21-1-2-3", sddl])
    #expect(r.output.contains("(extended-right User-Force-Change-Password)"))
    #expect(r.output.contains("(property-set Personal-Information)"))
    #expect(
      r.output.contains(
        "(validated-write Self-Membership)  inherited-object bf967a9c-0de6-11d0-a285-00aa003049e2 (class group)"
      ))
    #expect(r.output.contains("(attribute member)"))
    #expect(r.output.contains("ADS_RIGHT_DS_CONTROL_ACCESS"))
  }
}
