import NTSecurity

/// The fail-closed property (``RestrictionProperty``, shared with the property test through a symbolic
/// link): the fuzz bytes are the random source that picks the token, the descriptor and the
/// sequence of restricting operations; a step that widens access, or loses TOKEN_IS_RESTRICTED or
/// WRITE_RESTRICTED, stops the run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var source = FuzzBytes(UnsafeBufferPointer(start: data, count: size))
  if let broken = RestrictionProperty.check(using: &source) {
    preconditionFailure("a restriction widened access: \(broken)")
  }
  return 0
}

/// A random number generator that reads the fuzz input, eight bytes a number, then goes on with a
/// SplitMix64 sequence (a generator stuck at one value would never end the rejection sampling of
/// `Int.random(in:using:)`).
struct FuzzBytes: RandomNumberGenerator {
  let bytes: UnsafeBufferPointer<UInt8>
  var offset = 0
  var state: UInt64 = 0x1157_0000

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func next() -> UInt64 {
    if offset < bytes.count {
      var value: UInt64 = 0
      for k in 0..<8 where offset + k < bytes.count {
        value |= UInt64(bytes[offset + k]) << (8 * UInt64(k))
      }
      offset += 8
      state ^= value
      return value
    }
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
