@testable import NTSecurity

/// Shared inputs of the inheritance tests: a standard user's token and helpers that run
/// CreatePrivateObjectSecurityEx on SDDL and print the result as SDDL.
enum InheritanceFixture {
  static let user = try! SID(parsing: "S-1-5-21-1-2-3-1001")
  static let users = try! SID(parsing: "S-1-5-21-1-2-3-513")

  /// A standard user: owner and primary group from the user's domain, Administrators present
  /// but deny-only (UAC-filtered), Everyone and Users enabled, default DACL GA for the user and
  /// SYSTEM, Medium integrity.
  static func token(privileges: [LUIDAndAttributes] = [], adminOwner: Bool = false) -> AccessToken {
    var groups = [
      SIDAndAttributes(users, [.mandatory, .enabledByDefault, .enabled]),
      SIDAndAttributes(.everyone, [.mandatory, .enabledByDefault, .enabled]),
      SIDAndAttributes(.builtinUsers, [.mandatory, .enabledByDefault, .enabled]),
    ]
    groups.append(
      adminOwner
        ? SIDAndAttributes(.builtinAdministrators, [.mandatory, .enabledByDefault, .enabled, .owner])
        : SIDAndAttributes(.builtinAdministrators, [.useForDenyOnly, .owner]))
    return AccessToken(user: user, groups: groups, privileges: privileges, primaryGroup: users)
  }

  /// The new object's SDDL.
  static func child(
    _ parent: String?, creator: String? = nil, container: Bool, flags: AutoInheritFlags = [],
    objectTypes: [GUID] = [], token: AccessToken? = token(), mapping: GenericMapping = .file
  ) throws(NTSecurityError) -> String {
    var p: SecurityDescriptor?
    var c: SecurityDescriptor?
    if let parent { p = try SecurityDescriptor(sddl: parent) }
    if let creator { c = try SecurityDescriptor(sddl: creator) }
    let sd = try SecurityDescriptor.inherited(
      from: p, creator: c, isContainer: container, objectTypes: objectTypes, token: token,
      mapping: mapping, flags: flags)
    return try sd.sddl()
  }

  /// `O:` and `G:` of the fixture token's defaults, for expected strings.
  static let ownerGroup = "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513"
  static let u = "S-1-5-21-1-2-3-1001"
}
