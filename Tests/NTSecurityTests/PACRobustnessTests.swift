import Testing

@testable import NTSecurity

/// Decodes, returning the typed error instead of throwing.
func decodePAC(_ bytes: [UInt8]) -> Result<PAC, NTSecurityError> {
  do { return .success(try PAC(bytes: bytes)) } catch { return .failure(error) }
}

func pacError(_ bytes: [UInt8]) -> NTSecurityError? {
  if case .failure(let e) = decodePAC(bytes) { return e }
  return nil
}

@Suite("PAC decoding: malformed input")
struct PACRobustnessTests {
  let full = PACVectors.gokrb5Win2kPAC

  @Test("every truncation of a real PAC is a typed error with an offset inside the input")
  func truncations() {
    // The last buffer ends at 0x31C; the 4 bytes after it are padding.
    for n in 0..<0x31C {
      let e = pacError(Array(full.prefix(n)))
      #expect(e != nil, "prefix \(n) decoded")
      #expect(e?.code == .invalidData)
      if let offset = e?.offset { #expect(offset >= 0 && offset <= n, "prefix \(n): offset \(offset)") }
    }
    #expect(pacError(Array(full.prefix(0x31C))) == nil)
  }

  @Test("a LOGON_INFO buffer cut at every length is a typed error, never a crash")
  func truncatedLogonInfo() {
    let info = PACVectors.gokrb5LogonInfoMS
    for n in stride(from: 0, to: info.count - 8, by: 1) {
      let e = pacError(makePAC([(1, Array(info.prefix(n)))]))
      #expect(e?.code == .invalidData, "LOGON_INFO prefix \(n)")
    }
  }

  @Test("every single-byte change of real PACs decodes or fails with a typed error")
  func byteFlips() {
    for vector in [full, PACVectors.mitSambaPAC, PACVectors.mitS4URegularPAC] {
      for i in 0..<vector.count {
        for value: UInt8 in [0x00, 0xFF, vector[i] ^ 0x01, 0x80] {
          var b = vector
          b[i] = value
          if case .failure(let e) = decodePAC(b) {
            #expect(e.code == .invalidData || e.code == .notSupported || e.code == .invalidSid)
          }
        }
      }
    }
  }

  @Test("header rules (MS-PAC 2.3, 2.4): version 0, buffers inside the PAC, 8-aligned, no duplicates")
  func headerRules() {
    var b = full
    b.storeLE(UInt32(1), at: 4)
    #expect(pacError(b)?.message.contains("version") == true)
    #expect(pacError(b)?.offset == 4)

    b = full
    b.storeLE(UInt32(0xFFFF_FFFF), at: 0)  // cBuffers
    #expect(pacError(b)?.offset == 0)
    b.storeLE(UInt32(0), at: 0)
    #expect(pacError(b) != nil)

    b = full
    b.storeLE(UInt32(0x5C), at: 16)  // first buffer's Offset, not a multiple of 8
    #expect(pacError(b)?.message.contains("multiple of 8") == true)
    #expect(pacError(b)?.offset == 16)

    b = full
    b.storeLE(UInt32(0x10), at: 16)  // inside the header
    #expect(pacError(b)?.message.contains("outside") == true)

    b = full
    b.storeLE(UInt32(0xFFFF_FFF0), at: 16)
    b.storeLE(UInt32(0xFFFF_FFFF), at: 20)  // a 64-bit offset far beyond the PAC
    #expect(pacError(b)?.offset == 12)

    b = full
    b.storeLE(UInt32(0x7FFF_FFFF), at: 12)  // cbBufferSize
    #expect(pacError(b)?.offset == 12)

    b = full
    b.storeLE(UInt32(1), at: 24)  // CLIENT_INFO retyped as a second LOGON_INFO
    #expect(pacError(b)?.message.contains("second LOGON_INFO") == true)
  }

  @Test("huge NDR counts fail before allocating: GroupCount, SidCount, string lengths")
  func hugeCounts() {
    // In the gokrb5 LOGON_INFO (PAC offset 0x58): GroupCount at NDR offset 128, SidCount at 216.
    let base = 0x58
    for (field, at) in [("GroupIds", 128), ("ExtraSids", 216)] {
      var b = full
      b.storeLE(UInt32(0x4000_0000), at: base + at)
      let e = pacError(b)
      #expect(e?.code == .invalidData, "\(field)")
      #expect(e?.message.contains(field) == true, "\(field): \(String(describing: e))")
    }
    // EffectiveName's conformant varying array: actual count far beyond the buffer.
    var b = full
    let name = base + 0xEC  // deferred EffectiveName header: max, offset, actual
    #expect(b[name] == 9)
    b.storeLE(UInt32(0x7FFF_FFFF), at: name)
    b.storeLE(UInt32(0x7FFF_FFFF), at: name + 8)
    #expect(pacError(b)?.code == .invalidData)
  }

  @Test("NDR headers: version 1, little-endian, 8-byte common header, object length in range")
  func ndrHeaders() {
    let info = PACVectors.gokrb5LogonInfoTrust
    for (offset, value, word) in [
      (0, UInt8(2), "version"), (1, UInt8(0), "little-endian"), (2, UInt8(9), "header length"),
    ] {
      var b = info
      b[offset] = value
      let e = pacError(makePAC([(1, b)]))
      #expect(e?.message.contains(word) == true, "\(word): \(String(describing: e))")
    }
    var b = info
    b.storeLE(UInt32(0x1000), at: 8)
    #expect(pacError(makePAC([(1, b)]))?.message.contains("object buffer length") == true)
  }

  @Test("an RPC_SID whose sub-authority count disagrees with its conformance, or exceeds 15")
  func badSIDs() {
    var b = PACVectors.gokrb5LogonInfoTrust
    // LogonDomainId referent: conformance 4, then 01 04 ...; find it by its bytes.
    let sidStart = try! #require(findSequence(b, [4, 0, 0, 0, 1, 4, 0, 0, 0, 0, 0, 5, 0x15]))
    b[sidStart + 5] = 5
    #expect(pacError(makePAC([(1, b)]))?.message.contains("sub-authorities") == true)
    b[sidStart + 5] = 16
    b.storeLE(UInt32(16), at: sidStart)
    #expect(pacError(makePAC([(1, b)])) != nil)
  }

  @Test("UPN_DNS_INFO: fields outside the buffer are errors; the extended S form yields SAM name and SID")
  func upnDNSInfo() throws {
    // UpnLength 4 at offset 24, DnsDomainNameLength 4 at 28, Flags U|S, SamName 4 at 32, Sid at 40.
    var upn = [UInt8]()
    upn.appendLE(UInt16(4))
    upn.appendLE(UInt16(24))
    upn.appendLE(UInt16(4))
    upn.appendLE(UInt16(28))
    upn.appendLE(UInt32(3))
    upn.appendLE(UInt16(4))
    upn.appendLE(UInt16(32))
    let sidBytes = sid("S-1-5-21-1-2-3-1105").bytes
    upn.appendLE(UInt16(sidBytes.count))
    upn.appendLE(UInt16(40))
    upn += [0, 0, 0, 0]  // to offset 24
    upn += [0x61, 0, 0x40, 0] + [0x44, 0, 0x4F, 0] + [0x6A, 0, 0x6F, 0] + [0, 0, 0, 0] + sidBytes
    let pac = try PAC(bytes: makePAC([(0xC, upn)]))
    let info = try #require(pac.upnDNSInfo)
    #expect(info.upn == "a@" && info.dnsDomainName == "DO")
    #expect(info.upnIsConstructed)
    #expect(info.samName == "jo")
    #expect(info.sid == sid("S-1-5-21-1-2-3-1105"))

    var bad = upn
    bad.storeLE(UInt16(200), at: 2)  // UpnOffset past the end
    #expect(pacError(makePAC([(0xC, bad)]))?.message.contains("Upn") == true)
    bad = upn
    bad.storeLE(UInt16(sidBytes.count - 4), at: 16)  // SidLength shorter than the SID
    #expect(pacError(makePAC([(0xC, bad)])) != nil)
    bad = upn
    bad.storeLE(UInt16(3), at: 0)  // odd UTF-16 length
    #expect(pacError(makePAC([(0xC, bad)])) != nil)
  }

  @Test("claims: a union discriminant that differs from the claim type, and an unknown type")
  func badClaims() {
    var b = PACVectors.gokrb5ClaimsString
    // The CLAIM_ENTRY's Type and discriminant (both 3) follow the Id pointer 0c000200.
    let at = findSequence(b, [0x0C, 0, 2, 0, 3, 0, 3, 0])! + 4
    b[at + 2] = 1
    #expect(pacError(makePAC([(0xD, b)]))?.message.contains("discriminant") == true)
    b[at] = 9
    b[at + 2] = 9
    #expect(pacError(makePAC([(0xD, b)]))?.message.contains("CLAIM_TYPE 9") == true)
  }

  @Test("XPRESS_HUFF: truncated or altered compressed claims fail with typed errors; sizes are bounded")
  func compressedClaimsRobustness() throws {
    let b = PACVectors.gokrb5ClaimsXpressHuffman
    // The compressed bytes start at 52 (after the metadata and the conformance).
    for i in 52..<b.count {
      for value: UInt8 in [0x00, 0xFF, b[i] ^ 0x10] {
        var c = b
        c[i] = value
        do { _ = try PACClaimsSet(c, from: 0, to: c.count) } catch {
          #expect(error.code == .invalidData || error.code == .notSupported)
        }
      }
    }
    // A claims set cut inside its compressed bytes (the NDR lengths adjusted to match).
    for cut in stride(from: 60, to: 0x1A8, by: 7) {
      var c = Array(b.prefix(52 + cut))
      c.storeLE(UInt32(cut), at: 20)  // ulClaimsSetSize
      c.storeLE(UInt32(cut), at: 48)  // the conformance
      c.storeLE(UInt32(c.count - 16), at: 8)  // object buffer length
      #expect(throws: NTSecurityError.self) { try PACClaimsSet(c, from: 0, to: c.count) }
    }
    var huge = b
    huge.storeLE(UInt32(0xFFFF_FFF0), at: 32)  // ulUncompressedClaimsSetSize
    #expect(throws: NTSecurityError.self) { try PACClaimsSet(huge, from: 0, to: huge.count) }
    var small = b
    small.storeLE(UInt32(0x100), at: 32)  // shorter than the real claims set
    #expect(throws: NTSecurityError.self) { try PACClaimsSet(small, from: 0, to: small.count) }
  }

  @Test("signatures: HMAC-MD5 is 16 bytes, AES 12; a trailing RODCIdentifier is kept")
  func signatures() throws {
    var sig = [UInt8]()
    sig.appendLE(UInt32(0x10))
    sig += [UInt8](repeating: 0xAB, count: 12)
    sig.appendLE(UInt16(0x1234))
    let pac = try PAC(bytes: makePAC([(7, sig)]))
    #expect(pac.kdcSignature?.signature.count == 12)
    #expect(pac.kdcSignature?.rodcIdentifier == 0x1234)
    #expect(pacError(makePAC([(6, Array(sig.prefix(10)))]))?.code == .invalidData)
  }

  @Test("S4U_DELEGATION_INFO: the S4U2proxy target and the transited services")
  func delegationInfo() throws {
    func utf16(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
    var body = le(0x0002_0000) + [16, 0, 16, 0] + le(0x0002_0004, 1, 0x0002_0008)
    body += le(8, 0, 8) + utf16("HTTP/web")
    body += le(1) + [12, 0, 12, 0] + le(0x0002_000C)
    body += le(6, 0, 6) + utf16("host/a")
    let pac = try PAC(bytes: makePAC([(0xB, ndrStream(body))]))
    #expect(pac.delegationInfo == S4UDelegationInfo(proxyTarget: "HTTP/web", transitedServices: ["host/a"]))
    var bad = body
    bad.storeLE(UInt32(0x0FFF_FFFF), at: 12)  // TransitedListSize
    #expect(pacError(makePAC([(0xB, ndrStream(bad))]))?.code == .invalidData)
  }

  @Test("REQUESTOR and ATTRIBUTES_INFO are read; unknown buffer types are kept raw")
  func otherBuffers() throws {
    let requestor = sid("S-1-5-21-1-2-3-1105").bytes
    let attributes = le(2, 1)
    let pac = try PAC(bytes: makePAC([(0x12, requestor), (0x11, attributes), (0x99, [1, 2, 3])]))
    #expect(pac.requestorSID == sid("S-1-5-21-1-2-3-1105"))
    #expect(pac.attributesFlags == 1)
    #expect(pac.buffer(PACBufferType(rawValue: 0x99)) == [1, 2, 3])
    #expect(pac.buffers.map(\.type.description) == ["REQUESTOR", "ATTRIBUTES_INFO", "0x99"])
  }
}

func findSequence(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
  guard needle.count <= haystack.count else { return nil }
  for i in 0...(haystack.count - needle.count) where Array(haystack[i..<i + needle.count]) == needle {
    return i
  }
  return nil
}
