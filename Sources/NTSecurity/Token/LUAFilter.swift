/// What `LUA_TOKEN` does to a token: the User Account Control filter that LSA applies to an
/// administrator's logon to make the standard-user ("filtered", "limited") half of a split token.
///
/// Source: Microsoft, "Windows Vista Application Development Requirements for User Account Control
/// Compatibility" (learn.microsoft.com/previous-versions/dotnet/articles/bb530410, section "Access
/// token changes"), and C. Corio, "Teach Your Apps To Play Nicely With Windows Vista User Account
/// Control", MSDN Magazine, January 2007 ("Creating a Filtered Token"); the privileges are the
/// five `whoami /priv` shows in a filtered token on Windows 7 and later.
///
/// | Group | SID | Becomes |
/// | --- | --- | --- |
/// | Administrators | S-1-5-32-544 | deny-only |
/// | Power Users | S-1-5-32-547 | deny-only |
/// | Account Operators | S-1-5-32-548 | deny-only |
/// | Server Operators ("System Operators") | S-1-5-32-549 | deny-only |
/// | Print Operators | S-1-5-32-550 | deny-only |
/// | Backup Operators | S-1-5-32-551 | deny-only |
/// | RAS Servers | S-1-5-32-553 | deny-only |
/// | Pre-Windows 2000 Compatible Access | S-1-5-32-554 | deny-only |
/// | Network Configuration Operators | S-1-5-32-556 | deny-only |
/// | Cryptographic Operators | S-1-5-32-569 | deny-only |
/// | Local account and member of Administrators group | S-1-5-114 | deny-only (Windows 8.1 and later) |
/// | Enterprise Read-only Domain Controllers | S-1-5-21-…-498 | deny-only |
/// | Domain Admins | S-1-5-21-…-512 | deny-only |
/// | Domain Controllers | S-1-5-21-…-516 | deny-only |
/// | Cert Publishers ("Certificate Administrators") | S-1-5-21-…-517 | deny-only |
/// | Schema Admins | S-1-5-21-…-518 | deny-only |
/// | Enterprise Admins | S-1-5-21-…-519 | deny-only |
/// | Group Policy Creator Owners ("Policy Administrators") | S-1-5-21-…-520 | deny-only |
/// | Read-only Domain Controllers | S-1-5-21-…-521 | deny-only |
///
/// Privileges kept (every other one is deleted): SeChangeNotifyPrivilege, SeShutdownPrivilege,
/// SeUndockPrivilege, SeIncreaseWorkingSetPrivilege, SeTimeZonePrivilege. Integrity: lowered to
/// Medium (S-1-16-8192) when above it. The token is no longer elevated (TokenElevation false).
public enum LUAFilter {
  /// The BUILTIN (S-1-5-32-X) aliases a filtered token holds deny-only.
  public static let builtinAliasRIDs: [UInt32] = [544, 547, 548, 549, 550, 551, 553, 554, 556, 569]
  /// The domain groups (S-1-5-21-A-B-C-RID, any domain) a filtered token holds deny-only.
  public static let domainGroupRIDs: [UInt32] = [498, 512, 516, 517, 518, 519, 520, 521]
  /// NT AUTHORITY\Local account and member of Administrators group (S-1-5-114).
  public static let localAccountAndAdministrator = SID(unchecked: 5, [114])
  /// The privileges a filtered token keeps.
  public static let keptPrivileges: Set<LUID> = Set(
    [Privilege.changeNotify, .shutdown, .undock, .increaseWorkingSet, .timeZone].map(\.luid))
  /// The highest integrity RID a filtered token keeps (Medium).
  public static let highestIntegrityRID: UInt32 = 0x2000

  /// Whether UAC makes `sid` deny-only in a filtered token.
  public static func isFiltered(_ sid: SID) -> Bool {
    guard sid.identifierAuthority == 5, sid.subAuthorityCount > 0 else { return false }
    let rid = sid.lastSubAuthority
    switch (sid.subAuthorityCount, sid[subAuthority: 0]) {
    case (2, 32): return builtinAliasRIDs.contains(rid)
    case (1, 114): return true
    case (5, 21): return domainGroupRIDs.contains(rid)
    default: return false
    }
  }
}
