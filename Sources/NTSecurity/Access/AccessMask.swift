/// An ACCESS_MASK (MS-DTYP 2.4.3): generic, standard and object-specific rights.
public struct AccessMask: OptionSet, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  // Generic rights.
  public static let genericRead = AccessMask(rawValue: 0x8000_0000)
  public static let genericWrite = AccessMask(rawValue: 0x4000_0000)
  public static let genericExecute = AccessMask(rawValue: 0x2000_0000)
  public static let genericAll = AccessMask(rawValue: 0x1000_0000)
  /// All four generic bits.
  public static let generic: AccessMask = [.genericRead, .genericWrite, .genericExecute, .genericAll]
  public static let maximumAllowed = AccessMask(rawValue: 0x0200_0000)
  public static let accessSystemSecurity = AccessMask(rawValue: 0x0100_0000)

  // Standard rights.
  public static let delete = AccessMask(rawValue: 0x0001_0000)
  public static let readControl = AccessMask(rawValue: 0x0002_0000)
  public static let writeDAC = AccessMask(rawValue: 0x0004_0000)
  public static let writeOwner = AccessMask(rawValue: 0x0008_0000)
  public static let synchronize = AccessMask(rawValue: 0x0010_0000)
  public static let standardRightsRequired = AccessMask(rawValue: 0x000F_0000)
  public static let standardRightsRead = AccessMask.readControl
  public static let standardRightsWrite = AccessMask.readControl
  public static let standardRightsExecute = AccessMask.readControl
  public static let standardRightsAll = AccessMask(rawValue: 0x001F_0000)
  public static let specificRightsAll = AccessMask(rawValue: 0x0000_FFFF)

  // Directory service object rights (ADS_RIGHT_*), the SDDL letters CC DC LC SW RP WP DT LO CR.
  public static let dsCreateChild = AccessMask(rawValue: 0x1)
  public static let dsDeleteChild = AccessMask(rawValue: 0x2)
  public static let dsListChildren = AccessMask(rawValue: 0x4)
  public static let dsSelf = AccessMask(rawValue: 0x8)
  public static let dsReadProperty = AccessMask(rawValue: 0x10)
  public static let dsWriteProperty = AccessMask(rawValue: 0x20)
  public static let dsDeleteTree = AccessMask(rawValue: 0x40)
  public static let dsListObject = AccessMask(rawValue: 0x80)
  public static let dsControlAccess = AccessMask(rawValue: 0x100)

  // File and directory rights.
  public static let fileReadData = AccessMask(rawValue: 0x1)
  public static let fileListDirectory = AccessMask(rawValue: 0x1)
  public static let fileWriteData = AccessMask(rawValue: 0x2)
  public static let fileAddFile = AccessMask(rawValue: 0x2)
  public static let fileAppendData = AccessMask(rawValue: 0x4)
  public static let fileAddSubdirectory = AccessMask(rawValue: 0x4)
  public static let fileReadEA = AccessMask(rawValue: 0x8)
  public static let fileWriteEA = AccessMask(rawValue: 0x10)
  public static let fileExecute = AccessMask(rawValue: 0x20)
  public static let fileTraverse = AccessMask(rawValue: 0x20)
  public static let fileDeleteChild = AccessMask(rawValue: 0x40)
  public static let fileReadAttributes = AccessMask(rawValue: 0x80)
  public static let fileWriteAttributes = AccessMask(rawValue: 0x100)
  /// FILE_ALL_ACCESS (SDDL `FA`).
  public static let fileAllAccess = AccessMask(rawValue: 0x001F_01FF)
  /// FILE_GENERIC_READ (SDDL `FR`).
  public static let fileGenericRead = AccessMask(rawValue: 0x0012_0089)
  /// FILE_GENERIC_WRITE (SDDL `FW`).
  public static let fileGenericWrite = AccessMask(rawValue: 0x0012_0116)
  /// FILE_GENERIC_EXECUTE (SDDL `FX`).
  public static let fileGenericExecute = AccessMask(rawValue: 0x0012_00A0)

  // Registry key rights.
  public static let keyQueryValue = AccessMask(rawValue: 0x1)
  public static let keySetValue = AccessMask(rawValue: 0x2)
  public static let keyCreateSubKey = AccessMask(rawValue: 0x4)
  public static let keyEnumerateSubKeys = AccessMask(rawValue: 0x8)
  public static let keyNotify = AccessMask(rawValue: 0x10)
  public static let keyCreateLink = AccessMask(rawValue: 0x20)
  public static let keyWow64_64Key = AccessMask(rawValue: 0x100)
  public static let keyWow64_32Key = AccessMask(rawValue: 0x200)
  /// KEY_ALL_ACCESS (SDDL `KA`).
  public static let keyAllAccess = AccessMask(rawValue: 0x000F_003F)
  /// KEY_READ (SDDL `KR`).
  public static let keyRead = AccessMask(rawValue: 0x0002_0019)
  /// KEY_WRITE (SDDL `KW`).
  public static let keyWrite = AccessMask(rawValue: 0x0002_0006)
  /// KEY_EXECUTE (SDDL `KX`), equal to KEY_READ.
  public static let keyExecute = AccessMask(rawValue: 0x0002_0019)

  // Mandatory label policy bits (SYSTEM_MANDATORY_LABEL_*), SDDL `NW`, `NR`, `NX`.
  public static let mandatoryLabelNoWriteUp = AccessMask(rawValue: 0x1)
  public static let mandatoryLabelNoReadUp = AccessMask(rawValue: 0x2)
  public static let mandatoryLabelNoExecuteUp = AccessMask(rawValue: 0x4)

  // Token rights.
  public static let tokenAssignPrimary = AccessMask(rawValue: 0x1)
  public static let tokenDuplicate = AccessMask(rawValue: 0x2)
  public static let tokenImpersonate = AccessMask(rawValue: 0x4)
  public static let tokenQuery = AccessMask(rawValue: 0x8)
  public static let tokenQuerySource = AccessMask(rawValue: 0x10)
  public static let tokenAdjustPrivileges = AccessMask(rawValue: 0x20)
  public static let tokenAdjustGroups = AccessMask(rawValue: 0x40)
  public static let tokenAdjustDefault = AccessMask(rawValue: 0x80)
  public static let tokenAdjustSessionId = AccessMask(rawValue: 0x100)
  public static let tokenAllAccess = AccessMask(rawValue: 0x000F_01FF)
  public static let tokenRead = AccessMask(rawValue: 0x0002_0008)
  public static let tokenWrite = AccessMask(rawValue: 0x0002_00E0)
  public static let tokenExecute = AccessMask(rawValue: 0x0002_0000)

  // Process rights.
  public static let processTerminate = AccessMask(rawValue: 0x1)
  public static let processCreateThread = AccessMask(rawValue: 0x2)
  public static let processSetSessionId = AccessMask(rawValue: 0x4)
  public static let processVMOperation = AccessMask(rawValue: 0x8)
  public static let processVMRead = AccessMask(rawValue: 0x10)
  public static let processVMWrite = AccessMask(rawValue: 0x20)
  public static let processDupHandle = AccessMask(rawValue: 0x40)
  public static let processCreateProcess = AccessMask(rawValue: 0x80)
  public static let processSetQuota = AccessMask(rawValue: 0x100)
  public static let processSetInformation = AccessMask(rawValue: 0x200)
  public static let processQueryInformation = AccessMask(rawValue: 0x400)
  public static let processSuspendResume = AccessMask(rawValue: 0x800)
  public static let processQueryLimitedInformation = AccessMask(rawValue: 0x1000)
  public static let processAllAccess = AccessMask(rawValue: 0x001F_FFFF)

  // Thread rights.
  public static let threadTerminate = AccessMask(rawValue: 0x1)
  public static let threadSuspendResume = AccessMask(rawValue: 0x2)
  public static let threadGetContext = AccessMask(rawValue: 0x8)
  public static let threadSetContext = AccessMask(rawValue: 0x10)
  public static let threadSetInformation = AccessMask(rawValue: 0x20)
  public static let threadQueryInformation = AccessMask(rawValue: 0x40)
  public static let threadSetThreadToken = AccessMask(rawValue: 0x80)
  public static let threadImpersonate = AccessMask(rawValue: 0x100)
  public static let threadDirectImpersonation = AccessMask(rawValue: 0x200)
  public static let threadSetLimitedInformation = AccessMask(rawValue: 0x400)
  public static let threadQueryLimitedInformation = AccessMask(rawValue: 0x800)
  public static let threadAllAccess = AccessMask(rawValue: 0x001F_FFFF)

  /// `0x…` in lowercase hexadecimal.
  public var description: String { "0x" + String(rawValue, radix: 16) }

  /// MapGenericMask: replaces each generic bit with the rights `mapping` gives it.
  public func mapped(by mapping: GenericMapping) -> AccessMask {
    var m = self
    if m.contains(.genericRead) { m.formUnion(mapping.read) }
    if m.contains(.genericWrite) { m.formUnion(mapping.write) }
    if m.contains(.genericExecute) { m.formUnion(mapping.execute) }
    if m.contains(.genericAll) { m.formUnion(mapping.all) }
    m.subtract(.generic)
    return m
  }
}
