import TestPeers
import Testing

@testable import NTSecurity

/// AccessCheck.explain against AccessCheck.evaluate on random tokens and descriptors (those of
/// ``RestrictionProperty``, plus conditional, object and OWNER RIGHTS ACEs): the explanation's
/// result is the check's, and every right it grants names a step that really grants it.
@Suite struct AccessExplainPropertyTests {
  /// Extra ACEs mixed into the random DACLs.
  static let extraACEs: [ACE] = {
    let sddl =
      "O:SYG:SYD:(XA;;FR;;;WD;(Member_of {SID(BU)}))(XA;;FW;;;WD;(Member_of {SID(BA)}))"
      + "(XD;;FX;;;WD;(@User.dept == \"x\"))(OA;;WP;bf967a86-0de6-11d0-a285-00aa003049e2;;WD)"
      + "(A;;RCWD;;;OW)(A;;FA;;;PS)"
    return (try? SecurityDescriptor(sddl: sddl))?.dacl?.aces ?? []
  }()
  static let probes: [AccessMask] = [
    .maximumAllowed, .fileReadData, .fileWriteData, .writeDAC, .writeOwner, .readControl, .delete,
    .accessSystemSecurity, .fileGenericRead, .fileGenericWrite,
    AccessMask.maximumAllowed.union(.fileWriteData), AccessMask.writeOwner.union(.fileReadData),
  ]

  @Test("explain's result is AccessCheck's and each granted right names a real grant (20,000 scenarios)")
  func explanationAgrees() throws {
    #expect(Self.extraACEs.count == 6)
    var rng = SplitMix64(seed: 0xE8_91A1_0000)
    var failures = 0
    for n in 0..<20_000 {
      var descriptor = RestrictionProperty.descriptor(using: &rng)
      if var dacl = descriptor.dacl, Bool.random(using: &rng) {
        dacl.aces.insert(
          Self.extraACEs.randomElement(using: &rng)!, at: Int.random(in: 0...dacl.aces.count, using: &rng))
        descriptor.dacl = dacl
      }
      let token = RestrictionProperty.token(using: &rng)
      let desired = Self.probes.randomElement(using: &rng)!
      let backupIntent = Int.random(in: 0..<6, using: &rng) == 0
      let principalSelf = Bool.random(using: &rng) ? RestrictionProperty.user : nil
      let result = try AccessCheck.evaluate(
        token: token, descriptor: descriptor, desired: desired, principalSelf: principalSelf,
        backupIntent: backupIntent)
      let e = try AccessCheck.explain(
        token: token, descriptor: descriptor, desired: desired, principalSelf: principalSelf,
        backupIntent: backupIntent)
      var broken: String?
      // The explanation reports AccessCheck's decision; its per-right trace must agree with it.
      let traced = e.rights.filter(\.granted).reduce(AccessMask()) { $0.union($1.right) }
      if e.granted != result.granted || e.status != result.status {
        broken = "explain \(e.status) \(e.granted), AccessCheck \(result.status) \(result.granted)"
      } else if result.status == .success {
        for right in e.rights where right.granted {
          if let why = Self.unsupported(right, token, descriptor, principalSelf) { broken = why }
        }
        if traced != result.granted { broken = "the trace grants \(traced), AccessCheck \(result.granted)" }
      } else if result.status == .accessDenied, !desired.contains(.maximumAllowed),
        !e.rights.contains(where: { $0.requested && !$0.granted })
      {
        broken = "AccessCheck denies, but the trace grants every requested right"
      }
      if let broken {
        failures += 1
        if failures <= 3 {
          Issue.record(
            "scenario \(n): \(broken); \(RestrictionProperty.context(token, descriptor)) desired \(desired)")
        }
      }
    }
    #expect(failures == 0)
  }

  /// Nil when `right` has a granting step that really grants it: a privilege the token holds
  /// enabled, the owner's implicit rights for a token holding the owner, a NULL DACL, or an allow
  /// ACE of the DACL holding the right for a SID of the pass; in a restricted token's second pass
  /// too unless a privilege granted it or it is outside the pass's scope.
  static func unsupported(
    _ right: RightExplanation, _ token: AccessToken, _ descriptor: SecurityDescriptor, _ principalSelf: SID?
  ) -> String? {
    let grants = right.steps.filter { $0.effect == .granted }
    if let p = grants.first(where: { $0.rule == .privilege }) {
      return token.hasEnabledPrivilege(p.privilege!) ? nil : "\(right.right) from a privilege not held"
    }
    for pass in token.isRestricted ? [AccessStep.Pass.discretionary, .restricted] : [.discretionary] {
      if pass == .restricted, right.steps.contains(where: { $0.rule == .outsideRestrictedScope }) { continue }
      guard let step = grants.first(where: { $0.pass == pass }) else {
        return "\(right.right): no grant in \(pass)"
      }
      let sids: [SID] =
        pass == .restricted
        ? token.restrictingSIDs.filter { $0.attributes.contains(.enabled) }.map(\.sid)
        : ([token.user] + token.groups).filter {
          !$0.attributes.contains(.useForDenyOnly)
            && ($0.sid == token.user.sid || $0.attributes.contains(.enabled))
        }.map(\.sid)
      switch step.rule {
      case .nullDACL:
        if descriptor.presentDACL != nil { return "\(right.right): NULL DACL claimed" }
      case .ownerImplicit:
        guard [.readControl, .writeDAC].contains(right.right), sids.contains(descriptor.owner!) else {
          return "\(right.right): owner rule for a non-owner"
        }
      case .ace, .ownerRights:
        guard let i = step.aceIndex, let aces = descriptor.presentDACL?.aces, i < aces.count,
          aces[i] == step.ace, aces[i].type.isAllow, aces[i].mask.contains(right.right),
          !aces[i].flags.contains(.inheritOnly)
        else { return "\(right.right): ACE \(String(describing: step.aceIndex)) does not allow it" }
        let sid =
          aces[i].sid == .ownerRights
          ? descriptor.owner!
          : aces[i].sid == .principalSelf ? (principalSelf ?? .principalSelf) : aces[i].sid
        if !sids.contains(sid) {
          return "\(right.right): ACE \(i)'s SID \(sid) is not the token's in \(pass)"
        }
      default:
        return "\(right.right): granted by \(step.rule)"
      }
    }
    return nil
  }
}
