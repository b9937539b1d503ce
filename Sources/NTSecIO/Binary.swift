import NTSecurity

/// Decodes hex (whitespace ignored) or, failing that, base64.
package func decodeBinary(_ text: String) throws -> [UInt8] {
  let compact = text.filter { !$0.isWhitespace }
  let hexDigits = compact.hasPrefix("0x") ? String(compact.dropFirst(2)) : compact
  if let bytes = hexBytes(hexDigits) { return bytes }
  if let data = Base64.decode(compact.utf8) { return data }
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

extension Base64 {
  /// The base64 text of `bytes`.
  package static func string(_ bytes: [UInt8]) -> String { String(decoding: encode(bytes), as: UTF8.self) }
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
