/// A Win32 error code (`ERROR_*`), with the symbolic name Windows headers give it.
public struct WindowsError: Hashable, Sendable, CustomStringConvertible {
  /// The numeric Win32 error code.
  public let code: UInt32
  /// The symbolic name, such as `ERROR_INVALID_SID`.
  public let name: String

  /// Creates an error code value.
  public init(code: UInt32, name: String) {
    self.code = code
    self.name = name
  }

  public var description: String { "\(name) (\(code))" }

  public static func == (lhs: WindowsError, rhs: WindowsError) -> Bool { lhs.code == rhs.code }
  public func hash(into hasher: inout Hasher) { hasher.combine(code) }

  public static let success = WindowsError(code: 0, name: "ERROR_SUCCESS")
  public static let invalidFunction = WindowsError(code: 1, name: "ERROR_INVALID_FUNCTION")
  public static let accessDenied = WindowsError(code: 5, name: "ERROR_ACCESS_DENIED")
  public static let invalidData = WindowsError(code: 13, name: "ERROR_INVALID_DATA")
  public static let notSupported = WindowsError(code: 50, name: "ERROR_NOT_SUPPORTED")
  public static let invalidParameter = WindowsError(code: 87, name: "ERROR_INVALID_PARAMETER")
  public static let insufficientBuffer = WindowsError(code: 122, name: "ERROR_INSUFFICIENT_BUFFER")
  public static let invalidAceCondition = WindowsError(code: 805, name: "ERROR_INVALID_ACE_CONDITION")
  public static let invalidFlags = WindowsError(code: 1004, name: "ERROR_INVALID_FLAGS")
  public static let notFound = WindowsError(code: 1168, name: "ERROR_NOT_FOUND")
  public static let unknownRevision = WindowsError(code: 1305, name: "ERROR_UNKNOWN_REVISION")
  public static let revisionMismatch = WindowsError(code: 1306, name: "ERROR_REVISION_MISMATCH")
  public static let invalidOwner = WindowsError(code: 1307, name: "ERROR_INVALID_OWNER")
  public static let invalidPrimaryGroup = WindowsError(code: 1308, name: "ERROR_INVALID_PRIMARY_GROUP")
  public static let noSuchPrivilege = WindowsError(code: 1313, name: "ERROR_NO_SUCH_PRIVILEGE")
  public static let privilegeNotHeld = WindowsError(code: 1314, name: "ERROR_PRIVILEGE_NOT_HELD")
  public static let noneMapped = WindowsError(code: 1332, name: "ERROR_NONE_MAPPED")
  public static let invalidAcl = WindowsError(code: 1336, name: "ERROR_INVALID_ACL")
  public static let invalidSid = WindowsError(code: 1337, name: "ERROR_INVALID_SID")
  public static let invalidSecurityDescriptor = WindowsError(
    code: 1338, name: "ERROR_INVALID_SECURITY_DESCR")
  public static let badInheritanceAcl = WindowsError(code: 1340, name: "ERROR_BAD_INHERITANCE_ACL")
  public static let genericNotMapped = WindowsError(code: 1360, name: "ERROR_GENERIC_NOT_MAPPED")
  public static let badDescriptorFormat = WindowsError(code: 1361, name: "ERROR_BAD_DESCRIPTOR_FORMAT")
  public static let invalidDatatype = WindowsError(code: 1804, name: "ERROR_INVALID_DATATYPE")
  public static let noToken = WindowsError(code: 1008, name: "ERROR_NO_TOKEN")
  public static let notAllAssigned = WindowsError(code: 1300, name: "ERROR_NOT_ALL_ASSIGNED")
  public static let cantDisableMandatory = WindowsError(
    code: 1310, name: "ERROR_CANT_DISABLE_MANDATORY")
  public static let noSuchLogonSession = WindowsError(code: 1312, name: "ERROR_NO_SUCH_LOGON_SESSION")
  public static let badImpersonationLevel = WindowsError(
    code: 1346, name: "ERROR_BAD_IMPERSONATION_LEVEL")
  public static let badTokenType = WindowsError(code: 1349, name: "ERROR_BAD_TOKEN_TYPE")
  public static let cantEnableDenyOnly = WindowsError(code: 629, name: "ERROR_CANT_ENABLE_DENY_ONLY")
  public static let noSuchDomain = WindowsError(code: 1355, name: "ERROR_NO_SUCH_DOMAIN")
  public static let invalidLogonType = WindowsError(code: 1367, name: "ERROR_INVALID_LOGON_TYPE")
  public static let noInheritance = WindowsError(code: 1391, name: "ERROR_NO_INHERITANCE")
}
