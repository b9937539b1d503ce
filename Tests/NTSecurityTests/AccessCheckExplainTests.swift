import Testing

@testable import NTSecurity

/// AccessCheck.explain on the rules a plain result hides: each case names the deciding ACE (its
/// index) and the pass that decided.
@Suite struct AccessCheckExplainTests {
  let alice = AC.token(privileges: [.changeNotify])

  func explain(
    _ token: AccessToken, _ sddl: String, _ desired: AccessMask, backupIntent: Bool = false
  ) throws -> AccessExplanation {
    try AccessCheck.explain(
      token: token, descriptor: AC.sd(sddl), desired: desired, backupIntent: backupIntent)
  }

  func steps(_ e: AccessExplanation, _ right: AccessMask) -> [AccessStep] {
    e.rights.first { $0.right == right }?.steps ?? []
  }

  @Test("A deny ACE: the right names the deny ACE's index in the discretionary pass")
  func denyACE() throws {
    let e = try explain(alice, "O:SYG:SYD:(D;;FW;;;BU)(A;;FA;;;WD)", .fileWriteData)
    #expect(e.status == .accessDenied)
    #expect(e.granted.isEmpty)
    let step = try #require(steps(e, .fileWriteData).first)
    #expect(step.pass == .discretionary && step.effect == .denied && step.aceIndex == 0)
    #expect(try step.ace?.sddl() == "(D;;FW;;;BU)")
    let max = try explain(alice, "O:SYG:SYD:(D;;FW;;;BU)(A;;FA;;;WD)", .maximumAllowed)
    #expect(
      steps(max, .fileReadData).contains(
        AccessStep(.discretionary, .granted, .ace, aceIndex: 1, ace: max.aceAt(1))))
    #expect(max.rights.first { $0.right == .fileReadData }?.granted == true)
    #expect(max.rights.first { $0.right == .fileWriteData }?.granted == false)
  }

  @Test("Owner rules: implicit READ_CONTROL|WRITE_DAC, replaced by an OWNER RIGHTS ACE")
  func ownerRights() throws {
    let implicit = try explain(alice, AC.ownerAlice + "D:(A;;FR;;;WD)", .writeDAC)
    #expect(implicit.status == .success)
    #expect(steps(implicit, .writeDAC) == [AccessStep(.discretionary, .granted, .ownerImplicit)])
    let replaced = try explain(alice, AC.ownerAlice + "D:(A;;RC;;;OW)(A;;FR;;;WD)", .maximumAllowed)
    let rc = steps(replaced, .readControl)
    #expect(rc.first?.rule == .ownerRights && rc.first?.aceIndex == 0 && rc.first?.effect == .granted)
    #expect(steps(replaced, .writeDAC) == [AccessStep(.discretionary, .notGranted, .noMatchingACE)])
    #expect(!replaced.granted.contains(.writeDAC))
  }

  @Test("The integrity label limits writes before the DACL: the label's SACL index and the mandatory pass")
  func integrityLabel() throws {
    let low = AC.token(integrity: .lowLabel)
    let e = try explain(low, "O:SYG:SYD:(A;;FA;;;WD)S:(ML;;NW;;;ME)", .fileWriteData)
    #expect(e.status == .accessDenied)
    let step = try #require(steps(e, .fileWriteData).first)
    #expect(step.pass == .mandatory && step.effect == .limited && step.rule == .integrityLabel)
    #expect(step.aceIndex == 0)
    let max = try explain(low, "O:SYG:SYD:(A;;FA;;;WD)S:(ML;;NW;;;ME)", .maximumAllowed)
    #expect(max.granted == AccessMask(rawValue: 0x0012_00A9))
    #expect(steps(max, .delete).first?.rule == .integrityLabel)
  }

  @Test("Restricting SIDs: a right the first pass grants is denied by the second pass's ACE")
  func restrictingSIDs() throws {
    let token = try alice.restricted(restricting: [.everyone, .restrictedCode])
    let e = try explain(token, "O:SYG:SYD:(D;;FW;;;RC)(A;;FA;;;WD)", .fileWriteData)
    #expect(e.status == .accessDenied)
    let s = steps(e, .fileWriteData)
    #expect(s.contains { $0.pass == .discretionary && $0.effect == .granted && $0.aceIndex == 1 })
    #expect(s.contains { $0.pass == .restricted && $0.effect == .denied && $0.aceIndex == 0 })
    // A write-restricted token's second pass does not decide reads.
    let write = try alice.restricted(restricting: [.restrictedCode], flags: .writeRestricted)
    let w = try explain(write, "O:SYG:SYD:(A;;FA;;;WD)", .maximumAllowed)
    #expect(steps(w, .fileReadData).contains { $0.pass == .restricted && $0.rule == .outsideRestrictedScope })
    #expect(steps(w, .fileWriteData).contains { $0.pass == .restricted && $0.effect == .notGranted })
    #expect(w.granted == AccessMask.fileAllAccess.subtracting(AccessCheck.writeRestrictedRights(.file)))
  }

  @Test("A conditional ACE: skipped with its value FALSE, or granting with TRUE")
  func conditionalACE() throws {
    let sddl = "O:SYG:SYD:(XA;;FR;;;WD;(Member_of {SID(BA)}))(XA;;FX;;;WD;(Member_of {SID(BU)}))"
    let e = try explain(alice, sddl, .maximumAllowed)
    let read = steps(e, .fileReadData)
    #expect(
      read.first
        == AccessStep(.discretionary, .skipped, .condition, aceIndex: 0, ace: e.aceAt(0), condition: .false))
    #expect(!e.granted.contains(.fileReadData))
    let execute = steps(e, .fileExecute)
    #expect(
      execute.first?.aceIndex == 1 && execute.first?.effect == .granted && execute.first?.condition == .true)
  }

  @Test("A deny-only group's allow ACE is skipped, named with its index")
  func denyOnlyGroup() throws {
    let token = try alice.restricted(disabling: [.builtinUsers])
    let e = try explain(token, "O:SYG:SYD:(A;;FA;;;BU)", .fileReadData)
    #expect(e.status == .accessDenied)
    #expect(steps(e, .fileReadData).first?.rule == .denyOnlySID)
    #expect(steps(e, .fileReadData).first?.aceIndex == 0)
  }

  @Test("Privileges: SeSecurityPrivilege grants ACCESS_SYSTEM_SECURITY; without it the check fails")
  func privileges() throws {
    let with = try explain(AC.token(privileges: [.security]), "O:SYG:SYD:", .accessSystemSecurity)
    #expect(with.status == .success)
    #expect(
      steps(with, .accessSystemSecurity) == [
        AccessStep(.privileges, .granted, .privilege, privilege: .security)
      ])
    let without = try explain(alice, "O:SYG:SYD:", .accessSystemSecurity)
    #expect(without.status == .privilegeNotHeld)
    #expect(steps(without, .accessSystemSecurity).first?.effect == .denied)
    let backup = try explain(AC.token(privileges: [.backup]), "O:SYG:SYD:", .fileReadData, backupIntent: true)
    #expect(
      steps(backup, .fileReadData) == [AccessStep(.backupIntent, .granted, .privilege, privilege: .backup)])
  }

  @Test("A NULL DACL grants every right, and says so")
  func nullDACL() throws {
    let e = try explain(alice, "O:SYG:SYD:NO_ACCESS_CONTROL", .fileWriteData)
    #expect(e.status == .success)
    #expect(steps(e, .fileWriteData) == [AccessStep(.discretionary, .granted, .nullDACL)])
  }
}

extension AccessExplanation {
  /// The ACE a step at `index` of the DACL names (read from the steps).
  func aceAt(_ index: Int) -> ACE? {
    rights.lazy.flatMap(\.steps).first { $0.aceIndex == index && $0.pass != .mandatory }?.ace
  }
}
