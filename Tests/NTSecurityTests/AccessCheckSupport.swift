import Testing

@testable import NTSecurity

/// Tokens and descriptors shared by the AccessCheck tests.
enum AC {
  static let alice = try! SID(parsing: "S-1-5-21-1-2-3-1001")
  static let bob = try! SID(parsing: "S-1-5-21-1-2-3-1002")
  static let staff = try! SID(parsing: "S-1-5-21-1-2-3-2001")
  static let enabled: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]

  /// Alice with Everyone, Authenticated Users, BUILTIN\Users (enabled) and the given extras.
  static func token(
    groups extra: [SIDAndAttributes] = [], privileges: [Privilege] = [], disabledPrivileges: [Privilege] = [],
    integrity: SID? = nil, policy: MandatoryPolicy = .noWriteUp
  ) -> AccessToken {
    var groups = [
      SIDAndAttributes(.everyone, enabled), SIDAndAttributes(.authenticatedUsers, enabled),
      SIDAndAttributes(.builtinUsers, enabled),
    ]
    groups += extra
    var token = AccessToken(
      user: alice, groups: groups,
      privileges: privileges.map { LUIDAndAttributes($0, [.enabled]) }
        + disabledPrivileges.map { LUIDAndAttributes($0) },
      mandatoryPolicy: policy)
    if let integrity { token.integrityLevel = integrity }
    return token
  }

  static func sd(_ sddl: String) -> SecurityDescriptor {
    do { return try SecurityDescriptor(sddl: sddl) } catch {
      Issue.record("bad SDDL in test: \(sddl): \(error)")
      return SecurityDescriptor()
    }
  }

  static func check(
    _ token: AccessToken, _ sddl: String, _ desired: AccessMask, mapping: GenericMapping = .file,
    objectTypes: [ObjectTypeEntry] = [], principalSelf: SID? = nil, backupIntent: Bool = false
  ) throws(NTSecurityError) -> AccessCheckResult {
    try AccessCheck.evaluate(
      token: token, descriptor: sd(sddl), desired: desired, mapping: mapping, objectTypes: objectTypes,
      principalSelf: principalSelf, backupIntent: backupIntent)
  }

  static let ownerAlice = "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513"
  static let ownerSystem = "O:SYG:SY"
  static let maximumAllowed = AccessMask.maximumAllowed
}
