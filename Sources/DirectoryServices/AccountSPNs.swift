import NTSecurity

/// An account's SPNs as the directory holds them.
public struct AccountSPNs: Sendable, Hashable {
  /// The account's distinguished name.
  public var distinguishedName: String
  /// Its servicePrincipalName values, in the directory's order.
  public var spns: [String]
}

extension DirectoryServices {
  /// The SPNs registered on `account` (setspn -L): its sAMAccountName (`name` or, for a
  /// computer, `name$`) or its DN, looked up on a DC of `domain` found with DsGetDcName, over LDAP
  /// bound with the caller's Kerberos credentials and sealed.
  ///
  /// - Throws: ERROR_NO_SUCH_DOMAIN when no DC is found or reachable, ERROR_DS_NO_SUCH_OBJECT
  ///   for an unknown account, ERROR_ACCESS_DENIED when the bind fails.
  public static func accountSPNs(_ account: String, domain: String? = nil) throws -> AccountSPNs {
    let session = try DirectorySession(domain: domain, writable: false)
    defer { session.connection.close() }
    return try session.account(account)
  }

  /// DsWriteAccountSpn: adds, replaces or deletes `spns` on `account`'s servicePrincipalName
  /// (on a writable DC of `domain`). With `rejectDuplicates` (setspn -S), an SPN already
  /// registered on any account of the forest (searched in the global catalog) fails the whole
  /// call with ERROR_DS_CONSTRAINT_VIOLATION before anything is written, naming the account
  /// that holds it.
  ///
  /// This writes over LDAP (a sealed SASL GSSAPI bind), not DRSUAPI: the DC applies the same
  /// rules to both (Write-Property or the Validated-SPN write on the account, SPN uniqueness), and
  /// the result is the same attribute change.
  ///
  /// - Returns: the account's SPNs after the change.
  /// - Throws: ERROR_INVALID_PARAMETER for an empty list (but for replace) or an SPN with no `/`;
  ///   ERROR_ACCESS_DENIED when the caller may not write them; ERROR_DS_CONSTRAINT_VIOLATION for
  ///   a duplicate the DC or the check refuses; ERROR_DS_ATTRIBUTE_OR_VALUE_EXISTS /
  ///   ERROR_DS_NO_ATTRIBUTE_OR_VALUE for adding a present or deleting an absent SPN.
  @discardableResult
  public static func writeAccountSPNs(
    _ spns: [String], operation: SPNWriteOperation, account: String, domain: String? = nil,
    rejectDuplicates: Bool = false
  ) throws -> AccountSPNs {
    guard !spns.isEmpty || operation == .replace else {
      throw NTSecurityError(.invalidParameter, "DsWriteAccountSpn: no SPNs given")
    }
    for spn in spns where !spn.contains("/") || spn.hasPrefix("/") {
      throw NTSecurityError(.invalidParameter, "DsWriteAccountSpn: \"\(spn)\" is not an SPN (class/host…)")
    }
    let session = try DirectorySession(domain: domain, writable: true)
    defer { session.connection.close() }
    let target = try session.account(account)
    if rejectDuplicates, operation != .delete {
      for spn in spns {
        let holders = try session.holders(of: spn)
        if let holder = holders.first {
          throw NTSecurityError(
            .dsConstraintViolation, "Duplicate SPN found: \(spn) is registered on \(holder)")
        }
      }
    }
    let ldapOperation: LDAPConnection.Operation =
      operation == .add ? .add : operation == .delete ? .delete : .replace
    do {
      try session.connection.modify(
        target.distinguishedName, ldapOperation, attribute: "servicePrincipalName", values: spns)
    } catch let error as LDAPConnection.ResultError {
      throw session.failure(error, "modifying servicePrincipalName of \(target.distinguishedName)")
    }
    return try session.account(target.distinguishedName)
  }
}

/// A bound, sealed LDAP connection to a DC of a domain and its naming contexts.
struct DirectorySession {
  let connection: LDAPConnection
  let defaultNamingContext: String
  let dc: DomainControllerInfo

  init(domain: String?, writable: Bool) throws {
    dc = try DirectoryServices.locateDomainController(
      domain: domain, flags: writable ? [.writableRequired, .returnDNSName] : [.returnDNSName])
    let host = String(dc.domainControllerName.dropFirst(2))
    connection = try LDAPConnection(host: host, address: String(dc.domainControllerAddress.dropFirst(2)))
    try connection.bindGSSAPI()
    let root = try connection.search(
      base: "", scope: 0, filter: .present("objectClass"), attributes: ["defaultNamingContext"])
    guard let nc = root.first?.strings("defaultNamingContext").first else {
      throw NTSecurityError(.noSuchDomain, "LDAP \(host): the rootDSE names no defaultNamingContext")
    }
    defaultNamingContext = nc
  }

  /// The account by DN (text with `=`), else by sAMAccountName: `name` first, then `name$`.
  func account(_ name: String) throws -> AccountSPNs {
    let entries: [LDAPConnection.Entry]
    do {
      if name.contains("=") {
        entries = try connection.search(
          base: name, scope: 0, filter: .present("objectClass"), attributes: ["servicePrincipalName"])
      } else {
        let bare = name.hasSuffix("$") ? String(name.dropLast()) : name
        let found = try connection.search(
          base: defaultNamingContext, scope: 2,
          filter: .or([.equal("sAMAccountName", name), .equal("sAMAccountName", bare + "$")]),
          attributes: ["servicePrincipalName", "sAMAccountName"])
        entries = found.sorted { a, _ in a.strings("sAMAccountName").first?.lowercased() == name.lowercased()
        }
      }
    } catch let error as LDAPConnection.ResultError {
      throw failure(error, "looking up \(name)")
    }
    guard let entry = entries.first else {
      throw NTSecurityError(
        .dsNoSuchObject, "no account \(name) in \(defaultNamingContext) (DC \(connection.host))")
    }
    return AccountSPNs(distinguishedName: entry.dn, spns: entry.strings("servicePrincipalName"))
  }

  /// The DNs of the accounts that hold `spn`, searched forest-wide in the global catalog.
  func holders(of spn: String) throws -> [String] {
    let gc = try LDAPConnection(
      host: connection.host, address: String(dc.domainControllerAddress.dropFirst(2)), port: 3268)
    defer { gc.close() }
    try gc.bindGSSAPI()
    do {
      return try gc.search(
        base: "", scope: 2, filter: .equal("servicePrincipalName", spn), attributes: ["distinguishedName"]
      ).map(\.dn)
    } catch let error as LDAPConnection.ResultError {
      throw failure(error, "searching the global catalog for \(spn)")
    }
  }

  /// The Windows error for an LDAP result, naming the DC and the step.
  func failure(_ error: LDAPConnection.ResultError, _ step: String) -> NTSecurityError {
    let code: WindowsError
    switch error.code {
    case 16: code = .dsNoAttributeOrValue
    case 19: code = .dsConstraintViolation
    case 20: code = .dsAttributeOrValueExists
    case 32: code = .dsNoSuchObject
    case 50: code = .accessDenied
    default: code = .invalidFunction
    }
    return NTSecurityError(
      code, "DC \(connection.host): \(step): LDAP result \(error.code) \(error.diagnostic)")
  }
}
