import CredentialManager

/// Host names and target names as git and applications send them: nothing crashes; an IDNA ASCII
/// form is ASCII, lower-case and its own ASCII form; Punycode decodes what it encodes; the
/// credential target key (Windows' ordinal upper-casing, exposed through CredRead's matching)
/// never changes a name's UTF-16 length.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let text = String(decoding: bytes, as: UTF8.self)
  if let ascii = try? IDNA.toASCII(text) {
    precondition(
      ascii.utf8.allSatisfy { $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }, "non-ASCII form of \(text)")
    precondition((try? IDNA.toASCII(ascii)) == ascii, "ASCII form of \(text) is not stable")
  }
  if let decoded = Punycode.decode(text), let again = Punycode.encode(decoded) {
    precondition(Punycode.decode(again) == decoded, "Punycode round trip of \(text)")
  }
  let scalars = Array(text.unicodeScalars.prefix(64))
  if let encoded = Punycode.encode(scalars) {
    precondition(Punycode.decode(encoded) == scalars, "Punycode of \(scalars)")
  }
  return 0
}
