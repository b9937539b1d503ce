extension ConditionalExpression {
  /// Parses the SDDL form of a condition (MS-DTYP 2.5.1.1) as Windows' lexer reads it. `start`
  /// indexes the `(` that opens the condition inside an ACE string such as
  /// `(XA;;FX;;;WD;(@User.Title == "x"))`. Returns the expression and the index one past the `)`
  /// that closes it. Throws `ERROR_INVALID_ACE_CONDITION` with the offset of the offending byte.
  public static func parseSDDL(_ text: [UInt8], at start: Int, domain: SID?) throws(NTSecurityError)
    -> (ConditionalExpression, Int)
  {
    var parser = ConditionParser(text: text, position: start, domain: domain)
    let tokens = try parser.parse()
    return (ConditionalExpression(tokens: tokens), parser.position)
  }
}

/// An infix-to-postfix translator (shunting-yard) for SDDL conditions. It keeps an explicit stack
/// rather than recursing, so deeply nested input cannot exhaust the call stack.
struct ConditionParser {
  let text: [UInt8]
  var position: Int
  let domain: SID?
  var output = [ConditionalToken]()
  /// Pending operators and open parentheses.
  var stack = [Pending]()

  init(text: [UInt8], position: Int, domain: SID?) {
    self.text = text
    self.position = position
    self.domain = domain
    output.reserveCapacity(16)
    stack.reserveCapacity(16)
  }

  struct Pending {
    /// nil for an open parenthesis.
    var op: ConditionalOperator?
    var offset: Int
  }

  /// What may come next.
  enum Expect {
    /// The start of a term: `(`, `!`, an attribute, `Member_of …` or `Exists …`.
    case term
    /// The operand of `!`: a parenthesised expression or a prefixed attribute.
    case notOperand
    /// After an attribute or `)`: a relational operator, `&&`, `||` or `)`.
    case afterOperand
    /// After a literal: `&&`, `||` or `)`.
    case afterValue
    /// The right side of `==`, `<` …: a literal, a prefixed attribute or a parenthesised literal.
    case relationalOperand
    /// The right side of `Contains`, `Any_of` …: a literal or a prefixed attribute.
    case containsOperand
    /// The operand of a `Member_of` operator: a literal or a parenthesised literal.
    case memberOperand
    /// The operand of `Exists`: an attribute.
    case existsOperand
  }

  func fail(_ message: String, at offset: Int? = nil) -> NTSecurityError {
    conditionError(message, at: offset ?? position)
  }

  mutating func parse() throws(NTSecurityError) -> [ConditionalToken] {
    guard position < text.count, text[position] == UInt8(ascii: "(") else {
      throw fail("expected '(' to open the condition")
    }
    stack.append(Pending(op: nil, offset: position))
    position += 1
    var expect = Expect.term
    while true {
      skipSpace()
      guard position < text.count else { throw fail("condition has no closing ')'") }
      let c = text[position]
      switch expect {
      case .term, .notOperand:
        if c == UInt8(ascii: "(") {
          stack.append(Pending(op: nil, offset: position))
          position += 1
          expect = .term
        } else if c == UInt8(ascii: "@") {
          output.append(try parsePrefixedAttribute())
          expect = .afterOperand
        } else if expect == .notOperand {
          throw fail("'!' must be followed by '(' or an attribute")
        } else if c == UInt8(ascii: "!"), peek(1) != UInt8(ascii: "=") {
          stack.append(Pending(op: .not, offset: position))
          position += 1
          expect = .notOperand
        } else if isAttributeChar(c) {
          let wordStart = position
          let word = readWord()
          if let op = ConditionParser.prefixOperator(text, word) {
            stack.append(Pending(op: op, offset: wordStart))
            expect = op.isMembership ? .memberOperand : .existsOperand
          } else {
            output.append(.localAttribute(asciiString(word)))
            expect = .afterOperand
          }
        } else if c == UInt8(ascii: ")") {
          throw fail("expected an expression before ')'")
        } else {
          throw fail("unexpected character at the start of a term")
        }
      case .afterOperand, .afterValue:
        if c == UInt8(ascii: ")") {
          if try closeParenthesis() { return output }
          expect = .afterOperand
        } else if let (op, length) = logicalOperator(at: position) {
          pushBinary(op, at: position)
          position += length
          expect = .term
        } else if expect == .afterValue {
          throw fail("expected '&&', '||' or ')' after a value")
        } else if let (op, length) = relationalOperator(at: position) {
          pushBinary(op, at: position)
          position += length
          expect = .relationalOperand
        } else if isAttributeChar(c), let op = ConditionParser.infixOperator(text, wordRange()) {
          pushBinary(op, at: position)
          position = wordRange().upperBound
          expect = .containsOperand
        } else {
          throw fail("expected an operator or ')'")
        }
      case .relationalOperand, .containsOperand, .memberOperand:
        if c == UInt8(ascii: "@"), expect != .memberOperand {
          output.append(try parsePrefixedAttribute())
          expect = .afterOperand
        } else if c == UInt8(ascii: "("), expect != .containsOperand {
          output.append(try parseParenthesisedLiteral())
          expect = .afterValue
        } else {
          output.append(try parseLiteral(depth: 0))
          expect = .afterValue
        }
      case .existsOperand:
        if c == UInt8(ascii: "@") {
          output.append(try parsePrefixedAttribute())
        } else if isAttributeChar(c) {
          output.append(.localAttribute(asciiString(readWord())))
        } else {
          throw fail("Exists needs an attribute")
        }
        expect = .afterOperand
      }
    }
  }

  // MARK: Operators

  /// Operators bind in this order, tightest first (lower numbers).
  static func precedence(_ op: ConditionalOperator) -> Int {
    switch op {
    case .exists, .notExists: 1
    case .not: 3
    case .and: 4
    case .or: 5
    default: 2
    }
  }

  /// Pushes a binary operator after moving pending operators that bind at least as tightly (left
  /// associativity) to the output.
  mutating func pushBinary(_ op: ConditionalOperator, at offset: Int) {
    let p = ConditionParser.precedence(op)
    while let top = stack.last, let pending = top.op {
      let q = ConditionParser.precedence(pending)
      if q > p || (q == p && pending.arity == 1) { break }
      output.append(.operator(pending))
      stack.removeLast()
    }
    stack.append(Pending(op: op, offset: offset))
  }

  /// Handles `)`: emits the operators back to the matching `(`. Returns true when that `(` opened
  /// the whole condition.
  mutating func closeParenthesis() throws(NTSecurityError) -> Bool {
    while let top = stack.popLast() {
      guard let op = top.op else {
        position += 1
        if stack.isEmpty {
          try checkBalanced()
          return true
        }
        return false
      }
      output.append(.operator(op))
    }
    throw fail("unbalanced ')'")
  }

  /// Confirms the postfix output leaves exactly one value (always so for input that parsed).
  func checkBalanced() throws(NTSecurityError) {
    var depth = 0
    for token in output {
      if case .operator(let op) = token {
        guard depth >= op.arity else { throw fail("operator lacks operands") }
        depth -= op.arity - 1
      } else {
        depth += 1
      }
    }
    guard depth == 1 else { throw fail("incomplete expression") }
  }

  func logicalOperator(at i: Int) -> (ConditionalOperator, Int)? {
    guard i + 1 < text.count, text[i] == text[i + 1] else { return nil }
    if text[i] == UInt8(ascii: "&") { return (.and, 2) }
    if text[i] == UInt8(ascii: "|") { return (.or, 2) }
    return nil
  }

  func relationalOperator(at i: Int) -> (ConditionalOperator, Int)? {
    let next = i + 1 < text.count ? text[i + 1] : 0
    let equals = next == UInt8(ascii: "=")
    switch text[i] {
    case UInt8(ascii: "="): return equals ? (.equal, 2) : nil
    case UInt8(ascii: "!"): return equals ? (.notEqual, 2) : nil
    case UInt8(ascii: "<"): return equals ? (.lessThanOrEqual, 2) : (.lessThan, 1)
    case UInt8(ascii: ">"): return equals ? (.greaterThanOrEqual, 2) : (.greaterThan, 1)
    default: return nil
    }
  }

  /// Word operators that start a term, matched case-insensitively against a whole word.
  static let prefixWords: [([UInt8], ConditionalOperator)] = wordTable([
    .memberOf, .deviceMemberOf, .memberOfAny, .deviceMemberOfAny, .notMemberOf,
    .notDeviceMemberOf, .notMemberOfAny, .notDeviceMemberOfAny, .exists, .notExists,
  ])

  /// Word operators between two operands.
  static let infixWords: [([UInt8], ConditionalOperator)] = wordTable([
    .contains, .anyOf, .notContains, .notAnyOf,
  ])

  private static func wordTable(_ ops: [ConditionalOperator]) -> [([UInt8], ConditionalOperator)] {
    ops.map { op in (op.sddlBytes.map(asciiLower), op) }
  }

  static func prefixOperator(_ text: [UInt8], _ word: Range<Int>) -> ConditionalOperator? {
    match(text, word, prefixWords)
  }

  static func infixOperator(_ text: [UInt8], _ word: Range<Int>) -> ConditionalOperator? {
    match(text, word, infixWords)
  }

  private static func match(
    _ text: [UInt8], _ word: Range<Int>, _ table: [([UInt8], ConditionalOperator)]
  ) -> ConditionalOperator? {
    candidates: for (name, op) in table where name.count == word.count {
      var k = 0
      for i in word {
        if asciiLower(text[i]) != name[k] { continue candidates }
        k += 1
      }
      return op
    }
    return nil
  }

  // MARK: Lexical helpers

  mutating func skipSpace() {
    while position < text.count, isSpace(text[position]) { position += 1 }
  }

  func peek(_ k: Int) -> UInt8? {
    position + k < text.count ? text[position + k] : nil
  }

  /// The run of local-attribute characters starting at `position`.
  func wordRange() -> Range<Int> {
    var i = position
    while i < text.count, isAttributeChar(text[i]) { i += 1 }
    return position..<i
  }

  mutating func readWord() -> Range<Int> {
    let range = wordRange()
    position = range.upperBound
    return range
  }

  func asciiString(_ range: Range<Int>) -> UTF16String {
    UTF16String(utf16: UTF16String.asciiUnits(text, range.lowerBound, range.upperBound, stopAt: 0x80) ?? [])
  }
}

/// `wspace` of MS-DTYP 2.5.1.1: tab, line feed, vertical tab, form feed, carriage return, space.
@inline(__always)
func isSpace(_ c: UInt8) -> Bool {
  c == 0x20 || (c >= 0x09 && c <= 0x0D)
}

/// `attr-char1`: the characters of local attribute names (and of bare words such as operators).
@inline(__always)
func isAttributeChar(_ c: UInt8) -> Bool {
  switch c {
  case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "/"),
    UInt8(ascii: "_"):
    true
  default: false
  }
}

@inline(__always)
func asciiLower(_ c: UInt8) -> UInt8 {
  c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c + 32 : c
}
