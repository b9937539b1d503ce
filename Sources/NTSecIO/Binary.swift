import NTSecurity

/// Decodes hex (whitespace ignored) or, failing that, base64.
package func decodeBinary(_ text: String) throws -> [UInt8] {
  let compact = text.filter { !$0.isWhitespace }
  let hexDigits = compact.hasPrefix("0x") ? String(compact.dropFirst(2)) : compact
  if let bytes = hexBytes(hexDigits) { return bytes }
  if let data = Base64.decode(compact) { return data }
  throw NTSecurityError(.invalidParameter, "input is neither hex nor base64")
}

/// The bytes of an even number of hex digits (either case, nothing else); nil otherwise.
package func hexBytes(_ text: String) -> [UInt8]? {
  let digits = Array(text.utf8)
  guard digits.count % 2 == 0 else { return nil }
  var out = [UInt8]()
  out.reserveCapacity(digits.count / 2)
  var i = 0
  while i < digits.count {
    guard let high = hexDigitValue(digits[i]), let low = hexDigitValue(digits[i + 1]) else { return nil }
    out.append(high << 4 | low)
    i += 2
  }
  return out
}

private func hexDigitValue(_ c: UInt8) -> UInt8? {
  switch c {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
  default: nil
  }
}

/// The one base64 codec of the tools (standard alphabet, padding required on decode).
package enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  package static func encode(_ bytes: [UInt8]) -> String {
    var out = [UInt8]()
    var i = 0
    while i < bytes.count {
      let n = min(3, bytes.count - i)
      let b0 = bytes[i]
      let b1 = n > 1 ? bytes[i + 1] : 0
      let b2 = n > 2 ? bytes[i + 2] : 0
      out.append(alphabet[Int(b0 >> 2)])
      out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
      out.append(n > 1 ? alphabet[Int((b1 & 0xf) << 2 | b2 >> 6)] : UInt8(ascii: "="))
      out.append(n > 2 ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The value of each alphabet byte; 0xff for bytes outside it.
  static let table: [UInt8] = {
    var table = [UInt8](repeating: 0xff, count: 256)
    for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
    return table
  }()

  package static func decode(_ text: String) -> [UInt8]? {
    let u = Array(text.utf8)
    guard u.count % 4 == 0 else { return nil }
    var out = [UInt8]()
    for chunk in stride(from: 0, to: u.count, by: 4) {
      var v: UInt32 = 0
      var pad = 0
      for k in 0..<4 {
        let c = u[chunk + k]
        if c == UInt8(ascii: "=") {
          guard chunk + 4 == u.count, k >= 2 else { return nil }
          pad += 1
          v <<= 6
          continue
        }
        guard pad == 0, table[Int(c)] != 0xff else { return nil }
        v = v << 6 | UInt32(table[Int(c)])
      }
      out.append(UInt8(truncatingIfNeeded: v >> 16))
      if pad < 2 { out.append(UInt8(truncatingIfNeeded: v >> 8)) }
      if pad < 1 { out.append(UInt8(truncatingIfNeeded: v)) }
    }
    return out
  }
}

extension Array where Element == UInt8 {
  package var hexString: String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(count * 2)
    for b in self {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0xf)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
