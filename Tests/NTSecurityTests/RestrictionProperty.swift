// Shared by the property test (RestrictionPropertyTests, SplitMix64) and the fuzz target
// Fuzz/Sources/FuzzRestriction (a symbolic link to this file; fuzz bytes as the random source),
// so it uses NTSecurity's public API only.
import NTSecurity

/// The fail-closed property: an operation that restricts a token never widens its access. For a random
/// token, descriptor and sequence of operations, the rights granted after each restricting step
/// (CreateRestrictedToken with any arguments and flags, DuplicateTokenEx, AdjustTokenPrivileges
/// disabling or removing, lowering the integrity level) are a subset of those granted before it,
/// for MAXIMUM_ALLOWED and for single rights asked alone; and steps that may widen (AdjustTokenGroups,
/// AdjustTokenPrivileges enabling) applied alike to the restricted token and to the token it came
/// from keep the restricted one within the other. Restricted-ness and write-restriction are never
/// lost.
///
/// AdjustTokenGroups disabling a group is not a restricting step: on Windows a disabled group no
/// longer matches deny ACEs, so it can widen access (only deny-only groups keep their deny ACEs).
/// Conditional ACEs are left out of the descriptors: `Not_Member_of` in an allow ACE is not
/// monotone on Windows either.
enum RestrictionProperty {
  static let user = try! SID(parsing: "S-1-5-21-1-2-3-1001")
  /// The SIDs tokens, restrictions and ACEs pick from, so that they meet often.
  static let sids: [SID] =
    [user]
    + [
      "S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-32-544", "S-1-5-21-1-2-3-512", "S-1-5-21-1-2-3-2000",
      "S-1-5-12", "S-1-5-33", "S-1-3-4", "S-1-5-18", "S-1-5-114",
    ].map { try! SID(parsing: $0) }
  static let labels: [SID] = [.untrustedLabel, .lowLabel, .mediumLabel, .highLabel, .systemLabel]
  static let privileges: [Privilege] = [
    .security, .takeOwnership, .relabel, .backup, .restore, .changeNotify, .shutdown, .debug, .timeZone,
  ]
  /// Every right of the file mapping, and ACCESS_SYSTEM_SECURITY: the single rights asked alone.
  static let singleRights: [AccessMask] =
    (0..<32).map { AccessMask(rawValue: 1 << $0) }.filter {
      AccessMask.fileAllAccess.union(.accessSystemSecurity).contains($0)
    }

  /// Runs one random scenario; returns nil when the property holds, else what broke.
  static func check(using rng: inout some RandomNumberGenerator) -> String? {
    let descriptor = descriptor(using: &rng)
    let backupIntent = Int.random(in: 0..<8, using: &rng) == 0
    var probes: [AccessMask] = [.maximumAllowed]
    probes.append(singleRights.randomElement(using: &rng)!)
    func rights(_ token: AccessToken) -> [AccessMask] {
      probes.map { desired in
        guard
          let result = try? AccessCheck.evaluate(
            token: token, descriptor: descriptor, desired: desired, backupIntent: backupIntent),
          result.isGranted
        else { return [] }
        return result.granted
      }
    }
    var reference = token(using: &rng)
    var restricted = reference
    var referenceRights = rights(reference)
    var restrictedRights = referenceRights
    for stepNumber in 0..<Int.random(in: 1...3, using: &rng) {
      let before = restricted
      let step: Step
      switch Int.random(in: 0..<10, using: &rng) {
      case 0..<4: step = restrict(before, using: &rng)
      case 4: step = duplicate(before, using: &rng)
      case 5, 6: step = dropPrivileges(before, using: &rng)
      case 7: step = lowerIntegrity(before, using: &rng)
      default:
        // A step that may widen, applied to both tokens: the restricted one stays within.
        let (name, adjust) = adjustment(using: &rng)
        var r = reference
        var s = restricted
        if (try? adjust(&r)) != nil, (try? adjust(&s)) != nil {
          reference = r
          restricted = s
          referenceRights = rights(r)
          restrictedRights = rights(s)
        }
        if let broken = subset(restrictedRights, referenceRights) {
          return "step \(stepNumber) \(name()) applied to both: \(broken)\n\(context(restricted, descriptor))"
        }
        continue
      }
      if let unexpected = step.unexpected {
        return "step \(stepNumber) \(step.name()): unexpected \(unexpected)"
      }
      guard let after = step.token else { continue }
      if before.isRestricted && !after.isRestricted {
        return "step \(stepNumber) \(step.name()) lost TOKEN_IS_RESTRICTED"
      }
      if before.isWriteRestricted && !after.isWriteRestricted {
        return "step \(stepNumber) \(step.name()) lost WRITE_RESTRICTED"
      }
      let afterRights = rights(after)
      if let broken = subset(afterRights, restrictedRights) {
        return
          "step \(stepNumber) \(step.name()) widened: \(broken)\nbefore: \(context(before, descriptor))\nafter: \(context(after, descriptor))"
      }
      restricted = after
      restrictedRights = afterRights
    }
    return nil
  }

  /// Nil when every probe's rights in `after` are within those in `before`.
  static func subset(_ after: [AccessMask], _ before: [AccessMask]) -> String? {
    for (a, b) in zip(after, before) where a.rawValue & ~b.rawValue != 0 {
      return "granted \(a) where before only \(b)"
    }
    return nil
  }

  static func context(_ token: AccessToken, _ descriptor: SecurityDescriptor) -> String {
    "token user \(token.user) groups \(token.groups) privileges \(token.privileges.map(\.luid)) restricting \(token.restrictingSIDs.map(\.sid)) restricted \(token.isRestricted) flags \(token.restrictionFlags) level \(token.integrityLevel); descriptor \((try? descriptor.sddl()) ?? "?")"
  }

  // MARK: - Random inputs

  static func pick<T>(_ pool: [T], upTo count: Int, using rng: inout some RandomNumberGenerator) -> [T] {
    (0..<Int.random(in: 0...count, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
  }

  static let attributeChoices: [GroupAttributes] = [
    [.mandatory, .enabledByDefault, .enabled], [.enabledByDefault, .enabled], [], [.useForDenyOnly],
    [.enabled, .owner],
  ]
  static let labelAttributes: GroupAttributes = [.integrity, .integrityEnabled]
  static let masks: [AccessMask] = [
    .fileGenericRead, .fileGenericWrite, .fileGenericExecute, .fileAllAccess, .writeDAC, .writeOwner, .delete,
  ]
  /// A default DACL shared by every generated token (building one per token is most of the cost
  /// of AccessToken's initializer).
  static let defaultDACL = ACL()

  static func token(using rng: inout some RandomNumberGenerator) -> AccessToken {
    var groups: [SIDAndAttributes] = []
    for sid in sids.dropFirst() where Bool.random(using: &rng) {
      groups.append(SIDAndAttributes(sid, attributeChoices.randomElement(using: &rng)!))
    }
    groups.append(SIDAndAttributes(labels.randomElement(using: &rng)!, labelAttributes))
    let held = privileges.filter { _ in Bool.random(using: &rng) }.map {
      LUIDAndAttributes($0, Bool.random(using: &rng) ? [.enabled] : [])
    }
    let impersonation = Bool.random(using: &rng)
    var token = AccessToken(
      user: user, groups: groups, privileges: held, defaultDACL: defaultDACL,
      type: impersonation ? .impersonation : .primary,
      impersonationLevel: impersonation
        ? [.identification, .impersonation, .delegation].randomElement(using: &rng)! : .anonymous,
      mandatoryPolicy: Int.random(in: 0..<4, using: &rng) == 0 ? [] : .noWriteUp)
    if Int.random(in: 0..<8, using: &rng) == 0 { token.user.attributes = [.useForDenyOnly] }
    if Int.random(in: 0..<3, using: &rng) == 0 {
      let restricting = [sids.randomElement(using: &rng)!] + pick(sids, upTo: 3, using: &rng)
      token =
        (try? token.restricted(
          restricting: restricting, flags: Bool.random(using: &rng) ? .writeRestricted : [])) ?? token
    }
    return token
  }

  static func descriptor(using rng: inout some RandomNumberGenerator) -> SecurityDescriptor {
    func mask() -> AccessMask {
      Bool.random(using: &rng)
        ? masks.randomElement(using: &rng)!
        : AccessMask(rawValue: UInt32.random(in: 0...UInt32.max, using: &rng) & 0x1F_01FF)
    }
    var dacl: ACL?
    if Int.random(in: 0..<12, using: &rng) != 0 {
      let aces = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
        ACE(
          type: Int.random(in: 0..<3, using: &rng) == 0 ? .accessDenied : .accessAllowed,
          flags: Int.random(in: 0..<10, using: &rng) == 0 ? .inheritOnly : [], mask: mask(),
          sid: sids.randomElement(using: &rng)!)
      }
      dacl = ACL(aces: aces)
    }
    var sacl: ACL?
    if Int.random(in: 0..<3, using: &rng) == 0 {
      let policy = AccessMask(rawValue: UInt32.random(in: 0...7, using: &rng))
      sacl = ACL(aces: [
        ACE(type: .systemMandatoryLabel, mask: policy, sid: labels.randomElement(using: &rng)!)
      ])
    }
    return SecurityDescriptor(
      owner: sids.randomElement(using: &rng)!, group: user, dacl: dacl, sacl: sacl,
      control: dacl == nil && Bool.random(using: &rng) ? [.daclPresent] : [])
  }

  // MARK: - Steps

  /// One restricting step: its description (built only for a report), the new token (nil when the
  /// operation refused, leaving the token as it was), and an error the operation must not give.
  struct Step {
    var name: () -> String
    var token: AccessToken?
    var unexpected: NTSecurityError? = nil
  }

  /// CreateRestrictedToken with random arguments, some of them invalid. A refusal must be
  /// ERROR_INVALID_PARAMETER (then nothing changes).
  static func restrict(_ token: AccessToken, using rng: inout some RandomNumberGenerator) -> Step {
    var flags = RestrictionFlags(
      rawValue: UInt32.random(in: 0...15, using: &rng) & UInt32.random(in: 0...15, using: &rng))
    if Int.random(in: 0..<32, using: &rng) == 0 { flags.insert(RestrictionFlags(rawValue: 0x10)) }
    let disable = pick(sids, upTo: 3, using: &rng).map { SIDAndAttributes($0, .enabled) }
    let delete = pick(privileges, upTo: 3, using: &rng).map { LUIDAndAttributes($0, .enabled) }
    var restrictTo = pick(sids, upTo: 3, using: &rng).map { SIDAndAttributes($0) }
    if !restrictTo.isEmpty, Int.random(in: 0..<32, using: &rng) == 0 { restrictTo[0].attributes = .enabled }
    let name = {
      "CreateRestrictedToken(flags \(flags.rawValue), disable \(disable.map(\.sid)), delete \(delete.map(\.luid)), restrict \(restrictTo.map(\.sid)))"
    }
    do {
      return Step(
        name: name,
        token: try token.restricted(
          flags: flags, sidsToDisable: disable, privilegesToDelete: delete, sidsToRestrict: restrictTo))
    } catch {
      return Step(name: name, token: nil, unexpected: error.code == .invalidParameter ? nil : error)
    }
  }

  static func duplicate(_ token: AccessToken, using rng: inout some RandomNumberGenerator) -> Step {
    let level = [ImpersonationLevel.anonymous, .identification, .impersonation, .delegation].randomElement(
      using: &rng)!
    let type: TokenType = Bool.random(using: &rng) ? .primary : .impersonation
    let name = { "DuplicateTokenEx(\(level), \(type))" }
    do { return Step(name: name, token: try token.duplicate(impersonationLevel: level, type: type)) } catch {
      return Step(name: name, token: nil, unexpected: error.code == .badImpersonationLevel ? nil : error)
    }
  }

  /// AdjustTokenPrivileges disabling all, or disabling and removing some.
  static func dropPrivileges(_ token: AccessToken, using rng: inout some RandomNumberGenerator) -> Step {
    var token = token
    if Int.random(in: 0..<4, using: &rng) == 0 {
      token.adjustPrivileges(disableAll: true)
      return Step(name: { "AdjustTokenPrivileges(disable all)" }, token: token)
    }
    let changes = pick(privileges, upTo: 3, using: &rng).map {
      LUIDAndAttributes($0, Bool.random(using: &rng) ? .removed : [])
    }
    token.adjustPrivileges(newState: changes)
    return Step(
      name: { "AdjustTokenPrivileges(\(changes.map { "\($0.luid)=\($0.attributes.rawValue)" }))" },
      token: token)
  }

  static func lowerIntegrity(_ token: AccessToken, using rng: inout some RandomNumberGenerator) -> Step {
    let lower = labels.filter { $0[subAuthority: 0] <= token.integrityRID }
    guard let label = lower.randomElement(using: &rng) else {
      return Step(name: { "no lower label" }, token: nil)
    }
    let name = { "SetTokenInformation(TokenIntegrityLevel, \(label))" }
    do { return Step(name: name, token: try token.settingInformation(.integrityLevel, .sid(label))) } catch {
      return Step(name: name, token: nil, unexpected: error)
    }
  }

  /// AdjustTokenGroups (entries enabling or disabling, or reset to default) or AdjustTokenPrivileges
  /// enabling: operations that may widen, applied alike to two tokens.
  static func adjustment(using rng: inout some RandomNumberGenerator)
    -> (() -> String, (inout AccessToken) throws(NTSecurityError) -> Void)
  {
    switch Int.random(in: 0..<3, using: &rng) {
    case 0:
      return (
        { "AdjustTokenGroups(reset)" },
        { token throws(NTSecurityError) in try token.adjustGroups(resetToDefault: true) }
      )
    case 1:
      let changes = pick(sids, upTo: 3, using: &rng).map {
        SIDAndAttributes($0, Bool.random(using: &rng) ? .enabled : [])
      }
      return (
        { "AdjustTokenGroups(\(changes))" },
        { token throws(NTSecurityError) in try token.adjustGroups(newState: changes) }
      )
    default:
      let changes = pick(privileges, upTo: 3, using: &rng).map { LUIDAndAttributes($0, .enabled) }
      return (
        { "AdjustTokenPrivileges(enable \(changes.map(\.luid)))" },
        { token in token.adjustPrivileges(newState: changes) }
      )
    }
  }
}
