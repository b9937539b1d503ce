/// A locally unique identifier (LUID): a 64-bit value split into a low and a high part.
public struct LUID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The low 32 bits.
  public var lowPart: UInt32
  /// The high 32 bits (signed, as in the Windows structure).
  public var highPart: Int32

  /// Creates a LUID from its parts.
  public init(lowPart: UInt32, highPart: Int32 = 0) {
    self.lowPart = lowPart
    self.highPart = highPart
  }

  /// Creates a LUID from a 64-bit value.
  public init(_ value: UInt64) {
    lowPart = UInt32(truncatingIfNeeded: value)
    highPart = Int32(truncatingIfNeeded: value >> 32)
  }

  /// The combined 64-bit value.
  public var value: UInt64 { UInt64(UInt32(bitPattern: highPart)) << 32 | UInt64(lowPart) }

  public static func < (a: LUID, b: LUID) -> Bool { a.value < b.value }

  /// `0xHIGH:0xLOW`, as whoami and klist print logon ids.
  public var description: String {
    "0x" + String(UInt32(bitPattern: highPart), radix: 16) + ":0x" + String(lowPart, radix: 16)
  }
}
