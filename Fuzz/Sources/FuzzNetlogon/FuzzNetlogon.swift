import DirectoryServices
import NTSecurity

/// The DC locator's outside input: an LDAP ping's reply datagram (CLDAP, BER) and the
/// NETLOGON_SAM_LOGON_RESPONSE_EX inside it, with DNS compression pointers and the optional
/// socket address. Decoding never crashes, hangs or loops on pointers; every name it returns is a
/// DNS name of at most 255 bytes, and a decoded opcode is one of the _EX responses.
///
/// The first byte chooses: bit 2 set, the rest is a DNS response whose SRV records are read
/// (sorted by priority, no empty target); else bit 0 asks for the socket address (NtVer 0x1E,
/// else 0x16) and bit 1 set, the rest is a whole reply datagram for message ID 7; clear, the rest
/// is the response itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let first = bytes.first else { return 0 }
  let rest = Array(bytes.dropFirst())
  if first & 4 != 0 {
    guard let records = try? ServiceRecord.records(inDNSResponse: rest) else { return 0 }
    precondition(zip(records, records.dropFirst()).allSatisfy { $0.priority <= $1.priority }, "unsorted")
    precondition(records.allSatisfy { !$0.target.isEmpty }, "an empty target")
    return 0
  }
  let version: UInt32 = first & 1 != 0 ? 0x1E : 0x16
  let response: NetlogonSAMLogonResponse?
  if first & 2 != 0 {
    response =
      (try? NetlogonSAMLogonResponse(ldapPingReply: rest, messageID: 7, requestedVersion: version)) ?? nil
  } else {
    response = try? NetlogonSAMLogonResponse(bytes: rest, requestedVersion: version)
  }
  guard let r = response else { return 0 }
  precondition((23...25).contains(r.opcode), "opcode \(r.opcode)")
  for name in [
    r.dnsForestName, r.dnsDomainName, r.dnsHostName, r.netBIOSDomainName, r.netBIOSComputerName, r.userName,
    r.dcSiteName, r.clientSiteName, r.nextClosestSiteName ?? "",
  ] {
    precondition(name.utf8.count <= 255 * 4, "a name longer than a DNS name can be")
  }
  precondition(version & 8 != 0 || r.socketAddress == nil, "a socket address that was not asked for")
  return 0
}
