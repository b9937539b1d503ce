import Foundation
import NTSecurity
import Testing

/// `AccessToken`'s `Codable` form: the token JSON format of docs/token-format.md.
@Suite struct AccessTokenCodableTests {
  func decode(_ json: String) throws -> AccessToken {
    try JSONDecoder().decode(AccessToken.self, from: Data(json.utf8))
  }

  func encode(_ token: AccessToken) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(token), as: UTF8.self)
  }

  /// Every key of the format, every claim type, a deny-only user and a deny-only restricting SID.
  static let everything = """
    {"user": "S-1-5-21-1-2-3-1001", "user_attributes": ["use_for_deny_only"],
     "groups": [{"sid": "BA", "attributes": ["mandatory", "enabled_by_default", "enabled", "owner"]},
                {"sid": "S-1-5-5-0-7", "attributes": ["logon_id", "enabled"]}],
     "privileges": [{"name": "sesecurityprivilege", "attributes": ["enabled"]}, {"name": "SeBackupPrivilege"}],
     "restricted_sids": ["S-1-1-0", {"sid": "S-1-5-32-545", "attributes": ["mandatory", "use_for_deny_only"]}],
     "restricted": true, "write_restricted": true, "sandbox_inert": true, "lua_token": true,
     "owner": "S-1-5-32-544", "primary_group": "S-1-5-21-1-2-3-513", "integrity_level": "S-1-16-12288",
     "mandatory_policy": ["no_write_up", "new_process_min"], "type": "impersonation",
     "impersonation_level": "delegation",
     "user_claims": [{"name": "Title", "type": "string", "values": ["PM"], "flags": ["value_case_sensitive"]},
                     {"name": "n", "type": "int64", "values": [-3, 9223372036854775807]},
                     {"name": "u", "type": "uint64", "values": [18446744073709551615]},
                     {"name": "s", "type": "sid", "values": ["S-1-1-0"]},
                     {"name": "x", "type": "octet_string", "values": ["0a1B"]}],
     "device_claims": [{"name": "managed", "type": "boolean", "values": [true, false]}],
     "device_groups": [{"sid": "S-1-5-21-1-2-3-3000", "attributes": ["enabled"]}]}
    """

  @Test("decoding reads every key of the format into the token's fields")
  func decodesEveryKey() throws {
    let token = try decode(Self.everything)
    #expect(token.user.sid == (try SID(parsing: "S-1-5-21-1-2-3-1001")))
    #expect(token.user.attributes == [.useForDenyOnly])
    #expect(
      token.groups.contains(
        SIDAndAttributes(.builtinAdministrators, [.mandatory, .enabledByDefault, .enabled, .owner])))
    #expect(token.privileges.map(\.privilege) == [.security, .backup])
    #expect(token.privileges.map(\.attributes) == [[.enabled], []])
    #expect(
      token.restrictingSIDs == [
        SIDAndAttributes(.everyone, [.mandatory, .enabledByDefault, .enabled]),
        SIDAndAttributes(.builtinUsers, [.mandatory, .useForDenyOnly]),
      ])
    #expect(token.isRestricted && token.isWriteRestricted && token.isSandboxInert)
    #expect(token.restrictionFlags.contains(.luaToken))
    #expect(token.owner == .builtinAdministrators)
    #expect(token.integrityLevel == (try SID(parsing: "S-1-16-12288")))
    #expect(token.mandatoryPolicy == [.noWriteUp, .newProcessMin])
    #expect(token.type == .impersonation && token.impersonationLevel == .delegation)
    #expect(
      token.userClaims.map(\.values) == [
        .string(["PM"]), .int64([-3, .max]), .uint64([.max]), .sids([.everyone]),
        .octetString([[0x0a, 0x1b]]),
      ])
    #expect(token.userClaims[0].flags == .valueCaseSensitive)
    #expect(token.deviceClaims.map(\.values) == [.booleans([true, false])])
    #expect(token.deviceGroups == [SIDAndAttributes(try SID(parsing: "S-1-5-21-1-2-3-3000"), [.enabled])])
  }

  @Test("encoding and decoding again gives the same token, and the same JSON")
  func roundTrip() throws {
    let first = try encode(try decode(Self.everything))
    let again = try decode(first)
    #expect(try encode(again) == first)
    let sample = sampleToken(type: .impersonation, level: .identification)
    let back = try decode(try encode(sample))
    #expect(back.user == sample.user && back.groups == sample.groups && back.privileges == sample.privileges)
    #expect(back.owner == sample.owner && back.primaryGroup == sample.primaryGroup)
    #expect(back.type == .impersonation && back.impersonationLevel == .identification)
  }

  @Test("a token restricted with an empty list is written as restricted and read back restricted")
  func restrictedWithEmptyList() throws {
    let token = try decode(#"{"user": "S-1-1-0", "restricted_sids": [], "restricted": true}"#)
    #expect(token.isRestricted && token.restrictingSIDs.isEmpty)
    let json = try encode(token)
    #expect(json.contains(#""restricted":true"#))
    #expect(try decode(json).isRestricted)
    #expect(!(try decode(#"{"user": "S-1-1-0"}"#)).isRestricted)
    #expect(try decode(#"{"user": "S-1-1-0", "restricted_sids": ["WD"]}"#).isRestricted)
  }

  @Test("missing keys take the documented defaults")
  func defaults() throws {
    let token = try decode(#"{"user": "S-1-5-21-1-2-3-1001"}"#)
    #expect(token.owner == token.user.sid && token.primaryGroup == token.user.sid)
    #expect(token.integrityLevel == .mediumLabel)
    #expect(token.mandatoryPolicy == .noWriteUp)
    #expect(token.type == .primary && token.impersonationLevel == .anonymous)
    let group = try decode(#"{"user": "S-1-1-0", "type": "impersonation", "groups": [{"sid": "BU"}]}"#)
    #expect(group.impersonationLevel == .impersonation)
    #expect(group.groups.first == SIDAndAttributes(.builtinUsers, [.mandatory, .enabledByDefault, .enabled]))
  }

  /// Each input with the exact message the format's reader gives (a trailing `…` means a prefix).
  static let refusals: [(String, String)] = [
    (#"[]"#, "token: expected a JSON object"),
    (#"{"user": "S-1-1-0", "colour": 1}"#, #"token: unknown key "colour""#),
    (#"{"groups": []}"#, #"token: "user" is required"#),
    (#"{"user": 5}"#, "token: user must be a SID string"),
    (#"{"user": "not a sid"}"#, "token: user: …"),
    (#"{"user": "S-1-1-0", "owner": null}"#, "token: owner must be a SID string"),
    (#"{"user": "S-1-1-0", "groups": {}}"#, "token: groups must be an array"),
    (#"{"user": "S-1-1-0", "groups": ["WD"]}"#, "token: groups[0] must be an object"),
    (#"{"user": "S-1-1-0", "groups": [{"sid": "WD", "x": 1}]}"#, #"token: unknown key "x" in groups[0]"#),
    (#"{"user": "S-1-1-0", "groups": [{"attributes": []}]}"#, "token: groups[0].sid is required"),
    (
      #"{"user": "S-1-1-0", "groups": [{"sid": "WD", "attributes": ["shiny"]}]}"#,
      "token: groups[0].attributes[0]: unknown name shiny; expected one of mandatory, enabled_by_default, "
        + "enabled, owner, use_for_deny_only, integrity, integrity_enabled, logon_id, resource"
    ),
    (
      #"{"user": "S-1-1-0", "groups": [{"sid": "S-1-16-8192", "attributes": ["integrity"]}, {"sid": "S-1-16-12288", "attributes": ["integrity"]}]}"#,
      "token: the groups hold 2 integrity labels (groups[0] S-1-16-8192, groups[1] S-1-16-12288); a token has one"
    ),
    (
      #"{"user": "S-1-1-0", "groups": [{"sid": "WD", "attributes": ["integrity"]}]}"#,
      "token: groups[0] S-1-1-0 is marked integrity but is not a mandatory label SID (S-1-16-X)"
    ),
    (#"{"user": "S-1-1-0", "privileges": [{"name": 1}]}"#, "token: privileges[0].name must be a string"),
    (#"{"user": "S-1-1-0", "privileges": [{"name": "SeFlyPrivilege"}]}"#, "token: privileges[0]: …"),
    (#"{"user": "S-1-1-0", "restricted": "yes"}"#, "token: restricted must be true or false"),
    (#"{"user": "S-1-1-0", "write_restricted": 1}"#, "token: write_restricted must be true or false"),
    (
      #"{"user": "S-1-1-0", "restricted_sids": ["WD"], "restricted": false}"#,
      #"token: "restricted" is false but "restricted_sids" is not empty"#
    ),
    (#"{"user": "S-1-1-0", "restricted_sids": [7]}"#, "token: restricted_sids[0][0] must be an object"),
    (#"{"user": "S-1-1-0", "type": "secondary"}"#, #"token: "type" must be "primary" or "impersonation""#),
    (
      #"{"user": "S-1-1-0", "impersonation_level": "full"}"#,
      #"token: "impersonation_level" must be anonymous, identification, impersonation or delegation"#
    ),
    (
      #"{"user": "S-1-1-0", "integrity_level": "S-1-5-18"}"#,
      #"token: "integrity_level" must be a mandatory label SID (S-1-16-X)"#
    ),
    (
      #"{"user": "S-1-1-0", "groups": [{"sid": "S-1-16-8192", "attributes": ["integrity"]}], "integrity_level": "S-1-16-12288"}"#,
      #"token: two integrity labels, S-1-16-8192 in "groups" and S-1-16-12288 in "integrity_level"; a token has one"#
    ),
    (
      #"{"user": "S-1-1-0", "mandatory_policy": ["no_read_up"]}"#,
      "token: mandatory_policy[0]: unknown name no_read_up; expected one of no_write_up, new_process_min"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "", "type": "string"}]}"#,
      "token: user_claims[0].name must be a non-empty string"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "float", "values": [1]}]}"#,
      "token: user_claims[0].type must be int64, uint64, string, sid, boolean or octet_string"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "int64", "values": ["1"]}]}"#,
      "token: user_claims[0].values[0] does not fit type int64"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "int64", "values": [1.5]}]}"#,
      "token: user_claims[0].values[0] does not fit type int64"
    ),
    (
      #"{"user": "S-1-1-0", "device_claims": [{"name": "a", "type": "uint64", "values": [-1]}]}"#,
      "token: device_claims[0].values[0] does not fit type uint64"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "sid", "values": ["nobody"]}]}"#,
      "token: user_claims[0].values[0] does not fit type sid"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "octet_string", "values": ["0g"]}]}"#,
      "token: user_claims[0].values[0] does not fit type octet_string"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "boolean", "values": ["yes"]}]}"#,
      "token: user_claims[0].values[0] does not fit type boolean"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "string", "values": "PM"}]}"#,
      "token: user_claims[0].values must be an array"
    ),
    (
      #"{"user": "S-1-1-0", "user_claims": [{"name": "a", "type": "string", "flags": ["sticky"]}]}"#,
      "token: user_claims[0].flags[0]: unknown name sticky; expected one of non_inheritable, value_case_sensitive, "
        + "use_for_deny_only, disabled_by_default, disabled, mandatory"
    ),
  ]

  @Test("every documented refusal is ERROR_INVALID_PARAMETER with a message naming the place")
  func refusals() throws {
    for (json, expected) in Self.refusals {
      do {
        _ = try decode(json)
        Issue.record("\(json) was accepted")
      } catch let error as NTSecurityError {
        #expect(error.code == .invalidParameter, "\(json)")
        if expected.hasSuffix("…") {
          #expect(error.message.hasPrefix(String(expected.dropLast())), "\(json): \(error.message)")
          #expect(error.message.count > expected.count, "\(json): \(error.message)")
        } else {
          #expect(error.message == expected, "\(json)")
        }
      }
    }
  }
}
