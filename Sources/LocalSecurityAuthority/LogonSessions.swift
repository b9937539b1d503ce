import Foundation
import GRDB
import Glibc
import NTSecurity

extension LocalSecurityAuthority {
  /// SECURITY_LOGON_TYPE as SECURITY_LOGON_SESSION_DATA reports it.
  public enum SecurityLogonType: UInt32, Hashable, Sendable {
    case interactive = 2, network, batch, service, proxy, unlock, networkCleartext, newCredentials
    case remoteInteractive, cachedInteractive, cachedRemoteInteractive, cachedUnlock
  }

  /// SECURITY_LOGON_SESSION_DATA (LsaGetLogonSessionData).
  public struct LogonSessionData: Hashable, Sendable {
    public var logonID: LUID
    public var userName: String
    public var logonDomain: String
    public var authenticationPackage: String
    public var logonType: SecurityLogonType
    /// The terminal session: 0 for LogonUser's sessions, 1 for the host's login sessions.
    public var session: UInt32
    public var sid: SID?
    public var logonTime: Date
    public var logonServer: String
    public var dnsDomainName: String
    public var upn: String
  }

  /// LsaEnumerateLogonSessions: the LUIDs of the live logon sessions — those LogonUser
  /// recorded whose owner process is still running (and has not ended them), then the host's
  /// login sessions (systemd-logind's `/run/systemd/sessions`, else utmp's user processes),
  /// whose LUID is their audit session id, the authentication id of their processes' tokens.
  public static func logonSessions(configuration: Configuration = .current) throws(NTSecurityError) -> [LUID]
  {
    try allLogonSessions(configuration).map(\.logonID)
  }

  /// LsaGetLogonSessionData. `ERROR_NO_SUCH_LOGON_SESSION` for a LUID no live session has.
  public static func logonSessionData(_ luid: LUID, configuration: Configuration = .current)
    throws(NTSecurityError) -> LogonSessionData
  {
    guard let data = try allLogonSessions(configuration).first(where: { $0.logonID == luid }) else {
      throw NTSecurityError(.noSuchLogonSession, "no logon session has the LUID \(luid)")
    }
    return data
  }

  /// Ends a session LogonUser recorded (the owner closing its token's last handle): it is no
  /// longer listed. `ERROR_NO_SUCH_LOGON_SESSION` when there is none.
  public static func endLogonSession(_ luid: LUID, configuration: Configuration = .current)
    throws(NTSecurityError)
  {
    let deleted = try PolicyStore.open(configuration.policyStorePath, create: false)?.write("end \(luid)") {
      db in
      try db.execute(
        sql: "DELETE FROM logon_session WHERE luid = ?", arguments: [Int64(bitPattern: luid.value)])
      return db.changesCount
    }
    guard (deleted ?? 0) > 0 else {
      throw NTSecurityError(.noSuchLogonSession, "no recorded logon session \(luid)")
    }
  }

  static func allLogonSessions(_ configuration: Configuration) throws(NTSecurityError) -> [LogonSessionData] {
    var sessions: [LogonSessionData] = []
    if let store = try? PolicyStore.open(configuration.policyStorePath, create: false) {
      sessions += try recordedSessions(store)
    }
    let database = try? AccountDatabase(configuration)
    let logind = HostSessions.logind(configuration.logindSessionDirectory, database)
    sessions += logind.isEmpty ? HostSessions.utmp(configuration.utmpPath, database) : logind
    var seen = Set<LUID>()
    return sessions.filter { seen.insert($0.logonID).inserted }
  }

  /// Records the new logon session of `token` (root only: others cannot write the store, and
  /// their logons are not listed), owned by this process.
  static func recordLogonSession(
    _ token: AccessToken, account: UnixUser, type: LogonType, database: AccountDatabase,
    configuration: Configuration
  ) throws(NTSecurityError) {
    guard geteuid() == 0, let store = try PolicyStore.open(configuration.policyStorePath, create: true) else {
      return
    }
    let name = try? database.find(sid: token.user.sid)
    let server = (try? database.machine.get().netbiosName) ?? database.names.netbiosName
    let start = HostSessions.startTime(getpid()) ?? 0
    try store.write("record the logon session") { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO logon_session (luid, boot_id, pid, start_time, user_sid, user_name, domain,
            logon_type, package, logon_server, dns_domain, upn, logon_time)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'NTLM', ?, '', '', ?)
          """,
        arguments: [
          Int64(bitPattern: token.statistics.authenticationID.value), HostSessions.bootID, getpid(), start,
          token.user.sid.description, name?.name ?? account.name, name?.domain ?? server, type.rawValue,
          server,
          Date().timeIntervalSince1970,
        ])
    }
  }

  /// The recorded sessions whose owner still runs; the others are forgotten.
  static func recordedSessions(_ store: PolicyStore) throws(NTSecurityError) -> [LogonSessionData] {
    let rows = try store.read("read the logon sessions") { db in
      try Row.fetchAll(db, sql: "SELECT * FROM logon_session")
    }
    var live: [LogonSessionData] = []
    var dead: [Int64] = []
    for row in rows {
      let luid: Int64 = row["luid"]
      let pid: Int32 = row["pid"]
      let bootID: String = row["boot_id"]
      let start: Int64 = row["start_time"]
      guard bootID == HostSessions.bootID, HostSessions.startTime(pid) == start else {
        dead.append(luid)
        continue
      }
      live.append(
        LogonSessionData(
          logonID: LUID(UInt64(bitPattern: luid)), userName: row["user_name"], logonDomain: row["domain"],
          authenticationPackage: row["package"],
          logonType: SecurityLogonType(rawValue: row["logon_type"]) ?? .interactive, session: 0,
          sid: SID(row["user_sid"] as String), logonTime: Date(timeIntervalSince1970: row["logon_time"]),
          logonServer: row["logon_server"], dnsDomainName: row["dns_domain"], upn: row["upn"]))
    }
    if !dead.isEmpty, geteuid() == 0 {
      _ = try? store.write("forget ended logon sessions") { db in
        for luid in dead {
          try db.execute(sql: "DELETE FROM logon_session WHERE luid = ?", arguments: [luid])
        }
      }
    }
    return live.sorted { $0.logonID.value < $1.logonID.value }
  }
}
