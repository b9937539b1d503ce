/// A JSON (RFC 8259) syntax check that says where text stops being JSON: what the tools need to
/// report a token file's syntax error by line and column, which the decoder's message does not
/// reliably carry.
package enum JSONSyntax {
  /// The deepest nesting checked; deeper text is reported at the bracket that goes too deep.
  static let maximumDepth = 512

  /// The byte offset of the first syntax error in `bytes` (one JSON value, whitespace around it),
  /// or nil when the text is well-formed.
  package static func errorOffset(_ bytes: [UInt8]) -> Int? {
    var scanner = Scanner(bytes: bytes)
    do {
      scanner.skipSpace()
      try scanner.value(depth: 0)
      scanner.skipSpace()
      return scanner.index == bytes.count ? nil : scanner.index
    } catch {
      return scanner.index
    }
  }

  private struct Stop: Error {}

  private struct Scanner {
    let bytes: [UInt8]
    var index = 0

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
      while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 }
    }

    mutating func expect(_ c: UInt8) throws(Stop) {
      guard current == c else { throw Stop() }
      index += 1
    }

    mutating func value(depth: Int) throws(Stop) {
      switch current {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard depth < JSONSyntax.maximumDepth else { throw Stop() }
        try container(depth: depth + 1)
      case UInt8(ascii: "\""): try string()
      case UInt8(ascii: "t"): try word("true")
      case UInt8(ascii: "f"): try word("false")
      case UInt8(ascii: "n"): try word("null")
      default: try number()
      }
    }

    /// An object or an array, from its opening bracket to its closing one.
    mutating func container(depth: Int) throws(Stop) {
      let isObject = current == UInt8(ascii: "{")
      let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
      index += 1
      skipSpace()
      if current == close {
        index += 1
        return
      }
      while true {
        if isObject {
          try string()
          skipSpace()
          try expect(UInt8(ascii: ":"))
          skipSpace()
        }
        try value(depth: depth)
        skipSpace()
        if current == close {
          index += 1
          return
        }
        try expect(UInt8(ascii: ","))
        skipSpace()
      }
    }

    mutating func word(_ text: StaticString) throws(Stop) {
      let utf8 = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
      for c in utf8 { try expect(c) }
    }

    mutating func string() throws(Stop) {
      try expect(UInt8(ascii: "\""))
      while let c = current {
        switch c {
        case UInt8(ascii: "\""):
          index += 1
          return
        case UInt8(ascii: "\\"):
          index += 1
          guard let escaped = current else { throw Stop() }
          if escaped == UInt8(ascii: "u") {
            index += 1
            for _ in 0..<4 {
              guard let h = current, hexDigit(h) else { throw Stop() }
              index += 1
            }
          } else {
            guard "\"\\/bfnrt".utf8.contains(escaped) else { throw Stop() }
            index += 1
          }
        case 0..<0x20: throw Stop()
        default: index += 1
        }
      }
      throw Stop()
    }

    mutating func number() throws(Stop) {
      if current == UInt8(ascii: "-") { index += 1 }
      if current == UInt8(ascii: "0") {
        index += 1
      } else {
        try digits()
      }
      if current == UInt8(ascii: ".") {
        index += 1
        try digits()
      }
      if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
        index += 1
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
        try digits()
      }
    }

    mutating func digits() throws(Stop) {
      guard let c = current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { throw Stop() }
      while let c = current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { index += 1 }
    }

    func hexDigit(_ c: UInt8) -> Bool {
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c | 0x20)
    }
  }
}
