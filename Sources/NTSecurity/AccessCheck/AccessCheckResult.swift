/// One element of an OBJECT_TYPE_LIST (MS-DTYP 2.4.12 style): a node of the object type tree that
/// AccessCheckByType and AccessCheckByTypeResultList check, such as an object class (level 0), a
/// property set (level 1) or a property (level 2).
///
/// The list is the tree in depth-first order: the first element is the only one at level 0, and
/// each element's level is at most one more than the previous one's (at most 4,
/// `ACCESS_MAX_LEVEL`).
public struct ObjectTypeEntry: Hashable, Sendable {
  /// `ACCESS_OBJECT_GUID` (0), `ACCESS_PROPERTY_SET_GUID` (1), `ACCESS_PROPERTY_GUID` (2), … up to 4.
  public var level: UInt16
  /// The GUID object ACEs name in their ObjectType field.
  public var objectType: GUID

  public init(level: UInt16, _ objectType: GUID) {
    self.level = level
    self.objectType = objectType
  }
}

/// The outcome of the check for one element of the object type list
/// (AccessCheckByTypeResultList's GrantedAccessList and AccessStatusList entries).
public struct ObjectTypeAccess: Hashable, Sendable {
  public var level: UInt16
  public var objectType: GUID
  /// The rights granted for this element. As on Windows, an element that is denied still reports
  /// the part of the request its ACEs granted; only ``status`` tells success.
  public var granted: AccessMask
  /// `ERROR_SUCCESS`, `ERROR_ACCESS_DENIED` or `ERROR_PRIVILEGE_NOT_HELD`.
  public var status: WindowsError
}

/// A SACL audit ACE that fires for the outcome of a check: the event Windows would write to the
/// security log, returned as data.
public struct AccessAuditEvent: Hashable, Sendable {
  /// Whether the ACE audits a successful (`SUCCESSFUL_ACCESS_ACE_FLAG`) or a failed
  /// (`FAILED_ACCESS_ACE_FLAG`) access.
  public enum Outcome: Hashable, Sendable {
    case success
    case failure
  }
  public var outcome: Outcome
  /// The ACE's index in the SACL.
  public var aceIndex: Int
  /// The ACE's trustee (PRINCIPAL_SELF already replaced).
  public var sid: SID
  /// The audited rights: the ACE's (generic-mapped) mask intersected with the granted rights
  /// (success) or the requested rights (failure).
  public var accessMask: AccessMask
  /// The object type of an object audit ACE, if it names one.
  public var objectType: GUID?
}

/// What AccessCheck (and AccessCheckByType, AccessCheckByTypeResultList) returns when the call
/// itself succeeds: the granted rights, Windows' access status, the per-object-type results, the
/// privileges the check used and the audit events that fire.
///
/// A denied access is a result, not an error, as Windows' `AccessStatus` output is: ``status`` is
/// `ERROR_ACCESS_DENIED` or `ERROR_PRIVILEGE_NOT_HELD` and ``granted`` is empty.
public struct AccessCheckResult: Hashable, Sendable {
  /// GrantedAccess: the request without `MAXIMUM_ALLOWED` on success (or, for
  /// `MAXIMUM_ALLOWED`, everything the check grants); empty when access is denied.
  public var granted: AccessMask
  /// `ERROR_SUCCESS`, `ERROR_ACCESS_DENIED` or `ERROR_PRIVILEGE_NOT_HELD`.
  public var status: WindowsError
  /// One result per element of the object type list (AccessCheckByTypeResultList); empty without
  /// one. The first element's result is also ``granted`` and ``status`` (AccessCheckByType).
  public var objectTypes: [ObjectTypeAccess]
  /// The privileges that granted access (PrivilegeSet), each with
  /// `SE_PRIVILEGE_USED_FOR_ACCESS`. Empty when access is denied.
  public var privilegesUsed: [LUIDAndAttributes]
  /// The SACL audit ACEs that fire for this outcome.
  public var auditEvents: [AccessAuditEvent]

  /// AccessStatus: whether everything requested was granted.
  public var isGranted: Bool { status == .success }

  public init(
    granted: AccessMask, status: WindowsError, objectTypes: [ObjectTypeAccess] = [],
    privilegesUsed: [LUIDAndAttributes] = [], auditEvents: [AccessAuditEvent] = []
  ) {
    self.granted = granted
    self.status = status
    self.objectTypes = objectTypes
    self.privilegesUsed = privilegesUsed
    self.auditEvents = auditEvents
  }
}
