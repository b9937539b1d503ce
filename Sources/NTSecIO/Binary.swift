import NTSecurity

/// Decodes hex (whitespace ignored, an optional `0x` first) or, failing that, base64.
package func decodeBinary(_ text: String) throws -> [UInt8] {
  var text = text
  return try text.withUTF8 { try decodeBinary($0) }
}

/// ``decodeBinary(_:)-(String)`` on the text's UTF-8 bytes: ASCII text is handled on its bytes;
/// other text (which may hold Unicode whitespace to ignore) as characters.
package func decodeBinary(_ utf8: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
  if let bytes = hexBytesIgnoringWhitespace(utf8) { return bytes }
  var nonASCII: UInt8 = 0
  for b in utf8 { nonASCII |= b & 0x80 }
  if nonASCII != 0 { return try decodeBinary(characters: String(decoding: utf8, as: UTF8.self)) }
  var compact = [UInt8]()
  compact.reserveCapacity(utf8.count)
  for b in utf8 where b != UInt8(ascii: " ") && !(0x09...0x0D).contains(b) { compact.append(b) }
  let hasPrefix = compact.count >= 2 && compact[0] == UInt8(ascii: "0") && compact[1] == UInt8(ascii: "x")
  if let bytes = hexBytes(String(decoding: compact[(hasPrefix ? 2 : 0)...], as: UTF8.self)) { return bytes }
  if let data = Base64.decode(compact) { return data }
  throw NTSecurityError(.invalidParameter, "input is neither hex nor base64")
}

/// The common case of ``decodeBinary(_:)-(UnsafeBufferPointer<UInt8>)`` in one pass: ASCII
/// whitespace, an optional `0x` and an even number of hex digits. Nil for anything else, which
/// the general path then reads.
private func hexBytesIgnoringWhitespace(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
  let n = text.count
  let table = hexValues.utf8Start
  @inline(__always) func hexValue(_ c: UInt8) -> UInt8 { table[Int(c)] &- UInt8(ascii: "0") }
  func skipWhitespace(_ from: Int) -> Int {
    var j = from
    while j < n, hexValue(text[j]) == whitespace { j += 1 }
    return j
  }
  var i = 0
  let first = skipWhitespace(0)
  if first < n, text[first] == UInt8(ascii: "0") {
    let second = skipWhitespace(first + 1)
    if second < n, text[second] == UInt8(ascii: "x") { i = second + 1 }
  }
  var valid = true
  let bytes = [UInt8](unsafeUninitializedCapacity: (n - i) / 2) { out, count in
    var high: UInt8 = 0
    var half = false
    var o = 0
    // Pairs of digits, until whitespace or anything else needs the careful loop below.
    while i + 1 < n {
      let a = hexValue(text[i])
      let b = hexValue(text[i + 1])
      guard a | b < 16 else { break }
      out[o] = a << 4 | b
      o += 1
      i += 2
    }
    while i < n {
      let v = hexValue(text[i])
      i += 1
      if v < 16 {
        if half {
          out[o] = high << 4 | v
          o += 1
        } else {
          high = v
        }
        half.toggle()
      } else if v != whitespace {
        valid = false
        break
      }
    }
    if half { valid = false }
    count = valid ? o : 0
  }
  return valid ? bytes : nil
}

private let whitespace: UInt8 = 0x10

/// For each byte: "0" plus its hex value, "@" (`whitespace` past "0") for ASCII whitespace, "."
/// (which minus "0" wraps around past `whitespace`) for any other byte.
private let hexValues: StaticString =
  ".........@@@@@..................@...............0123456789.......:;<=>?..........................:;<=>?........................................................................................................................................................."

private func decodeBinary(characters text: String) throws -> [UInt8] {
  let compact = text.filter { !$0.isWhitespace }
  let hexDigits = compact.hasPrefix("0x") ? String(compact.dropFirst(2)) : compact
  if let bytes = hexBytes(hexDigits) { return bytes }
  if let data = Base64.decode(compact.utf8) { return data }
  throw NTSecurityError(.invalidParameter, "input is neither hex nor base64")
}

extension Base64 {
  /// The base64 text of `bytes`.
  package static func string(_ bytes: [UInt8]) -> String { String(decoding: encode(bytes), as: UTF8.self) }
}
