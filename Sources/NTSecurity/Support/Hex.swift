/// The bytes of an even number of hex digits (either case, nothing else); nil otherwise.
package func hexBytes(_ text: String) -> [UInt8]? {
  let digits = Array(text.utf8)
  guard digits.count % 2 == 0 else { return nil }
  var out = [UInt8]()
  out.reserveCapacity(digits.count / 2)
  var i = 0
  while i < digits.count {
    guard let high = hexValue(digits[i]), let low = hexValue(digits[i + 1]) else { return nil }
    out.append(high << 4 | low)
    i += 2
  }
  return out
}

extension Array where Element == UInt8 {
  /// The bytes as lower-case hex digits, two a byte.
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
