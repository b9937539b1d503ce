/// `KERB_VALIDATION_INFO` (MS-PAC 2.5): the logon information of the PAC's `LOGON_INFO` buffer
/// (type 1), NDR-encoded. Times are FILETIMEs (100 ns since 1601; `0x7FFF_FFFF_FFFF_FFFF` is
/// "never").
public struct KerbValidationInfo: Hashable, Sendable {
  public var logonTime: UInt64
  public var logoffTime: UInt64
  public var kickOffTime: UInt64
  public var passwordLastSet: UInt64
  public var passwordCanChange: UInt64
  public var passwordMustChange: UInt64
  /// The account name (sAMAccountName).
  public var effectiveName: String
  public var fullName: String
  public var logonScript: String
  public var profilePath: String
  public var homeDirectory: String
  public var homeDirectoryDrive: String
  public var logonCount: UInt16
  public var badPasswordCount: UInt16
  /// The RID of the account in `logonDomainID`.
  public var userID: UInt32
  /// The RID of the account's primary group.
  public var primaryGroupID: UInt32
  /// The account's groups in its own domain.
  public var groupIDs: [GroupMembership]
  /// `LOGON_*` flags; ``UserFlags/extraSIDs`` and ``UserFlags/resourceGroups`` say which of
  /// the SID lists are populated.
  public var userFlags: UserFlags
  /// `UserSessionKey`: 16 bytes (zero for Kerberos).
  public var userSessionKey: [UInt8]
  public var logonServer: String
  /// The NetBIOS name of the account's domain.
  public var logonDomainName: String
  /// The SID of the account's domain; nil only when the PAC omits it (a malformed PAC).
  public var logonDomainID: SID?
  public var userAccountControl: UInt32
  public var subAuthStatus: UInt32
  public var lastSuccessfulILogon: UInt64
  public var lastFailedILogon: UInt64
  public var failedILogonCount: UInt32
  /// Groups outside the account's domain (universal groups of other domains, S-1-18-x, …).
  public var extraSIDs: [SIDAndAttributes]
  /// The domain of ``resourceGroupIDs`` (domain-local groups, resource SID compression).
  public var resourceGroupDomainSID: SID?
  public var resourceGroupIDs: [GroupMembership]

  /// The user SID: `LogonDomainId` + `UserId`.
  public var userSID: SID? { logonDomainID.flatMap { try? $0.appending(userID) } }
}

/// The `UserFlags` of `KERB_VALIDATION_INFO` (MS-PAC 2.5, MS-NRPC 2.2.1.4.11 `LOGON_*`).
public struct UserFlags: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  /// `LOGON_GUEST` (A): the account was logged on as Guest.
  public static let guest = UserFlags(rawValue: 0x1)
  /// `LOGON_NOENCRYPTION` (B).
  public static let noEncryption = UserFlags(rawValue: 0x2)
  /// `LOGON_USED_LM_PASSWORD` (C).
  public static let usedLMPassword = UserFlags(rawValue: 0x8)
  /// `LOGON_EXTRA_SIDS` (D): `ExtraSids` is populated.
  public static let extraSIDs = UserFlags(rawValue: 0x20)
  /// `LOGON_SUBAUTH_SESSION_KEY` (E).
  public static let subauthSessionKey = UserFlags(rawValue: 0x40)
  /// `LOGON_SERVER_TRUST_ACCOUNT` (F): a domain controller's account.
  public static let serverTrustAccount = UserFlags(rawValue: 0x80)
  /// `LOGON_NTLMV2_ENABLED` (G).
  public static let ntlmV2Enabled = UserFlags(rawValue: 0x100)
  /// `LOGON_RESOURCE_GROUPS` (H): `ResourceGroupIds` is populated.
  public static let resourceGroups = UserFlags(rawValue: 0x200)
  /// `LOGON_PROFILE_PATH_RETURNED` (I).
  public static let profilePathReturned = UserFlags(rawValue: 0x400)
}

extension KerbValidationInfo {
  /// Decodes the NDR-serialized `KERB_VALIDATION_INFO` in `bytes[start..<end]`.
  init(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError) {
    var r = try NDRReader(topLevel: bytes, from: start, to: end, what: "KERB_VALIDATION_INFO")
    var times = [UInt64]()
    for name: StaticString in [
      "LogonTime", "LogoffTime", "KickOffTime", "PasswordLastSet", "PasswordCanChange", "PasswordMustChange",
    ] {
      times.append(try r.filetime(name))
    }
    (logonTime, logoffTime, kickOffTime) = (times[0], times[1], times[2])
    (passwordLastSet, passwordCanChange, passwordMustChange) = (times[3], times[4], times[5])
    var strings = [(UInt16, Bool)]()
    for _ in 0..<6 { strings.append(try Self.stringHeader(&r)) }
    logonCount = try r.u16("LogonCount")
    badPasswordCount = try r.u16("BadPasswordCount")
    userID = try r.u32("UserId")
    primaryGroupID = try r.u32("PrimaryGroupId")
    let (groupCount, hasGroups) = try Self.countAndPointer(&r, "GroupCount", "GroupIds pointer")
    userFlags = UserFlags(rawValue: try r.u32("UserFlags"))
    userSessionKey = try r.bytes(16, "UserSessionKey")
    strings.append(try Self.stringHeader(&r))
    strings.append(try Self.stringHeader(&r))
    let hasDomainID = try r.pointer("LogonDomainId pointer")
    _ = try r.bytes(8, "Reserved1")
    userAccountControl = try r.u32("UserAccountControl")
    subAuthStatus = try r.u32("SubAuthStatus")
    lastSuccessfulILogon = try r.filetime("LastSuccessfulILogon")
    lastFailedILogon = try r.filetime("LastFailedILogon")
    failedILogonCount = try r.u32("FailedILogonCount")
    _ = try r.u32("Reserved3")
    let (sidCount, hasExtraSIDs) = try Self.countAndPointer(&r, "SidCount", "ExtraSids pointer")
    let hasResourceDomain = try r.pointer("ResourceGroupDomainSid pointer")
    let (resourceCount, hasResourceGroups) = try Self.countAndPointer(
      &r, "ResourceGroupCount", "ResourceGroupIds pointer")

    // The referents, in the order of their pointers.
    let names = [
      "EffectiveName", "FullName", "LogonScript", "ProfilePath", "HomeDirectory", "HomeDirectoryDrive",
      "LogonServer", "LogonDomainName",
    ]
    var text = [String](repeating: "", count: 8)
    for i in 0..<6 where strings[i].1 {
      text[i] = try r.unicodeString(names[i], length: strings[i].0)
    }
    groupIDs = try Self.memberships(&r, "GroupIds", count: groupCount, present: hasGroups)
    for i in 6..<8 where strings[i].1 {
      text[i] = try r.unicodeString(names[i], length: strings[i].0)
    }
    effectiveName = text[0]
    fullName = text[1]
    logonScript = text[2]
    profilePath = text[3]
    homeDirectory = text[4]
    homeDirectoryDrive = text[5]
    logonServer = text[6]
    logonDomainName = text[7]
    logonDomainID = hasDomainID ? try r.sid("LogonDomainId") : nil
    if hasExtraSIDs {
      extraSIDs = try r.sidsAndAttributes("ExtraSids", count: sidCount)
    } else {
      guard sidCount == 0 else { throw r.fail("ExtraSids: count \(sidCount) with a null pointer") }
      extraSIDs = []
    }
    resourceGroupDomainSID = hasResourceDomain ? try r.sid("ResourceGroupDomainSid") : nil
    resourceGroupIDs = try Self.memberships(
      &r, "ResourceGroupIds", count: resourceCount, present: hasResourceGroups)
  }

  /// The inline part of an `RPC_UNICODE_STRING`: Length, MaximumLength, pointer.
  static func stringHeader(_ r: inout NDRReader) throws(NTSecurityError) -> (UInt16, Bool) {
    let at = r.position
    let length = try r.u16("string Length")
    let maximum = try r.u16("string MaximumLength")
    let present = try r.pointer("string pointer")
    guard length <= maximum, length % 2 == 0, present || length == 0 else {
      throw r.fail("RPC_UNICODE_STRING: Length \(length), MaximumLength \(maximum) are inconsistent", at: at)
    }
    return (length, present)
  }

  /// An array's element count followed by the pointer to its elements.
  static func countAndPointer(
    _ r: inout NDRReader, _ count: StaticString, _ pointer: StaticString
  ) throws(NTSecurityError) -> (Int, Bool) {
    let n = Int(try r.u32(count))
    return (n, try r.pointer(pointer))
  }

  static func memberships(
    _ r: inout NDRReader, _ what: String, count: Int, present: Bool
  ) throws(NTSecurityError) -> [GroupMembership] {
    guard present else {
      guard count == 0 else { throw r.fail("\(what): count \(count) with a null pointer") }
      return []
    }
    return try r.groupMemberships(what, count: count)
  }
}
