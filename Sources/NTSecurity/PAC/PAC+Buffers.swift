extension PAC {
  /// Decodes PAC buffers obtained one by one, as GSSAPI's RFC 6680 name attributes return
  /// them (`urn:mspac:logon-info` is the LOGON_INFO buffer alone, not a whole PAC). Each buffer
  /// is checked exactly as inside a PAC; error offsets are relative to that buffer.
  public init(buffers: [(type: PACBufferType, data: [UInt8])]) throws(NTSecurityError) {
    self.init()
    var seen = Set<UInt32>()
    for (type, data) in buffers {
      if type != .credentialsInfo, !seen.insert(type.rawValue).inserted {
        throw NTSecurityError(.invalidData, "a second \(type) buffer")
      }
      self.buffers.append(PACInfoBuffer(type: type, offset: 0, data: data))
      try decode(type, data, 0, data.count)
    }
  }
}

extension PACBufferType {
  /// The RFC 6680 name attribute MIT krb5 exposes this buffer as: `urn:mspac:logon-info`,
  /// `urn:mspac:credentials-info`, `urn:mspac:server-checksum`, `urn:mspac:privsvr-checksum`,
  /// `urn:mspac:client-info`, `urn:mspac:delegation-info`, `urn:mspac:upn-dns-info`, and
  /// `urn:mspac:<decimal type>` for the others. (`urn:mspac:` alone is the whole PAC.)
  public var gssAttributeName: String {
    PACBufferType.mitAttributeNames.first { $0.1 == self }.map { "urn:mspac:" + $0.0 }
      ?? "urn:mspac:\(rawValue)"
  }

  /// The buffer type a `urn:mspac:…` name attribute denotes (case-insensitive, as MIT matches
  /// them); nil for `urn:mspac:` itself (the whole PAC) and for other names.
  public init?(gssAttributeName name: String) {
    let lower = name.lowercased()
    guard lower.hasPrefix("urn:mspac:") else { return nil }
    let suffix = String(lower.dropFirst("urn:mspac:".count))
    if let known = PACBufferType.mitAttributeNames.first(where: { $0.0 == suffix }) {
      self = known.1
    } else if let value = UInt32(suffix), value != 0 {
      self.init(rawValue: value)
    } else {
      return nil
    }
  }

  private static let mitAttributeNames: [(String, PACBufferType)] = [
    ("logon-info", .logonInfo), ("credentials-info", .credentialsInfo),
    ("server-checksum", .serverChecksum), ("privsvr-checksum", .privilegeServerChecksum),
    ("client-info", .clientInfo), ("delegation-info", .s4uDelegationInfo), ("upn-dns-info", .upnDNSInfo),
  ]
}
