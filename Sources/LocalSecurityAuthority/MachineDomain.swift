import Foundation
import NTSecurity

/// The machine's account domain: its SID (S-1-5-21-a-b-c), the domain Windows fills in where a
/// call is given none (CreateWellKnownSid with no domain, SDDL's domain-relative aliases), and the
/// machine's names.
///
/// The SID comes from Samba when Samba is configured on the host and has stored one (secrets.tdb's
/// `SECRETS/SID/<NETBIOS NAME>`, what `net getlocalsid` prints), so that NTSecurity and a local
/// smbd name the same machine. Otherwise it is the SID in the machine SID file
/// (``LocalSecurityAuthority/Configuration/machineSIDPath``, `/var/lib/ntsec/machine-sid`): one
/// line `S-1-5-21-a-b-c`, mode 0644, created once with three random sub-authorities by the first
/// caller allowed to write there (root for the default path), atomically (a temporary file linked
/// into place, so concurrent first callers agree on one SID). An Active Directory domain
/// controller keeps its SID in sam.ldb, which is not read: there the file's SID is used.
public struct MachineDomain: Hashable, Sendable {
  /// Where the SID came from.
  public enum Source: String, Hashable, Sendable {
    /// Samba's secrets.tdb.
    case samba
    /// The machine SID file.
    case file
  }

  /// The domain SID.
  public var sid: SID
  /// The NetBIOS name: Samba's `netbios name`, else the host name's first label in upper case,
  /// at most 15 characters.
  public var netbiosName: String
  /// The DNS name: the host name.
  public var dnsName: String
  /// Where ``sid`` came from.
  public var source: Source

  /// The machine's names, which need no SID.
  struct Names: Hashable, Sendable {
    var netbiosName: String
    var dnsName: String

    init(samba: SambaConfiguration?) {
      dnsName = HostSystem.hostName()
      let label = dnsName.split(separator: ".").first.map(String.init) ?? dnsName
      netbiosName = samba?.netbiosName ?? String(label.uppercased().prefix(15))
    }

    /// Whether `name` names the machine (NetBIOS or DNS name, case-insensitive; `.` too).
    func matches(_ name: String) -> Bool {
      let key = name.lowercased()
      return key == "." || key == netbiosName.lowercased() || key == dnsName.lowercased()
    }
  }

  /// Reads (or creates) the machine domain as ``LocalSecurityAuthority/Configuration`` says.
  static func load(_ configuration: LocalSecurityAuthority.Configuration, samba: SambaConfiguration?)
    throws(NTSecurityError) -> MachineDomain
  {
    let names = Names(samba: samba)
    if let samba, let sid = try samba.machineSID(netbiosName: names.netbiosName) {
      return MachineDomain(sid: sid, netbiosName: names.netbiosName, dnsName: names.dnsName, source: .samba)
    }
    let sid = try machineSIDFile(configuration.machineSIDPath)
    return MachineDomain(sid: sid, netbiosName: names.netbiosName, dnsName: names.dnsName, source: .file)
  }

  /// The SID in the machine SID file, created first when there is none.
  static func machineSIDFile(_ path: String) throws(NTSecurityError) -> SID {
    if let sid = try readMachineSID(path) { return sid }
    var random = SystemRandomNumberGenerator()
    let subs: [UInt32] = [21] + (0..<3).map { _ in UInt32.random(in: 1...UInt32.max, using: &random) }
    let created = try SID(authority: 5, subs)
    if try HostSystem.createFileOnce(path: path, contents: "\(created)\n", mode: 0o644) { return created }
    // Another process created it first: use theirs.
    guard let sid = try readMachineSID(path) else {
      throw NTSecurityError(.invalidData, "\(path): vanished while being read")
    }
    return sid
  }

  private static func readMachineSID(_ path: String) throws(NTSecurityError) -> SID? {
    guard let data = FileManager.default.contents(atPath: path) else {
      if FileManager.default.fileExists(atPath: path) {
        throw NTSecurityError(.accessDenied, "\(path): cannot be read")
      }
      return nil
    }
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard let sid = SID(text), sid.identifierAuthority == 5, sid.subAuthorityCount == 4,
      sid[subAuthority: 0] == 21
    else {
      throw NTSecurityError(
        .invalidData, "\(path): expected one machine SID S-1-5-21-a-b-c, found \"\(text)\"")
    }
    return sid
  }
}
