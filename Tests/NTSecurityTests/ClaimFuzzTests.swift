import TestPeers
import Testing

@testable import NTSecurity

/// Garbage never crashes the decoder or the parser, and whatever they accept round-trips.
@Suite struct ClaimFuzzTests {
  static let seeds = [
    #"("colour",TS,0xa,"blue","red")"#,
    #"("n%0020x",TI,0x3,-1,0,7)"#,
    #"("n",TU,0x0,1,2,3)"#,
    #"("n",TD,0x0,BA,S-1-5-21-1-2-3-4)"#,
    #"("n",TB,0x0,0,1)"#,
    #"("n",TX,0x0,0077,abc,#)"#,
  ]

  /// Checks that a decoded attribute re-encodes to bytes that decode to the same attribute.
  private func checkDecoded(_ bytes: [UInt8]) {
    guard let a = try? ClaimSecurityAttribute(relativeBytes: bytes) else { return }
    let again = try? ClaimSecurityAttribute(relativeBytes: a.relativeBytes)
    #expect(again == a)
    _ = a.sddl
  }

  @Test func randomBytes() {
    var rng = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
    for _ in 0..<20_000 {
      let length = Int.random(in: 0..<80, using: &rng)
      var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
      // Make the header plausible half of the time so the value paths are reached.
      if length >= 20, Bool.random(using: &rng) {
        let count = Int.random(in: 0...3, using: &rng)
        bytes.storeLE(UInt32(16 + 4 * count), at: 0)
        bytes.storeLE([1, 2, 3, 5, 6, 0x10][Int.random(in: 0..<6, using: &rng)] as UInt16, at: 4)
        bytes.storeLE(UInt32(count), at: 12)
      }
      checkDecoded(bytes)
    }
  }

  @Test func mutatedBytes() throws {
    var rng = SplitMix64(seed: 42)
    let valid = try Self.seeds.map {
      try ClaimSecurityAttribute.parseSDDL(Array($0.utf8), at: 0).0.relativeBytes
    }
    for _ in 0..<20_000 {
      var bytes = valid[Int.random(in: 0..<valid.count, using: &rng)]
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
      }
      if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng)) }
      checkDecoded(bytes)
    }
  }

  @Test func mutatedSDDL() {
    var rng = SplitMix64(seed: 7)
    let alphabet = Array(#"()",;%#-+0123456789abcdefxTIUSDXBAS "#.utf8) + [0, 0x09, 0xC3, 0xFF]
    for _ in 0..<20_000 {
      var text = Array(Self.seeds[Int.random(in: 0..<Self.seeds.count, using: &rng)].utf8)
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        let i = Int.random(in: 0..<text.count, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: text[i] = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
        case 1: text.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)], at: i)
        default: text.remove(at: i)
        }
        if text.isEmpty { text = [0x28] }
      }
      let start = Int.random(in: -1...1, using: &rng)
      guard let (a, end) = try? ClaimSecurityAttribute.parseSDDL(text, at: start) else { continue }
      #expect(end <= text.count)
      #expect(text[end - 1] == UInt8(ascii: ")"))
      // Whatever parses writes back to SDDL that parses to the same attribute and bytes.
      var out = [UInt8]()
      a.appendSDDL(to: &out)
      let again = try? ClaimSecurityAttribute.parseSDDL(out, at: 0).0
      #expect(again == a, "\(String(decoding: text, as: UTF8.self))")
      checkDecoded(a.relativeBytes)
    }
  }
}
