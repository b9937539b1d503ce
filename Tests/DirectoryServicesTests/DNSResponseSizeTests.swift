import Testing

@testable import DirectoryServices

/// res_query answers longer than the first buffer (a TCP retry returns up to 64 KiB) are asked
/// again with room for them, not cut.
@Suite struct DNSResponseSizeTests {
  /// A stand-in for res_query holding an answer of `length` bytes: it copies what fits and
  /// returns the full length, as res_query does.
  func query(length: Int) -> (UnsafeMutablePointer<UInt8>, Int32) -> Int32 {
    let answer = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    return { buffer, size in
      for i in 0..<min(Int(size), length) { buffer[i] = answer[i] }
      return Int32(length)
    }
  }

  @Test("An answer of 5000 bytes is read whole; one claiming more than 65535 stops at 65535")
  func longAnswersReadWhole() {
    let (buffer, n) = DNSServiceRecords.response(query(length: 5000))
    #expect(n == 5000 && buffer.count == 5000)
    #expect(buffer == (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    let (large, m) = DNSServiceRecords.response(query(length: 70000))
    #expect(m == 70000 && large.count == 65535)
    let (small, k) = DNSServiceRecords.response(query(length: 300))
    #expect(k == 300 && small.count == 4096)
  }
}
