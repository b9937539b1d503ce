/// One value an operator compares: an element of a literal or of a claim.
enum ConditionScalar {
  /// An integer literal of any width, or a `TI` claim value. `unsigned` records that a literal was
  /// written without a minus sign, so a negative value is a number of 2^63 or more.
  case integer(Int64, unsigned: Bool)
  /// A `TU` claim value.
  case uint64(UInt64)
  /// A `TB` claim value.
  case boolean(Bool)
  /// A string literal: UTF-16LE bytes `start..<stop` of the expression.
  case literalText(Int, Int)
  /// A `TS` claim value.
  case claimText(String)
  /// An octet string literal: bytes `start..<stop` of the expression.
  case literalOctets(Int, Int)
  /// A `TX` claim value.
  case claimOctets([UInt8])
  /// A SID literal or a `TD` claim value (nil when the payload is not a SID).
  case sid(SID?)
  /// A composite nested in a composite: comparable with nothing.
  case composite

  /// Whether `<`, `<=`, `>` and `>=` apply: numbers, strings and octet strings.
  var isOrdered: Bool {
    switch self {
    case .integer, .uint64, .literalText, .claimText, .literalOctets, .claimOctets: true
    case .boolean, .sid, .composite: false
    }
  }
}

/// The value(s) on one side of a binary relational operator.
enum ConditionValueSet {
  /// A literal that is not a composite, at this offset.
  case literal(Int)
  /// A composite literal: its element tokens lie in bytes `start..<stop`.
  case composite(Int, Int)
  /// A claim's values.
  case claim(ClaimSecurityAttribute)
}

/// How two values compare.
enum ConditionOrder {
  case less, equal, greater
  /// Different values of a type without an order (SIDs, Booleans).
  case different
  /// Values of types that cannot be compared.
  case incompatible
}

extension ConditionEvaluator {
  // MARK: Binary relational operators (MS-DTYP 2.4.4.17.6)

  /// `==`, `!=`, `<`, `<=`, `>`, `>=`, `Contains`, `Any_of` and the `Not_` forms. The left side
  /// must be an attribute and the right side a literal or an attribute; a NULL attribute, values
  /// of incompatible types, or a set where only single values make sense give UNKNOWN.
  func relational(_ code: UInt8, _ lhs: ConditionOperand, _ rhs: ConditionOperand)
    throws(ConditionFault) -> ConditionResult
  {
    let left: ConditionValueSet
    let right: ConditionValueSet
    var caseSensitive = false
    switch lhs {
    case .claim(let source, let index):
      let claim = claims(source)[index]
      caseSensitive = claim.flags.contains(.valueCaseSensitive)
      left = .claim(claim)
    case .missing:
      if case .result = rhs { throw ConditionFault() }
      return .unknown
    case .literal, .result: throw ConditionFault()
    }
    switch rhs {
    case .claim(let source, let index):
      let claim = claims(source)[index]
      caseSensitive = caseSensitive || claim.flags.contains(.valueCaseSensitive)
      right = .claim(claim)
    case .literal(let at):
      right = bytes[at] == 0x50 ? .composite(at + 5, at + 5 + u32(at + 1)) : .literal(at)
    case .missing: return .unknown
    case .result: throw ConditionFault()
    }
    switch code {
    case 0x80, 0x81:
      let equal: Bool?
      if let a = single(left), let b = single(right) {
        switch compare(a, b, caseSensitive: caseSensitive) {
        case .incompatible: equal = nil
        case .equal: equal = true
        default: equal = false
        }
      } else {
        // Sets: only `==` takes them (as sets: order and repeats do not matter).
        guard code == 0x80 else { return .unknown }
        equal = sameSet(left, right, caseSensitive)
      }
      guard let equal else { return .unknown }
      return equal == (code == 0x80) ? .true : .false
    case 0x82...0x85:
      guard let a = single(left), let b = single(right), a.isOrdered else { return .unknown }
      let holds: Bool
      switch compare(a, b, caseSensitive: caseSensitive) {
      case .less: holds = code == 0x82 || code == 0x83
      case .equal: holds = code == 0x83 || code == 0x85
      case .greater: holds = code == 0x84 || code == 0x85
      case .different, .incompatible: return .unknown
      }
      return holds ? .true : .false
    case 0x86, 0x8E:  // Contains: every value on the right is among the left's.
      guard let holds = everyValue(of: right, isIn: left, caseSensitive) else { return .unknown }
      return holds == (code == 0x86) ? .true : .false
    case 0x88, 0x8F:  // Any_of: some value on the left is among the right's.
      guard let holds = someValue(of: left, isIn: right, caseSensitive) else { return .unknown }
      return holds == (code == 0x88) ? .true : .false
    default:
      throw ConditionFault()
    }
  }

  /// The one value of a set that holds exactly one and is not a composite literal.
  func single(_ set: ConditionValueSet) -> ConditionScalar? {
    switch set {
    case .literal(let at): return scalar(at: at)
    case .composite: return nil
    case .claim(let claim):
      guard claim.values.count == 1 else { return nil }
      var value: ConditionScalar?
      forEachValue(set) {
        value = $0
        return false
      }
      return value
    }
  }

  /// Whether both sets hold the same values; nil when two values are incompatible.
  func sameSet(_ a: ConditionValueSet, _ b: ConditionValueSet, _ caseSensitive: Bool) -> Bool? {
    guard let ab = everyValue(of: a, isIn: b, caseSensitive) else { return nil }
    guard ab else { return false }
    return everyValue(of: b, isIn: a, caseSensitive)
  }

  /// Whether every value of `required` equals one of `candidates`; nil when a comparison meets
  /// incompatible types or `required` is empty.
  func everyValue(
    of required: ConditionValueSet, isIn candidates: ConditionValueSet, _ caseSensitive: Bool
  ) -> Bool? {
    var outcome: Bool? = true
    var empty = true
    forEachValue(required) { value in
      empty = false
      switch holds(candidates, value, caseSensitive) {
      case true?: return true
      case false?: outcome = false
      case nil: outcome = nil
      }
      return false
    }
    return empty ? nil : outcome
  }

  /// Whether some value of `offered` equals one of `candidates`; nil when a comparison meets
  /// incompatible types or either side is empty.
  func someValue(
    of offered: ConditionValueSet, isIn candidates: ConditionValueSet, _ caseSensitive: Bool
  ) -> Bool? {
    var outcome: Bool? = false
    var empty = true
    forEachValue(offered) { value in
      empty = false
      switch holds(candidates, value, caseSensitive) {
      case false?: return true
      case true?: outcome = true
      case nil: outcome = nil
      }
      return false
    }
    return empty ? nil : outcome
  }

  /// Whether `set` holds a value equal to `value`, scanning in order; nil when a comparison
  /// before the first match meets incompatible types.
  func holds(_ set: ConditionValueSet, _ value: ConditionScalar, _ caseSensitive: Bool) -> Bool? {
    var outcome: Bool? = false
    forEachValue(set) { candidate in
      switch compare(value, candidate, caseSensitive: caseSensitive) {
      case .equal: outcome = true
      case .incompatible: outcome = nil
      default:
        outcome = false
        return true
      }
      return false
    }
    return outcome
  }

  /// Calls `body` with each value of the set until it returns false.
  func forEachValue(_ set: ConditionValueSet, _ body: (ConditionScalar) -> Bool) {
    switch set {
    case .literal(let at):
      _ = body(scalar(at: at))
    case .composite(let start, let stop):
      var k = start
      while k < stop {
        guard body(scalar(at: k)) else { return }
        k += tokenSize(at: k)
      }
    case .claim(let claim):
      switch claim.values {
      case .int64(let v):
        for x in v { guard body(.integer(x, unsigned: false)) else { return } }
      case .uint64(let v):
        for x in v { guard body(.uint64(x)) else { return } }
      case .boolean(let v):
        for x in v { guard body(.boolean(x != 0)) else { return } }
      case .string(let v):
        for x in v { guard body(.claimText(x)) else { return } }
      case .octetString(let v):
        for x in v { guard body(.claimOctets(x)) else { return } }
      case .sid(let v):
        for x in v { guard body(.sid(ClaimValues.decodeSIDPayload(x))) else { return } }
      }
    }
  }

  /// The value of the (validated) literal token at `at`.
  func scalar(at: Int) -> ConditionScalar {
    switch bytes[at] {
    case 0x01...0x04:
      return .integer(i64(at + 1), unsigned: bytes[at + 9] != ConditionalIntegerSign.negative.rawValue)
    case 0x10: return .literalText(at + 5, at + 5 + u32(at + 1))
    case 0x18: return .literalOctets(at + 5, at + 5 + u32(at + 1))
    case 0x51: return .sid(sidLiteral(at: at))
    default: return .composite
    }
  }

  /// The size of the (validated) literal token at `at`.
  func tokenSize(at: Int) -> Int {
    switch bytes[at] {
    case 0x01...0x04: 11
    default: 5 + u32(at + 1)
    }
  }

  // MARK: Comparing two values

  func compare(_ a: ConditionScalar, _ b: ConditionScalar, caseSensitive: Bool) -> ConditionOrder {
    switch (a, b) {
    case (.integer(let x, _), .integer(let y, _)): return ConditionEvaluator.order(x, y)
    case (.uint64(let x), .uint64(let y)): return ConditionEvaluator.order(x, y)
    case (.uint64(let x), .integer(let y, let unsigned)):
      return ConditionEvaluator.order(x, y, unsigned)
    case (.integer(let x, let unsigned), .uint64(let y)):
      switch ConditionEvaluator.order(y, x, unsigned) {
      case .less: return .greater
      case .greater: return .less
      case let other: return other
      }
    case (.boolean(let x), .boolean(let y)): return x == y ? .equal : .different
    case (.boolean(let x), .integer(let y, _)), (.integer(let y, _), .boolean(let x)):
      // A Boolean claim equals the literal 1 or 0; other numbers are no Boolean.
      guard y == 0 || y == 1 else { return .incompatible }
      return x == (y == 1) ? .equal : .different
    case (.boolean(let x), .uint64(let y)), (.uint64(let y), .boolean(let x)):
      guard y <= 1 else { return .incompatible }
      return x == (y == 1) ? .equal : .different
    case (.sid(let x?), .sid(let y?)): return x == y ? .equal : .different
    case (.literalText, .literalText), (.literalText, .claimText), (.claimText, .literalText),
      (.claimText, .claimText):
      let c = compareText(a, b, caseSensitive: caseSensitive)
      return c < 0 ? .less : c == 0 ? .equal : .greater
    case (.literalOctets, .literalOctets), (.literalOctets, .claimOctets),
      (.claimOctets, .literalOctets), (.claimOctets, .claimOctets):
      let c = compareOctets(a, b)
      return c < 0 ? .less : c == 0 ? .equal : .greater
    default: return .incompatible
    }
  }

  static func order<T: Comparable>(_ x: T, _ y: T) -> ConditionOrder {
    x < y ? .less : x == y ? .equal : .greater
  }

  /// Orders an unsigned claim value against a literal or signed value: a negative value written
  /// without a minus sign is the unsigned number with the same bits.
  static func order(_ x: UInt64, _ y: Int64, _ unsigned: Bool) -> ConditionOrder {
    if y >= 0 { return order(x, UInt64(y)) }
    return unsigned ? order(x, UInt64(bitPattern: y)) : .greater
  }

  func literalUnits(_ start: Int, _ stop: Int) -> ConditionText.LiteralUnits {
    ConditionText.LiteralUnits(bytes: bytes, start: start, stop: stop)
  }

  func compareText(_ a: ConditionScalar, _ b: ConditionScalar, caseSensitive cs: Bool) -> Int {
    switch (a, b) {
    case (.literalText(let s, let e), .literalText(let s2, let e2)):
      return ConditionText.compare(literalUnits(s, e), literalUnits(s2, e2), caseSensitive: cs)
    case (.literalText(let s, let e), .claimText(let t)):
      return ConditionText.compare(literalUnits(s, e), t, caseSensitive: cs)
    case (.claimText(let t), .literalText(let s, let e)):
      return -ConditionText.compare(literalUnits(s, e), t, caseSensitive: cs)
    case (.claimText(let t), .claimText(let t2)):
      return ConditionText.compare(t.utf16, t2.utf16, caseSensitive: cs)
    default: return 1
    }
  }

  func compareOctets(_ a: ConditionScalar, _ b: ConditionScalar) -> Int {
    switch (a, b) {
    case (.literalOctets(let s, let e), .literalOctets(let s2, let e2)):
      return ConditionText.compareBytes(bytes[s..<e], bytes[s2..<e2])
    case (.literalOctets(let s, let e), .claimOctets(let o)):
      return ConditionText.compareBytes(bytes[s..<e], o)
    case (.claimOctets(let o), .literalOctets(let s, let e)):
      return ConditionText.compareBytes(o, bytes[s..<e])
    case (.claimOctets(let o), .claimOctets(let o2)):
      return ConditionText.compareBytes(o, o2)
    default: return 1
    }
  }
}
