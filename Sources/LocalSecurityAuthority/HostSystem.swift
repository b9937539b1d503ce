import CLinuxCapabilities
import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A user account as the Name Service Switch gives it (`getpwnam_r`, `getpwuid_r`): local files,
/// sssd, LDAP or winbind, whatever /etc/nsswitch.conf names.
struct UnixUser: Hashable, Sendable {
  var name: String
  var uid: UInt32
  var gid: UInt32
  /// The GECOS field (`pw_gecos`): the full name, then comma-separated extras.
  var gecos = ""
  /// The home directory (`pw_dir`).
  var home = ""
}

/// A group as the Name Service Switch gives it (`getgrnam_r`, `getgrgid_r`).
struct UnixGroup: Hashable, Sendable {
  var name: String
  var gid: UInt32
}

/// The module's only calls into the C library: NSS, the host name, file links, ids and the
/// capability system calls (through CLinuxCapabilities). Every buffer stays in this file.
enum HostSystem {
  /// getpwnam_r: the user named `name`, or nil.
  static func user(named name: String) -> UnixUser? {
    passwd { getpwnam_r(name, &$0, $1, $2, &$3) }
  }

  /// getpwuid_r: the user with `uid`, or nil.
  static func user(id uid: UInt32) -> UnixUser? {
    passwd { getpwuid_r(uid, &$0, $1, $2, &$3) }
  }

  /// getgrnam_r: the group named `name`, or nil.
  static func group(named name: String) -> UnixGroup? {
    group { getgrnam_r(name, &$0, $1, $2, &$3) }
  }

  /// getgrgid_r: the group with `gid`, or nil.
  static func group(id gid: UInt32) -> UnixGroup? {
    group { getgrgid_r(gid, &$0, $1, $2, &$3) }
  }

  /// getgrouplist: the groups `user` belongs to, `primary` first.
  static func groupList(user: String, primary: UInt32) -> [UInt32] {
    var count: Int32 = 64
    while true {
      var ids = [gid_t](repeating: 0, count: Int(count))
      let before = count
      if getgrouplist(user, primary, &ids, &count) >= 0 { return Array(ids.prefix(Int(count))) }
      if count <= before { count = before * 2 }
      if count > 1 << 20 { return [primary] }
    }
  }

  private static func passwd(
    _ call: (inout passwd, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<passwd>?) -> Int32
  ) -> UnixUser? {
    entry(Glibc.passwd(), call) { entry in
      entry.pw_name.map {
        UnixUser(
          name: String(cString: $0), uid: entry.pw_uid, gid: entry.pw_gid,
          gecos: entry.pw_gecos.map { String(cString: $0) } ?? "",
          home: entry.pw_dir.map { String(cString: $0) } ?? "")
      }
    }
  }

  private static func group(
    _ call: (inout group, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<group>?) -> Int32
  ) -> UnixGroup? {
    entry(Glibc.group(), call) { entry in
      entry.gr_name.map { UnixGroup(name: String(cString: $0), gid: entry.gr_gid) }
    }
  }

  /// One reentrant NSS call (`get*_r`) with a buffer that grows while the call answers ERANGE.
  private static func entry<Entry, Value>(
    _ empty: Entry,
    _ call: (inout Entry, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<Entry>?) -> Int32,
    _ convert: (Entry) -> Value?
  ) -> Value? {
    var size = 4096
    while size <= 1 << 22 {
      let found: Value?? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: size) { buffer in
        var entry = empty
        var result: UnsafeMutablePointer<Entry>?
        let status = call(&entry, buffer.baseAddress!, size, &result)
        if status == ERANGE { return nil }
        guard status == 0, result != nil else { return .some(nil) }
        return .some(convert(entry))
      }
      if let found { return found }
      size *= 4
    }
    return nil
  }

  /// gethostname.
  static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    return String(cString: buffer)
  }

  /// The process id (getpid) and the calling thread's id (gettid).
  static var processID: Int32 { getpid() }
  static var threadID: Int32 { ntsec_gettid() }

  /// Writes `contents` to a new file at `path` with `mode`, refusing to replace anything:
  /// a temporary file in the same directory, fsync, then link(2), which fails when `path` exists.
  /// Returns false when `path` already existed; throws for other failures.
  static func createFileOnce(path: String, contents: String, mode: UInt32) throws(NTSecurityError) -> Bool {
    let directory = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    } catch {
      throw NTSecurityError(.accessDenied, "cannot create \(directory): \(error.localizedDescription)")
    }
    let temporary = "\(path).\(getpid()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
    guard fd >= 0 else {
      throw NTSecurityError(.accessDenied, "cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    defer { unlink(temporary) }
    let bytes = Array(contents.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    let synced = fchmod(fd, mode_t(mode)) == 0 && fsync(fd) == 0
    close(fd)
    guard written == bytes.count, synced else {
      throw NTSecurityError(.writeFault, "cannot write \(temporary): \(String(cString: strerror(errno)))")
    }
    if link(temporary, path) != 0 {
      if errno == EEXIST { return false }
      throw NTSecurityError(.accessDenied, "cannot create \(path): \(String(cString: strerror(errno)))")
    }
    let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if directoryFD >= 0 {
      fsync(directoryFD)
      close(directoryFD)
    }
    return true
  }

  /// The capability sets of thread `tid` (0: the calling thread).
  static func capabilities(thread tid: Int32 = 0) throws(NTSecurityError) -> CapabilitySets {
    var sets = ntsec_capability_sets()
    guard ntsec_capget(tid, &sets) == 0 else {
      throw NTSecurityError(.accessDenied, "capget: \(String(cString: strerror(errno)))")
    }
    return CapabilitySets(effective: sets.effective, permitted: sets.permitted)
  }

  /// capset on the calling thread: the effective and permitted sets given, inheritable unchanged.
  static func setCapabilities(_ new: CapabilitySets) throws(NTSecurityError) {
    var sets = ntsec_capability_sets()
    guard ntsec_capget(0, &sets) == 0 else {
      throw NTSecurityError(.accessDenied, "capget: \(String(cString: strerror(errno)))")
    }
    sets.effective = new.effective
    sets.permitted = new.permitted
    sets.inheritable &= new.permitted
    guard ntsec_capset(&sets) == 0 else {
      throw NTSecurityError(.accessDenied, "capset: \(String(cString: strerror(errno)))")
    }
  }
}

/// A thread's effective and permitted capability sets (bit N is capability N).
struct CapabilitySets: Hashable, Sendable {
  var effective: UInt64
  var permitted: UInt64
}

extension HostSystem {
  /// The first value of the range privileged callers allocate from; unprivileged callers stay below.
  static let privilegedCounterBase: UInt64 = 1 << 62

  /// Advances the counter in the file at `path` under an exclusive flock and returns the new
  /// value: max(stored + 1, nanoseconds since boot), in a range of its own for privileged callers.
  ///
  /// `privileged` (an effective uid of 0) requires a regular, singly linked, root-owned file that
  /// no one else can write (created 0600) and allocates from 2^62 up; otherwise the shared file
  /// (created 0666) must be a regular, singly linked file and values stay below 2^62. The lock is
  /// tried for at most `lockTimeout`, so a caller holding it cannot block allocation forever.
  static func advanceCounter(
    path: String, privileged: Bool, lockTimeout: Duration = .seconds(2)
  ) throws(NTSecurityError) -> UInt64 {
    let mode: mode_t = privileged ? 0o600 : 0o666
    let flags = O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
    // Open without O_CREAT first: in a sticky directory (/dev/shm) fs.protected_regular refuses
    // O_CREAT on another user's file.
    var fd = open(path, flags)
    if fd < 0, errno == ENOENT {
      fd = open(path, flags | O_CREAT | O_EXCL, mode)
      if fd >= 0 {
        fchmod(fd, mode)
      } else if errno == EEXIST {
        fd = open(path, flags)
      }
    }
    guard fd >= 0 else {
      throw NTSecurityError(.accessDenied, "\(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink == 1,
      !privileged || (status.st_uid == 0 && status.st_mode & 0o022 == 0)
    else {
      throw NTSecurityError(
        .accessDenied,
        "\(path): the LUID counter must be a regular, singly linked file"
          + (privileged ? ", owned by root and writable by root only" : ""))
    }
    try lockExclusive(fd, path: path, timeout: lockTimeout)
    var stored: UInt64 = 0
    if pread(fd, &stored, 8, 0) != 8 { stored = 0 }
    var now = timespec()
    clock_gettime(CLOCK_BOOTTIME, &now)
    let clock = UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    let base = privileged ? privilegedCounterBase : 0
    let limit = privileged ? UInt64.max : privilegedCounterBase - 1
    guard stored < limit else {
      throw NTSecurityError(.invalidData, "\(path): the LUID counter is exhausted")
    }
    var next = max(stored + 1, base + clock)
    guard pwrite(fd, &next, 8, 0) == 8 else {
      throw NTSecurityError(.writeFault, "\(path): \(String(cString: strerror(errno)))")
    }
    return next
  }

  /// flock(LOCK_EX), retried without blocking until `timeout` has passed.
  private static func lockExclusive(_ fd: Int32, path: String, timeout: Duration)
    throws(NTSecurityError)
  {
    let deadline = ContinuousClock.now + timeout
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else {
        throw NTSecurityError(.accessDenied, "\(path): flock: \(String(cString: strerror(errno)))")
      }
      guard ContinuousClock.now < deadline else {
        throw NTSecurityError(.accessDenied, "\(path): another process holds the LUID counter's lock")
      }
      usleep(200)
    }
  }
}
