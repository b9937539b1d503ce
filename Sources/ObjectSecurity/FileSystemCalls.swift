internal import CExtendedAttributes
import NTSecurity

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// What `stat` says about a file that the security mapping needs.
public struct FileStatus: Hashable, Sendable {
  /// The owner's uid.
  public var uid: UInt32
  /// The owning group's gid.
  public var gid: UInt32
  /// The full `st_mode` (type and permission bits).
  public var mode: UInt32

  public init(uid: UInt32, gid: UInt32, mode: UInt32) {
    self.uid = uid
    self.gid = gid
    self.mode = mode
  }

  /// Whether the file is a directory.
  public var isDirectory: Bool { mode & 0o170000 == 0o040000 }
  /// Whether the file is a symbolic link (the file-system calls of this module never follow one).
  public var isSymbolicLink: Bool { mode & 0o170000 == 0o120000 }
  /// The permission bits (rwxrwxrwx).
  public var permissions: UInt32 { mode & 0o777 }
}

/// The system calls ObjectSecurity makes: extended attributes, stat, chown and chmod, on paths.
/// None follows a symbolic link in the last component (`lgetxattr`, `lstat`, `lchown`,
/// `fchmodat(AT_SYMLINK_NOFOLLOW)`...), so a link planted in a tree never redirects a write made
/// as root; only `/proc/self/fd/N`, the handle a caller opened, is followed. Everything unsafe
/// (C strings, raw buffers, errno) stays in this file; failures are `NTSecurityError`s carrying
/// the Windows code Windows gives for the same condition.
enum FileSystemCalls {
  /// The value of extended attribute `name`, or nil when the file has none.
  static func extendedAttribute(_ name: String, of path: String) throws(NTSecurityError) -> [UInt8]? {
    var capacity = 512
    while true {
      var buffer = [UInt8](repeating: 0, count: capacity)
      let n = buffer.withUnsafeMutableBytes { Self.readAttribute(path, name, $0.baseAddress, capacity) }
      if n >= 0 { return Array(buffer[..<n]) }
      let e = errno
      if e == ENODATA { return nil }
      if e == ERANGE {
        let size = Self.readAttribute(path, name, nil, 0)
        guard size >= 0 else { throw error(errno, "getxattr \(name)", path) }
        capacity = max(size, capacity * 2)
        continue
      }
      throw error(e, "getxattr \(name)", path)
    }
  }

  /// Sets extended attribute `name` in one `setxattr` (the kernel replaces it atomically).
  static func setExtendedAttribute(_ name: String, _ value: [UInt8], of path: String)
    throws(NTSecurityError)
  {
    let rc = value.withUnsafeBytes {
      follows(path)
        ? setxattr(path, name, $0.baseAddress, value.count, 0)
        : lsetxattr(path, name, $0.baseAddress, value.count, 0)
    }
    guard rc == 0 else { throw error(errno, "setxattr \(name)", path) }
  }

  /// Removes extended attribute `name`; a missing attribute is not an error.
  static func removeExtendedAttribute(_ name: String, of path: String) throws(NTSecurityError) {
    guard (follows(path) ? removexattr(path, name) : lremovexattr(path, name)) == 0 else {
      let e = errno
      if e == ENODATA { return }
      throw error(e, "removexattr \(name)", path)
    }
  }

  /// The file's owner, group and mode; a symbolic link is not followed (its own status, which
  /// ``FileStatus/isSymbolicLink`` tells).
  static func status(of path: String) throws(NTSecurityError) -> FileStatus {
    var st = stat()
    guard (follows(path) ? stat(path, &st) : lstat(path, &st)) == 0 else {
      throw error(errno, "stat", path)
    }
    return FileStatus(uid: st.st_uid, gid: st.st_gid, mode: UInt32(st.st_mode))
  }

  /// Changes owner and/or group (nil leaves one as it is).
  static func changeOwner(of path: String, uid: UInt32?, gid: UInt32?) throws(NTSecurityError) {
    let (u, g) = (uid ?? UInt32.max, gid ?? UInt32.max)
    guard (follows(path) ? chown(path, u, g) : lchown(path, u, g)) == 0 else {
      throw error(errno, "chown", path)
    }
  }

  /// Sets the permission bits.
  static func changeMode(of path: String, _ mode: UInt32) throws(NTSecurityError) {
    let flags = follows(path) ? 0 : AT_SYMLINK_NOFOLLOW
    guard fchmodat(AT_FDCWD, path, mode_t(mode & 0o7777), flags) == 0 else {
      throw error(errno, "chmod", path)
    }
  }

  /// The names of the entries of directory `path` (without "." and ".."), with whether each is a
  /// directory. Symbolic links are left out: propagation never reaches through them.
  static func entries(of path: String) throws(NTSecurityError) -> [(name: String, isDirectory: Bool)] {
    guard let dir = opendir(path) else { throw error(errno, "opendir", path) }
    defer { closedir(dir) }
    var out: [(String, Bool)] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      guard name != ".", name != ".." else { continue }
      var type = entry.pointee.d_type
      if type == UInt8(DT_UNKNOWN) {
        var st = stat()
        guard lstat(path + "/" + name, &st) == 0 else { throw error(errno, "lstat", path + "/" + name) }
        type =
          st.st_mode & S_IFMT == S_IFDIR
          ? UInt8(DT_DIR) : st.st_mode & S_IFMT == S_IFLNK ? UInt8(DT_LNK) : UInt8(DT_REG)
      }
      guard type != UInt8(DT_LNK) else { continue }
      let isDirectory = type == UInt8(DT_DIR)
      out.append((name, isDirectory))
    }
    return out
  }

  /// Creates a new file (`O_CREAT | O_EXCL`) or directory with permission bits `mode`.
  static func create(_ path: String, directory: Bool, mode: UInt32) throws(NTSecurityError) {
    if directory {
      guard mkdir(path, mode_t(mode)) == 0 else { throw error(errno, "mkdir", path) }
    } else {
      let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode_t(mode))
      guard fd >= 0 else { throw error(errno, "open", path) }
      close(fd)
    }
  }

  /// Whether calls on `path` follow a final symbolic link: only for `/proc/self/fd/N`, the
  /// kernel's link to a file this process already has open (GetSecurityInfo's handle).
  static func follows(_ path: String) -> Bool {
    let prefix = "/proc/self/fd/"
    guard path.hasPrefix(prefix) else { return false }
    let number = path.dropFirst(prefix.count)
    return !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
  }

  private static func readAttribute(
    _ path: String, _ name: String, _ value: UnsafeMutableRawPointer?, _ size: Int
  ) -> Int {
    follows(path) ? getxattr(path, name, value, size) : lgetxattr(path, name, value, size)
  }

  /// The effective gid of this process.
  static var effectiveGID: UInt32 { getegid() }

  /// The effective uid of this process.
  static var effectiveUID: UInt32 { geteuid() }

  /// Whether the process may write `security.*` attributes and chown freely (effective uid 0;
  /// CAP_SYS_ADMIN and CAP_CHOWN are what the kernel checks, and root holds both here).
  static var isPrivileged: Bool { geteuid() == 0 }

  static func error(_ code: Int32, _ call: String, _ path: String) -> NTSecurityError {
    let text = String(cString: strerror(code))
    let windows: WindowsError
    switch code {
    case ENOENT, ENOTDIR: windows = .fileNotFound
    case EACCES, EPERM, EROFS: windows = .accessDenied
    case EEXIST: windows = .alreadyExists
    case ENOTSUP: windows = .notSupported
    case E2BIG, ENOSPC: windows = .insufficientBuffer
    default: windows = .invalidFunction
    }
    return NTSecurityError(windows, "\(call) \(path): \(text)")
  }
}
