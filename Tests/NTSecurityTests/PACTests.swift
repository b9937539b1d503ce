import Testing

@testable import NTSecurity

/// Wraps buffers into a PACTYPE (MS-PAC 2.3): the header, then each buffer at an 8-aligned offset.
func makePAC(_ buffers: [(UInt32, [UInt8])]) -> [UInt8] {
  var out = [UInt8]()
  out.appendLE(UInt32(buffers.count))
  out.appendLE(UInt32(0))
  var offset = 8 + 16 * buffers.count
  var body = [UInt8]()
  for (type, data) in buffers {
    out.appendLE(type)
    out.appendLE(UInt32(data.count))
    out.appendLE(UInt64(offset + body.count))
    body += data
    while body.count % 8 != 0 { body.append(0) }
  }
  _ = offset
  offset = 0
  return out + body
}

func sid(_ text: String) -> SID { try! SID(parsing: text) }

@Suite("PAC decoding (MS-PAC, public vectors)")
struct PACTests {
  @Test("gokrb5's AD PAC: five buffers, LOGON_INFO, CLIENT_INFO, UPN_DNS_INFO, both signatures")
  func gokrb5FullPAC() throws {
    let pac = try PAC(bytes: PACVectors.gokrb5Win2kPAC)
    #expect(pac.version == 0)
    #expect(
      pac.buffers.map(\.type) == [
        .logonInfo, .clientInfo, .upnDNSInfo, .serverChecksum, .privilegeServerChecksum,
      ])
    #expect(pac.buffers.map(\.offset) == [0x58, 0x280, 0x2A0, 0x2F8, 0x308])
    let info = try #require(pac.logonInfo)
    #expect(info.logonTime == 0x01D2_C680_DD4F_8E05)  // 2017-05-06 15:53:11.8257669 UTC
    #expect(info.logoffTime == 0x7FFF_FFFF_FFFF_FFFF)
    #expect(info.effectiveName == "testuser1")
    #expect(info.fullName == "Test1 User1")
    #expect(info.logonScript == "" && info.profilePath == "" && info.homeDirectory == "")
    #expect(info.logonCount == 216)
    #expect(info.badPasswordCount == 0)
    #expect(info.userID == 1105)
    #expect(info.primaryGroupID == 513)
    #expect(info.groupIDs.map(\.relativeID) == [513, 1108, 1109, 1115, 1116])
    #expect(info.groupIDs.allSatisfy { $0.attributes.rawValue == 7 })
    #expect(info.userFlags == .extraSIDs)
    #expect(info.userSessionKey == [UInt8](repeating: 0, count: 16))
    #expect(info.logonServer == "ADDC")
    #expect(info.logonDomainName == "TEST")
    #expect(info.logonDomainID == sid("S-1-5-21-3167651404-3865080224-2280184895"))
    #expect(info.userSID == sid("S-1-5-21-3167651404-3865080224-2280184895-1105"))
    #expect(info.userAccountControl == 528)
    #expect(
      info.extraSIDs.map(\.sid) == [
        sid("S-1-5-21-3167651404-3865080224-2280184895-1114"),
        sid("S-1-5-21-3167651404-3865080224-2280184895-1111"),
      ])
    #expect(info.extraSIDs.allSatisfy { $0.attributes.rawValue == 0x2000_0007 })
    #expect(info.resourceGroupDomainSID == nil && info.resourceGroupIDs.isEmpty)

    let client = try #require(pac.clientInfo)
    #expect(client.clientID == 0x01D2_C680_DCD1_8D80)  // 2017-05-06 15:53:11 UTC
    #expect(client.name == "testuser1")
    let upn = try #require(pac.upnDNSInfo)
    #expect(upn.upn == "testuser1@test.gokrb5")
    #expect(upn.dnsDomainName == "TEST.GOKRB5")
    #expect(upn.flags == 0 && upn.samName == nil && upn.sid == nil)
    #expect(pac.serverSignature?.signatureType == 0x10)
    #expect(pac.serverSignature?.signature == PACVectors.hex("1e251d98d552be7df384f550"))
    #expect(pac.kdcSignature?.signatureType == 0xFFFF_FF76)
    #expect(pac.kdcSignature?.signature == PACVectors.hex("340be28b48765d0519ee9346cf53d822"))
    #expect(pac.kdcSignature?.rodcIdentifier == nil)
    #expect(pac.buffer(.clientInfo)?.count == 0x1C)
  }

  @Test("the NTDEV\\lzhu KERB_VALIDATION_INFO: 26 groups, 13 extra SIDs")
  func msLogonInfo() throws {
    let b = PACVectors.gokrb5LogonInfoMS
    let info = try KerbValidationInfo(b, from: 0, to: b.count)
    #expect(info.logonTime == 0x01C6_6A65_0F66_86D1)  // 2006-04-28 01:42:50.9256401 UTC
    #expect(info.effectiveName == "lzhu")
    #expect(info.fullName == "Liqiang(Larry) Zhu")
    #expect(info.logonScript == "ntds2.bat")
    #expect(info.logonCount == 4180)
    #expect(info.userID == 2_914_711)
    #expect(info.primaryGroupID == 513)
    #expect(
      info.groupIDs.map(\.relativeID) == [
        3_392_609, 2_999_049, 3_322_974, 513, 2_931_095, 3_338_539, 3_354_830, 3_026_599, 3_338_538,
        2_931_096, 3_392_610, 3_342_740, 3_392_630, 3_014_318, 2_937_394, 3_278_870, 3_038_018,
        3_322_975, 3_513_546, 2_966_661, 3_338_434, 3_271_401, 3_051_245, 3_271_606, 3_026_603,
        3_018_354,
      ])
    #expect(info.userFlags.rawValue == 32)
    #expect(info.logonServer == "NTDEV-DC-05")
    #expect(info.logonDomainName == "NTDEV")
    #expect(info.logonDomainID == sid("S-1-5-21-397955417-626881126-188441444"))
    #expect(info.userAccountControl == 16)
    #expect(info.extraSIDs.count == 13)
    #expect(
      info.extraSIDs[0]
        == SIDAndAttributes(sid("S-1-5-21-773533881-1816936887-355810188-513"), GroupAttributes(rawValue: 7)))
    let rids: [UInt32] = [
      3_101_812, 3_291_368, 3_291_341, 3_322_973, 3_479_105, 3_271_400, 3_283_393, 3_338_537,
      3_038_991, 3_037_999, 3_248_111,
    ]
    for (i, rid) in rids.enumerated() {
      #expect(info.extraSIDs[i + 1].sid == (try sid("S-1-5-21-397955417-626881126-188441444").appending(rid)))
      #expect(info.extraSIDs[i + 1].attributes.rawValue == 0x2000_0007)
    }
    #expect(info.resourceGroupDomainSID == nil)
  }

  @Test("a cross-domain KERB_VALIDATION_INFO with resource groups (LOGON_RESOURCE_GROUPS)")
  func trustLogonInfo() throws {
    let b = PACVectors.gokrb5LogonInfoTrust
    let info = try KerbValidationInfo(b, from: 0, to: b.count)
    #expect(info.effectiveName == "testuser1")
    #expect(info.logonCount == 46)
    #expect(info.userID == 1106)
    #expect(info.groupIDs.map(\.relativeID) == [1110, 513, 1109])
    #expect(info.userFlags == [.extraSIDs, .resourceGroups])  // 544
    #expect(info.logonServer == "UDC")
    #expect(info.logonDomainName == "USER")
    #expect(info.logonDomainID == sid("S-1-5-21-2284869408-3503417140-1141177250"))
    #expect(info.extraSIDs == [SIDAndAttributes(sid("S-1-18-1"), GroupAttributes(rawValue: 7))])
    #expect(info.resourceGroupDomainSID == sid("S-1-5-21-3062750306-1230139592-1973306805"))
    #expect(
      info.resourceGroupIDs == [
        GroupMembership(relativeID: 1107, attributes: GroupAttributes(rawValue: 0x2000_0007)),
        GroupMembership(relativeID: 1108, attributes: GroupAttributes(rawValue: 0x2000_0007)),
      ])
  }

  @Test("Samba's torture PAC from MIT t_pac.c: a DC machine account")
  func sambaPAC() throws {
    let pac = try PAC(bytes: PACVectors.mitSambaPAC)
    #expect(pac.buffers.map(\.type) == [.logonInfo, .clientInfo, .serverChecksum, .privilegeServerChecksum])
    let info = try #require(pac.logonInfo)
    #expect(info.effectiveName == "W2003FINAL$")
    #expect(info.userID == 1005)
    #expect(info.primaryGroupID == 516)
    #expect(info.groupIDs == [GroupMembership(relativeID: 516, attributes: GroupAttributes(rawValue: 7))])
    #expect(info.logonServer == "W2003FINAL")
    #expect(info.logonDomainName == "WIN2K3THINK")
    #expect(info.logonDomainID == sid("S-1-5-21-3048156945-3961193616-3706469200"))
    #expect(info.extraSIDs == [SIDAndAttributes(sid("S-1-5-9"), GroupAttributes(rawValue: 7))])
    #expect(pac.clientInfo?.name == "w2003final$")
    #expect(pac.serverSignature?.signatureType == 0xFFFF_FF76)
    #expect(pac.serverSignature?.signature.count == 16)
  }

  @Test("a Windows 2008 S4U2Self PAC from MIT t_pac.c, with UPN_DNS_INFO")
  func s4uPAC() throws {
    let pac = try PAC(bytes: PACVectors.mitS4URegularPAC)
    #expect(
      pac.buffers.map(\.type) == [
        .logonInfo, .clientInfo, .upnDNSInfo, .serverChecksum, .privilegeServerChecksum,
      ])
    let info = try #require(pac.logonInfo)
    #expect(info.effectiveName == "w2k8u")
    #expect(info.fullName == "w2k8u")
    #expect(info.userID == 1142)
    #expect(info.primaryGroupID == 513)
    #expect(info.logonServer == "WDC")
    #expect(info.logonDomainName == "ACME")
    #expect(info.logonDomainID == sid("S-1-5-21-9281652-3921847615-585208160"))
    #expect(pac.clientInfo?.name == "w2k8u")
    #expect(pac.upnDNSInfo?.upn == "w2k8u@abc")
    #expect(pac.upnDNSInfo?.dnsDomainName == "ACME.COM")
    #expect(pac.serverSignature?.signatureType == 0x10)
    #expect(pac.serverSignature?.signature.count == 12)
  }

  @Test("a PAC from Samba's NDR marshaller: every buffer type, compressed claims, device info")
  func sambaMarshalled() throws {
    let pac = try PAC(bytes: PACVectors.sambaMarshalledPAC)
    #expect(pac.buffers.map(\.type.rawValue) == [1, 0xA, 0xC, 0xD, 0xE, 0xF, 0x11, 0x12, 6, 7])
    let domain = sid("S-1-5-21-1111111111-2222222222-3333333333")
    let info = try #require(pac.logonInfo)
    #expect(info.effectiveName == "alice")
    #expect(info.fullName == "Alice Ärger")
    #expect(info.logonCount == 7 && info.badPasswordCount == 1)
    #expect(info.userID == 1104 && info.primaryGroupID == 513)
    #expect(info.groupIDs.map(\.relativeID) == [513, 1105, 512])
    #expect(info.userFlags == [.extraSIDs, .resourceGroups])
    #expect(info.logonServer == "DC1" && info.logonDomainName == "SAMDOM")
    #expect(info.logonDomainID == domain)
    #expect(info.userAccountControl == 0x10)
    #expect(info.logonTime == 0x01DA_0000_0000_0000 && info.kickOffTime == 0x7FFF_FFFF_FFFF_FFFF)
    #expect(
      info.extraSIDs == [
        SIDAndAttributes(sid("S-1-18-1"), GroupAttributes(rawValue: 7)),
        SIDAndAttributes(sid("S-1-5-21-0-0-0-497"), GroupAttributes(rawValue: 7)),
        SIDAndAttributes(try domain.appending(1200), GroupAttributes(rawValue: 0x2000_0007)),
      ])
    #expect(info.resourceGroupDomainSID == sid("S-1-5-21-3444444444-555555555-666666666"))
    #expect(info.resourceGroupIDs.map(\.relativeID) == [3000, 3001])
    #expect(pac.clientInfo == PACClientInfo(clientID: 0x01DA_0000_0000_0000, name: "alice"))
    #expect(
      pac.upnDNSInfo
        == UPNDNSInfo(
          upn: "alice@samdom.example.com", dnsDomainName: "SAMDOM.EXAMPLE.COM", flags: 2, samName: "alice",
          sid: try domain.appending(1104)))
    let claims = try #require(pac.clientClaims)
    #expect(claims.compressionFormat == PACClaimsSet.compressionXpressHuffman)
    #expect(
      claims.arrays.first?.entries == [
        PACClaimEntry(id: "ad://ext/department:88d6c4e9c5a4b1e0", values: .string(["Engineering"])),
        PACClaimEntry(
          id: "ad://ext/otherTelephone:88d6c4e9c5a4b1e1",
          values: .string((0..<40).map { "+1 555 00" + ($0 < 10 ? "0" : "") + String($0) })),
        PACClaimEntry(id: "ad://ext/employeeNumber:88d6c4e9c5a4b1e2", values: .int64([-42, 7])),
      ])
    #expect(pac.deviceClaims?.compressionFormat == 0)
    #expect(
      pac.deviceClaims?.claimAttributes == [
        ClaimSecurityAttribute(name: "ad://ext/managed:1", values: .uint64([1]))
      ])
    let device = try #require(pac.deviceInfo)
    #expect(device.userID == 1300 && device.primaryGroupID == 515 && device.accountDomainID == domain)
    #expect(device.accountGroupIDs.map(\.relativeID) == [515, 1301])
    #expect(device.extraSIDs == [SIDAndAttributes(sid("S-1-5-21-0-0-0-496"), GroupAttributes(rawValue: 7))])
    #expect(
      device.domainGroups == [
        DomainGroupMembership(
          domainID: sid("S-1-5-21-3444444444-555555555-666666666"),
          groupIDs: [GroupMembership(relativeID: 3002, attributes: GroupAttributes(rawValue: 0x2000_0007))])
      ])
    #expect(pac.attributesFlags == 1)
    #expect(pac.requestorSID == (try domain.appending(1104)))
    #expect(
      pac.serverSignature
        == PACSignature(
          signatureType: 16, signature: [UInt8](repeating: 0x11, count: 12), rodcIdentifier: nil))
    #expect(pac.kdcSignature?.signature == [UInt8](repeating: 0x22, count: 12))

    let token = try AccessToken(networkLogonFrom: pac)
    #expect(token.user.sid == (try domain.appending(1104)))
    #expect(token.groups.contains { $0.sid == sid("S-1-5-21-3444444444-555555555-666666666-3001") })
    #expect(token.userClaims.count == 3)
    #expect(token.deviceGroups.count == 5)
    #expect(token.deviceClaims.map(\.name) == ["ad://ext/managed:1"])
  }

  @Test("buffers one by one, as GSSAPI's urn:mspac: name attributes give them (MIT's names)")
  func gssAttributeBuffers() throws {
    #expect(PACBufferType(gssAttributeName: "urn:mspac:logon-info") == .logonInfo)
    #expect(PACBufferType(gssAttributeName: "URN:MSPAC:UPN-DNS-INFO") == .upnDNSInfo)
    #expect(PACBufferType(gssAttributeName: "urn:mspac:13") == .clientClaimsInfo)
    #expect(PACBufferType(gssAttributeName: "urn:mspac:") == nil)
    #expect(PACBufferType(gssAttributeName: "urn:mspac:0") == nil)
    #expect(PACBufferType(gssAttributeName: "urn:other:logon-info") == nil)
    #expect(PACBufferType.s4uDelegationInfo.gssAttributeName == "urn:mspac:delegation-info")
    #expect(PACBufferType.clientClaimsInfo.gssAttributeName == "urn:mspac:13")

    let pac = try PAC(buffers: [(.logonInfo, PACVectors.dotnetLogonInfo)])
    let info = try #require(pac.logonInfo)
    let domain = sid("S-1-5-21-2127521184-1604012920-1887927527")
    #expect(info.effectiveName == "testuser" && info.fullName == "Test User")
    #expect(info.logonDomainName == "CONTOSO" && info.logonServer == "DC01")
    #expect(info.userSID == (try domain.appending(1104)))
    #expect(info.primaryGroupID == 513)
    #expect(info.groupIDs.map(\.relativeID) == [513, 512, 1105])
    #expect(info.extraSIDs.map(\.sid) == [sid("S-1-5-21-111-222-333-1201")])
    // This buffer's UserFlags is 0: without LOGON_EXTRA_SIDS (MS-PAC 2.5 D) the decoded
    // ExtraSids stay out of the token.
    #expect(info.userFlags == [])
    let token = try AccessToken(networkLogonFrom: pac)
    let group1105 = try domain.appending(1105)
    #expect(token.groups.contains { $0.sid == group1105 })
    #expect(!token.groups.contains { $0.sid == sid("S-1-5-21-111-222-333-1201") })
    #expect(throws: NTSecurityError.self) {
      try PAC(buffers: [(.logonInfo, PACVectors.dotnetLogonInfo), (.logonInfo, PACVectors.dotnetLogonInfo)])
    }
    do {
      _ = try PAC(buffers: [(.logonInfo, Array(PACVectors.dotnetLogonInfo.prefix(100)))])
      Issue.record("a truncated logon-info decoded")
    } catch {
      #expect(error.code == .invalidData)
      #expect((error.offset ?? -1) <= 100)
    }
  }

  @Test("client claims: a string, an int64, four uint64, four strings, two claims")
  func claims() throws {
    func decode(_ b: [UInt8]) throws -> PACClaimsSet { try PACClaimsSet(b, from: 0, to: b.count) }
    let str = try decode(PACVectors.gokrb5ClaimsString)
    #expect(str.compressionFormat == 0)
    #expect(str.arrays.count == 1 && str.arrays[0].sourceType == 1)
    #expect(
      str.arrays[0].entries == [
        PACClaimEntry(id: "ad://ext/sAMAccountName:88d5d9085ea5c0c0", values: .string(["testuser1"]))
      ])
    #expect(
      try decode(PACVectors.gokrb5ClaimsInt64).arrays[0].entries == [
        PACClaimEntry(id: "ad://ext/msDS-SupportedE:88d5dea8f1af5f19", values: .int64([28]))
      ])
    #expect(
      try decode(PACVectors.gokrb5ClaimsMultiUInt64).arrays[0].entries == [
        PACClaimEntry(
          id: "ad://ext/objectClass:88d5de791e7b27e6", values: .uint64([655369, 65543, 65542, 65536]))
      ])
    #expect(
      try decode(PACVectors.gokrb5ClaimsMultiString).arrays[0].entries == [
        PACClaimEntry(
          id: "ad://ext/otherIpPhone:88d5de9f6b4af985", values: .string(["str1", "str2", "str3", "str4"]))
      ])
    let multi = try decode(PACVectors.gokrb5ClaimsMulti)
    #expect(
      multi.arrays[0].entries == [
        PACClaimEntry(id: "ad://ext/msDS-SupportedE:88d5dea8f1af5f19", values: .int64([28])),
        PACClaimEntry(id: "ad://ext/sAMAccountName:88d5d9085ea5c0c0", values: .string(["testuser1"])),
      ])
    #expect(
      multi.claimAttributes.map(\.name) == [
        "ad://ext/msDS-SupportedE:88d5dea8f1af5f19", "ad://ext/sAMAccountName:88d5d9085ea5c0c0",
      ])
  }

  @Test("an XPRESS_HUFF-compressed claims set (MS-XCA LZ77+Huffman) from a Windows DC decompresses")
  func compressedClaims() throws {
    let b = PACVectors.gokrb5ClaimsXpressHuffman
    let claims = try PACClaimsSet(b, from: 0, to: b.count)
    #expect(claims.compressionFormat == PACClaimsSet.compressionXpressHuffman)
    // The same objectClass values as gokrb5's uncompressed vector, and sAMAccountType
    // 0x30000000 (SAM_USER_OBJECT): decompression reproduced the DC's claims set.
    #expect(
      claims.arrays == [
        PACClaimsArray(
          sourceType: 1,
          entries: [
            PACClaimEntry(
              id: "ad://ext/objectClass:88d5de791e7b27e6", values: .uint64([655369, 65543, 65542, 65536])),
            PACClaimEntry(id: "ad://ext/sAMAccountName:88d5d9085ea5c0c0", values: .string(["testuser1"])),
            PACClaimEntry(id: "ad://ext/sAMAccountType:88d5de79a7ecf8c7", values: .int64([0x3000_0000])),
          ])
      ])
  }

  @Test("LZNT1 and XPRESS (plain) claims sets are ERROR_NOT_SUPPORTED, naming the format")
  func otherCompression() {
    for (format, name) in [(UInt8(2), "LZNT1"), (UInt8(3), "XPRESS ")] {
      var b = PACVectors.gokrb5ClaimsXpressHuffman
      b[28] = format  // usCompressionFormat
      do {
        _ = try PACClaimsSet(b, from: 0, to: b.count)
        Issue.record("format \(format) decoded")
      } catch {
        #expect(error.code == .notSupported)
        #expect(error.message.contains(name))
        #expect(error.offset == 28)
      }
      #expect(throws: NTSecurityError.self) { try PAC(bytes: makePAC([(0xD, b)])) }
    }
  }

  @Test("an empty CLIENT_CLAIMS_INFO buffer means no claims")
  func emptyClaims() throws {
    let pac = try PAC(bytes: makePAC([(0xD, [])]))
    #expect(pac.clientClaims?.arrays == [])
  }
}
