import TestPeers
import Testing

@testable import NTSecurity

/// Malformed text and bytecode, and garbage that must never crash.
@Suite struct ConditionalErrorTests {
  static let artx: [UInt8] = [0x61, 0x72, 0x74, 0x78]

  static func parseError(_ text: String, domain: SID? = nil) -> NTSecurityError? {
    #expect(throws: NTSecurityError.self, "\(text)") {
      try ConditionalExpression.parseSDDL(Array(text.utf8), at: 0, domain: domain)
    }
  }

  @Test func malformedText() {
    let cases: [(String, Int)] = [
      ("x", 0),  // no opening parenthesis
      ("(", 1),  // no closing parenthesis
      ("(a == 1", 7),
      ("()", 1),  // empty
      ("( )", 2),
      ("(a ==)", 5),  // missing right operand
      ("(a == a)", 6),  // local attribute on the right
      ("(a == 1 == 2)", 8),  // a value cannot be compared again
      ("(a b)", 3),
      ("(a = 1)", 3),
      ("(! Member_of{SID(BA)})", 3),  // '!' needs '(' or an attribute
      ("(!!(a))", 2),
      ("(Member_of_AnySID(S-1-1-0))", 17),  // one word: a local attribute
      ("(@Foo.x == 1)", 1),
      ("(@User.)", 7),  // empty name
      ("(@User.a", 1),  // name runs to the end
      ("(@User.a%00 == 1)", 8),  // short escape
      ("(@User.a%zzzz == 1)", 8),
      ("(a == \"unterminated)", 6),
      ("(a == 0x10000000000000000)", 6),  // does not fit in 64 bits
      ("(a == 18446744073709551616)", 6),
      ("(a == 08)", 6),  // not octal
      ("(a == 12abc)", 6),
      ("(a == -)", 6),
      ("(a == SID(XX))", 10),  // unknown alias
      ("(a == SID(S-1-5)", 16),
      ("(a == SIX(BA))", 6),
      ("(a == {1,})", 9),
      ("(a == {1 2})", 9),
      ("(a == {1)", 8),
      ("(Member_of @User.a)", 11),  // Member_of takes a literal
      ("(a Contains (1))", 12),
      ("(Exists \"a\")", 8),
      ("(a))", 3),  // parses "(a)"; the caller sees what follows
    ]
    for (text, offset) in cases {
      if text == "(a))" {
        let parsed = try? ConditionalExpression.parseSDDL(Array(text.utf8), at: 0, domain: nil)
        #expect(parsed?.1 == offset)
        continue
      }
      let error = Self.parseError(text)
      #expect(error?.code == .invalidAceCondition, "\(text): \(String(describing: error))")
      #expect(error?.offset == offset, "\(text): \(String(describing: error))")
    }
    // A domain-relative alias without a domain is a mapping error, as elsewhere in SDDL.
    #expect(Self.parseError("(Member_of SID(DA))")?.code == .noneMapped)
    // Invalid UTF-8 inside a string.
    let bad: [UInt8] = Array("(a == \"".utf8) + [0xC3, 0x28] + Array("\")".utf8)
    #expect(throws: NTSecurityError.self) { try ConditionalExpression.parseSDDL(bad, at: 0, domain: nil) }
  }

  static func decodeError(_ bytes: [UInt8]) -> NTSecurityError? {
    #expect(throws: NTSecurityError.self, "\(bytes)") { try ConditionalExpression(binary: bytes) }
  }

  @Test func malformedBytecode() {
    let a: [UInt8] = [0xF8, 2, 0, 0, 0, 0x61, 0]  // local attribute "a"
    let cases: [([UInt8], Int)] = [
      ([], 0), (Array("artX".utf8), 0),
      (Self.artx, 4),  // empty expression
      (Self.artx + [0x04, 1, 0, 0], 4),  // truncated integer
      (Self.artx + [0xF8, 9, 0, 0, 0, 0x61, 0], 4),  // length beyond the data
      (Self.artx + [0xF8, 2, 0], 4),  // truncated length
      (Self.artx + [0xF8, 1, 0, 0, 0, 0x61], 5),  // odd UTF-16 length
      (Self.artx + [0x42], 4),  // unknown token
      (Self.artx + [0x80], 4),  // operator without operands
      (Self.artx + a + [0x80], 11),  // binary operator with one operand
      (Self.artx + a + a, 18),  // two values left
      (Self.artx + a + [0, 0x87], 12),  // token after padding
      (Self.artx + [0x04, 1, 0, 0, 0, 0, 0, 0, 0, 7, 2], 13),  // bad sign
      (Self.artx + [0x04, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0], 14),  // bad base
      (Self.artx + [0x01, 0xFF, 0, 0, 0, 0, 0, 0, 0, 3, 2], 4),  // int8 out of range
      (Self.artx + [0x50, 1, 0, 0, 0, 0x80, 0x89], 9),  // operator inside a composite
      (Self.artx + [0x50, 7, 0, 0, 0] + a + [0x89], 9),  // attribute inside a composite
      (Self.artx + [0x51, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0x89], 5),  // SID shorter than its token
      (Self.artx + [0x51, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 5], 5),  // SID longer than its token
      (Self.artx + [0x10, 2, 0, 0, 0, 0, 0], 9),  // NUL in a string
    ]
    for (bytes, offset) in cases {
      let error = Self.decodeError(bytes)
      #expect(error?.code == .invalidAceCondition, "\(bytes): \(String(describing: error))")
      #expect(error?.offset == offset, "\(bytes): \(String(describing: error))")
    }
    var nested: [UInt8] = [0x50, 0, 0, 0, 0]
    for _ in 0..<40 {
      var outer: [UInt8] = [0x50]
      outer.appendLE(UInt32(nested.count))
      nested = outer + nested
    }
    #expect(Self.decodeError(Self.artx + nested)?.message.contains("deeply") == true)
  }

  @Test func unwritableTokens() {
    let unwritable: [[ConditionalToken]] = [
      [],
      [.localAttribute("a"), .localAttribute("b")],
      [.operator(.and)],
      [.localAttribute("a b")],
      [.localAttribute("")],
      [.userAttribute("")],
      [.localAttribute("a"), .unicodeString("say \"hi\""), .operator(.equal)],
    ]
    for tokens in unwritable {
      #expect(throws: NTSecurityError.self, "\(tokens)") { try ConditionalExpression(tokens: tokens).sddl() }
    }
  }

  /// Random bytecode never crashes; whatever decodes re-encodes to the same bytes.
  @Test func randomBytecode() throws {
    var rng = SplitMix64(seed: 0x5EED)
    let interesting: [UInt8] = [
      0, 1, 2, 3, 4, 0x10, 0x18, 0x50, 0x51, 0x80, 0x87, 0x89, 0xA0, 0xA2, 0xF8, 0xFB,
    ]
    var decodedCount = 0
    for round in 0..<20_000 {
      var bytes = Self.artx
      let length = Int.random(in: 0...40, using: &rng)
      for _ in 0..<length {
        if Bool.random(using: &rng) {
          bytes.append(interesting.randomElement(using: &rng)!)
        } else {
          bytes.append(UInt8.random(in: 0...(round % 2 == 0 ? 8 : 255), using: &rng))
        }
      }
      guard let expression = try? ConditionalExpression(binary: bytes) else { continue }
      decodedCount += 1
      let reencoded = expression.binary
      if bytes.count % 4 == 0 {
        #expect(reencoded == bytes, "\(bytes)")
      } else {
        #expect(try ConditionalExpression(binary: reencoded) == expression, "\(bytes)")
      }
      if let text = try? expression.sddl(),
        let (again, _) = try? ConditionalExpression.parseSDDL(Array(text.utf8), at: 0, domain: nil)
      {
        _ = again.binary
      }
    }
    // Mostly garbage, but a few streams are valid.
    #expect(decodedCount > 0)
  }

  /// Random SDDL-like text never crashes; whatever parses survives binary and text round trips.
  @Test func randomText() throws {
    var rng = SplitMix64(seed: 42)
    let pieces = [
      "(", ")", "(", ")", " ", "a", "@User.", "@Device.x", "@Resource.", "x", "==", "!=", "<", ">=", "&&",
      "||", "!", "Member_of", "Exists ", "Not_Any_of", "Contains", " 1", "-0x1f", "07", "\"s\"", "#0a",
      "{", "}", ",", "SID(BA)", "SID(S-1-5-32-544)", "%0041", "%zz", "\u{E9}", "99999999999999999999",
    ]
    var parsedCount = 0
    for _ in 0..<20_000 {
      var text = "("
      for _ in 0..<Int.random(in: 1...14, using: &rng) { text += pieces.randomElement(using: &rng)! }
      let bytes = Array(text.utf8)
      guard let (expression, _) = try? ConditionalExpression.parseSDDL(bytes, at: 0, domain: nil) else {
        continue
      }
      parsedCount += 1
      let binary = expression.binary
      let decoded = try ConditionalExpression(binary: binary)
      #expect(decoded == expression, "\(text)")
      let written = try decoded.sddl()
      let (again, end) = try ConditionalExpression.parseSDDL(Array(written.utf8), at: 0, domain: nil)
      #expect(end == written.utf8.count, "\(text) -> \(written)")
      #expect(again.binary == binary, "\(text) -> \(written)")
    }
    #expect(parsedCount > 100)
  }

  /// Deep nesting is handled without recursion.
  @Test func deepNesting() throws {
    let depth = 50_000
    let text = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
    let (deep, _) = try ConditionalExpression.parseSDDL(Array(text.utf8), at: 0, domain: nil)
    #expect(deep.tokens == [.localAttribute("a")])

    let nots = String(repeating: "!(", count: depth) + "a" + String(repeating: ")", count: depth)
    let (negated, _) = try ConditionalExpression.parseSDDL(Array("(\(nots))".utf8), at: 0, domain: nil)
    #expect(negated.tokens.count == depth + 1)
    let decoded = try ConditionalExpression(binary: negated.binary)
    #expect(try decoded.sddl() == "(\(nots))")
  }
}
