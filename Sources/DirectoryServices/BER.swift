import NTSecurity

/// The few ASN.1 BER (X.690) forms LDAP messages use: definite lengths, single-byte tags.
enum BER {
  static func length(_ n: Int) -> [UInt8] {
    if n < 0x80 { return [UInt8(n)] }
    var bytes: [UInt8] = []
    var v = n
    while v > 0 {
      bytes.insert(UInt8(v & 0xFF), at: 0)
      v >>= 8
    }
    return [0x80 | UInt8(bytes.count)] + bytes
  }

  static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }

  static func integer(_ value: Int, tag: UInt8 = 0x02) -> [UInt8] {
    var bytes: [UInt8] = []
    var v = value
    repeat {
      bytes.insert(UInt8(truncatingIfNeeded: v), at: 0)
      v >>= 8
    } while v != 0 && v != -1
    if value >= 0, bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
    if value < 0, bytes[0] & 0x80 == 0 { bytes.insert(0xFF, at: 0) }
    return tlv(tag, bytes)
  }

  static func octets(_ bytes: [UInt8], tag: UInt8 = 0x04) -> [UInt8] { tlv(tag, bytes) }
  static func string(_ text: String) -> [UInt8] { octets(Array(text.utf8)) }

  /// One element read from a buffer: tag, the content's range.
  struct Element {
    var tag: UInt8
    var content: Range<Int>
  }

  /// Reads BER elements in `bytes[range]`, with typed errors naming the offset.
  struct Reader {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], _ range: Range<Int>? = nil) {
      self.bytes = bytes
      position = range?.lowerBound ?? 0
      end = range?.upperBound ?? bytes.count
    }

    var atEnd: Bool { position >= end }

    mutating func next(_ what: String) throws -> Element {
      let start = position
      guard position + 2 <= end else { throw fail("truncated \(what)", start) }
      let tag = bytes[position]
      guard tag & 0x1F != 0x1F else { throw fail("multi-byte tag in \(what)", start) }
      var length = Int(bytes[position + 1])
      position += 2
      if length & 0x80 != 0 {
        let count = length & 0x7F
        guard count >= 1, count <= 4, position + count <= end else {
          throw fail("bad length of \(what)", start)
        }
        length = 0
        for _ in 0..<count {
          length = length << 8 | Int(bytes[position])
          position += 1
        }
      }
      guard length <= end - position else { throw fail("\(what) runs past its container", start) }
      defer { position += length }
      return Element(tag: tag, content: position..<position + length)
    }

    mutating func expect(_ tag: UInt8, _ what: String) throws -> Element {
      let start = position
      let e = try next(what)
      guard e.tag == tag else {
        throw fail("\(what): tag 0x\(String(e.tag, radix: 16)), expected 0x\(String(tag, radix: 16))", start)
      }
      return e
    }

    func integer(_ e: Element, _ what: String) throws -> Int {
      guard !e.content.isEmpty, e.content.count <= 8 else { throw fail("bad \(what)", e.content.lowerBound) }
      var v = Int(Int8(bitPattern: bytes[e.content.lowerBound]))
      for i in e.content.dropFirst() { v = v << 8 | Int(bytes[i]) }
      return v
    }

    func fail(_ message: String, _ offset: Int) -> NTSecurityError {
      NTSecurityError(.invalidData, "LDAP message: \(message)", offset: offset)
    }
  }
}
