import NTSecurity

/// Decodes hex (whitespace ignored) or, failing that, base64.
package func decodeBinary(_ text: String) throws -> [UInt8] {
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
