import Foundation
import Testing

/// The reported reproductions with the shipped `ntsec` (`token restrict`, `token show`,
/// `access-check`): a second restriction never widens access, and CreateRestrictedToken follows
/// CreateRestrictedToken's documentation.
@Suite struct TokenRestrictionCLITests {
  let cli = CLITests()
  static let user = "S-1-5-21-1-2-3-1001"
  static let base =
    #"{"user":"S-1-5-21-1-2-3-1001","groups":[{"sid":"S-1-5-32-545"},{"sid":"S-1-1-0"},{"sid":"S-1-5-11"}]}"#
  static let sd = "O:\(user)G:\(user)D:(A;;FA;;;\(user))(A;;FA;;;BU)(A;;FR;;;WD)"

  /// Writes `json` to a temporary file, runs `body` with its path, and removes it.
  func withToken<R>(_ json: String, _ body: (String) throws -> R) throws -> R {
    let path = try cli.tokenFile(json)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
  }

  func object(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }

  func check(_ token: String, _ desired: String, sd: String = Self.sd) throws -> CLITests.Result {
    try cli.run(["access-check", "--sd", sd, "--token", token, "--desired", desired])
  }

  @Test(
    "restricting a restricted token with SIDs outside its list is ERROR_INVALID_PARAMETER, not an unrestricted token"
  )
  func disjointSecondRestriction() throws {
    try withToken(Self.base) { (base: String) throws in
      let r1 = try cli.run(["token", "restrict", base, "--restrict", "S-1-1-0"])
      #expect(r1.status == 0)
      try withToken(r1.output) { (r1Path: String) throws in
        #expect(try check(r1Path, "FA").output.hasPrefix("status: ERROR_ACCESS_DENIED"))
        let r2 = try cli.run(["token", "restrict", r1Path, "--restrict", "S-1-5-32-545"])
        #expect(r2.status == 1)
        #expect(r2.output.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER: "), "\(r2.output)")
        // The issue's third step reads r2.json: whatever r2 printed grants nothing.
        try withToken(r2.output) { (r2Path: String) throws in
          let third = try check(r2Path, "FA")
          #expect(third.status != 0 && !third.output.contains("ERROR_SUCCESS"), "\(third.output)")
        }
      }
    }
  }

  @Test(
    "a restricted token with an empty restricting list stays restricted through token show and grants nothing"
  )
  func emptyListStaysRestricted() throws {
    let json =
      #"{"user":"S-1-5-21-1-2-3-1001","groups":[{"sid":"S-1-5-32-545"},{"sid":"S-1-1-0"}],"restricted_sids":[],"restricted":true}"#
    try withToken(json) { (path: String) throws in
      let shown = try cli.run(["token", "show", path])
      #expect(shown.status == 0, "\(shown.output)")
      let token = try object(shown.output)
      #expect(token["restricted"] as? Bool == true)
      #expect(token["restricted_sids"] as? [String] == [])
      try withToken(shown.output) { (again: String) throws in
        #expect(try cli.run(["token", "show", again]).output == shown.output)
        let denied = try check(again, "FR")
        #expect(
          denied.status == 1 && denied.output.hasPrefix("status: ERROR_ACCESS_DENIED"), "\(denied.output)")
        let max = try check(again, "MAXIMUM_ALLOWED")
        #expect(max.status == 1, "\(max.output)")
      }
      // A contradiction is an error, not a guess.
      let contradiction =
        #"{"user":"S-1-5-21-1-2-3-1001","restricted_sids":["S-1-1-0"],"restricted":false}"#
      try withToken(contradiction) { (bad: String) throws in
        let result = try cli.run(["token", "show", bad])
        #expect(result.status == 1 && result.output.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER: "))
      }
    }
  }

  @Test("adding write_restricted to a token restricted for all access is ERROR_INVALID_PARAMETER")
  func writeRestrictedOnFullyRestricted() throws {
    let readOnlyForUser = "O:\(Self.user)G:\(Self.user)D:(A;;FA;;;\(Self.user))"
    try withToken(Self.base) { (base: String) throws in
      let r1 = try cli.run(["token", "restrict", base, "--restrict", "WD"])
      #expect(r1.status == 0)
      try withToken(r1.output) { (r1Path: String) throws in
        #expect(try check(r1Path, "FR", sd: readOnlyForUser).output.hasPrefix("status: ERROR_ACCESS_DENIED"))
        let r2 = try cli.run(["token", "restrict", r1Path, "--flags", "write_restricted"])
        #expect(r2.status == 1)
        #expect(r2.output.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER: "), "\(r2.output)")
      }
      // Write-restricted first, then restricted again without the flag: still write-restricted,
      // and the writes stay limited to the intersection.
      let w1 = try cli.run([
        "token", "restrict", base, "--restrict", "WD", "BU", "--flags", "write_restricted",
      ])
      try withToken(w1.output) { (w1Path: String) throws in
        let w2 = try cli.run(["token", "restrict", w1Path, "--restrict", "BU"])
        #expect(w2.status == 0)
        #expect(try object(w2.output)["write_restricted"] as? Bool == true)
      }
    }
  }

  @Test("lua_token filters an administrator's token: BA deny-only, five privileges, Medium integrity")
  func luaToken() throws {
    let admin =
      #"{"user":"S-1-5-21-1-2-3-1001","groups":[{"sid":"S-1-5-32-544"},{"sid":"S-1-5-32-545"},{"sid":"S-1-5-21-1-2-3-512"}],"privileges":[{"name":"SeBackupPrivilege","attributes":["enabled"]},{"name":"SeDebugPrivilege"},{"name":"SeChangeNotifyPrivilege","attributes":["enabled_by_default","enabled"]},{"name":"SeShutdownPrivilege"},{"name":"SeTimeZonePrivilege"}],"integrity_level":"S-1-16-12288"}"#
    try withToken(admin) { (path: String) throws in
      let sd = "O:BAG:BAD:(A;;FA;;;BA)(A;;FR;;;BU)"
      #expect(try check(path, "FA", sd: sd).status == 0)
      let lua = try cli.run(["token", "restrict", path, "--flags", "lua_token"])
      #expect(lua.status == 0, "\(lua.output)")
      let token = try object(lua.output)
      let groups = try #require(token["groups"] as? [[String: Any]])
      #expect(groups[0]["attributes"] as? [String] == ["mandatory", "use_for_deny_only"])
      #expect(groups[1]["attributes"] as? [String] == ["mandatory", "enabled_by_default", "enabled"])
      #expect(groups[2]["attributes"] as? [String] == ["mandatory", "use_for_deny_only"])
      let privileges = try #require(token["privileges"] as? [[String: Any]])
      #expect(
        privileges.compactMap { $0["name"] as? String }
          == ["SeChangeNotifyPrivilege", "SeShutdownPrivilege", "SeTimeZonePrivilege"])
      #expect(token["integrity_level"] as? String == "S-1-16-8192")
      #expect(token["lua_token"] as? Bool == true)
      try withToken(lua.output) { (luaPath: String) throws in
        #expect(try check(luaPath, "FA", sd: sd).output.hasPrefix("status: ERROR_ACCESS_DENIED"))
        #expect(try check(luaPath, "FR", sd: sd).status == 0)
      }
    }
  }

  @Test("a token file with two integrity labels is rejected")
  func twoLabels() throws {
    for json in [
      #"{"user":"S-1-1-0","groups":[{"sid":"S-1-16-12288","attributes":["integrity","integrity_enabled"]},{"sid":"S-1-16-4096","attributes":["integrity","integrity_enabled"]}]}"#,
      #"{"user":"S-1-1-0","groups":[{"sid":"S-1-16-12288","attributes":["integrity","integrity_enabled"]}],"integrity_level":"S-1-16-4096"}"#,
    ] {
      try withToken(json) { (path: String) throws in
        let shown = try cli.run(["token", "show", path])
        #expect(shown.status == 1, "\(shown.output)")
        #expect(shown.output.hasPrefix("ntsec: error: ERROR_INVALID_PARAMETER: "), "\(shown.output)")
        #expect(shown.output.contains("integrity"), "\(shown.output)")
        let checked = try check(path, "FR", sd: "O:SYG:SYD:(A;;FA;;;WD)")
        #expect(checked.status != 0 && !checked.output.contains("ERROR_SUCCESS"))
      }
    }
  }
}
