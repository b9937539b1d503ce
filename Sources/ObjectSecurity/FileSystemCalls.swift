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
  /// The permission bits (rwxrwxrwx).
  public var permissions: UInt32 { mode & 0o777 }
}

/// The system calls ObjectSecurity makes: extended attributes, stat, chown and chmod, on paths.
/// Everything unsafe (C strings, raw buffers, errno) stays in this file; failures are
/// `NTSecurityError`s carrying the Windows code Windows gives for the same condition.
enum FileSystemCalls {
  /// The value of extended attribute `name`, or nil when the file has none.
  static func extendedAttribute(_ name: String, of path: String) throws(NTSecurityError) -> [UInt8]? {
    var capacity = 512
    while true {
      var buffer = [UInt8](repeating: 0, count: capacity)
      let n = buffer.withUnsafeMutableBytes { getxattr(path, name, $0.baseAddress, capacity) }
      if n >= 0 { return Array(buffer[..<n]) }
      let e = errno
      if e == ENODATA { return nil }
      if e == ERANGE {
        let size = getxattr(path, name, nil, 0)
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
    let rc = value.withUnsafeBytes { setxattr(path, name, $0.baseAddress, value.count, 0) }
    guard rc == 0 else { throw error(errno, "setxattr \(name)", path) }
  }

  /// Removes extended attribute `name`; a missing attribute is not an error.
  static func removeExtendedAttribute(_ name: String, of path: String) throws(NTSecurityError) {
    guard removexattr(path, name) == 0 else {
      let e = errno
      if e == ENODATA { return }
      throw error(e, "removexattr \(name)", path)
    }
  }

  /// The file's owner, group and mode (following symbolic links, as Samba's share does).
  static func status(of path: String) throws(NTSecurityError) -> FileStatus {
    var st = stat()
    guard stat(path, &st) == 0 else { throw error(errno, "stat", path) }
    return FileStatus(uid: st.st_uid, gid: st.st_gid, mode: UInt32(st.st_mode))
  }

  /// Changes owner and/or group (nil leaves one as it is).
  static func changeOwner(of path: String, uid: UInt32?, gid: UInt32?) throws(NTSecurityError) {
    guard chown(path, uid ?? UInt32.max, gid ?? UInt32.max) == 0 else {
      throw error(errno, "chown", path)
    }
  }

  /// Sets the permission bits.
  static func changeMode(of path: String, _ mode: UInt32) throws(NTSecurityError) {
    guard chmod(path, mode_t(mode & 0o7777)) == 0 else { throw error(errno, "chmod", path) }
  }

  /// The names of the entries of directory `path` (without "." and ".."), with whether each is a
  /// directory (not following symbolic links).
  static func entries(of path: String) throws(NTSecurityError) -> [(name: String, isDirectory: Bool)] {
    guard let dir = opendir(path) else { throw error(errno, "opendir", path) }
    defer { closedir(dir) }
    var out: [(String, Bool)] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      guard name != ".", name != ".." else { continue }
      var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
      if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
        var st = stat()
        isDirectory = lstat(path + "/" + name, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
      }
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
