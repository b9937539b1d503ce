import NTSecurity

/// PACs (MS-PAC) from Kerberos tickets: decoding never crashes, hangs or allocates from a length
/// field; a decoded PAC with a LOGON_INFO buffer either makes a network logon token or fails with
/// a typed error, and the token's groups hold the PAC's user-domain groups.
///
/// An input whose first byte has the high bit set is one buffer (type = the low 5 bits) as
/// GSSAPI's `urn:mspac:…` attributes return them; otherwise it is a whole PAC.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let pac: PAC
  if let first = bytes.first, first & 0x80 != 0 {
    let buffer: (type: PACBufferType, data: [UInt8]) = (
      PACBufferType(rawValue: UInt32(first & 0x1F)), Array(bytes.dropFirst())
    )
    guard let decoded = try? PAC(buffers: [buffer]) else { return 0 }
    pac = decoded
  } else {
    guard let decoded = try? PAC(bytes: bytes) else { return 0 }
    precondition(decoded.buffers.count >= 1, "a PAC decoded with no buffers")
    for buffer in decoded.buffers {
      precondition(buffer.offset % 8 == 0 && buffer.offset + buffer.data.count <= size, "buffer out of range")
    }
    pac = decoded
  }
  _ = pac.accountNames
  guard let token = try? AccessToken(networkLogonFrom: pac, options: NetworkLogonOptions(package: .ntlm)),
    let info = pac.logonInfo, let domain = info.logonDomainID
  else { return 0 }
  precondition(token.user.sid.domain == domain, "user SID not in LogonDomainId")
  precondition(token.groups.filter { $0.attributes.contains(.integrity) }.count == 1, "not one label")
  for g in info.groupIDs {
    let sid = try! domain.appending(g.relativeID)
    precondition(sid == token.user.sid || token.groups.contains { $0.sid == sid }, "group \(sid) lost")
  }
  return 0
}
