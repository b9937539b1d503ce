/// A Win32 error code (`ERROR_*`): the number, with the symbolic name the Windows headers give
/// it from one sorted table (``name``), as swift-system's `Errno` is a plain code with names.
public struct WindowsError: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  /// The numeric Win32 error code.
  public let rawValue: UInt32

  /// The code for a number; any number is a code, named or not.
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// The code for a number (same as ``init(rawValue:)``).
  public init(code: UInt32) { self.rawValue = code }

  /// The numeric Win32 error code (``rawValue``).
  public var code: UInt32 { rawValue }

  /// The symbolic name, such as `ERROR_INVALID_SID`; `ERROR_<code>` for a code the table does not
  /// name.
  public var name: String {
    var low = 0
    var high = Self.names.count
    while low < high {
      let mid = (low + high) / 2
      if Self.names[mid].code < rawValue { low = mid + 1 } else { high = mid }
    }
    if low < Self.names.count, Self.names[low].code == rawValue { return Self.names[low].name }
    return "ERROR_\(rawValue)"
  }

  public var description: String { "\(name) (\(rawValue))" }

  /// The named codes, sorted by code.
  static let names: [(code: UInt32, name: String)] = [
    (0, "ERROR_SUCCESS"),
    (1, "ERROR_INVALID_FUNCTION"),
    (2, "ERROR_FILE_NOT_FOUND"),
    (3, "ERROR_PATH_NOT_FOUND"),
    (5, "ERROR_ACCESS_DENIED"),
    (6, "ERROR_INVALID_HANDLE"),
    (13, "ERROR_INVALID_DATA"),
    (29, "ERROR_WRITE_FAULT"),
    (30, "ERROR_READ_FAULT"),
    (50, "ERROR_NOT_SUPPORTED"),
    (87, "ERROR_INVALID_PARAMETER"),
    (110, "ERROR_OPEN_FAILED"),
    (122, "ERROR_INSUFFICIENT_BUFFER"),
    (160, "ERROR_BAD_ARGUMENTS"),
    (183, "ERROR_ALREADY_EXISTS"),
    (259, "ERROR_NO_MORE_ITEMS"),
    (629, "ERROR_CANT_ENABLE_DENY_ONLY"),
    (805, "ERROR_INVALID_ACE_CONDITION"),
    (1004, "ERROR_INVALID_FLAGS"),
    (1008, "ERROR_NO_TOKEN"),
    (1168, "ERROR_NOT_FOUND"),
    (1223, "ERROR_CANCELLED"),
    (1299, "ERROR_INVALID_LABEL"),
    (1300, "ERROR_NOT_ALL_ASSIGNED"),
    (1305, "ERROR_UNKNOWN_REVISION"),
    (1306, "ERROR_REVISION_MISMATCH"),
    (1307, "ERROR_INVALID_OWNER"),
    (1308, "ERROR_INVALID_PRIMARY_GROUP"),
    (1310, "ERROR_CANT_DISABLE_MANDATORY"),
    (1312, "ERROR_NO_SUCH_LOGON_SESSION"),
    (1313, "ERROR_NO_SUCH_PRIVILEGE"),
    (1314, "ERROR_PRIVILEGE_NOT_HELD"),
    (1315, "ERROR_INVALID_ACCOUNT_NAME"),
    (1323, "ERROR_WRONG_PASSWORD"),
    (1326, "ERROR_LOGON_FAILURE"),
    (1327, "ERROR_ACCOUNT_RESTRICTION"),
    (1328, "ERROR_INVALID_LOGON_HOURS"),
    (1330, "ERROR_PASSWORD_EXPIRED"),
    (1331, "ERROR_ACCOUNT_DISABLED"),
    (1332, "ERROR_NONE_MAPPED"),
    (1336, "ERROR_INVALID_ACL"),
    (1337, "ERROR_INVALID_SID"),
    (1338, "ERROR_INVALID_SECURITY_DESCR"),
    (1340, "ERROR_BAD_INHERITANCE_ACL"),
    (1346, "ERROR_BAD_IMPERSONATION_LEVEL"),
    (1349, "ERROR_BAD_TOKEN_TYPE"),
    (1355, "ERROR_NO_SUCH_DOMAIN"),
    (1360, "ERROR_GENERIC_NOT_MAPPED"),
    (1361, "ERROR_BAD_DESCRIPTOR_FORMAT"),
    (1367, "ERROR_INVALID_LOGON_TYPE"),
    (1385, "ERROR_LOGON_TYPE_NOT_GRANTED"),
    (1391, "ERROR_NO_INHERITANCE"),
    (1717, "RPC_S_UNKNOWN_IF"),
    (1722, "RPC_S_SERVER_UNAVAILABLE"),
    (1728, "RPC_S_PROTOCOL_ERROR"),
    (1753, "EPT_S_NOT_REGISTERED"),
    (1793, "ERROR_ACCOUNT_EXPIRED"),
    (1804, "ERROR_INVALID_DATATYPE"),
    (1907, "ERROR_PASSWORD_MUST_CHANGE"),
    (2202, "ERROR_BAD_USERNAME"),
    (6000, "ERROR_DECRYPTION_FAILED"),
    (8202, "ERROR_DS_NO_ATTRIBUTE_OR_VALUE"),
    (8205, "ERROR_DS_ATTRIBUTE_OR_VALUE_EXISTS"),
    (8239, "ERROR_DS_CONSTRAINT_VIOLATION"),
    (8240, "ERROR_DS_NO_SUCH_OBJECT"),
  ]

  /// ERROR_SUCCESS (0).
  public static let success = WindowsError(rawValue: 0)
  /// ERROR_INVALID_FUNCTION (1).
  public static let invalidFunction = WindowsError(rawValue: 1)
  /// ERROR_FILE_NOT_FOUND (2).
  public static let fileNotFound = WindowsError(rawValue: 2)
  /// ERROR_PATH_NOT_FOUND (3).
  public static let pathNotFound = WindowsError(rawValue: 3)
  /// ERROR_ACCESS_DENIED (5).
  public static let accessDenied = WindowsError(rawValue: 5)
  /// ERROR_INVALID_HANDLE (6).
  public static let invalidHandle = WindowsError(rawValue: 6)
  /// ERROR_INVALID_DATA (13).
  public static let invalidData = WindowsError(rawValue: 13)
  /// ERROR_WRITE_FAULT (29).
  public static let writeFault = WindowsError(rawValue: 29)
  /// ERROR_READ_FAULT (30).
  public static let readFault = WindowsError(rawValue: 30)
  /// ERROR_NOT_SUPPORTED (50).
  public static let notSupported = WindowsError(rawValue: 50)
  /// ERROR_INVALID_PARAMETER (87).
  public static let invalidParameter = WindowsError(rawValue: 87)
  /// ERROR_OPEN_FAILED (110).
  public static let openFailed = WindowsError(rawValue: 110)
  /// ERROR_INSUFFICIENT_BUFFER (122).
  public static let insufficientBuffer = WindowsError(rawValue: 122)
  /// ERROR_BAD_ARGUMENTS (160).
  public static let badArguments = WindowsError(rawValue: 160)
  /// ERROR_ALREADY_EXISTS (183).
  public static let alreadyExists = WindowsError(rawValue: 183)
  /// ERROR_NO_MORE_ITEMS (259).
  public static let noMoreItems = WindowsError(rawValue: 259)
  /// ERROR_CANT_ENABLE_DENY_ONLY (629).
  public static let cantEnableDenyOnly = WindowsError(rawValue: 629)
  /// ERROR_INVALID_ACE_CONDITION (805).
  public static let invalidAceCondition = WindowsError(rawValue: 805)
  /// ERROR_INVALID_FLAGS (1004).
  public static let invalidFlags = WindowsError(rawValue: 1004)
  /// ERROR_NO_TOKEN (1008).
  public static let noToken = WindowsError(rawValue: 1008)
  /// ERROR_NOT_FOUND (1168).
  public static let notFound = WindowsError(rawValue: 1168)
  /// ERROR_CANCELLED (1223).
  public static let cancelled = WindowsError(rawValue: 1223)
  /// ERROR_INVALID_LABEL (1299).
  public static let invalidLabel = WindowsError(rawValue: 1299)
  /// ERROR_NOT_ALL_ASSIGNED (1300).
  public static let notAllAssigned = WindowsError(rawValue: 1300)
  /// ERROR_UNKNOWN_REVISION (1305).
  public static let unknownRevision = WindowsError(rawValue: 1305)
  /// ERROR_REVISION_MISMATCH (1306).
  public static let revisionMismatch = WindowsError(rawValue: 1306)
  /// ERROR_INVALID_OWNER (1307).
  public static let invalidOwner = WindowsError(rawValue: 1307)
  /// ERROR_INVALID_PRIMARY_GROUP (1308).
  public static let invalidPrimaryGroup = WindowsError(rawValue: 1308)
  /// ERROR_CANT_DISABLE_MANDATORY (1310).
  public static let cantDisableMandatory = WindowsError(rawValue: 1310)
  /// ERROR_NO_SUCH_LOGON_SESSION (1312).
  public static let noSuchLogonSession = WindowsError(rawValue: 1312)
  /// ERROR_NO_SUCH_PRIVILEGE (1313).
  public static let noSuchPrivilege = WindowsError(rawValue: 1313)
  /// ERROR_PRIVILEGE_NOT_HELD (1314).
  public static let privilegeNotHeld = WindowsError(rawValue: 1314)
  /// ERROR_INVALID_ACCOUNT_NAME (1315).
  public static let invalidAccountName = WindowsError(rawValue: 1315)
  /// ERROR_WRONG_PASSWORD (1323).
  public static let wrongPassword = WindowsError(rawValue: 1323)
  /// ERROR_LOGON_FAILURE (1326).
  public static let logonFailure = WindowsError(rawValue: 1326)
  /// ERROR_ACCOUNT_RESTRICTION (1327).
  public static let accountRestriction = WindowsError(rawValue: 1327)
  /// ERROR_INVALID_LOGON_HOURS (1328).
  public static let invalidLogonHours = WindowsError(rawValue: 1328)
  /// ERROR_PASSWORD_EXPIRED (1330).
  public static let passwordExpired = WindowsError(rawValue: 1330)
  /// ERROR_ACCOUNT_DISABLED (1331).
  public static let accountDisabled = WindowsError(rawValue: 1331)
  /// ERROR_NONE_MAPPED (1332).
  public static let noneMapped = WindowsError(rawValue: 1332)
  /// ERROR_INVALID_ACL (1336).
  public static let invalidAcl = WindowsError(rawValue: 1336)
  /// ERROR_INVALID_SID (1337).
  public static let invalidSid = WindowsError(rawValue: 1337)
  /// ERROR_INVALID_SECURITY_DESCR (1338).
  public static let invalidSecurityDescriptor = WindowsError(rawValue: 1338)
  /// ERROR_BAD_INHERITANCE_ACL (1340).
  public static let badInheritanceAcl = WindowsError(rawValue: 1340)
  /// ERROR_BAD_IMPERSONATION_LEVEL (1346).
  public static let badImpersonationLevel = WindowsError(rawValue: 1346)
  /// ERROR_BAD_TOKEN_TYPE (1349).
  public static let badTokenType = WindowsError(rawValue: 1349)
  /// ERROR_NO_SUCH_DOMAIN (1355).
  public static let noSuchDomain = WindowsError(rawValue: 1355)
  /// ERROR_GENERIC_NOT_MAPPED (1360).
  public static let genericNotMapped = WindowsError(rawValue: 1360)
  /// ERROR_BAD_DESCRIPTOR_FORMAT (1361).
  public static let badDescriptorFormat = WindowsError(rawValue: 1361)
  /// ERROR_INVALID_LOGON_TYPE (1367).
  public static let invalidLogonType = WindowsError(rawValue: 1367)
  /// ERROR_LOGON_TYPE_NOT_GRANTED (1385).
  public static let logonTypeNotGranted = WindowsError(rawValue: 1385)
  /// ERROR_NO_INHERITANCE (1391).
  public static let noInheritance = WindowsError(rawValue: 1391)
  /// ERROR_ACCOUNT_EXPIRED (1793).
  public static let accountExpired = WindowsError(rawValue: 1793)
  /// ERROR_INVALID_DATATYPE (1804).
  public static let invalidDatatype = WindowsError(rawValue: 1804)
  /// ERROR_PASSWORD_MUST_CHANGE (1907).
  public static let passwordMustChange = WindowsError(rawValue: 1907)
  /// ERROR_BAD_USERNAME (2202).
  public static let badUsername = WindowsError(rawValue: 2202)
  /// ERROR_DECRYPTION_FAILED (6000).
  public static let decryptionFailed = WindowsError(rawValue: 6000)
  /// ERROR_DS_NO_ATTRIBUTE_OR_VALUE (8202).
  public static let dsNoAttributeOrValue = WindowsError(rawValue: 8202)
  /// ERROR_DS_ATTRIBUTE_OR_VALUE_EXISTS (8205).
  public static let dsAttributeOrValueExists = WindowsError(rawValue: 8205)
  /// ERROR_DS_CONSTRAINT_VIOLATION (8239).
  public static let dsConstraintViolation = WindowsError(rawValue: 8239)
  /// ERROR_DS_NO_SUCH_OBJECT (8240).
  public static let dsNoSuchObject = WindowsError(rawValue: 8240)
}
