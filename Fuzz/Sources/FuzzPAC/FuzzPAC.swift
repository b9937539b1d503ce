import NTSecurity

/// PACs (MS-PAC) from Kerberos tickets: decoding never crashes, hangs or allocates from a length
/// field; a decoded PAC with a LOGON_INFO buffer either makes a network logon token or fails with
/// a typed error, and the token's groups hold the PAC's user-domain groups.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let pac = try? PAC(bytes: bytes) else { return 0 }
  precondition(pac.buffers.count >= 1, "a PAC decoded with no buffers")
  for buffer in pac.buffers {
    precondition(buffer.offset % 8 == 0 && buffer.offset + buffer.data.count <= size, "buffer out of range")
  }
  _ = pac.accountNames
  guard let token = try? AccessToken(networkLogonFrom: pac, options: NetworkLogonOptions(package: .ntlm)),
    let info = pac.logonInfo, let domain = info.logonDomainID
  else { return 0 }
  precondition(token.user.sid.domain == domain, "user SID not in LogonDomainId")
  for g in info.groupIDs {
    let sid = try! domain.appending(g.relativeID)
    precondition(sid == token.user.sid || token.groups.contains { $0.sid == sid }, "group \(sid) lost")
  }
  return 0
}
