import CWinbindClient
import NTSecurity

/// winbindd through libwbclient (loaded at run time by CWinbindClient): the accounts of the
/// domain a joined host belongs to. Every C buffer stays in this file.
enum WinbindClient {
  /// Whether libwbclient loads and winbindd answers.
  static var isAvailable: Bool { ntsec_wbc_available() != 0 }

  /// wbcLookupName.
  static func lookup(domain: String, name: String) -> AccountName? {
    var raw = ntsec_wbc_sid()
    var use: Int32 = 0
    guard ntsec_wbc_lookup_name(domain, name, &raw, &use) == 0, let sid = sid(raw) else { return nil }
    return lookup(sid: sid)
  }

  /// wbcLookupSid.
  static func lookup(sid: SID) -> AccountName? {
    guard var raw = wbcSID(sid) else { return nil }
    var domain = [CChar](repeating: 0, count: 256)
    var name = [CChar](repeating: 0, count: 512)
    var use: Int32 = 0
    guard ntsec_wbc_lookup_sid(&raw, &domain, domain.count, &name, name.count, &use) == 0,
      let kind = SIDNameUse(rawValue: UInt32(use)), kind != .unknown, kind != .invalid
    else { return nil }
    let text = { (chars: [CChar]) in
      String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    // A domain comes back with an empty name: Windows names it by itself.
    let domainName = text(domain)
    let accountName = kind == .domain && text(name).isEmpty ? domainName : text(name)
    return AccountName(sid: sid, name: accountName, domain: domainName, use: kind)
  }

  /// wbcUidToSid and wbcGidToSid.
  static func sid(uid: UInt32) -> SID? {
    var raw = ntsec_wbc_sid()
    return ntsec_wbc_uid_to_sid(uid, &raw) == 0 ? sid(raw) : nil
  }

  static func sid(gid: UInt32) -> SID? {
    var raw = ntsec_wbc_sid()
    return ntsec_wbc_gid_to_sid(gid, &raw) == 0 ? sid(raw) : nil
  }

  private static func sid(_ raw: ntsec_wbc_sid) -> SID? {
    guard raw.revision == 1, raw.count <= 15 else { return nil }
    let authority = withUnsafeBytes(of: raw.authority) { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
    let subs = withUnsafeBytes(of: raw.sub_authorities) {
      Array($0.bindMemory(to: UInt32.self).prefix(Int(raw.count)))
    }
    return try? SID(authority: authority, subs)
  }

  private static func wbcSID(_ sid: SID) -> ntsec_wbc_sid? {
    guard sid.subAuthorityCount <= 15 else { return nil }
    var raw = ntsec_wbc_sid()
    raw.revision = 1
    raw.count = UInt8(sid.subAuthorityCount)
    withUnsafeMutableBytes(of: &raw.authority) { bytes in
      for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: sid.identifierAuthority >> (8 * UInt64(5 - i))) }
    }
    withUnsafeMutableBytes(of: &raw.sub_authorities) { bytes in
      let words = bytes.bindMemory(to: UInt32.self)
      for (i, value) in sid.subAuthorities.enumerated() { words[i] = value }
    }
    return raw
  }
}
