import NTSecurity

/// The well-known and builtin accounts and domains with Windows' names (from NTSecurity's
/// `SID.wellKnownAccountName`) and SID_NAME_USE, indexed both ways.
enum WellKnownAccounts {
  /// Domains that are not accounts of a database: `BUILTIN`, `NT AUTHORITY`, Samba's `Unix User`
  /// and `Unix Group`.
  static let builtinDomain = AccountName(sid: sid(5, 32), name: "BUILTIN", domain: "BUILTIN", use: .domain)
  static let ntAuthority = AccountName(
    sid: sid(5), name: "NT AUTHORITY", domain: "NT AUTHORITY", use: .domain)
  static let unixUsers = AccountName(sid: sid(22, 1), name: "Unix User", domain: "Unix User", use: .domain)
  static let unixGroups = AccountName(sid: sid(22, 2), name: "Unix Group", domain: "Unix Group", use: .domain)
  static let domains = [builtinDomain, ntAuthority, unixUsers, unixGroups]

  /// Every account NTSecurity names, by SID.
  static let bySID: [SID: AccountName] = {
    var candidates: [SID] = WellKnownSIDType.allCases.compactMap { try? SID.wellKnown($0) }
    candidates += (0...1000).map { sid(5, $0) } + (544...600).map { sid(5, 32, $0) }
    candidates += [sid(0, 0), sid(1, 0), sid(2, 0), sid(2, 1), sid(15, 2, 1), sid(15, 2, 2)]
    candidates += (0...4).map { sid(3, $0) } + [10, 14, 21].map { sid(5, 64, $0) }
    candidates += [0, 0x1000, 0x2000, 0x2100, 0x3000, 0x4000, 0x5000].map { sid(16, $0) }
    candidates += [sid(18, 1), sid(18, 2), sid(5, 84, 0, 0, 0, 0, 0)]
    var table: [SID: AccountName] = [:]
    for candidate in candidates {
      guard let text = candidate.wellKnownAccountName() else { continue }
      let parts = text.split(separator: "\\", maxSplits: 1).map(String.init)
      let (domain, name) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
      table[candidate] = AccountName(sid: candidate, name: name, domain: domain, use: use(of: candidate))
    }
    for domain in domains { table[domain.sid] = domain }
    return table
  }()

  /// The same accounts by lower-cased name, each under its bare name and `domain\name`.
  /// Domainless accounts are also found as `\name`.
  static let byName: [String: AccountName] = {
    var table: [String: AccountName] = [:]
    for account in bySID.values {
      table[account.qualifiedName.lowercased()] = account
      table[account.domain.lowercased() + "\\" + account.name.lowercased()] = account
      if account.use != .domain { table[account.name.lowercased()] = account }
    }
    return table
  }()

  /// The SID_NAME_USE Windows gives a well-known SID.
  static func use(of sid: SID) -> SIDNameUse {
    switch sid.identifierAuthority {
    case 16: return .label
    case 5 where sid.subAuthorityCount == 2 && sid[subAuthority: 0] == 32: return .alias
    default: return .wellKnownGroup
    }
  }

  /// A logon SID (S-1-5-5-X-Y): `NT AUTHORITY\LogonSessionId_X_Y`, as Windows names it.
  static func logonSession(_ sid: SID) -> AccountName? {
    guard sid.identifierAuthority == 5, sid.subAuthorityCount == 3, sid[subAuthority: 0] == 5 else {
      return nil
    }
    return AccountName(
      sid: sid, name: "LogonSessionId_\(sid[subAuthority: 1])_\(sid[subAuthority: 2])",
      domain: "NT AUTHORITY", use: .logonSession)
  }

  static func sid(_ authority: UInt64, _ subs: UInt32...) -> SID {
    // The arguments above are valid SIDs (at most 15 sub-authorities).
    try! SID(authority: authority, subs)
  }
}
