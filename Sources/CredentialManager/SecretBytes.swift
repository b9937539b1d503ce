internal import CKeyring

/// Bytes that are a secret (a credential blob, a password). Its description, debug description
/// and mirror never show the contents, only the length.
///
/// `clear()` overwrites the storage this value owns with zeros. Swift arrays are values: a copy
/// made earlier (by the caller, or by a `String` built from the bytes) is separate storage that
/// only its owner can clear. When this value still *shares* its storage with such a copy
/// (copy-on-write), `clear()` cannot overwrite it without changing the copy: it zeroes a private
/// copy of its own and empties itself, and the shared storage keeps the secret until its last
/// owner clears or drops it. docs/credential-vault.md lists these limits.
public struct SecretBytes: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable, ExpressibleByArrayLiteral
{
  /// The secret itself.
  public var bytes: [UInt8]

  /// Wraps bytes.
  public init(_ bytes: [UInt8] = []) { self.bytes = bytes }
  /// UTF-16LE without a terminator: how Windows stores a password in a credential blob.
  public init(password: String) { self.bytes = SecretBytes.utf16LE(password) }
  public init(arrayLiteral elements: UInt8...) { self.bytes = elements }

  public var count: Int { bytes.count }
  public var isEmpty: Bool { bytes.isEmpty }

  /// The blob read as a UTF-16LE password, or nil when it is not valid UTF-16LE text.
  public var password: String? {
    guard bytes.count % 2 == 0 else { return nil }
    var units: [UInt16] = []
    units.reserveCapacity(bytes.count / 2)
    for i in stride(from: 0, to: bytes.count, by: 2) {
      units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
    }
    defer { units.withUnsafeMutableBytes { ntsec_explicit_bzero($0.baseAddress, $0.count) } }
    var text = ""
    var iterator = units.makeIterator()
    var decoder = UTF16()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let s): text.unicodeScalars.append(s)
      case .emptyInput: return text
      case .error: return nil
      }
    }
  }

  /// Overwrites the bytes with zeros, then empties the value.
  public mutating func clear() {
    bytes.withUnsafeMutableBytes { ntsec_explicit_bzero($0.baseAddress, $0.count) }
    bytes = []
  }

  public var description: String { "<secret, \(bytes.count) bytes>" }
  public var debugDescription: String { description }
  public var customMirror: Mirror { Mirror(self, children: ["count": bytes.count]) }

  static func utf16LE(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf16.count * 2)
    for unit in text.utf16 {
      out.append(UInt8(unit & 0xFF))
      out.append(UInt8(unit >> 8))
    }
    return out
  }
}

/// Overwrites a byte array with zeros (for temporaries that held secrets).
@inline(never) func wipe(_ bytes: inout [UInt8]) {
  bytes.withUnsafeMutableBytes { ntsec_explicit_bzero($0.baseAddress, $0.count) }
}
