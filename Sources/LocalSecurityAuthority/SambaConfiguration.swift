import Foundation
import NTSecurity

/// What the authority reads of a Samba installation: the `[global]` settings of smb.conf that
/// name the machine and its databases, the machine SID in secrets.tdb (what `net getlocalsid`
/// prints) and the users of a tdbsam passdb with their RIDs.
package struct SambaConfiguration: Sendable {
  /// `netbios name`, upper case, if set.
  var netbiosName: String?
  /// `private dir` (default /var/lib/samba/private).
  var privateDirectory = "/var/lib/samba/private"
  /// The tdbsam file, or nil when `passdb backend` is not tdbsam (ldapsam, …: not read).
  var passdbPath: String?
  /// Whether the host belongs to a domain (`security = ads|domain`, or a domain controller's or
  /// member server's `server role`): then winbindd knows the domain's accounts.
  var isDomainMember = false
  /// `workgroup`: the domain a member's isolated names are looked for in.
  var workgroup: String?
  /// `realm`: the Kerberos realm of the workgroup's domain.
  var realm: String?
  /// `state directory` (default /var/lib/samba): where share_info.tdb is kept.
  package var stateDirectory = "/var/lib/samba"
  /// The names of the shares smb.conf defines (its sections other than `[global]`), lower case.
  package var shareNames: Set<String> = []

  /// Reads `[global]` of the smb.conf at `path`; nil when the file does not exist.
  package init?(path: String) {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    var settings: [String: String] = [:]
    var section = "global"
    var pending = ""
    for raw in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    {
      var line = pending + raw.trimmingCharacters(in: .whitespaces)
      pending = ""
      if line.hasSuffix("\\") {
        line.removeLast()
        pending = line
        continue
      }
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("["), let end = line.firstIndex(of: "]") {
        section = line[line.index(after: line.startIndex)..<end].lowercased()
          .trimmingCharacters(in: .whitespaces)
        if section != "global" { shareNames.insert(section) }
        continue
      }
      guard section == "global", let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].lowercased().filter { !$0.isWhitespace }
      settings[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
    }
    if let name = settings["netbiosname"], !name.isEmpty { netbiosName = name.uppercased() }
    if let directory = settings["privatedir"], !directory.isEmpty { privateDirectory = directory }
    if let name = settings["workgroup"], !name.isEmpty { workgroup = name }
    if let name = settings["realm"], !name.isEmpty { realm = name.uppercased() }
    if let directory = settings["statedirectory"], !directory.isEmpty { stateDirectory = directory }
    let role = settings["serverrole"]?.lowercased() ?? ""
    let security = settings["security"]?.lowercased() ?? ""
    isDomainMember =
      security == "ads" || security == "domain" || role.contains("domain controller")
      || role.contains("member")
    let backend = settings["passdbbackend"] ?? "tdbsam"
    if backend == "tdbsam" {
      passdbPath = privateDirectory + "/passdb.tdb"
    } else if backend.hasPrefix("tdbsam:") {
      passdbPath = String(backend.dropFirst(7))
    }
  }

  /// The machine SID Samba stored for `netbiosName` (`SECRETS/SID/NAME` in secrets.tdb), or nil
  /// when secrets.tdb is missing, unreadable or has none.
  func machineSID(netbiosName: String) throws(NTSecurityError) -> SID? {
    guard let secrets = try TrivialDatabase(path: privateDirectory + "/secrets.tdb"),
      let bytes = secrets.value("SECRETS/SID/" + netbiosName.uppercased())
    else { return nil }
    return try SambaConfiguration.domainSID(bytes)
  }

  /// Samba's `struct dom_sid` as stored in TDB: revision, count, 6-byte authority (big-endian),
  /// 15 sub-authorities in host (little-endian) order, of which `count` are used.
  static func domainSID(_ bytes: [UInt8]) throws(NTSecurityError) -> SID {
    guard bytes.count >= 8, bytes[0] == 1, bytes[1] <= 15, bytes.count >= 8 + 4 * Int(bytes[1]) else {
      throw NTSecurityError(.invalidData, "secrets.tdb: the stored machine SID is malformed")
    }
    let authority = bytes[2..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    let subs = (0..<Int(bytes[1])).map { i in
      let o = 8 + 4 * i
      return UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3])
        << 24
    }
    return try SID(authority: authority, subs)
  }

  /// The passdb users by RID (`RID_xxxxxxxx` → user name in passdb.tdb); empty when there is no
  /// tdbsam passdb or its file does not exist. A passdb that exists but cannot be read (a caller
  /// other than root) is `ERROR_ACCESS_DENIED`, one that does not parse to its end (read three
  /// times, in case Samba was writing it) `ERROR_INVALID_DATA`: without its users, accounts
  /// would map to other SIDs (S-1-22-1-uid), and deny ACEs on them would not match.
  func passdbUsers() throws(NTSecurityError) -> [UInt32: String] {
    guard let passdbPath else { return [:] }
    var attempt = 0
    while true {
      do {
        guard let passdb = try TrivialDatabase(path: passdbPath, strict: true) else { return [:] }
        return Self.users(in: passdb)
      } catch  where error.code == .invalidData && attempt < 2 {
        attempt += 1
        usleep(20_000)
      }
    }
  }

  /// The `RID_xxxxxxxx` records of a passdb: RID → user name.
  private static func users(in passdb: TrivialDatabase) -> [UInt32: String] {
    var users: [UInt32: String] = [:]
    for key in passdb.keys(withPrefix: "RID_") {
      guard let rid = UInt32(key.dropFirst(4), radix: 16), let name = passdb.string(key), !name.isEmpty else {
        continue
      }
      users[rid] = name
    }
    return users
  }
}
