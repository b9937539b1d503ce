import Glibc
import NTSecurity

extension LocalSecurityAuthority {
  /// AllocateLocallyUniqueId: a LUID no other call on this host returns until it reboots, in
  /// this process or any other.
  ///
  /// The mechanism: a counter in a file on tmpfs (gone at reboot), read and advanced under an
  /// exclusive flock tried for at most two seconds. Each value is the larger of the stored value
  /// plus one and the nanoseconds since boot (CLOCK_BOOTTIME), so values keep rising even if the
  /// file is removed, and never fall among the small fixed LUIDs Windows gives privileges and the
  /// system's logon sessions. Root (the LogonUser caller) uses its own counter,
  /// ``Configuration/privilegedLocallyUniqueIDCounterPath`` (`/run/ntsec-luid`), which must be a
  /// regular root-owned file no one else can write, and allocates from 2^62 up; other callers
  /// share ``Configuration/locallyUniqueIDCounterPath`` (`/dev/shm/ntsec-luid`, mode 0666) and
  /// stay below 2^62, so nothing an unprivileged user writes can repeat a value root hands out.
  /// Throws `ERROR_ACCESS_DENIED` when the counter is not a regular singly linked file (or, for
  /// root, not root's own) or its lock stays held.
  public static func allocateLocallyUniqueID(configuration: Configuration = .current)
    throws(NTSecurityError) -> LUID
  {
    let privileged = geteuid() == 0
    return LUID(
      try HostSystem.advanceCounter(
        path: privileged
          ? configuration.privilegedLocallyUniqueIDCounterPath
          : configuration.locallyUniqueIDCounterPath,
        privileged: privileged))
  }
}
