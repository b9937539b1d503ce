import NTSecurity

/// Which Linux capabilities stand for which Windows privileges. A privilege is in a process's
/// token when all its capabilities are in the permitted set, and enabled when they are all in the
/// effective set; each capability stands for one privilege at most, so enabling or disabling a
/// privilege (AdjustTokenPrivileges) changes the capabilities of that privilege only.
///
/// | privilege | capabilities |
/// | --- | --- |
/// | SeBackupPrivilege | CAP_DAC_READ_SEARCH |
/// | SeRestorePrivilege | CAP_DAC_OVERRIDE and CAP_FOWNER |
/// | SeTakeOwnershipPrivilege | CAP_CHOWN |
/// | SeDebugPrivilege | CAP_SYS_PTRACE |
/// | SeSystemtimePrivilege | CAP_SYS_TIME |
/// | SeShutdownPrivilege | CAP_SYS_BOOT |
/// | SeTcbPrivilege | CAP_SYS_ADMIN |
/// | SeSecurityPrivilege | CAP_AUDIT_CONTROL |
/// | SeAuditPrivilege | CAP_AUDIT_WRITE |
/// | SeImpersonatePrivilege | CAP_SETUID |
/// | SeIncreaseBasePriorityPrivilege | CAP_SYS_NICE |
/// | SeIncreaseQuotaPrivilege | CAP_SYS_RESOURCE |
/// | SeLockMemoryPrivilege | CAP_IPC_LOCK |
/// | SeLoadDriverPrivilege | CAP_SYS_MODULE |
public enum CapabilityPrivileges {
  /// The table above: each privilege with the capability numbers behind it.
  public static let table: [(privilege: Privilege, capabilities: [Int])] = [
    (.backup, [2]),
    (.restore, [1, 3]),
    (.takeOwnership, [0]),
    (.debug, [19]),
    (.systemtime, [25]),
    (.shutdown, [22]),
    (.tcb, [21]),
    (.security, [30]),
    (.audit, [29]),
    (.impersonate, [7]),
    (.increaseBasePriority, [23]),
    (.increaseQuota, [24]),
    (.lockMemory, [14]),
    (.loadDriver, [16]),
  ]

  static func mask(_ capabilities: [Int]) -> UInt64 {
    capabilities.reduce(0) { $0 | 1 << UInt64($1) }
  }

  /// The privileges of a token with these capability sets.
  static func privileges(_ sets: CapabilitySets) -> [LUIDAndAttributes] {
    table.compactMap { entry in
      let bits = mask(entry.capabilities)
      guard sets.permitted & bits == bits else { return nil }
      return LUIDAndAttributes(entry.privilege, sets.effective & bits == bits ? [.enabled] : [])
    }
  }
}
