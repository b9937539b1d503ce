import ArgumentParser
import Foundation
import LocalSecurityAuthority
import NTSecIO
import NTSecurity

/// `ntsec lsa sessions`: LsaEnumerateLogonSessions and LsaGetLogonSessionData.
struct LSASessionsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sessions", abstract: "List the logon sessions (LsaEnumerateLogonSessions).")
  @Flag(help: "Print JSON, one object per session in an array.") var json = false

  func run() throws {
    let sessions = try LocalSecurityAuthority.logonSessions().compactMap {
      try? LocalSecurityAuthority.logonSessionData($0)
    }
    let time = ISO8601DateFormatter()
    if json {
      var w = JSONWriter(.compact)
      w.beginArray()
      for s in sessions {
        w.beginObject()
        w.field("logonId", String(format: "0x%llx", s.logonID.value))
        w.field("userName", s.userName)
        w.field("logonDomain", s.logonDomain)
        w.field("authenticationPackage", s.authenticationPackage)
        w.field("logonType", literal: s.logonType.rawValue)
        w.field("session", literal: s.session)
        w.field("sid", s.sid?.description)
        w.field("logonTime", time.string(from: s.logonTime))
        w.field("logonServer", s.logonServer)
        w.field("dnsDomainName", s.dnsDomainName)
        w.field("upn", s.upn)
        w.endObject()
      }
      w.endArray()
      print(w.text)
      return
    }
    for s in sessions {
      print(
        String(format: "0x%llx", s.logonID.value)
          + " \(s.logonDomain)\\\(s.userName) \(s.sid?.description ?? "-") type=\(s.logonType.rawValue) "
          + "\(s.authenticationPackage) \(time.string(from: s.logonTime))")
    }
  }
}
