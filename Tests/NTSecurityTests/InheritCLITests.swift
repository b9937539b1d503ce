import Foundation
import Testing

/// `ntsec inherit`, run as the built executable.
@Suite struct InheritCLITests {
  let cli = CLITests()
  static let driveRoot =
    "O:SYG:SYD:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;OICI;0x1200a9;;;BU)"
    + "(A;OICIIO;SDGXGWGR;;;AU)(A;;0x4;;;AU)S:PAI(ML;OINPIO;NW;;;HI)"

  @Test("inherit: a file and a folder under C:\\ with the default SYSTEM-like token (owner BA, group SY)")
  func inheritDefaultToken() throws {
    let file = try cli.run(["inherit", "--parent", Self.driveRoot])
    #expect(file.status == 0)
    #expect(
      file.output
        == "O:BAG:SYD:AI(A;ID;FA;;;BA)(A;ID;FA;;;SY)(A;ID;0x1200a9;;;BU)(A;ID;0x1301bf;;;AU)"
        + "S:AI(ML;ID;NW;;;HI)\n")
    let folder = try cli.run(["inherit", "--parent", "D:(A;OICIIO;GA;;;CO)", "--container"])
    #expect(folder.output == "O:BAG:SYD:AI(A;ID;FA;;;BA)(A;OICIIOID;GA;;;CO)\n")
  }

  @Test("inherit: --creator, --flags none, --mapping and nothing inheritable (the token's default DACL)")
  func inheritOptions() throws {
    let merged = try cli.run([
      "inherit", "--parent", "D:(A;OICI;FA;;;SY)", "--creator", "D:(A;;GR;;;BU)", "--container",
    ])
    #expect(merged.output == "O:BAG:SYD:AI(A;;FR;;;BU)(A;OICIID;FA;;;SY)\n")
    let plain = try cli.run([
      "inherit", "--parent", "D:(A;OICI;FA;;;SY)", "--creator", "D:(A;;GR;;;BU)", "--flags", "none",
    ])
    #expect(plain.output == "O:BAG:SYD:(A;;FR;;;BU)\n")
    let registry = try cli.run([
      "inherit", "--parent", "D:(A;CI;GR;;;BU)", "--container", "--mapping", "registry",
    ])
    #expect(registry.output == "O:BAG:SYD:AI(A;ID;KR;;;BU)(A;CIIOID;GR;;;BU)\n")
    let fallback = try cli.run(["inherit", "--parent", "D:(A;;FA;;;BU)"])
    #expect(fallback.output == "O:BAG:SYD:(A;;FA;;;SY)(A;;0x1200a9;;;BA)\n")
  }

  @Test(
    "inherit --token: owner, group and default DACL from the token file; its missing privilege refuses a creator SACL"
  )
  func inheritWithTokenFile() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("ntsec-inherit-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: url) }
    let json = """
      {"user": "S-1-5-21-1-2-3-1001", "primary_group": "S-1-5-21-1-2-3-513",
       "groups": [{"sid": "S-1-5-32-545", "attributes": ["mandatory", "enabled_by_default", "enabled"]}]}
      """
    try Data(json.utf8).write(to: url)
    let r = try cli.run(["inherit", "--parent", "D:(A;OI;FA;;;CO)", "--token", url.path])
    #expect(r.status == 0)
    #expect(r.output == "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513D:AI(A;ID;FA;;;S-1-5-21-1-2-3-1001)\n")
    let sacl = try cli.run([
      "inherit", "--parent", "D:", "--creator", "S:(AU;SA;FA;;;WD)", "--token", url.path,
    ])
    #expect(sacl.status == 1)
    #expect(sacl.output.hasPrefix("ntsec: error: ERROR_PRIVILEGE_NOT_HELD: "))
  }

  @Test("inherit: bad input is 'ntsec: error: CODE: message' with exit status 1")
  func inheritErrors() throws {
    let badSDDL = try cli.run(["inherit", "--parent", "D:(A;;FA"])
    #expect(badSDDL.status == 1 && badSDDL.output.hasPrefix("ntsec: error: ERROR_INVALID_ACL: "))
    let badFlag = try cli.run(["inherit", "--parent", "D:", "--flags", "nope"])
    #expect(badFlag.status == 1 && badFlag.output.hasPrefix("ntsec: error: ERROR_INVALID_FLAGS: "))
    let badOwner = try cli.run([
      "inherit", "--parent", "D:", "--creator", "O:AN", "--token", "/nonexistent/token.json",
    ])
    #expect(badOwner.status == 1 && badOwner.output.hasPrefix("ntsec: error: ERROR_FILE_NOT_FOUND: "))
    let badMapping = try cli.run(["inherit", "--parent", "D:", "--mapping", "x"])
    #expect(badMapping.status == 1 && badMapping.output.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER: "))
  }
}
