import DirectoryServices
import NTSecurity
import TestPeers
import Testing

/// The DCE/RPC and DRSUAPI decoders on hand-built replies, every truncation of them and random
/// bytes: values decoded exactly, malformed input a typed ERROR_INVALID_DATA, never a crash.
@Suite struct RPCWireDecoding {
  static func le32(_ v: UInt32) -> [UInt8] {
    [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
  }

  static func string(_ s: String) -> [UInt8] {
    let units = Array(s.utf16) + [0]
    var b = le32(UInt32(units.count)) + le32(0) + le32(UInt32(units.count))
    for u in units { b += [UInt8(u & 0xFF), UInt8(u >> 8)] }
    while b.count % 4 != 0 { b.append(0) }
    return b
  }

  /// A DRSCrackNames reply (version 1) with two items: one found (domain and name), one not
  /// found (no strings), WERROR 0.
  static let crackReply: [UInt8] = {
    var b = le32(1) + le32(1) + le32(0x20000) + le32(2) + le32(0x20004) + le32(2)
    b += le32(0) + le32(0x20008) + le32(0x2000C)
    b += le32(2) + le32(0) + le32(0)
    b += string("ad.example.com") + string("CN=alice,CN=Users,DC=ad,DC=example,DC=com")
    return b + le32(0)
  }()

  @Test func crackNamesReplyDecodes() throws {
    let items = try RPCWire.decodeCrackNamesResponse(Self.crackReply)
    #expect(
      items == [
        DsNameResultItem(
          status: .noError, domain: "ad.example.com", name: "CN=alice,CN=Users,DC=ad,DC=example,DC=com"),
        DsNameResultItem(status: .notFound, domain: nil, name: nil),
      ])
    #expect(items[1].status.description == "DS_NAME_ERROR_NOT_FOUND")
    // A WERROR is the call's error, with its code.
    var failed = Self.crackReply
    failed.replaceSubrange(failed.count - 4..<failed.count, with: Self.le32(8_453))
    #expect(throws: NTSecurityError.self) { try RPCWire.decodeCrackNamesResponse(failed) }
    do { _ = try RPCWire.decodeCrackNamesResponse(failed) } catch { #expect(error.code.rawValue == 8_453) }
  }

  @Test func everyTruncationIsInvalidData() {
    for n in 0..<Self.crackReply.count {
      do {
        _ = try RPCWire.decodeCrackNamesResponse(Array(Self.crackReply.prefix(n)))
        Issue.record("a reply cut at \(n) decoded")
      } catch { #expect(error.code == .invalidData) }
    }
  }

  @Test func pduHeaderChecks() throws {
    // A response PDU (type 2) of 24 bytes, call 7, no auth.
    let pdu: [UInt8] = [5, 0, 2, 3, 0x10, 0, 0, 0, 24, 0, 0, 0, 7, 0, 0, 0] + Self.le32(0) + [0, 0, 0, 0]
    let decoded = try RPCWire.decodePDU(pdu)
    #expect(decoded.type == 2 && decoded.callID == 7 && decoded.body.count == 8 && decoded.authValue == nil)
    var wrongLength = pdu
    wrongLength[8] = 40
    #expect(throws: NTSecurityError.self) { try RPCWire.decodePDU(wrongLength) }
    var hugeAuth = pdu
    hugeAuth[10] = 200
    #expect(throws: NTSecurityError.self) { try RPCWire.decodePDU(hugeAuth) }
    var bigEndian = pdu
    bigEndian[4] = 0
    #expect(throws: NTSecurityError.self) { try RPCWire.decodePDU(bigEndian) }
  }

  @Test func randomBytesNeverCrash() {
    var rng = SplitMix64(seed: 0x5EED)
    for _ in 0..<20_000 {
      let count = Int(rng.next() % 96)
      let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      _ = try? RPCWire.decodePDU(bytes)
      _ = try? RPCWire.decodeEndpointMapResponse(bytes)
      _ = try? RPCWire.decodeBindResponse(bytes)
      _ = try? RPCWire.decodeCrackNamesResponse(bytes)
    }
  }
}
