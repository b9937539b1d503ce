import GRDB
import NTSecurity

extension LocalSecurityAuthority {
  /// Applies the LSA policy's account rights to the token of a new logon of `type`, as Windows'
  /// LSA does when it builds a logon token. The rights of the user and of every enabled group of
  /// the token (the logon type's groups included) count:
  /// - a `SeDeny…LogonRight` of the type refuses the logon (`ERROR_LOGON_TYPE_NOT_GRANTED`);
  /// - once any account holds the type's allow right (`SeInteractiveLogonRight`,
  ///   `SeNetworkLogonRight`, `SeBatchLogonRight`, `SeServiceLogonRight`), only holders may log
  ///   on that way (an empty store leaves logons to PAM, where Windows' defaults would grant
  ///   them to Users);
  /// - privileges granted are added to the token, disabled (SeChangeNotifyPrivilege,
  ///   SeImpersonatePrivilege and SeCreateGlobalPrivilege enabled by default, as Windows does).
  ///
  /// Fail closed: no store (the file does not exist) means no rights; a store that exists but
  /// cannot be opened or read (not root's, corrupt, the caller not root) refuses the logon with
  /// `ERROR_LOGON_TYPE_NOT_GRANTED`, since the deny rights in it cannot be known.
  static func applyAccountRights(_ token: inout AccessToken, type: LogonType, configuration: Configuration)
    throws(NTSecurityError)
  {
    let (allow, deny): (AccountRight?, AccountRight?) =
      switch type {
      case .interactive: (.interactiveLogon, .denyInteractiveLogon)
      case .network, .networkCleartext: (.networkLogon, .denyNetworkLogon)
      case .batch: (.batchLogon, .denyBatchLogon)
      case .service: (.serviceLogon, .denyServiceLogon)
      case .newCredentials: (nil, nil)
      }
    // Rights are granted through the user and its enabled groups; a deny right binds through every
    // group the token names, deny-only and disabled ones included (fail closed).
    let granting = Set(
      [token.user.sid.description]
        + token.groups.filter { $0.attributes.contains(.enabled) && !$0.attributes.contains(.useForDenyOnly) }
        .map(\.sid.description))
    let sids = [token.user.sid.description] + token.groups.map(\.sid.description)
    let held: [String]
    let named: Set<String>
    let allowHolders: Int
    do throws(NTSecurityError) {
      guard let store = try PolicyStore.open(configuration.policyStorePath, create: false) else { return }
      (held, named, allowHolders) = try store.read("read the account rights") { db in
        let marks = databaseQuestionMarks(count: sids.count)
        let rows = try Row.fetchAll(
          db, sql: "SELECT sid, right_name FROM account_right WHERE sid IN (\(marks))",
          arguments: StatementArguments(sids))
        var held: [String] = []
        var named: Set<String> = []
        for row in rows {
          let (sid, name): (String, String) = (row["sid"], row["right_name"])
          named.insert(name)
          if granting.contains(sid), !held.contains(name) { held.append(name) }
        }
        let holders =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM account_right WHERE right_name = ?", arguments: [allow?.name ?? ""]
          ) ?? 0
        return (held, named, holders)
      }
    } catch {
      throw NTSecurityError(
        .logonTypeNotGranted,
        "the LSA policy store cannot be read (\(error.code): \(error.message)): logons are refused until it can"
      )
    }
    if let deny, named.contains(deny.name) {
      throw NTSecurityError(.logonTypeNotGranted, "\(token.user.sid) holds \(deny.name)")
    }
    if let allow, allowHolders > 0, !held.contains(allow.name) {
      throw NTSecurityError(
        .logonTypeNotGranted,
        "\(allow.name) is granted to \(allowHolders) accounts, not to \(token.user.sid) or its groups")
    }
    let enabledByDefault: Set<String> = [
      Privilege.changeNotify.name, Privilege.impersonate.name, Privilege.createGlobal.name,
    ]
    for name in held {
      guard let privilege = Privilege(name: name),
        !token.privileges.contains(where: { $0.luid == privilege.luid })
      else { continue }
      let attributes: PrivilegeAttributes =
        enabledByDefault.contains(name) ? [.enabledByDefault, .enabled] : []
      token.privileges.append(LUIDAndAttributes(privilege, attributes))
    }
  }
}
