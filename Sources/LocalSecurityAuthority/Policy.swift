import Foundation
import GRDB
import NTSecurity
import Synchronization

extension LocalSecurityAuthority {
  /// An LSA policy handle (LsaOpenPolicy … LsaClose) on this machine's policy.
  ///
  /// Opening checks the desired access with AccessCheck against ``descriptorSDDL`` (Windows'
  /// default policy descriptor) and the caller's real token (its thread's credentials, so an
  /// impersonating thread opens as the user it impersonates). Each call then needs the rights
  /// Windows' LSA asks of the handle, else `ERROR_ACCESS_DENIED`. The policy store behind the
  /// account rights, the audit policy and the private data is the SQLite file at
  /// ``Configuration/policyStorePath``, root's alone: a caller that is not root is refused by
  /// the file even where the descriptor grants the right.
  public final class Policy: Sendable {
    /// The access the handle was granted (the desired access with generic rights mapped, or
    /// everything the descriptor grants for MAXIMUM_ALLOWED).
    public let grantedAccess: AccessMask
    /// Where the host's data is.
    public let configuration: Configuration
    private let closed = Mutex(false)

    /// LsaOpenPolicy. `systemName` nil, empty, `.` or one of the machine's names opens the
    /// local policy; another machine's is `ERROR_NOT_SUPPORTED` (no LSA RPC client).
    /// Throws `ERROR_ACCESS_DENIED` when the descriptor does not grant `access` to the caller.
    public init(
      systemName: String? = nil, access: AccessMask, configuration: Configuration = .current
    ) throws(NTSecurityError) {
      let database = try AccountDatabase(configuration)
      if let systemName, !systemName.isEmpty {
        let name = systemName.hasPrefix("\\\\") ? String(systemName.dropFirst(2)) : systemName
        guard database.names.matches(name) else {
          throw NTSecurityError(
            .notSupported, "\(systemName) is another machine: only the local policy opens")
        }
      }
      let caller = try callerToken(database)
      // Generic rights are mapped first, as the object manager does before AccessCheck.
      let result = try AccessCheck.evaluate(
        token: caller, descriptor: Self.descriptor, desired: access.mapped(by: Self.mapping),
        mapping: Self.mapping)
      guard result.status == .success else {
        throw NTSecurityError(
          .accessDenied,
          "the LSA policy does not grant \(access.mapped(by: Self.mapping)) to \(caller.user.sid)")
      }
      grantedAccess = result.granted
      self.configuration = configuration
    }

    /// LsaClose: the handle refuses every call afterwards (`ERROR_INVALID_HANDLE`).
    public func close() { closed.withLock { $0 = true } }

    /// Throws unless the handle is open and was granted `needed`.
    func require(_ needed: AccessMask, _ call: String) throws(NTSecurityError) {
      if closed.withLock({ $0 }) {
        throw NTSecurityError(.invalidHandle, "\(call): the policy handle is closed")
      }
      guard grantedAccess.isSuperset(of: needed) else {
        throw NTSecurityError(
          .accessDenied, "\(call) needs \(needed) on the policy handle, which has \(grantedAccess)")
      }
    }

    /// The store, created when `create`; nil when it does not exist and `create` is false.
    func store(create: Bool) throws(NTSecurityError) -> PolicyStore? {
      try PolicyStore.open(configuration.policyStorePath, create: create)
    }

    // MARK: Account rights

    /// LsaAddAccountRights: grants privileges (`Se…Privilege`) and logon rights
    /// (`Se…LogonRight`) to `sid`, creating its entry. Needs POLICY_CREATE_ACCOUNT and
    /// POLICY_LOOKUP_NAMES. An unknown name is `ERROR_NO_SUCH_PRIVILEGE` and nothing is granted;
    /// an empty list is `ERROR_INVALID_PARAMETER`. The grant is on disk when the call returns.
    public func addAccountRights(_ rights: [String], to sid: SID) throws(NTSecurityError) {
      try require([.policyCreateAccount, .policyLookupNames], "LsaAddAccountRights")
      let names = try Self.canonicalRights(rights)
      guard !names.isEmpty else {
        throw NTSecurityError(.invalidParameter, "LsaAddAccountRights: no rights given")
      }
      let store = try store(create: true)!
      try store.write("add rights to \(sid)") { db in
        for name in names {
          try db.execute(
            sql: "INSERT OR IGNORE INTO account_right (sid, right_name) VALUES (?, ?)",
            arguments: [sid.description, name])
        }
      }
    }

    /// LsaRemoveAccountRights: takes `rights` from `sid` (names it does not hold are ignored),
    /// or every right when `all` (which deletes the account's entry; `rights` is then ignored).
    /// Needs POLICY_LOOKUP_NAMES and POLICY_CREATE_ACCOUNT (Windows checks the account object's
    /// own descriptor, which grants this to Administrators only). An account holding no right
    /// is `ERROR_FILE_NOT_FOUND` (STATUS_OBJECT_NAME_NOT_FOUND); an unknown name
    /// `ERROR_NO_SUCH_PRIVILEGE`.
    public func removeAccountRights(_ rights: [String], from sid: SID, all: Bool = false)
      throws(NTSecurityError)
    {
      try require([.policyCreateAccount, .policyLookupNames], "LsaRemoveAccountRights")
      let names = all ? [] : try Self.canonicalRights(rights)
      guard all || !names.isEmpty else {
        throw NTSecurityError(
          .invalidParameter, "LsaRemoveAccountRights: no rights given and AllRights false")
      }
      guard let store = try store(create: false) else { throw Self.noAccount(sid) }
      let held = try store.write("remove rights from \(sid)") { db -> Int in
        let held =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM account_right WHERE sid = ?", arguments: [sid.description]) ?? 0
        if all {
          try db.execute(sql: "DELETE FROM account_right WHERE sid = ?", arguments: [sid.description])
        } else {
          for name in names {
            try db.execute(
              sql: "DELETE FROM account_right WHERE sid = ? AND right_name = ?",
              arguments: [sid.description, name])
          }
        }
        return held
      }
      if held == 0 { throw Self.noAccount(sid) }
    }

    /// LsaEnumerateAccountRights: the rights granted to `sid` itself (not through its groups),
    /// sorted. Needs POLICY_LOOKUP_NAMES. An account holding none is `ERROR_FILE_NOT_FOUND`.
    public func accountRights(of sid: SID) throws(NTSecurityError) -> [String] {
      try require(.policyLookupNames, "LsaEnumerateAccountRights")
      guard let store = try store(create: false) else { throw Self.noAccount(sid) }
      let rights = try store.read("read the rights of \(sid)") { db in
        try String.fetchAll(
          db, sql: "SELECT right_name FROM account_right WHERE sid = ? ORDER BY right_name",
          arguments: [sid.description])
      }
      if rights.isEmpty { throw Self.noAccount(sid) }
      return rights
    }

    /// LsaEnumerateAccountsWithUserRight: the accounts holding `right` directly, or every
    /// account holding any right when nil. Needs POLICY_LOOKUP_NAMES and
    /// POLICY_VIEW_LOCAL_INFORMATION. None is `ERROR_NO_MORE_ITEMS` (STATUS_NO_MORE_ENTRIES);
    /// an unknown name `ERROR_NO_SUCH_PRIVILEGE`.
    public func accounts(withRight right: String?) throws(NTSecurityError) -> [SID] {
      try require([.policyLookupNames, .policyViewLocalInformation], "LsaEnumerateAccountsWithUserRight")
      let name = try right.map { (r: String) throws(NTSecurityError) in try Self.canonicalRights([r])[0] }
      let texts: [String] =
        try store(create: false)?.read("read the accounts with \(right ?? "any right")") { db in
          if let name {
            return try String.fetchAll(
              db, sql: "SELECT sid FROM account_right WHERE right_name = ? ORDER BY sid", arguments: [name])
          }
          return try String.fetchAll(db, sql: "SELECT DISTINCT sid FROM account_right ORDER BY sid")
        } ?? []
      let sids = texts.compactMap { SID($0) }
      if sids.isEmpty {
        throw NTSecurityError(.noMoreItems, "no account holds \(right ?? "any right")")
      }
      return sids
    }

    static func noAccount(_ sid: SID) -> NTSecurityError {
      NTSecurityError(.fileNotFound, "the account \(sid) holds no rights in the LSA policy")
    }

    /// The rights' names as Windows spells them, in order, without repeats; an unknown name is
    /// `ERROR_NO_SUCH_PRIVILEGE`.
    static func canonicalRights(_ names: [String]) throws(NTSecurityError) -> [String] {
      var result: [String] = []
      for name in names {
        let canonical =
          Privilege(name: name)?.name
          ?? AccountRight.all.first { $0.name.lowercased() == name.lowercased() }?.name
        guard let canonical else {
          throw NTSecurityError(.noSuchPrivilege, "no privilege or logon right is named \"\(name)\"")
        }
        if !result.contains(canonical) { result.append(canonical) }
      }
      return result
    }
  }
}
