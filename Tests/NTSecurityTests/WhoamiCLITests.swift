import Foundation
import Testing

/// `ntsec whoami`: whoami /all's layout for a token JSON file and for a PAC's network logon token.
@Suite struct WhoamiCLITests {
  let cli = CLITests()

  func file(_ contents: String, _ ext: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("ntsec-whoami-\(UUID().uuidString).\(ext)").path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  let tokenJSON = """
    {"user": "S-1-5-21-1-2-3-1001", "groups": [{"sid": "S-1-1-0", "attributes": ["mandatory", "enabled_by_default", "enabled"]}, {"sid": "S-1-5-32-544", "attributes": ["use_for_deny_only"]}, {"sid": "S-1-5-21-1-2-3-512", "attributes": ["mandatory", "enabled_by_default", "enabled", "owner"]}, {"sid": "S-1-5-21-1-2-3-3000", "attributes": ["mandatory", "enabled_by_default", "enabled", "resource"]}, {"sid": "S-1-5-5-0-99999", "attributes": ["mandatory", "enabled_by_default", "enabled", "logon_id"]}], "privileges": [{"name": "SeShutdownPrivilege", "attributes": []}, {"name": "SeChangeNotifyPrivilege", "attributes": ["enabled_by_default", "enabled"]}]}
    """

  @Test("whoami /all: sections, = rules as wide as each column, whoami's Type and Attributes words")
  func allSections() throws {
    let path = try file(tokenJSON, "json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try cli.run(["whoami", path])
    #expect(result.status == 0)
    let expected = """

      USER INFORMATION
      ----------------

      User Name           SID
      =================== ===================
      S-1-5-21-1-2-3-1001 S-1-5-21-1-2-3-1001


      GROUP INFORMATION
      -----------------

      Group Name                             Type             SID                 Attributes
      ====================================== ================ =================== ===============================================================
      Everyone                               Well-known group S-1-1-0             Mandatory group, Enabled by default, Enabled group
      BUILTIN\\Administrators                 Alias            S-1-5-32-544        Group used for deny only
      Domain Admins                          Group            S-1-5-21-1-2-3-512  Mandatory group, Enabled by default, Enabled group, Group owner
      S-1-5-21-1-2-3-3000                    Alias            S-1-5-21-1-2-3-3000 Mandatory group, Enabled by default, Enabled group, Local Group
      NT AUTHORITY\\LogonSessionId_0_99999    Logon ID         S-1-5-5-0-99999     Mandatory group, Enabled by default, Enabled group
      Mandatory Label\\Medium Mandatory Level Label            S-1-16-8192


      PRIVILEGES INFORMATION
      ----------------------

      Privilege Name          Description              State
      ======================= ======================== ========
      SeShutdownPrivilege     Shut down the system     Disabled
      SeChangeNotifyPrivilege Bypass traverse checking Enabled


      USER CLAIMS INFORMATION
      -----------------------

      User claims unknown.

      Kerberos support for Dynamic Access Control on this device has been disabled.

      """
    #expect(result.output == expected)
  }

  @Test("whoami /groups /fo csv /nh: quoted values, no header row")
  func csv() throws {
    let path = try file(tokenJSON, "json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try cli.run(["whoami", path, "--groups", "--fo", "csv", "--nh"])
    #expect(result.status == 0)
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(lines.first == "GROUP INFORMATION")
    #expect(lines.contains(#""BUILTIN\Administrators","Alias","S-1-5-32-544","Group used for deny only""#))
    #expect(lines.contains(#""Mandatory Label\Medium Mandatory Level","Label","S-1-16-8192","""#))
    #expect(!lines.contains { $0.hasPrefix(#""Group Name""#) })
    #expect(!result.output.contains("PRIVILEGES INFORMATION"))
  }

  @Test("whoami --pac: the network logon token of gokrb5's PAC, named from the PAC")
  func fromPAC() throws {
    let hex = PACVectors.gokrb5Win2kPAC.map {
      String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
    }.joined()
    let path = try file(hex, "hex")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try cli.run(["whoami", "--pac", path])
    #expect(result.status == 0)
    let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.contains("test\\testuser1 S-1-5-21-3167651404-3865080224-2280184895-1105"))
    #expect(
      lines.contains {
        $0.hasPrefix("NT AUTHORITY\\NETWORK ")
          && $0.hasSuffix("Mandatory group, Enabled by default, Enabled group")
      })
    #expect(lines.contains { $0.hasPrefix("TEST\\Domain Users ") && $0.contains(" Group ") })
    #expect(
      lines.contains {
        $0.contains("S-1-5-21-3167651404-3865080224-2280184895-1114") && $0.hasSuffix("Local Group")
      })
    #expect(lines.contains { $0.hasPrefix("Mandatory Label\\Medium Mandatory Level") })
    #expect(!result.output.contains("NTLM Authentication"))
    let ntlm = try cli.run(["whoami", "--pac", path, "--package", "ntlm", "--groups"])
    #expect(ntlm.output.contains("NT AUTHORITY\\NTLM Authentication"))
    #expect(!ntlm.output.contains("USER INFORMATION"))
  }

  @Test("whoami --pac with a truncated PAC: the Windows error code and offset, exit status 1")
  func badPAC() throws {
    let path = try file("0500000000000000010000002802000058000000", "hex")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try cli.run(["whoami", "--pac", path])
    #expect(result.status == 1)
    #expect(result.output.contains("ERROR_INVALID_DATA"))
    #expect(result.output.contains("at offset"))
  }
}
