import NTSecIO
import NTSecurity

/// How `access-check` shows an ``AccessExplanation``: per right, its name for the mapping, whether
/// it is granted, and one line per step (the deciding ACE by index and SDDL, the privilege, the
/// owner rule, the pass that limited it).
struct AccessExplanationFormat {
  let explanation: AccessExplanation
  let names: RightNames
  let domain: SID?

  func aceText(_ step: AccessStep) -> String {
    guard let i = step.aceIndex else { return "" }
    let acl = step.pass == .mandatory ? "SACL" : "DACL"
    let sddl = step.ace.flatMap { try? $0.sddl(domain: domain) }.map { " " + $0 } ?? ""
    return "\(acl) ACE \(i)\(sddl)"
  }

  func conditionText(_ value: ConditionResult?) -> String {
    switch value {
    case .true?: return "TRUE"
    case .false?: return "FALSE"
    case .unknown?: return "UNKNOWN"
    case nil: return ""
    }
  }

  /// One step, for people.
  func describe(_ step: AccessStep) -> String {
    let stage: String
    switch step.pass {
    case .backupIntent: stage = "backup intent"
    case .mandatory: stage = "mandatory check"
    case .privileges: stage = "privileges"
    case .discretionary: stage = "DACL pass"
    case .restricted: stage = "restricted pass (restricting SIDs)"
    }
    let ace = aceText(step)
    let condition = step.condition.map { " (condition \(conditionText($0)))" } ?? ""
    let what: String
    switch (step.effect, step.rule) {
    case (_, .privilege):
      let name = step.privilege?.name ?? "a privilege"
      what =
        step.effect == .granted
        ? "granted by \(name)" : "denied: \(name) is not held (ERROR_PRIVILEGE_NOT_HELD)"
    case (_, .ownerImplicit):
      what = "granted by the owner rule (the owner gets READ_CONTROL and WRITE_DAC; no OWNER RIGHTS ACE)"
    case (_, .nullDACL): what = "granted: NULL DACL, everyone has full access"
    case (_, .integrityLabel):
      what =
        "limited by the mandatory integrity label ("
        + (ace.isEmpty ? "none: the object counts as Medium, no-write-up" : ace)
        + "): the token's integrity level is below the object's"
    case (_, .trustLabelOrFilter): what = "limited by a process trust label or an access filter in the SACL"
    case (_, .stoppedByMandatory):
      what =
        "not evaluated: a right asked for is outside the mandatory limit, so the check stopped before the DACL"
    case (_, .outsideRestrictedScope):
      what = "not checked: a write-restricted token's second pass decides only write rights"
    case (_, .noMatchingACE): what = "not granted: no ACE grants it"
    case (.skipped, .denyOnlySID): what = "\(ace) skipped: its SID is deny-only in the token"
    case (.skipped, .condition): what = "\(ace) skipped\(condition)"
    case (.skipped, .objectType): what = "\(ace) skipped: its object type is not in the object type list"
    case (.granted, .ownerRights): what = "granted by \(ace) (OWNER RIGHTS, applying to the owner)"
    case (.denied, .ownerRights): what = "denied by \(ace) (OWNER RIGHTS, applying to the owner)"
    case (.granted, _): what = "granted by \(ace)\(condition)"
    case (.denied, _): what = "denied by \(ace)\(condition)"
    default: what = "\(step.effect.rawValue) (\(step.rule.rawValue)) \(ace)"
    }
    return "\(stage): \(what)"
  }

  /// The text lines: one per right, then its steps indented.
  var lines: [String] {
    var lines: [String] = []
    for right in explanation.rights {
      let asked = right.requested ? "" : " (MAXIMUM_ALLOWED)"
      lines.append("\(names.name(right.right)): \(right.granted ? "granted" : "not granted")\(asked)")
      for step in right.steps { lines.append("  " + describe(step)) }
    }
    return lines
  }

  /// `"explanation": {...}` into `w`.
  func write(to w: inout JSONWriter) {
    w.key("explanation")
    w.beginObject()
    w.field("mandatory_limit", explanation.mandatoryLimit.description)
    w.key("rights")
    w.beginArray()
    for right in explanation.rights {
      w.beginObject()
      w.field("right", names.name(right.right))
      w.field("mask", right.right.description)
      w.field("requested", literal: right.requested)
      w.field("granted", literal: right.granted)
      w.key("steps")
      w.beginArray()
      for step in right.steps {
        w.beginObject()
        w.field("pass", step.pass.rawValue)
        w.field("effect", step.effect.rawValue)
        w.field("rule", step.rule.rawValue)
        if let i = step.aceIndex { w.field("ace", literal: i) }
        if let ace = step.ace, let sddl = try? ace.sddl(domain: domain) { w.field("ace_sddl", sddl) }
        if let p = step.privilege { w.field("privilege", p.name) }
        if step.condition != nil { w.field("condition", conditionText(step.condition)) }
        w.field("text", describe(step))
        w.endObject()
      }
      w.endArray()
      w.endObject()
    }
    w.endArray()
    w.endObject()
  }
}
