/// A Windows privilege (`Se…Privilege`): its fixed LUID, its programmatic name and the English
/// display name Windows shows (`LookupPrivilegeValue`, `LookupPrivilegeName`,
/// `LookupPrivilegeDisplayName`).
///
/// Privileges are held in an ``AccessToken``. Account logon rights such as
/// `SeInteractiveLogonRight` are not privileges: they have no LUID and are modelled by
/// ``AccountRight``.
public struct Privilege: Hashable, Sendable, CustomStringConvertible {
  /// The locally unique identifier Windows assigns to this privilege (the same on every system).
  public let luid: LUID
  /// The programmatic name, such as `SeBackupPrivilege` (the `SE_*_NAME` constant).
  public let name: String
  /// The English display name, such as `Back up files and directories`.
  public let displayName: String

  init(_ value: UInt32, _ name: String, _ displayName: String) {
    luid = LUID(lowPart: value)
    self.name = name
    self.displayName = displayName
  }

  public var description: String { name }

  /// LookupPrivilegeValue: the LUID of the privilege with this name (case-insensitive).
  /// Throws `ERROR_NO_SUCH_PRIVILEGE` for unknown names, account rights included.
  public static func lookupValue(name: String) throws(NTSecurityError) -> LUID {
    try named(name).luid
  }

  /// LookupPrivilegeName: the programmatic name of the privilege with this LUID.
  /// Throws `ERROR_NO_SUCH_PRIVILEGE` when no privilege has it.
  public static func lookupName(_ luid: LUID) throws(NTSecurityError) -> String {
    guard let privilege = Privilege(luid: luid) else {
      throw NTSecurityError(.noSuchPrivilege, "no privilege has the LUID \(luid)")
    }
    return privilege.name
  }

  /// LookupPrivilegeDisplayName: the English display name of the privilege with this name
  /// (case-insensitive). Throws `ERROR_NO_SUCH_PRIVILEGE` for unknown names.
  public static func displayName(name: String) throws(NTSecurityError) -> String {
    try named(name).displayName
  }

  /// The privilege with this name (case-insensitive), or `ERROR_NO_SUCH_PRIVILEGE`.
  public static func named(_ name: String) throws(NTSecurityError) -> Privilege {
    guard let privilege = Privilege(name: name) else {
      throw NTSecurityError(.noSuchPrivilege, "no privilege is named \"\(name)\"")
    }
    return privilege
  }

  /// The privilege with this name (case-insensitive), or nil.
  public init?(name: String) {
    let key = name.lowercased()
    guard let found = Privilege.all.first(where: { $0.name.lowercased() == key }) else {
      return nil
    }
    self = found
  }

  /// The privilege with this LUID, or nil.
  public init?(luid: LUID) {
    guard luid.highPart == 0, luid.lowPart >= 2, Int(luid.lowPart) - 2 < Privilege.all.count else {
      return nil
    }
    self = Privilege.all[Int(luid.lowPart) - 2]
  }

  public static let createToken = Privilege(2, "SeCreateTokenPrivilege", "Create a token object")
  public static let assignPrimaryToken = Privilege(
    3, "SeAssignPrimaryTokenPrivilege", "Replace a process level token")
  public static let lockMemory = Privilege(4, "SeLockMemoryPrivilege", "Lock pages in memory")
  public static let increaseQuota = Privilege(
    5, "SeIncreaseQuotaPrivilege", "Adjust memory quotas for a process")
  public static let machineAccount = Privilege(
    6, "SeMachineAccountPrivilege", "Add workstations to domain")
  public static let tcb = Privilege(7, "SeTcbPrivilege", "Act as part of the operating system")
  public static let security = Privilege(
    8, "SeSecurityPrivilege", "Manage auditing and security log")
  public static let takeOwnership = Privilege(
    9, "SeTakeOwnershipPrivilege", "Take ownership of files or other objects")
  public static let loadDriver = Privilege(
    10, "SeLoadDriverPrivilege", "Load and unload device drivers")
  public static let systemProfile = Privilege(
    11, "SeSystemProfilePrivilege", "Profile system performance")
  public static let systemtime = Privilege(12, "SeSystemtimePrivilege", "Change the system time")
  public static let profileSingleProcess = Privilege(
    13, "SeProfileSingleProcessPrivilege", "Profile single process")
  public static let increaseBasePriority = Privilege(
    14, "SeIncreaseBasePriorityPrivilege", "Increase scheduling priority")
  public static let createPagefile = Privilege(15, "SeCreatePagefilePrivilege", "Create a pagefile")
  public static let createPermanent = Privilege(
    16, "SeCreatePermanentPrivilege", "Create permanent shared objects")
  public static let backup = Privilege(17, "SeBackupPrivilege", "Back up files and directories")
  public static let restore = Privilege(18, "SeRestorePrivilege", "Restore files and directories")
  public static let shutdown = Privilege(19, "SeShutdownPrivilege", "Shut down the system")
  public static let debug = Privilege(20, "SeDebugPrivilege", "Debug programs")
  public static let audit = Privilege(21, "SeAuditPrivilege", "Generate security audits")
  public static let systemEnvironment = Privilege(
    22, "SeSystemEnvironmentPrivilege", "Modify firmware environment values")
  public static let changeNotify = Privilege(
    23, "SeChangeNotifyPrivilege", "Bypass traverse checking")
  public static let remoteShutdown = Privilege(
    24, "SeRemoteShutdownPrivilege", "Force shutdown from a remote system")
  public static let undock = Privilege(
    25, "SeUndockPrivilege", "Remove computer from docking station")
  public static let syncAgent = Privilege(
    26, "SeSyncAgentPrivilege", "Synchronize directory service data")
  public static let enableDelegation = Privilege(
    27, "SeEnableDelegationPrivilege",
    "Enable computer and user accounts to be trusted for delegation")
  public static let manageVolume = Privilege(
    28, "SeManageVolumePrivilege", "Perform volume maintenance tasks")
  public static let impersonate = Privilege(
    29, "SeImpersonatePrivilege", "Impersonate a client after authentication")
  public static let createGlobal = Privilege(30, "SeCreateGlobalPrivilege", "Create global objects")
  public static let trustedCredManAccess = Privilege(
    31, "SeTrustedCredManAccessPrivilege", "Access Credential Manager as a trusted caller")
  public static let relabel = Privilege(32, "SeRelabelPrivilege", "Modify an object label")
  public static let increaseWorkingSet = Privilege(
    33, "SeIncreaseWorkingSetPrivilege", "Increase a process working set")
  public static let timeZone = Privilege(34, "SeTimeZonePrivilege", "Change the time zone")
  public static let createSymbolicLink = Privilege(
    35, "SeCreateSymbolicLinkPrivilege", "Create symbolic links")
  public static let delegateSessionUserImpersonate = Privilege(
    36, "SeDelegateSessionUserImpersonatePrivilege",
    "Obtain an impersonation token for another user in the same session")

  /// Every privilege, in LUID order (SE_MIN_WELL_KNOWN_PRIVILEGE 2 … SE_MAX_WELL_KNOWN_PRIVILEGE 36).
  public static let all: [Privilege] = [
    createToken, assignPrimaryToken, lockMemory, increaseQuota, machineAccount, tcb, security,
    takeOwnership, loadDriver, systemProfile, systemtime, profileSingleProcess,
    increaseBasePriority, createPagefile, createPermanent, backup, restore, shutdown, debug, audit,
    systemEnvironment, changeNotify, remoteShutdown, undock, syncAgent, enableDelegation,
    manageVolume, impersonate, createGlobal, trustedCredManAccess, relabel, increaseWorkingSet,
    timeZone, createSymbolicLink, delegateSessionUserImpersonate,
  ]
}

/// An account logon right (`SE_*_LOGON_NAME`): granted to accounts through LSA policy
/// (LsaAddAccountRights), never held in a token and without a LUID. `LookupPrivilegeValue` on
/// one of these names fails with `ERROR_NO_SUCH_PRIVILEGE`, as on Windows.
public struct AccountRight: Hashable, Sendable, CustomStringConvertible {
  /// The programmatic name, such as `SeInteractiveLogonRight`.
  public let name: String
  /// The English name Windows' policy editor shows, such as `Allow log on locally`.
  public let displayName: String

  public var description: String { name }

  /// The account right with this name (case-insensitive), or nil.
  public init?(name: String) {
    let key = name.lowercased()
    guard let found = AccountRight.all.first(where: { $0.name.lowercased() == key }) else {
      return nil
    }
    self = found
  }

  init(_ name: String, _ displayName: String) {
    self.name = name
    self.displayName = displayName
  }

  public static let interactiveLogon = AccountRight(
    "SeInteractiveLogonRight", "Allow log on locally")
  public static let networkLogon = AccountRight(
    "SeNetworkLogonRight", "Access this computer from the network")
  public static let batchLogon = AccountRight("SeBatchLogonRight", "Log on as a batch job")
  public static let serviceLogon = AccountRight("SeServiceLogonRight", "Log on as a service")
  public static let remoteInteractiveLogon = AccountRight(
    "SeRemoteInteractiveLogonRight", "Allow log on through Remote Desktop Services")
  public static let denyInteractiveLogon = AccountRight(
    "SeDenyInteractiveLogonRight", "Deny log on locally")
  public static let denyNetworkLogon = AccountRight(
    "SeDenyNetworkLogonRight", "Deny access to this computer from the network")
  public static let denyBatchLogon = AccountRight(
    "SeDenyBatchLogonRight", "Deny log on as a batch job")
  public static let denyServiceLogon = AccountRight(
    "SeDenyServiceLogonRight", "Deny log on as a service")
  public static let denyRemoteInteractiveLogon = AccountRight(
    "SeDenyRemoteInteractiveLogonRight", "Deny log on through Remote Desktop Services")

  /// Every account right.
  public static let all: [AccountRight] = [
    interactiveLogon, networkLogon, batchLogon, serviceLogon, remoteInteractiveLogon,
    denyInteractiveLogon, denyNetworkLogon, denyBatchLogon, denyServiceLogon,
    denyRemoteInteractiveLogon,
  ]
}
