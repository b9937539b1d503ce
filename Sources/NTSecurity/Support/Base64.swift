/// Base64 (RFC 4648 section 4: the standard alphabet, padding written and required) on bytes, for
/// the package's modules: the CLI's token lines and binary formats, and the vault's key file,
/// whose secrets never pass through a `String` or an intermediate copy.
package enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// The value of each alphabet byte; 0xff for every other byte.
  static let table: [UInt8] = {
    var table = [UInt8](repeating: 0xff, count: 256)
    for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
    return table
  }()

  /// The base64 text of `bytes`, as ASCII bytes.
  package static func encode(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i < bytes.count {
      let n = min(3, bytes.count - i)
      let v =
        UInt32(bytes[i]) << 16 | (n > 1 ? UInt32(bytes[i + 1]) << 8 : 0) | (n > 2 ? UInt32(bytes[i + 2]) : 0)
      out.append(alphabet[Int(v >> 18 & 63)])
      out.append(alphabet[Int(v >> 12 & 63)])
      out.append(n > 1 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
      out.append(n > 2 ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
      i += 3
    }
    return out
  }

  /// The bytes `text` encodes; nil unless it is whole quanta of the alphabet with `=` padding only
  /// at the end.
  package static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
    let count = text.count
    guard count % 4 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(count / 4 * 3)
    var v: UInt32 = 0
    var pad = 0
    var position = 0
    for c in text {
      let k = position % 4
      position += 1
      if c == UInt8(ascii: "=") {
        // Only the last two places of the last quantum.
        guard position > count - 4, k >= 2 else { return nil }
        pad += 1
        v <<= 6
      } else {
        guard pad == 0, table[Int(c)] != 0xff else { return nil }
        v = v << 6 | UInt32(table[Int(c)])
      }
      if k == 3 {
        out.append(UInt8(truncatingIfNeeded: v >> 16))
        if pad < 2 { out.append(UInt8(truncatingIfNeeded: v >> 8)) }
        if pad < 1 { out.append(UInt8(truncatingIfNeeded: v)) }
        v = 0
      }
    }
    return out
  }
}
