import Foundation
import NTSecurity

/// What /proc tells of a process's or thread's credentials and session, the input of
/// OpenProcessToken and OpenThreadToken.
struct ProcessCredentials: Hashable, Sendable {
  var realUID: UInt32 = 0
  var effectiveUID: UInt32 = 0
  var realGID: UInt32 = 0
  var effectiveGID: UInt32 = 0
  /// Supplementary groups.
  var groups: [UInt32] = []
  var capabilities = CapabilitySets(effective: 0, permitted: 0)
  var noNewPrivileges = false
  /// `Seccomp:` 0 none, 1 strict, 2 filter.
  var seccomp = 0

  /// The credentials part of the task's status (the part a thread may have of its own).
  static func read(_ directory: String) throws(NTSecurityError) -> ProcessCredentials {
    guard let data = FileManager.default.contents(atPath: directory + "/status") else {
      throw NTSecurityError(.invalidParameter, "\(directory): no such process or thread")
    }
    var credentials = ProcessCredentials()
    var seen = Set<String>()
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = String(line[..<colon])
      let fields = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" })
      func ids() -> [UInt32] { fields.compactMap { UInt32($0) } }
      func hex() -> UInt64? { fields.first.flatMap { UInt64($0, radix: 16) } }
      switch key {
      case "Uid":
        let values = ids()
        guard values.count >= 2 else { continue }
        (credentials.realUID, credentials.effectiveUID) = (values[0], values[1])
      case "Gid":
        let values = ids()
        guard values.count >= 2 else { continue }
        (credentials.realGID, credentials.effectiveGID) = (values[0], values[1])
      case "Groups": credentials.groups = ids()
      case "CapPrm": credentials.capabilities.permitted = hex() ?? 0
      case "CapEff": credentials.capabilities.effective = hex() ?? 0
      case "NoNewPrivs": credentials.noNewPrivileges = fields.first == "1"
      case "Seccomp": credentials.seccomp = fields.first.flatMap { Int($0) } ?? 0
      default: continue
      }
      seen.insert(key)
    }
    // Fail closed: a status without the credential lines is not read as "uid 0, no groups".
    guard seen.isSuperset(of: ["Uid", "Gid", "Groups", "CapPrm", "CapEff"]) else {
      throw NTSecurityError(.invalidData, "\(directory)/status: the credential lines are missing")
    }
    return credentials
  }
}

/// What /proc tells of a process's logon session.
struct ProcessSession: Hashable, Sendable {
  /// The audit session id (`/proc/PID/sessionid`), nil when unset (4294967295): the process was
  /// not started from a login (pam_loginuid) but by the system.
  var auditSession: UInt32?
  /// Whether the process has a controlling terminal (`tty_nr` of /proc/PID/stat).
  var hasTerminal = false
  /// Whether logind places the session on a seat (`SEAT=` in /run/systemd/sessions/ID).
  var isSeated = false
  /// Whether the process runs in a system service's cgroup (`/system.slice/….service`).
  var isSystemService = false

  static func read(_ directory: String) -> ProcessSession {
    var session = ProcessSession()
    if let text = contents(directory + "/sessionid"), let id = UInt32(text), id != UInt32.max {
      session.auditSession = id
      if let seats = contents("/run/systemd/sessions/\(id)") {
        session.isSeated = seats.split(separator: "\n").contains { $0.hasPrefix("SEAT=") && $0.count > 5 }
      }
    }
    if let stat = contents(directory + "/stat"), let close = stat.lastIndex(of: ")") {
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      session.hasTerminal = fields.count > 4 && fields[4] != "0"
    }
    if let cgroup = contents(directory + "/cgroup") {
      session.isSystemService = cgroup.split(separator: "\n").contains {
        $0.contains("/system.slice/") && $0.hasSuffix(".service")
      }
    }
    return session
  }

  private static func contents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map {
      String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
  }
}
