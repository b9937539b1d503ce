/// Why an access check granted or refused each right: the Effective Access view of Windows'
/// security dialog, per right. Made by ``AccessCheck/explain(token:descriptor:desired:mapping:objectTypes:principalSelf:backupIntent:)``.
public struct AccessExplanation: Hashable, Sendable {
  /// The rights granted, as ``AccessCheck/evaluate(token:descriptor:desired:mapping:objectTypes:principalSelf:backupIntent:)``
  /// grants them (empty on failure).
  public var granted: AccessMask
  /// `ERROR_SUCCESS`, `ERROR_ACCESS_DENIED` or `ERROR_PRIVILEGE_NOT_HELD`.
  public var status: WindowsError
  /// The rights the mandatory checks (trust label, access filters, integrity label) leave open.
  public var mandatoryLimit: AccessMask
  /// One entry per right explained, lowest bit first: the rights asked for, or with
  /// `MAXIMUM_ALLOWED` every right of the mapping (and those asked for).
  public var rights: [RightExplanation]
}

/// What the check decided for one right, and the steps that decided it.
public struct RightExplanation: Hashable, Sendable {
  /// A single access right.
  public var right: AccessMask
  /// Whether the caller asked for it by name (not only through `MAXIMUM_ALLOWED`).
  public var requested: Bool
  /// Whether the check's result holds it.
  public var granted: Bool
  /// The steps that touched this right, in the order the check runs them.
  public var steps: [AccessStep]
}

/// One step of the check acting on one right.
public struct AccessStep: Hashable, Sendable {
  /// The stage of the check.
  public enum Pass: String, Hashable, Sendable {
    /// SeBackupPrivilege or SeRestorePrivilege with backup intent.
    case backupIntent = "backup-intent"
    /// The process trust label, access filters and the mandatory integrity label.
    case mandatory
    /// SeSecurityPrivilege, SeTakeOwnershipPrivilege, SeRelabelPrivilege.
    case privileges
    /// The DACL read with the token's user and groups.
    case discretionary
    /// The DACL read again with a restricted token's restricting SIDs.
    case restricted
  }

  /// What the step did to the right.
  public enum Effect: String, Hashable, Sendable {
    /// The step granted the right.
    case granted
    /// The step denied the right (a deny ACE, a missing privilege).
    case denied
    /// The step bounded the right away (mandatory checks).
    case limited
    /// Nothing in the step granted the right.
    case notGranted = "not-granted"
    /// An ACE for the right was skipped; ``AccessStep/rule`` says why.
    case skipped
  }

  /// The rule behind a step, beyond a plain matching ACE.
  public enum Rule: String, Hashable, Sendable {
    /// An ACE whose SID is one of the pass's enabled (allow) or deny-only (deny) SIDs.
    case ace
    /// The owner's implicit READ_CONTROL and WRITE_DAC.
    case ownerImplicit = "owner-implicit"
    /// An OWNER RIGHTS (S-1-3-4) ACE applying to the owner.
    case ownerRights = "owner-rights"
    /// A NULL or absent DACL grants everything.
    case nullDACL = "null-dacl"
    /// An allow ACE for a SID the token holds for deny only.
    case denyOnlySID = "deny-only-sid"
    /// A callback ACE whose condition did not let it apply (see ``AccessStep/condition``).
    case condition
    /// An object ACE whose object type is not in the list (or, with no list, names one).
    case objectType = "object-type"
    /// The mandatory integrity label (no-write-up, no-read-up, no-execute-up).
    case integrityLabel = "integrity-label"
    /// A process trust label or an access filter whose condition is not TRUE.
    case trustLabelOrFilter = "trust-label-or-filter"
    /// A privilege (``AccessStep/privilege``).
    case privilege
    /// A write-restricted token's second pass decides only write rights.
    case outsideRestrictedScope = "outside-restricted-scope"
    /// No ACE of the pass grants the right.
    case noMatchingACE = "no-matching-ace"
    /// The check stopped before the DACL: a right asked for is outside the mandatory limit.
    case stoppedByMandatory = "stopped-by-mandatory"
  }

  public var pass: Pass
  public var effect: Effect
  public var rule: Rule
  /// The ACE's index in the DACL (discretionary passes) or the SACL (mandatory step).
  public var aceIndex: Int?
  /// The ACE at ``aceIndex``.
  public var ace: ACE?
  /// The privilege that granted, or whose absence denied, the right.
  public var privilege: Privilege?
  /// A callback ACE's condition value.
  public var condition: ConditionResult?

  public init(
    _ pass: Pass, _ effect: Effect, _ rule: Rule, aceIndex: Int? = nil, ace: ACE? = nil,
    privilege: Privilege? = nil, condition: ConditionResult? = nil
  ) {
    self.pass = pass
    self.effect = effect
    self.rule = rule
    self.aceIndex = aceIndex
    self.ace = ace
    self.privilege = privilege
    self.condition = condition
  }
}

extension AccessCheck {
  /// The check ``evaluate(token:descriptor:desired:mapping:objectTypes:principalSelf:backupIntent:)``
  /// makes, traced right by right: which ACE (by index) granted or denied each right, what
  /// privileges and the owner's rules contributed, and which stage limited it (mandatory label,
  /// restricting SIDs, a condition's value, deny-only groups, object types). It runs the same
  /// decision steps without stopping early, so it is slower; the result it reports is the check's.
  /// With an object type list the trace is the object's (the root's); throws as `evaluate` does.
  public static func explain(
    token: borrowing AccessToken, descriptor: borrowing SecurityDescriptor, desired: AccessMask,
    mapping: GenericMapping = .file, objectTypes: [ObjectTypeEntry] = [], principalSelf: SID? = nil,
    backupIntent: Bool = false
  ) throws(NTSecurityError) -> AccessExplanation {
    // The decision is evaluate's (it also validates and throws the same errors); the trace
    // explains it and never replaces it.
    let decision = try evaluate(
      token: token, descriptor: descriptor, desired: desired, mapping: mapping, objectTypes: objectTypes,
      principalSelf: principalSelf, backupIntent: backupIntent)
    guard let owner = descriptor.owner else {
      throw NTSecurityError(.invalidSecurityDescriptor, "the security descriptor has no owner")
    }
    var explanation = AccessEvaluation(
      descriptor: descriptor, owner: owner, desired: desired, mapping: mapping,
      objectTypes: objectTypes, principalSelf: principalSelf, backupIntent: backupIntent
    ).explain(token, descriptor)
    explanation.granted = decision.granted
    explanation.status = decision.status
    return explanation
  }
}
