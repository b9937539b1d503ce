import NTSecurity

/// The host's accounts and tokens as Windows' Local Security Authority gives them:
/// LookupAccountName, LookupAccountSid, the machine's domain, OpenProcessToken,
/// OpenThreadToken, AdjustTokenPrivileges on the caller's own token, CheckTokenMembership with no
/// token and AllocateLocallyUniqueId.
///
/// Every call reads the host afresh (NSS, Samba's passdb, /proc), as
/// ``Configuration/current`` says; the overloads taking a ``Configuration`` are for tests and
/// for hosts with their files elsewhere.
public enum LocalSecurityAuthority {
  /// The machine's account domain (see ``MachineDomain``): Samba's machine SID when Samba has
  /// one, else the machine SID file, created on first use.
  public static func machineDomain(configuration: Configuration = .current) throws(NTSecurityError)
    -> MachineDomain
  {
    try AccountDatabase(configuration).machine.get()
  }

  /// LookupAccountName. The name may be `name`, `DOMAIN\name`, `name@domain` (the machine's
  /// NetBIOS or DNS name), `.\name` (the machine), `\name` (a domainless well-known account),
  /// a domain's name (`BUILTIN`, the machine's NetBIOS name) or `DOMAIN\`. Names are
  /// case-insensitive. An isolated name is looked for in Samba's order: well-known and builtin
  /// accounts, domains, winbindd (on a domain member or controller), the machine's domain
  /// (passdb users), `Unix User`, `Unix Group`.
  /// Throws `ERROR_NONE_MAPPED` when nothing has the name.
  public static func lookupAccount(name: String, configuration: Configuration = .current)
    throws(NTSecurityError) -> AccountName
  {
    try AccountDatabase(configuration).lookup(name: name)
  }

  /// LookupAccountSid. Throws `ERROR_NONE_MAPPED` when no account has the SID.
  public static func lookupAccount(sid: SID, configuration: Configuration = .current)
    throws(NTSecurityError) -> AccountName
  {
    try AccountDatabase(configuration).lookup(sid: sid)
  }

  /// LsaLookupSids: the account of each SID, in order, nil for the SIDs nothing maps (Windows'
  /// partial result, STATUS_SOME_NOT_MAPPED). Throws `ERROR_NONE_MAPPED` when none maps.
  public static func lookupAccounts(sids: [SID], configuration: Configuration = .current)
    throws(NTSecurityError) -> [AccountName?]
  {
    let database = try AccountDatabase(configuration)
    var accounts: [AccountName?] = []
    for sid in sids { accounts.append(try database.find(sid: sid)) }
    if !sids.isEmpty, accounts.allSatisfy({ $0 == nil }) {
      throw NTSecurityError(.noneMapped, "none of the \(sids.count) SIDs maps to an account")
    }
    return accounts
  }

  /// The accounts of every SID a token holds (user, groups, owner, primary group, restricting
  /// and device SIDs) in one call; SIDs nothing maps are left out.
  public static func accountNames(of token: AccessToken, configuration: Configuration = .current)
    throws(NTSecurityError) -> [SID: AccountName]
  {
    let database = try AccountDatabase(configuration)
    var sids = [token.user.sid, token.owner, token.primaryGroup] + token.groups.map(\.sid)
    sids += token.restrictingSIDs.map(\.sid) + token.deviceGroups.map(\.sid)
    var names: [SID: AccountName] = [:]
    for sid in sids where names[sid] == nil {
      if let account = try database.find(sid: sid) { names[sid] = account }
    }
    return names
  }
}
