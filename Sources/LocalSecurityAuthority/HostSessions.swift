import Foundation
import Glibc
import NTSecurity

/// The host's own login sessions, for LsaEnumerateLogonSessions: systemd-logind's session files
/// and utmp's user processes; and what tells a process's life (boot id, start time).
enum HostSessions {
  /// This boot's id (`/proc/sys/kernel/random/boot_id`).
  static let bootID: String =
    (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
    .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""

  /// The start time of process `pid` (field 22 of /proc/PID/stat, clock ticks since boot), or
  /// nil when it does not run.
  static func startTime(_ pid: Int32) -> Int64? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // Fields after the command start at field 3 (state): field 22 is index 19.
    return fields.count > 19 ? Int64(fields[19]) : nil
  }

  /// The audit session of `pid` (`/proc/PID/sessionid`), nil when unset.
  static func auditSession(_ pid: Int32) -> UInt32? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/sessionid", encoding: .utf8),
      let id = UInt32(text.trimmingCharacters(in: .whitespacesAndNewlines)), id != UInt32.max
    else { return nil }
    return id
  }

  /// logind's sessions: one `KEY=VALUE` file per session (UID, USER, REMOTE, CLASS, REALTIME in
  /// microseconds, LEADER). The LUID is the session leader's audit session, else the session's
  /// numeric id (logind uses the audit session id as its id when the kernel audits).
  static func logind(_ directory: String, _ database: AccountDatabase?) -> [LocalSecurityAuthority
    .LogonSessionData]
  {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
    var sessions: [LocalSecurityAuthority.LogonSessionData] = []
    for name in names.sorted() where !name.hasPrefix(".") {
      guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { continue }
      var fields: [String: String] = [:]
      for line in text.split(separator: "\n") {
        guard let equals = line.firstIndex(of: "=") else { continue }
        fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
      }
      let id = fields["LEADER"].flatMap { Int32($0) }.flatMap(auditSession) ?? UInt32(name)
      guard let id, let uid = fields["UID"].flatMap({ UInt32($0) }) else { continue }
      let type: LocalSecurityAuthority.SecurityLogonType =
        fields["REMOTE"] == "1" ? .remoteInteractive : fields["CLASS"] == "background" ? .batch : .interactive
      let time = fields["REALTIME"].flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0 / 1e6) }
      sessions.append(
        session(
          id: id, uid: uid, user: fields["USER"], type: type, time: time ?? Date(timeIntervalSince1970: 0),
          database: database))
    }
    return sessions
  }

  /// utmp's USER_PROCESS entries whose process runs in an audit session.
  static func utmp(_ path: String, _ database: AccountDatabase?) -> [LocalSecurityAuthority.LogonSessionData]
  {
    guard access(path, R_OK) == 0 else { return [] }
    var sessions: [LocalSecurityAuthority.LogonSessionData] = []
    utmpname(path)
    setutxent()
    defer { endutxent() }
    while let entry = getutxent() {
      guard Int32(entry.pointee.ut_type) == USER_PROCESS, let id = auditSession(entry.pointee.ut_pid) else {
        continue
      }
      let user = withUnsafeBytes(of: entry.pointee.ut_user) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      let host = withUnsafeBytes(of: entry.pointee.ut_host) { $0.first ?? 0 }
      guard let account = HostSystem.user(named: user) else { continue }
      let time = Date(timeIntervalSince1970: Double(entry.pointee.ut_tv.tv_sec))
      sessions.append(
        session(
          id: id, uid: account.uid, user: user, type: host == 0 ? .interactive : .remoteInteractive,
          time: time,
          database: database))
    }
    return sessions
  }

  static func session(
    id: UInt32, uid: UInt32, user: String?, type: LocalSecurityAuthority.SecurityLogonType, time: Date,
    database: AccountDatabase?
  ) -> LocalSecurityAuthority.LogonSessionData {
    let sid = database?.sid(forUID: uid)
    let account = sid.flatMap { try? database?.find(sid: $0) }
    let server = database?.names.netbiosName ?? ""
    return LocalSecurityAuthority.LogonSessionData(
      logonID: LUID(UInt64(id)), userName: account?.name ?? user ?? String(uid),
      logonDomain: account?.domain ?? server,
      authenticationPackage: "NTLM", logonType: type, session: 1, sid: sid, logonTime: time,
      logonServer: server,
      dnsDomainName: "", upn: "")
  }
}
