import DirectoryServices
import NTSecurity
import Testing

/// SRV answers (RFC 2782) as the DC locator reads them from `res_query`.
@Suite struct ServiceRecords {
  /// The test DC's answer for `_ldap._tcp.dc._msdcs.ad.ntsec.test` (one SRV, its target
  /// compressed against the question, an SOA in the authority section).
  static let dcAnswer = NetlogonResponse.bytes(
    "123485000001000100010000055f6c646170045f746370026463065f6d73646373026164056e747365630474657374"
      + "0000210001c00c0021000100000384000c00000064018503646331c021c01a0006000100000e100023c0460a686f73"
      + "746d6173746572c0210000000100000384000002580001518000000e10")

  @Test func readsTheDCsAnswer() throws {
    let records = try ServiceRecord.records(inDNSResponse: Self.dcAnswer)
    #expect(records == [ServiceRecord(priority: 0, weight: 100, port: 389, target: "dc1.ad.ntsec.test")])
  }

  /// A message with three answers: priority first, then the larger weight; "." is left out.
  @Test func ordersByPriorityThenWeightAndDropsTheRoot() throws {
    func srv(_ priority: UInt16, _ weight: UInt16, _ target: [UInt8]) -> [UInt8] {
      let data =
        [UInt8(priority >> 8), UInt8(priority & 0xFF), UInt8(weight >> 8), UInt8(weight & 0xFF), 0x01, 0x85]
        + target
      return [0xC0, 0x0C, 0x00, 0x21, 0x00, 0x01, 0, 0, 0, 60, 0, UInt8(data.count)] + data
    }
    let question: [UInt8] = [1, 0x61, 0] + [0x00, 0x21, 0x00, 0x01]  // "a", SRV, IN
    let header: [UInt8] = [0, 1, 0x85, 0, 0, 1, 0, 4, 0, 0, 0, 0]
    let message =
      header + question + srv(10, 5, [2, 0x64, 0x32, 0]) + srv(0, 1, [2, 0x64, 0x31, 0])
      + srv(10, 50, [2, 0x64, 0x33, 0]) + srv(0, 0, [0])
    let records = try ServiceRecord.records(inDNSResponse: message)
    #expect(records.map(\.target) == ["d1", "d3", "d2"])
  }

  /// Cut before the answer's end (12-byte header, 40-byte question, 24-byte answer), the message
  /// is ERROR_INVALID_DATA; cut in the authority section, which is not read, the answer is whole.
  @Test func truncatedMessagesAreInvalidData() {
    for n in 0..<Self.dcAnswer.count {
      do {
        let r = try ServiceRecord.records(inDNSResponse: Array(Self.dcAnswer.prefix(n)))
        #expect(n >= 76 && r.count == 1, "\(n) bytes read as \(r)")
      } catch let error as NTSecurityError {
        #expect(n < 76 && error.code == .invalidData, "\(n) bytes: \(error)")
      } catch { Issue.record("\(n): \(error)") }
    }
  }
}
