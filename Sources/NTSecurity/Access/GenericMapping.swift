/// GENERIC_MAPPING: the specific and standard rights each generic right stands for on one kind of
/// object.
public struct GenericMapping: Hashable, Sendable {
  public var read: AccessMask
  public var write: AccessMask
  public var execute: AccessMask
  public var all: AccessMask

  /// Creates a mapping.
  public init(read: AccessMask, write: AccessMask, execute: AccessMask, all: AccessMask) {
    self.read = read
    self.write = write
    self.execute = execute
    self.all = all
  }

  /// Files (FILE_GENERIC_READ/WRITE/EXECUTE, FILE_ALL_ACCESS).
  public static let file = GenericMapping(
    read: .fileGenericRead, write: .fileGenericWrite, execute: .fileGenericExecute, all: .fileAllAccess)
  /// Directories: the same mapping the I/O manager uses for files.
  public static let directory = file
  /// Registry keys (KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS).
  public static let registryKey = GenericMapping(
    read: .keyRead, write: .keyWrite, execute: .keyExecute, all: .keyAllAccess)
  /// Active Directory objects (DS_GENERIC_READ/WRITE/EXECUTE/ALL).
  public static let directoryServiceObject = GenericMapping(
    read: AccessMask(rawValue: 0x0002_0094), write: AccessMask(rawValue: 0x0002_0028),
    execute: AccessMask(rawValue: 0x0002_0004), all: AccessMask(rawValue: 0x000F_01FF))
  /// Access tokens (TOKEN_READ, TOKEN_WRITE, TOKEN_EXECUTE, TOKEN_ALL_ACCESS).
  public static let token = GenericMapping(
    read: .tokenRead, write: .tokenWrite, execute: .tokenExecute, all: .tokenAllAccess)
  /// Processes (the mapping Windows 10 and later report).
  public static let process = GenericMapping(
    read: AccessMask(rawValue: 0x0002_1410), write: AccessMask(rawValue: 0x0002_0BEA),
    execute: AccessMask(rawValue: 0x0012_1001), all: .processAllAccess)
  /// Threads (the mapping Windows 10 and later report).
  public static let thread = GenericMapping(
    read: AccessMask(rawValue: 0x0002_0848), write: AccessMask(rawValue: 0x0002_0437),
    execute: AccessMask(rawValue: 0x0012_0C00), all: .threadAllAccess)
}
