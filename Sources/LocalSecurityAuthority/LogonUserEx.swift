import CPAM
import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// MSV1_0_INTERACTIVE_PROFILE, the profile LogonUserEx returns, as far as the host has it: the
/// passwd entry, the shadow entry's dates (nil when unset, or unreadable without root) and this
/// host as the logon server. Windows' counts (LogonCount, BadPasswordCount), logon script and
/// profile path have no Linux source and are absent.
public struct LogonProfile: Hashable, Sendable {
  /// The account name NSS knows.
  public var userName: String
  /// FullName: the first comma-separated part of the GECOS field.
  public var fullName: String
  /// HomeDirectory: the passwd entry's home directory.
  public var homeDirectory: String
  /// LogonServer: this host's name.
  public var logonServer: String
  /// PasswordLastSet: the shadow entry's last change.
  public var passwordLastSet: Date?
  /// PasswordCanChange: the last change plus the minimum age.
  public var passwordCanChange: Date?
  /// PasswordMustChange: the last change plus the maximum age; nil when the password never ages.
  public var passwordMustChange: Date?
  /// KickOffTime: the account's expiry date; nil when it never expires.
  public var kickOffTime: Date?
}

/// QUOTA_LIMITS from the resource limits a process of the logon starts with (this process's
/// getrlimit, which the logon does not change): `UInt64.max` (and -1 for the time) is unlimited.
public struct QuotaLimits: Hashable, Sendable {
  /// PagedPoolLimit and NonPagedPoolLimit: kernel pools have no per-user limit on Linux; 0.
  public var pagedPoolLimit: UInt64 = 0
  public var nonPagedPoolLimit: UInt64 = 0
  /// MinimumWorkingSetSize: 0 (Linux has no minimum resident set).
  public var minimumWorkingSetSize: UInt64 = 0
  /// MaximumWorkingSetSize: RLIMIT_RSS.
  public var maximumWorkingSetSize: UInt64
  /// PagefileLimit: RLIMIT_AS.
  public var pagefileLimit: UInt64
  /// TimeLimit, in 100 ns units: RLIMIT_CPU.
  public var timeLimit: Int64
}

/// What LogonUserEx returns besides the token.
public struct LogonResult: Hashable, Sendable {
  public var token: AccessToken
  /// The logon SID (S-1-5-5-X-Y) of the token.
  public var logonSID: SID?
  public var profile: LogonProfile
  public var quotaLimits: QuotaLimits
}

extension LocalSecurityAuthority {
  /// LogonUserEx: ``logonUser(_:password:type:configuration:)``, with the logon SID, the profile
  /// (``LogonProfile``) and the quota limits (``QuotaLimits``).
  public static func logonUserEx(
    _ name: String, password: inout [UInt8], type: LogonType = .interactive,
    configuration: Configuration = .current
  ) throws(NTSecurityError) -> LogonResult {
    let token = try logonUser(name, password: &password, type: type, configuration: configuration)
    let database = try AccountDatabase(configuration)
    let account = HostSystem.user(named: unixName(name, database: database))
    var profile = LogonProfile(
      userName: account?.name ?? name,
      fullName: String(account?.gecos.split(separator: ",", omittingEmptySubsequences: false).first ?? ""),
      homeDirectory: account?.home ?? "", logonServer: HostSystem.hostName())
    var (last, minimum, maximum, expire) = (-1, -1, -1, -1)
    if let account, ntsec_shadow_dates(account.name, &last, &minimum, &maximum, &expire) == 0 {
      let day = { (days: Int) in Date(timeIntervalSince1970: Double(days) * 86400) }
      if last > 0 {
        profile.passwordLastSet = day(last)
        profile.passwordCanChange = day(last + max(minimum, 0))
        if maximum >= 0, maximum < 99999 { profile.passwordMustChange = day(last + maximum) }
      }
      if expire >= 0 { profile.kickOffTime = day(expire) }
    }
    return LogonResult(token: token, logonSID: token.logonSID, profile: profile, quotaLimits: quotaLimits())
  }

  /// QUOTA_LIMITS from this process's resource limits.
  static func quotaLimits() -> QuotaLimits {
    func limit(_ resource: __rlimit_resource) -> UInt64 {
      var value = rlimit()
      // RLIM_INFINITY is rlim_t.max, which reads as unlimited too.
      guard getrlimit(__rlimit_resource_t(resource.rawValue), &value) == 0 else { return .max }
      return UInt64(value.rlim_cur)
    }
    let cpu = limit(RLIMIT_CPU)
    return QuotaLimits(
      maximumWorkingSetSize: limit(__RLIMIT_RSS), pagefileLimit: limit(RLIMIT_AS),
      timeLimit: cpu == .max ? -1 : Int64(clamping: cpu) &* 10_000_000)
  }
}
