import TestPeers
import Testing

/// The subset property (``RestrictionProperty``) on 100,000 random scenarios, in four
/// shards that run in parallel.
@Suite struct RestrictionPropertyTests {
  static let shards = 4
  static let scenariosPerShard = 25_000

  @Test("restricting a token never widens its access (4 × 25,000 random scenarios)", arguments: 0..<shards)
  func restrictionNeverWidens(shard: Int) {
    var rng = SplitMix64(seed: 0x11_5EED_0000 + UInt64(shard))
    var failures = 0
    for _ in 0..<Self.scenariosPerShard {
      if let broken = RestrictionProperty.check(using: &rng) {
        failures += 1
        if failures <= 3 { Issue.record("\(broken)") }
      }
    }
    #expect(failures == 0)
  }
}
