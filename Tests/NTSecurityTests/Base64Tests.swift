import NTSecurity
import Testing

/// The package's one base64 codec: RFC 4648's test vectors both ways, and what it refuses.
@Suite struct Base64Tests {
  @Test(
    "RFC 4648 section 10 vectors",
    arguments: [
      ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
      ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
  func vectors(_ plain: String, _ encoded: String) {
    #expect(Base64.encode(Array(plain.utf8)) == Array(encoded.utf8))
    #expect(Base64.decode(encoded.utf8) == Array(plain.utf8))
  }

  @Test("Every byte value round-trips") func allBytes() {
    let bytes = (0...255).map { UInt8($0) }
    for n in 0...bytes.count {
      #expect(Base64.decode(Base64.encode(Array(bytes.prefix(n)))) == Array(bytes.prefix(n)))
    }
  }

  @Test(
    "Malformed text is refused",
    arguments: ["Zg=", "Zg", "Z===", "=Zg=", "Zg=a", "Zg==Zm8=", "Zm9v\n", "Zm-v", "Zm9v Zg=="])
  func refused(_ text: String) {
    #expect(Base64.decode(text.utf8) == nil)
  }
}
