/// The AceType byte of an ACE header (MS-DTYP 2.4.4.1). Unknown values are kept as they are.
public struct ACEType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let accessAllowed = ACEType(rawValue: 0x00)
  public static let accessDenied = ACEType(rawValue: 0x01)
  public static let systemAudit = ACEType(rawValue: 0x02)
  public static let systemAlarm = ACEType(rawValue: 0x03)
  public static let accessAllowedCompound = ACEType(rawValue: 0x04)
  public static let accessAllowedObject = ACEType(rawValue: 0x05)
  public static let accessDeniedObject = ACEType(rawValue: 0x06)
  public static let systemAuditObject = ACEType(rawValue: 0x07)
  public static let systemAlarmObject = ACEType(rawValue: 0x08)
  public static let accessAllowedCallback = ACEType(rawValue: 0x09)
  public static let accessDeniedCallback = ACEType(rawValue: 0x0A)
  public static let accessAllowedCallbackObject = ACEType(rawValue: 0x0B)
  public static let accessDeniedCallbackObject = ACEType(rawValue: 0x0C)
  public static let systemAuditCallback = ACEType(rawValue: 0x0D)
  public static let systemAlarmCallback = ACEType(rawValue: 0x0E)
  public static let systemAuditCallbackObject = ACEType(rawValue: 0x0F)
  public static let systemAlarmCallbackObject = ACEType(rawValue: 0x10)
  public static let systemMandatoryLabel = ACEType(rawValue: 0x11)
  public static let systemResourceAttribute = ACEType(rawValue: 0x12)
  public static let systemScopedPolicyID = ACEType(rawValue: 0x13)
  public static let systemProcessTrustLabel = ACEType(rawValue: 0x14)
  public static let systemAccessFilter = ACEType(rawValue: 0x15)

  /// Whether the layout is known (types 0x00–0x15 except the compound type).
  public var isKnown: Bool { rawValue <= 0x15 && rawValue != 0x04 }

  /// Object ACEs carry flags and optional object-type GUIDs before the SID.
  public var isObject: Bool {
    switch rawValue {
    case 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0F, 0x10: return true
    default: return false
    }
  }

  /// Callback ACEs carry application data (a conditional expression) after the SID.
  public var isCallback: Bool { (0x09...0x10).contains(rawValue) }

  /// Allow ACEs of any flavour.
  public var isAllow: Bool { [0x00, 0x05, 0x09, 0x0B].contains(rawValue) }

  /// Deny ACEs of any flavour.
  public var isDeny: Bool { [0x01, 0x06, 0x0A, 0x0C].contains(rawValue) }

  /// ACEs that belong in a SACL (audit, alarm, label, attributes, policy, trust label, filter).
  public var isSystem: Bool {
    [0x02, 0x03, 0x07, 0x08, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15].contains(rawValue)
  }

  /// The Windows constant name, e.g. `ACCESS_ALLOWED_ACE_TYPE`.
  public var description: String {
    let names = [
      "ACCESS_ALLOWED_ACE_TYPE", "ACCESS_DENIED_ACE_TYPE", "SYSTEM_AUDIT_ACE_TYPE",
      "SYSTEM_ALARM_ACE_TYPE", "ACCESS_ALLOWED_COMPOUND_ACE_TYPE", "ACCESS_ALLOWED_OBJECT_ACE_TYPE",
      "ACCESS_DENIED_OBJECT_ACE_TYPE", "SYSTEM_AUDIT_OBJECT_ACE_TYPE", "SYSTEM_ALARM_OBJECT_ACE_TYPE",
      "ACCESS_ALLOWED_CALLBACK_ACE_TYPE", "ACCESS_DENIED_CALLBACK_ACE_TYPE",
      "ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE", "ACCESS_DENIED_CALLBACK_OBJECT_ACE_TYPE",
      "SYSTEM_AUDIT_CALLBACK_ACE_TYPE", "SYSTEM_ALARM_CALLBACK_ACE_TYPE",
      "SYSTEM_AUDIT_CALLBACK_OBJECT_ACE_TYPE", "SYSTEM_ALARM_CALLBACK_OBJECT_ACE_TYPE",
      "SYSTEM_MANDATORY_LABEL_ACE_TYPE", "SYSTEM_RESOURCE_ATTRIBUTE_ACE_TYPE",
      "SYSTEM_SCOPED_POLICY_ID_ACE_TYPE", "SYSTEM_PROCESS_TRUST_LABEL_ACE_TYPE",
      "SYSTEM_ACCESS_FILTER_ACE_TYPE",
    ]
    return Int(rawValue) < names.count ? names[Int(rawValue)] : "ACE_TYPE_0x" + String(rawValue, radix: 16)
  }
}

/// The AceFlags byte (MS-DTYP 2.4.4.1).
public struct ACEFlags: OptionSet, Hashable, Sendable {
  public var rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// OBJECT_INHERIT_ACE (`OI`).
  public static let objectInherit = ACEFlags(rawValue: 0x01)
  /// CONTAINER_INHERIT_ACE (`CI`).
  public static let containerInherit = ACEFlags(rawValue: 0x02)
  /// NO_PROPAGATE_INHERIT_ACE (`NP`).
  public static let noPropagateInherit = ACEFlags(rawValue: 0x04)
  /// INHERIT_ONLY_ACE (`IO`).
  public static let inheritOnly = ACEFlags(rawValue: 0x08)
  /// INHERITED_ACE (`ID`).
  public static let inherited = ACEFlags(rawValue: 0x10)
  /// CRITICAL_ACE_FLAG (`CR`), on access filter ACEs.
  public static let critical = ACEFlags(rawValue: 0x20)
  /// SUCCESSFUL_ACCESS_ACE_FLAG (`SA`); on access filter ACEs the same bit is
  /// TRUST_PROTECTED_FILTER_ACE_FLAG.
  public static let successfulAccess = ACEFlags(rawValue: 0x40)
  /// FAILED_ACCESS_ACE_FLAG (`FA`).
  public static let failedAccess = ACEFlags(rawValue: 0x80)
  /// VALID_INHERIT_FLAGS.
  public static let validInherit = ACEFlags(rawValue: 0x1F)
}

/// The Flags field of object ACEs: which GUIDs follow.
public struct ObjectACEFlags: OptionSet, Hashable, Sendable {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  /// ACE_OBJECT_TYPE_PRESENT.
  public static let objectTypePresent = ObjectACEFlags(rawValue: 0x1)
  /// ACE_INHERITED_OBJECT_TYPE_PRESENT.
  public static let inheritedObjectTypePresent = ObjectACEFlags(rawValue: 0x2)
}
