import Foundation
import GRDB
import NTSecurity

extension LocalSecurityAuthority {
  /// POLICY_INFORMATION_CLASS.
  public enum PolicyInformationClass: UInt32, Hashable, Sendable, CaseIterable {
    case auditLog = 1, auditEvents, primaryDomain, pdAccount, accountDomain, lsaServerRole, replicaSource
    case defaultQuota, modification, auditFullSet, auditFullQuery, dnsDomain
  }

  /// POLICY_AUDIT_EVENT_TYPE: the index of a category in ``AuditEventsInformation/options``.
  public enum AuditCategory: Int, Hashable, Sendable, CaseIterable {
    case system, logon, objectAccess, privilegeUse, detailedTracking, policyChange, accountManagement
    case directoryServiceAccess, accountLogon
  }

  /// POLICY_AUDIT_EVENT_*: what a category audits. Setting with ``unchanged`` (0) leaves the
  /// category as it is, ``none`` clears it (with ``success`` or ``failure`` beside it, those
  /// remain).
  public struct AuditOptions: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// POLICY_AUDIT_EVENT_UNCHANGED (0).
    public static let unchanged: AuditOptions = []
    /// POLICY_AUDIT_EVENT_SUCCESS (1).
    public static let success = AuditOptions(rawValue: 1)
    /// POLICY_AUDIT_EVENT_FAILURE (2).
    public static let failure = AuditOptions(rawValue: 2)
    /// POLICY_AUDIT_EVENT_NONE (4).
    public static let none = AuditOptions(rawValue: 4)
  }

  /// POLICY_LSA_SERVER_ROLE.
  public enum ServerRole: UInt32, Hashable, Sendable {
    /// PolicyServerRoleBackup (2).
    case backup = 2
    /// PolicyServerRolePrimary (3): what Windows answers on every machine but a backup DC.
    case primary = 3
  }

  /// POLICY_AUDIT_EVENTS_INFO: whether auditing is on, and each category's options.
  public struct AuditEventsInformation: Hashable, Sendable {
    public var auditingMode: Bool
    /// One entry per ``AuditCategory``, in order.
    public var options: [AuditOptions]
    public init(auditingMode: Bool, options: [AuditOptions]) {
      self.auditingMode = auditingMode
      self.options = options
    }
  }

  /// POLICY_ACCOUNT_DOMAIN_INFO and POLICY_PRIMARY_DOMAIN_INFO: a domain's name and SID (nil:
  /// a workgroup, which has none).
  public struct DomainInformation: Hashable, Sendable {
    public var name: String
    public var sid: SID?
  }

  /// POLICY_DNS_DOMAIN_INFO of the primary domain; empty names and nil SID on a workgroup
  /// machine, as Windows answers.
  public struct DNSDomainInformation: Hashable, Sendable {
    public var name: String
    public var dnsDomainName: String
    public var dnsForestName: String
    public var domainGUID: UUID?
    public var sid: SID?
  }

  /// What LsaQueryInformationPolicy returns, by class.
  public enum PolicyInformation: Hashable, Sendable {
    case auditEvents(AuditEventsInformation)
    case accountDomain(DomainInformation)
    case primaryDomain(DomainInformation)
    case dnsDomain(DNSDomainInformation)
    case lsaServerRole(ServerRole)
  }
}

extension LocalSecurityAuthority.Policy {
  /// LsaQueryInformationPolicy. From the host: the account domain (the machine's NetBIOS name
  /// and SID, ``MachineDomain``), the primary domain and DNS domain (smb.conf's `workgroup` and
  /// `realm` with the domain SID Samba stored when the host is a member; the workgroup's name
  /// and no SID otherwise), the server role (always primary). From the store: the audit events
  /// (off and nothing audited until set). Needs POLICY_VIEW_LOCAL_INFORMATION, for audit events
  /// POLICY_VIEW_AUDIT_INFORMATION. The classes Windows no longer answers (PdAccount,
  /// ReplicaSource, AuditFullSet, AuditFullQuery) are `ERROR_INVALID_PARAMETER`; AuditLog,
  /// DefaultQuota and Modification, which have no counterpart here, `ERROR_NOT_SUPPORTED`.
  public func information(_ type: LocalSecurityAuthority.PolicyInformationClass) throws(NTSecurityError)
    -> LocalSecurityAuthority.PolicyInformation
  {
    switch type {
    case .auditEvents:
      try require(.policyViewAuditInformation, "LsaQueryInformationPolicy")
      return .auditEvents(try auditEvents())
    case .accountDomain:
      try require(.policyViewLocalInformation, "LsaQueryInformationPolicy")
      let machine = try LocalSecurityAuthority.machineDomain(configuration: configuration)
      return .accountDomain(
        LocalSecurityAuthority.DomainInformation(name: machine.netbiosName, sid: machine.sid))
    case .primaryDomain:
      try require(.policyViewLocalInformation, "LsaQueryInformationPolicy")
      let dns = try primaryDomain()
      return .primaryDomain(LocalSecurityAuthority.DomainInformation(name: dns.name, sid: dns.sid))
    case .dnsDomain:
      try require(.policyViewLocalInformation, "LsaQueryInformationPolicy")
      return .dnsDomain(try primaryDomain())
    case .lsaServerRole:
      try require(.policyViewLocalInformation, "LsaQueryInformationPolicy")
      return .lsaServerRole(.primary)
    case .pdAccount, .replicaSource, .auditFullSet, .auditFullQuery:
      throw NTSecurityError(.invalidParameter, "Windows no longer answers \(type) (STATUS_INVALID_PARAMETER)")
    case .auditLog, .defaultQuota, .modification:
      throw NTSecurityError(
        .notSupported,
        "\(type): the host keeps no audit log, default quotas or modification counter of its policy")
    }
  }

  /// LsaSetInformationPolicy. Only the audit events can be set (POLICY_SET_AUDIT_REQUIREMENTS):
  /// they are kept in the store, the categories given ``LocalSecurityAuthority/AuditOptions/unchanged``
  /// keep theirs, and listeners of PolicyNotifyAuditEventsInformation are told. The domain
  /// classes are the host's join state (smb.conf, secrets.tdb, the machine SID file), which
  /// `net ads join` or `realm join` change: setting them is `ERROR_NOT_SUPPORTED`, as is the
  /// server role. More options than categories is `ERROR_INVALID_PARAMETER`.
  public func setInformation(_ information: LocalSecurityAuthority.PolicyInformation) throws(NTSecurityError)
  {
    guard case .auditEvents(let events) = information else {
      throw NTSecurityError(
        .notSupported,
        "only PolicyAuditEventsInformation can be set: the domains and the server role are the host's join state "
          + "(net ads join, realm join)")
    }
    try require(.policySetAuditRequirements, "LsaSetInformationPolicy")
    guard events.options.count <= LocalSecurityAuthority.AuditCategory.allCases.count else {
      throw NTSecurityError(.invalidParameter, "\(events.options.count) audit options for 9 categories")
    }
    let store = try store(create: true)!
    try store.write("set the audit policy") { db in
      var current = try Self.auditEvents(db)
      current.auditingMode = events.auditingMode
      for (index, option) in events.options.enumerated() where option != .unchanged {
        current.options[index] = option.intersection([.success, .failure])
      }
      try db.execute(
        sql: "INSERT OR REPLACE INTO setting (name, value) VALUES ('audit_mode', ?), ('audit_options', ?)",
        arguments: [
          current.auditingMode ? 1 : 0, current.options.map { String($0.rawValue) }.joined(separator: ","),
        ])
      try Self.noteChange(db, .auditEventsInformation)
    }
  }

  func auditEvents() throws(NTSecurityError) -> LocalSecurityAuthority.AuditEventsInformation {
    guard let store = try store(create: false) else { return Self.noAuditing }
    return try store.read("read the audit policy") { db in try Self.auditEvents(db) }
  }

  static let noAuditing = LocalSecurityAuthority.AuditEventsInformation(
    auditingMode: false,
    options: Array(repeating: .unchanged, count: LocalSecurityAuthority.AuditCategory.allCases.count))

  static func auditEvents(_ db: Database) throws -> LocalSecurityAuthority.AuditEventsInformation {
    var events = noAuditing
    events.auditingMode =
      try Int.fetchOne(db, sql: "SELECT value FROM setting WHERE name = 'audit_mode'") == 1
    let text = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = 'audit_options'") ?? ""
    for (index, value) in text.split(separator: ",").prefix(events.options.count).enumerated() {
      guard let raw = UInt32(value), raw & ~3 == 0 else {
        throw NTSecurityError(.invalidData, "the LSA policy store's audit options are malformed")
      }
      events.options[index] = LocalSecurityAuthority.AuditOptions(rawValue: raw)
    }
    return events
  }

  /// The primary domain from smb.conf and secrets.tdb.
  func primaryDomain() throws(NTSecurityError) -> LocalSecurityAuthority.DNSDomainInformation {
    let samba = configuration.sambaConfigurationPath.flatMap { SambaConfiguration(path: $0) }
    let name = samba?.workgroup?.uppercased() ?? "WORKGROUP"
    guard let samba, samba.isDomainMember else {
      return LocalSecurityAuthority.DNSDomainInformation(
        name: name, dnsDomainName: "", dnsForestName: "", domainGUID: nil, sid: nil)
    }
    let sid =
      try samba.isDomainController
      ? LocalSecurityAuthority.machineDomain(configuration: configuration).sid : samba.memberDomainSID()
    let dns = samba.realm?.lowercased() ?? ""
    return LocalSecurityAuthority.DNSDomainInformation(
      name: name, dnsDomainName: dns, dnsForestName: dns, domainGUID: nil, sid: sid)
  }
}
