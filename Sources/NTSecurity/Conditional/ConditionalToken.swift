/// One token of a conditional expression (MS-DTYP 2.4.4.17.4–2.4.4.17.8), in the postfix order the
/// binary form stores them.
public enum ConditionalToken: Hashable, Sendable {
  /// A 0x00 byte. Decoding strips the zero padding that aligns the expression; a `.padding` token
  /// only appears for zero bytes beyond that alignment, so that re-encoding is exact.
  case padding
  /// An 8-bit integer literal (0x01). Every width stores a 64-bit value; `sign` and `base` record
  /// how the number was written.
  case int8(Int64, sign: ConditionalIntegerSign, base: ConditionalIntegerBase)
  /// A 16-bit integer literal (0x02).
  case int16(Int64, sign: ConditionalIntegerSign, base: ConditionalIntegerBase)
  /// A 32-bit integer literal (0x03).
  case int32(Int64, sign: ConditionalIntegerSign, base: ConditionalIntegerBase)
  /// A 64-bit integer literal (0x04), the only width SDDL produces.
  case int64(Int64, sign: ConditionalIntegerSign, base: ConditionalIntegerBase)
  /// A Unicode string literal (0x10), `"…"` in SDDL.
  case unicodeString(UTF16String)
  /// An octet string literal (0x18), `#…` in SDDL.
  case octetString([UInt8])
  /// A composite literal (0x50), `{…, …}` in SDDL: a list of literals.
  case composite([ConditionalToken])
  /// A SID literal (0x51), `SID(…)` in SDDL.
  case sid(SID)
  /// A local attribute (0xF8), written without a prefix.
  case localAttribute(UTF16String)
  /// A user attribute (0xF9), `@User.name`.
  case userAttribute(UTF16String)
  /// A resource attribute (0xFA), `@Resource.name`.
  case resourceAttribute(UTF16String)
  /// A device attribute (0xFB), `@Device.name`.
  case deviceAttribute(UTF16String)
  /// An operator.
  case `operator`(ConditionalOperator)

  /// Whether this token is a literal value (allowed inside a composite).
  public var isLiteral: Bool {
    switch self {
    case .int8, .int16, .int32, .int64, .unicodeString, .octetString, .composite, .sid: true
    default: false
    }
  }
}

/// How an integer literal was signed in its source text.
public enum ConditionalIntegerSign: UInt8, Hashable, Sendable {
  /// Written with a leading `+`.
  case positive = 1
  /// Written with a leading `-`.
  case negative = 2
  /// Written without a sign.
  case none = 3
}

/// The base an integer literal was written in.
public enum ConditionalIntegerBase: UInt8, Hashable, Sendable {
  /// Octal, with a leading `0`.
  case octal = 1
  /// Decimal.
  case decimal = 2
  /// Hexadecimal, with a leading `0x`.
  case hexadecimal = 3
}

/// The operators of conditional expressions; the raw value is the byte code.
public enum ConditionalOperator: UInt8, Hashable, Sendable, CaseIterable {
  /// `==`
  case equal = 0x80
  /// `!=`
  case notEqual = 0x81
  /// `<`
  case lessThan = 0x82
  /// `<=`
  case lessThanOrEqual = 0x83
  /// `>`
  case greaterThan = 0x84
  /// `>=`
  case greaterThanOrEqual = 0x85
  /// `Contains`: the left side holds every value on the right.
  case contains = 0x86
  /// `Exists`: the attribute is present.
  case exists = 0x87
  /// `Any_of`: the left side equals one of the values on the right.
  case anyOf = 0x88
  /// `Member_of`: the user's token holds every SID.
  case memberOf = 0x89
  /// `Device_Member_of`: the device's token holds every SID.
  case deviceMemberOf = 0x8A
  /// `Member_of_Any`: the user's token holds one of the SIDs.
  case memberOfAny = 0x8B
  /// `Device_Member_of_Any`: the device's token holds one of the SIDs.
  case deviceMemberOfAny = 0x8C
  /// `Not_Exists`
  case notExists = 0x8D
  /// `Not_Contains`
  case notContains = 0x8E
  /// `Not_Any_of`
  case notAnyOf = 0x8F
  /// `Not_Member_of`
  case notMemberOf = 0x90
  /// `Not_Device_Member_of`
  case notDeviceMemberOf = 0x91
  /// `Not_Member_of_Any`
  case notMemberOfAny = 0x92
  /// `Not_Device_Member_of_Any`
  case notDeviceMemberOfAny = 0x93
  /// `&&`
  case and = 0xA0
  /// `||`
  case or = 0xA1
  /// `!`
  case not = 0xA2

  /// How many operands the operator takes from the stack: 1 or 2.
  public var arity: Int {
    switch self {
    case .exists, .notExists, .not, .memberOf, .deviceMemberOf, .memberOfAny, .deviceMemberOfAny,
      .notMemberOf, .notDeviceMemberOf, .notMemberOfAny, .notDeviceMemberOfAny:
      1
    default: 2
    }
  }

  /// The spelling Windows writes in SDDL.
  public var sddlName: String { String(decoding: sddlBytes, as: UTF8.self) }

  /// Whether `code` is the byte code of an operator.
  @inline(__always)
  static func isOperator(_ code: UInt8) -> Bool {
    code &- 0x80 < 0x14 || code &- 0xA0 < 3
  }

  /// The arity of the operator with byte code `code` (which must be an operator).
  @inline(__always)
  static func arity(ofCode code: UInt8) -> Int {
    // Bits (code - 0x80) of the unary operators: Exists, Not_Exists, !, the Member_of family.
    let unary: UInt64 = 1 << 7 | 0xF << 9 | 1 << 13 | 0xF << 16 | 1 << 34
    return (unary >> UInt64(code &- 0x80)) & 1 == 1 ? 1 : 2
  }

  /// Whether the byte code is one of the eight `Member_of` family operators.
  @inline(__always)
  static func isMembership(code: UInt8) -> Bool {
    code &- 0x89 < 4 || code &- 0x90 < 4
  }

  /// Whether this is one of the eight `Member_of` family operators.
  var isMembership: Bool { ConditionalOperator.isMembership(code: rawValue) }

  /// Whether this is `&&`, `||` or `!`.
  var isLogical: Bool { rawValue >= 0xA0 }

  var sddlBytes: [UInt8] { ConditionalOperator.names[Int(rawValue - 0x80)] }

  /// The SDDL spelling as static text.
  var sddlText: StaticString {
    switch self {
    case .equal: "=="
    case .notEqual: "!="
    case .lessThan: "<"
    case .lessThanOrEqual: "<="
    case .greaterThan: ">"
    case .greaterThanOrEqual: ">="
    case .contains: "Contains"
    case .exists: "Exists"
    case .anyOf: "Any_of"
    case .memberOf: "Member_of"
    case .deviceMemberOf: "Device_Member_of"
    case .memberOfAny: "Member_of_any"
    case .deviceMemberOfAny: "Device_Member_of_Any"
    case .notExists: "Not_Exists"
    case .notContains: "Not_Contains"
    case .notAnyOf: "Not_Any_of"
    case .notMemberOf: "Not_Member_of"
    case .notDeviceMemberOf: "Not_Device_Member_of"
    case .notMemberOfAny: "Not_Member_of_Any"
    case .notDeviceMemberOfAny: "Not_Device_Member_of_Any"
    case .and: "&&"
    case .or: "||"
    case .not: "!"
    }
  }

  /// SDDL spellings, indexed by byte code - 0x80 (empty for unused codes).
  static let names: [[UInt8]] = {
    var table = [[UInt8]](repeating: [], count: 0x23)
    for op in allCases {
      table[Int(op.rawValue - 0x80)] = op.sddlText.withUTF8Buffer { Array($0) }
    }
    return table
  }()
}
