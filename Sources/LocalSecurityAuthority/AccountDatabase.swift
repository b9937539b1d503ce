import NTSecurity

/// One look at the host's account sources, in Samba's order: well-known and builtin accounts,
/// winbindd when the host is in a domain, the machine's domain (its tdbsam passdb users), then the
/// Unix fallback domains `Unix User` (S-1-22-1-uid) and `Unix Group` (S-1-22-2-gid) through NSS.
///
/// The machine SID is needed only for the machine's own domain: when it cannot be had (no Samba
/// SID, no machine SID file and no right to create one), lookups in that domain throw and every
/// other lookup works.
package struct AccountDatabase {
  let names: MachineDomain.Names
  /// The machine's domain, read (or created) the first time a lookup needs it.
  var machine: Result<MachineDomain, NTSecurityError> { machineDomain.value }
  private let machineDomain: LazyMachineDomain
  /// passdb users: RID → name, and lower-cased name → RID.
  let passdbByRID: [UInt32: String]
  let passdbByName: [String: UInt32]
  /// Whether winbindd is asked, and the domain it resolves isolated names in (`workgroup`).
  let winbind: Bool
  let winbindDomain: String

  /// The RID Windows' standalone machines and Samba give the group every local user is in.
  static let noneGroupRID: UInt32 = 513

  package init(_ configuration: LocalSecurityAuthority.Configuration) throws(NTSecurityError) {
    let samba = configuration.sambaConfigurationPath.flatMap { SambaConfiguration(path: $0) }
    names = MachineDomain.Names(samba: samba)
    machineDomain = LazyMachineDomain(configuration, samba)
    passdbByRID = try samba?.passdbUsers() ?? [:]
    var byName: [String: UInt32] = [:]
    for (rid, name) in passdbByRID { byName[name.lowercased()] = rid }
    passdbByName = byName
    winbindDomain = samba?.workgroup ?? ""
    winbind = (configuration.usesWinbind ?? (samba?.isDomainMember ?? false)) && WinbindClient.isAvailable
  }

  // MARK: names

  /// LookupAccountName.
  package func lookup(name text: String) throws(NTSecurityError) -> AccountName {
    guard let found = try find(name: text) else {
      throw NTSecurityError(.noneMapped, "no account is named \"\(text)\"")
    }
    return found
  }

  private func find(name text: String) throws(NTSecurityError) -> AccountName? {
    // A NUL would cut the name short in the C calls below: no account has one.
    if text.isEmpty || text.contains("\0") { return nil }
    if let slash = text.firstIndex(of: "\\") {
      return try find(String(text[text.index(after: slash)...]), in: String(text[..<slash]))
    }
    if let at = text.lastIndex(of: "@") {
      // name@domain: only the machine's own names are domains here.
      let domain = String(text[text.index(after: at)...])
      guard names.matches(domain), domain != "." else {
        // A user principal name of the domain.
        return winbind ? WinbindClient.lookup(domain: "", name: text) : nil
      }
      return try find(String(text[..<at]), in: domain)
    }
    // An isolated name: well-known and builtin, the domains, the machine's domain, Unix users,
    // Unix groups.
    let key = text.lowercased()
    if let account = WellKnownAccounts.byName[key] { return account }
    if let domain = WellKnownAccounts.domains.first(where: { $0.name.lowercased() == key }) {
      return domain
    }
    if key == names.netbiosName.lowercased() { return try machineDomainAccount() }
    if winbind, let account = WinbindClient.lookup(domain: winbindDomain, name: text) { return account }
    if let account = try machineAccount(named: key) { return account }
    if let account = unixUser(named: text) { return account }
    return unixGroup(named: text)
  }

  private func find(_ name: String, in domain: String) throws(NTSecurityError) -> AccountName? {
    let key = domain.lowercased()
    if names.matches(domain) {
      return name.isEmpty ? try machineDomainAccount() : try machineAccount(named: name.lowercased())
    }
    if name.isEmpty {
      if let account = WellKnownAccounts.domains.first(where: { $0.name.lowercased() == key }) {
        return account
      }
      return winbind ? WinbindClient.lookup(domain: domain, name: "") : nil
    }
    switch key {
    case "unix user": return unixUser(named: name)
    case "unix group": return unixGroup(named: name)
    default:
      if let account = WellKnownAccounts.byName[key + "\\" + name.lowercased()] { return account }
      return winbind ? WinbindClient.lookup(domain: domain, name: name) : nil
    }
  }

  private func machineDomainAccount() throws(NTSecurityError) -> AccountName {
    let machine = try machine.get()
    return AccountName(sid: machine.sid, name: machine.netbiosName, domain: machine.netbiosName, use: .domain)
  }

  /// A passdb user, or the `None` group, of the machine's domain.
  private func machineAccount(named key: String) throws(NTSecurityError) -> AccountName? {
    if let rid = passdbByName[key] { return try machineAccount(rid: rid) }
    if key == "none" { return try machineAccount(rid: AccountDatabase.noneGroupRID) }
    return nil
  }

  private func machineAccount(rid: UInt32) throws(NTSecurityError) -> AccountName? {
    let machine = try machine.get()
    let sid = try machine.sid.appending(rid)
    if let name = passdbByRID[rid] {
      return AccountName(sid: sid, name: name, domain: machine.netbiosName, use: .user)
    }
    if rid == AccountDatabase.noneGroupRID {
      return AccountName(sid: sid, name: "None", domain: machine.netbiosName, use: .group)
    }
    return nil
  }

  private func unixUser(named name: String) -> AccountName? {
    guard let user = HostSystem.user(named: name) ?? HostSystem.user(named: name.lowercased()) else {
      return nil
    }
    return AccountName(sid: Self.unixUserSID(user.uid), name: user.name, domain: "Unix User", use: .user)
  }

  private func unixGroup(named name: String) -> AccountName? {
    guard let group = HostSystem.group(named: name) ?? HostSystem.group(named: name.lowercased()) else {
      return nil
    }
    return AccountName(sid: Self.unixGroupSID(group.gid), name: group.name, domain: "Unix Group", use: .group)
  }

  static func unixUserSID(_ uid: UInt32) -> SID { try! SID(authority: 22, [1, uid]) }
  static func unixGroupSID(_ gid: UInt32) -> SID { try! SID(authority: 22, [2, gid]) }

  // MARK: SIDs

  /// LookupAccountSid.
  package func lookup(sid: SID) throws(NTSecurityError) -> AccountName {
    guard let found = try find(sid: sid) else {
      throw NTSecurityError(.noneMapped, "no account has the SID \(sid)")
    }
    return found
  }

  func find(sid: SID) throws(NTSecurityError) -> AccountName? {
    if let account = WellKnownAccounts.bySID[sid] { return account }
    if let account = WellKnownAccounts.logonSession(sid) { return account }
    if sid.identifierAuthority == 22, sid.subAuthorityCount == 2 {
      // Samba names a uid or gid without an NSS entry by its number.
      let id = sid[subAuthority: 1]
      switch sid[subAuthority: 0] {
      case 1:
        let name = HostSystem.user(id: id)?.name ?? String(id)
        return AccountName(sid: sid, name: name, domain: "Unix User", use: .user)
      case 2:
        let name = HostSystem.group(id: id)?.name ?? String(id)
        return AccountName(sid: sid, name: name, domain: "Unix Group", use: .group)
      default: return nil
      }
    }
    if sid.identifierAuthority == 5, sid.subAuthorityCount >= 4, sid[subAuthority: 0] == 21 {
      guard case .success(let machine) = machine else { return nil }
      if sid == machine.sid { return try machineDomainAccount() }
      if sid.isInDomain(machine.sid), let rid = sid.rid, let account = try machineAccount(rid: rid) {
        return account
      }
    }
    return winbind ? WinbindClient.lookup(sid: sid) : nil
  }

  /// The SID a uid maps to: winbindd's (wbcUidToSid), the passdb user of that name, else
  /// `Unix User` (S-1-22-1-uid).
  func sid(forUID uid: UInt32) -> SID {
    if winbind, let sid = WinbindClient.sid(uid: uid) { return sid }
    if let user = HostSystem.user(id: uid), let rid = passdbByName[user.name.lowercased()],
      case .success(let machine) = machine, let sid = try? machine.sid.appending(rid)
    {
      return sid
    }
    return Self.unixUserSID(uid)
  }

  /// The SID a gid maps to: winbindd's (wbcGidToSid), else `Unix Group` (S-1-22-2-gid); Samba's
  /// group mapping is not read.
  func sid(forGID gid: UInt32) -> SID {
    if winbind, let sid = WinbindClient.sid(gid: gid) { return sid }
    return Self.unixGroupSID(gid)
  }
}

/// The machine's domain of one AccountDatabase, loaded on first use: lookups that never touch the
/// machine's domain (Unix accounts, well-known names, process tokens without passdb users) neither
/// read nor create the machine SID file.
final class LazyMachineDomain {
  private let configuration: LocalSecurityAuthority.Configuration
  private let samba: SambaConfiguration?
  private var loaded: Result<MachineDomain, NTSecurityError>?

  init(_ configuration: LocalSecurityAuthority.Configuration, _ samba: SambaConfiguration?) {
    self.configuration = configuration
    self.samba = samba
  }

  var value: Result<MachineDomain, NTSecurityError> {
    if let loaded { return loaded }
    let result: Result<MachineDomain, NTSecurityError>
    do throws(NTSecurityError) {
      result = .success(try MachineDomain.load(configuration, samba: samba))
    } catch {
      result = .failure(error)
    }
    loaded = result
    return result
  }
}
