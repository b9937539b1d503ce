import NTSecurity

extension LocalSecurityAuthority {
  /// AllocateLocallyUniqueId: a LUID no other call on this host returns until it reboots, in
  /// this process or any other.
  ///
  /// The mechanism: a counter shared by all processes in a file on tmpfs
  /// (``Configuration/locallyUniqueIDCounterPath``, `/dev/shm/ntsec-luid`, mode 0666, gone at
  /// reboot), read and advanced under an exclusive flock. Each value is the larger of the stored
  /// value plus one and the nanoseconds since boot (CLOCK_BOOTTIME), so values keep rising even
  /// if the file is removed or rewritten, and never fall among the small fixed LUIDs Windows
  /// gives privileges and the system's logon sessions.
  public static func allocateLocallyUniqueID(configuration: Configuration = .current)
    throws(NTSecurityError) -> LUID
  {
    LUID(try HostSystem.advanceCounter(path: configuration.locallyUniqueIDCounterPath))
  }
}
