extension ConditionalExpression {
  /// Parses the SDDL form of a condition (MS-DTYP 2.5.1.1), the whole of `sddl` with its outer
  /// parentheses, e.g. `(@User.Title == "PM")`, as Windows' lexer reads it. Domain-relative SID
  /// aliases resolve against `domain`. Throws `ERROR_INVALID_ACE_CONDITION` with the offset of the
  /// offending byte.
  public init(sddl: String, domain: SID? = nil) throws(NTSecurityError) {
    let text = Array(sddl.utf8)
    let (expression, end) = try Self.parseSDDL(text, at: 0, domain: domain)
    guard end == text.count else { throw conditionError("unexpected text after the condition", at: end) }
    self = expression
  }

  /// Parses the SDDL form of a condition (MS-DTYP 2.5.1.1) as Windows' lexer reads it. `start`
  /// indexes the `(` that opens the condition inside an ACE string such as
  /// `(XA;;FX;;;WD;(@User.Title == "x"))`. Returns the expression and the index one past the `)`
  /// that closes it. Throws `ERROR_INVALID_ACE_CONDITION` with the offset of the offending byte.
  package static func parseSDDL(_ text: [UInt8], at start: Int, domain: SID?) throws(NTSecurityError)
    -> (ConditionalExpression, Int)
  {
    var scratch = ConditionScratch(capacity: 64 + 3 * min(max(text.count - start, 0), 1024))
    return try parseSDDL(text, at: start, domain: domain, scratch: &scratch)
  }

  /// `parseSDDL(_:at:domain:)` with working memory the caller keeps across conditions (the
  /// descriptor parser parses many in a row).
  static func parseSDDL(
    _ text: [UInt8], at start: Int, domain: SID?, scratch: inout ConditionScratch
  ) throws(NTSecurityError) -> (ConditionalExpression, Int) {
    try text.withUnsafeBufferPointer { buffer throws(NTSecurityError) in
      var parser = ConditionParser(source: text, text: buffer, position: start, domain: domain)
      // The parser works in the kept memory and hands it back however it ends.
      swap(&parser.out, &scratch.out)
      swap(&parser.stack, &scratch.stack)
      defer {
        swap(&parser.out, &scratch.out)
        swap(&parser.stack, &scratch.stack)
      }
      try parser.parse()
      return (ConditionalExpression(storage: parser.out.array(aligned: true)), parser.position)
    }
  }
}

/// Working memory for parsing conditions: the output buffer and the operator stack.
struct ConditionScratch: ~Copyable {
  var out: ByteBuffer
  var stack: [UInt8] = []

  init(capacity: Int) {
    out = ByteBuffer(capacity: capacity)
    stack.reserveCapacity(16)
  }

  /// Empty working memory that has not allocated.
  init() { out = ByteBuffer() }
}

/// An infix-to-postfix translator (shunting-yard) for SDDL conditions that writes the binary form
/// as it goes. It keeps an explicit operator stack rather than recursing, so deeply nested input
/// cannot exhaust the call stack.
struct ConditionParser: ~Copyable {
  /// The SDDL text, and the same bytes as a buffer for the lexer's loops.
  let source: [UInt8]
  let text: UnsafeBufferPointer<UInt8>
  var position: Int
  let domain: SID?
  /// The binary form so far: `artx` and the tokens already in postfix order.
  var out = ByteBuffer()
  /// Pending operator byte codes; 0 marks an open parenthesis.
  var stack: [UInt8] = []
  /// How many values the postfix output leaves on the evaluation stack.
  var values = 0

  init(source: [UInt8], text: UnsafeBufferPointer<UInt8>, position: Int, domain: SID?) {
    self.source = source
    self.text = text
    self.position = position
    self.domain = domain
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

  mutating func parse() throws(NTSecurityError) {
    out.removeAll()
    stack.removeAll(keepingCapacity: true)
    out.append(ConditionalExpression.signature)
    guard position < text.count, text[position] == UInt8(ascii: "(") else {
      throw fail("expected '(' to open the condition")
    }
    stack.append(0)
    position += 1
    var expect = Expect.term
    while true {
      skipSpace()
      guard position < text.count else { throw fail("condition has no closing ')'") }
      let c = text[position]
      switch expect {
      case .term, .notOperand:
        if c == UInt8(ascii: "(") {
          stack.append(0)
          position += 1
          expect = .term
        } else if c == UInt8(ascii: "@") {
          try parsePrefixedAttribute()
          expect = .afterOperand
        } else if expect == .notOperand {
          throw fail("'!' must be followed by '(' or an attribute")
        } else if c == UInt8(ascii: "!"), peek(1) != UInt8(ascii: "=") {
          stack.append(ConditionalOperator.not.rawValue)
          position += 1
          expect = .notOperand
        } else if isAttributeChar(c) {
          let word = readWord()
          if let op = ConditionParser.prefixOperator(text, word) {
            stack.append(op.rawValue)
            expect = op.isMembership ? .memberOperand : .existsOperand
          } else {
            writeLocalAttribute(word)
            expect = .afterOperand
          }
        } else if c == UInt8(ascii: ")") {
          throw fail("expected an expression before ')'")
        } else {
          throw fail("unexpected character at the start of a term")
        }
      case .afterOperand, .afterValue:
        if c == UInt8(ascii: ")") {
          if try closeParenthesis() { return }
          expect = .afterOperand
        } else if let (op, length) = logicalOperator(at: position) {
          pushBinary(op)
          position += length
          expect = .term
        } else if expect == .afterValue {
          throw fail("expected '&&', '||' or ')' after a value")
        } else if let (op, length) = relationalOperator(at: position) {
          pushBinary(op)
          position += length
          expect = .relationalOperand
        } else if isAttributeChar(c), case let word = wordRange(),
          let op = ConditionParser.infixOperator(text, word)
        {
          pushBinary(op)
          position = word.upperBound
          expect = .containsOperand
        } else {
          throw fail("expected an operator or ')'")
        }
      case .relationalOperand, .containsOperand, .memberOperand:
        if c == UInt8(ascii: "@"), expect != .memberOperand {
          try parsePrefixedAttribute()
          expect = .afterOperand
        } else if c == UInt8(ascii: "("), expect != .containsOperand {
          try parseParenthesisedLiteral()
          expect = .afterValue
        } else {
          try parseLiteral(depth: 0)
          values += 1
          expect = .afterValue
        }
      case .existsOperand:
        if c == UInt8(ascii: "@") {
          try parsePrefixedAttribute()
        } else if isAttributeChar(c) {
          writeLocalAttribute(readWord())
        } else {
          throw fail("Exists needs an attribute")
        }
        expect = .afterOperand
      }
    }
  }

  // MARK: Operators

  /// Operators bind in this order, tightest first (lower numbers).
  static func precedence(_ code: UInt8) -> Int {
    switch code {
    case ConditionalOperator.exists.rawValue, ConditionalOperator.notExists.rawValue: 1
    case ConditionalOperator.not.rawValue: 3
    case ConditionalOperator.and.rawValue: 4
    case ConditionalOperator.or.rawValue: 5
    default: 2
    }
  }

  /// Writes an operator to the output.
  mutating func emit(_ code: UInt8) {
    out.append(code)
    values -= ConditionalOperator.arity(ofCode: code) - 1
  }

  /// Pushes a binary operator after moving pending operators that bind at least as tightly (left
  /// associativity) to the output.
  mutating func pushBinary(_ op: ConditionalOperator) {
    let p = ConditionParser.precedence(op.rawValue)
    while let top = stack.last, top != 0 {
      let q = ConditionParser.precedence(top)
      if q > p || (q == p && ConditionalOperator.arity(ofCode: top) == 1) { break }
      emit(top)
      stack.removeLast()
    }
    stack.append(op.rawValue)
  }

  /// Handles `)`: emits the operators back to the matching `(`. Returns true when that `(` opened
  /// the whole condition.
  mutating func closeParenthesis() throws(NTSecurityError) -> Bool {
    while let top = stack.popLast() {
      guard top != 0 else {
        position += 1
        guard stack.isEmpty else { return false }
        // Always so for input that parsed; kept as a guard for the grammar above.
        guard values == 1 else { throw fail("incomplete expression") }
        return true
      }
      emit(top)
    }
    throw fail("unbalanced ')'")
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

  static func prefixOperator(_ text: UnsafeBufferPointer<UInt8>, _ word: Range<Int>) -> ConditionalOperator? {
    match(text, word, prefixWords)
  }

  static func infixOperator(_ text: UnsafeBufferPointer<UInt8>, _ word: Range<Int>) -> ConditionalOperator? {
    match(text, word, infixWords)
  }

  private static func match(
    _ text: UnsafeBufferPointer<UInt8>, _ word: Range<Int>, _ table: [([UInt8], ConditionalOperator)]
  ) -> ConditionalOperator? {
    // Every operator word is at least 6 letters; most words are attribute names.
    guard word.count >= 6 else { return nil }
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
}

/// Whether `c` is in the ASCII set given as a 128-bit mask (`low` for 0x00–0x3F, `high` for
/// 0x40–0x7F): one shift and test instead of a chain of comparisons.
@inline(__always)
func inASCIISet(_ c: UInt8, low: UInt64, high: UInt64) -> Bool {
  c < 0x40 ? (low >> UInt64(c)) & 1 != 0 : c < 0x80 && (high >> UInt64(c & 0x3F)) & 1 != 0
}

/// `wspace` of MS-DTYP 2.5.1.1: tab, line feed, vertical tab, form feed, carriage return, space.
@inline(__always)
func isSpace(_ c: UInt8) -> Bool {
  c == 0x20 || (c >= 0x09 && c <= 0x0D)
}

/// `attr-char1`: the characters of local attribute names (and of bare words such as operators).
@inline(__always)
func isAttributeChar(_ c: UInt8) -> Bool {
  // '.' '/' '0'-'9' ':' and 'A'-'Z' '_' 'a'-'z'.
  inASCIISet(c, low: 0x07FF_C000_0000_0000, high: 0x07FF_FFFE_87FF_FFFE)
}

@inline(__always)
func asciiLower(_ c: UInt8) -> UInt8 {
  c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c + 32 : c
}
