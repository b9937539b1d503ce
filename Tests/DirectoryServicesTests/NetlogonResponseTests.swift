import DirectoryServices
import NTSecurity
import Testing

/// NETLOGON_SAM_LOGON_RESPONSE_EX as the test DC (Samba 4.22, `scripts/test-ad-dc`) sent it to
/// an LDAP ping, and malformed variants.
@Suite struct NetlogonResponse {
  /// The `Netlogon` value for NtVer 0x16 (V5 | V5EX | WITH_CLOSEST_SITE): no DcSockAddr.
  static let plain = bytes(
    "17000000bd11000010bf4be2051a5847bef99b87f220427d026164056e74736563047465737400c01803646331c018"
      + "054e54534543000344433100001744656661756c742d46697273742d536974652d4e616d6500c03c05000000ffffffff")
  /// The same for NtVer 0x1E (… | V5EX_WITH_IP): a 16-byte sockaddr_in (AF_INET, port 0, 127.0.0.1).
  static let withAddress = bytes(
    "17000000bd11000010bf4be2051a5847bef99b87f220427d026164056e74736563047465737400c01803646331c018"
      + "054e54534543000344433100001744656661756c742d46697273742d536974652d4e616d6500c03c10020000007f00"
      + "000100000000000000000d000000ffffffff")

  static func bytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = hex.startIndex
    while i < hex.endIndex {
      let j = hex.index(i, offsetBy: 2)
      out.append(UInt8(hex[i..<j], radix: 16)!)
      i = j
    }
    return out
  }

  @Test func decodesTheDCsAnswerWithItsCompressedNames() throws {
    let r = try NetlogonSAMLogonResponse(bytes: Self.plain, requestedVersion: 0x16)
    #expect(r.opcode == 23)
    #expect(r.flags.rawValue == 0x11bd)
    #expect(r.flags.contains([.pdc, .gc, .ldap, .ds, .kdc, .closest, .writable, .fullSecretDomain6]))
    #expect(!r.flags.contains(.timeServer))
    #expect(r.domainGUID.description == "e24bbf10-1a05-4758-bef9-9b87f220427d")
    #expect(r.dnsForestName == "ad.ntsec.test")
    #expect(r.dnsDomainName == "ad.ntsec.test")  // a pointer to the forest name
    #expect(r.dnsHostName == "dc1.ad.ntsec.test")  // a label, then a pointer
    #expect(r.netBIOSDomainName == "NTSEC")
    #expect(r.netBIOSComputerName == "DC1")
    #expect(r.userName == "")
    #expect(r.dcSiteName == "Default-First-Site-Name")
    #expect(r.clientSiteName == "Default-First-Site-Name")
    #expect(r.socketAddress == nil)
    #expect(r.nextClosestSiteName == nil)  // asked for, not sent
    #expect(r.ntVersion == 5)
  }

  @Test func decodesTheSocketAddressOnlyWhenAskedFor() throws {
    let r = try NetlogonSAMLogonResponse(bytes: Self.withAddress, requestedVersion: 0x1E)
    #expect(r.socketAddress == SocketAddress(address: "127.0.0.1", port: 0))
    #expect(r.ntVersion == 0xD)
    #expect(r.clientSiteName == "Default-First-Site-Name")
    // Read without V5EX_WITH_IP the size byte is taken for the next field and the end is wrong.
    #expect(throws: NTSecurityError.self) {
      _ = try NetlogonSAMLogonResponse(bytes: Self.withAddress, requestedVersion: 0x16)
    }
  }

  /// Every truncation fails with ERROR_INVALID_DATA at an offset inside the input, never a crash.
  @Test func everyTruncationIsATypedError() {
    for n in 0..<Self.plain.count {
      do {
        _ = try NetlogonSAMLogonResponse(bytes: Array(Self.plain.prefix(n)), requestedVersion: 0x16)
        Issue.record("\(n) bytes decoded")
      } catch let error as NTSecurityError {
        #expect(error.code == .invalidData)
        #expect((error.offset ?? -1) >= 0 && (error.offset ?? .max) <= n, "\(n): \(error)")
      } catch {
        Issue.record("\(n): \(error)")
      }
    }
  }

  @Test func compressionPointerLoopsAndForwardPointersAreRefused() throws {
    var loop = Self.plain
    loop[24] = 0xC0  // the forest name points at itself
    loop[25] = 24
    let e1 = #expect(throws: NTSecurityError.self) {
      _ = try NetlogonSAMLogonResponse(bytes: loop, requestedVersion: 0x16)
    }
    #expect(e1?.code == .invalidData)
    #expect(e1?.message.contains("DnsForestName") == true)
    var forward = Self.plain
    forward[39] = 0xC0  // DnsDomainName points past itself
    forward[40] = 0x50
    #expect(throws: NTSecurityError.self) {
      _ = try NetlogonSAMLogonResponse(bytes: forward, requestedVersion: 0x16)
    }
  }

  @Test func otherOpcodesAreRefused() {
    var other = Self.plain
    other[0] = 19  // LOGON_SAM_LOGON_RESPONSE (pre-EX)
    let e = #expect(throws: NTSecurityError.self) {
      _ = try NetlogonSAMLogonResponse(bytes: other, requestedVersion: 0x16)
    }
    #expect(e?.offset == 0)
  }
}
