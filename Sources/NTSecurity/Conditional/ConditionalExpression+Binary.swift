extension ConditionalExpression {
  /// Decodes ACE application data that begins with `artx`. Zero bytes may follow the tokens (the
  /// padding that aligns the ACE). Throws `ERROR_INVALID_ACE_CONDITION` with the byte offset of a
  /// truncated, unknown or misplaced token, or of an operator that lacks operands.
  public init(binary: [UInt8]) throws(NTSecurityError) {
    try binary.withUnsafeBufferPointer { bytes throws(NTSecurityError) in
      var validator = BinaryValidator(bytes: bytes, position: 0, end: bytes.count)
      try validator.validateProgram()
    }
    var storage = binary
    ConditionalExpression.pad(&storage)
    self.init(storage: storage)
  }

  /// Validates the bytecode `binary` (ACE application data) and appends its SDDL text to `out`,
  /// without making a value of it first.
  static func appendSDDL(
    ofBinary binary: [UInt8], to out: inout ByteBuffer, domain: SID?
  ) throws(NTSecurityError) {
    try binary.withUnsafeBufferPointer { bytes throws(NTSecurityError) in
      var validator = BinaryValidator(bytes: bytes, position: 0, end: bytes.count)
      let tokens = try validator.validateProgram()
      try format(bytes, to: &out, domain: domain, tokenCount: tokens)
    }
  }

}

/// Checks the token stream of a conditional ACE without building tokens.
struct BinaryValidator {
  let bytes: UnsafeBufferPointer<UInt8>
  var position: Int
  let end: Int

  func fail(_ message: String, at offset: Int? = nil) -> NTSecurityError {
    conditionError(message, at: offset ?? position)
  }

  /// Checks the whole program; returns how many tokens it holds (padding aside).
  @discardableResult
  mutating func validateProgram() throws(NTSecurityError) -> Int {
    guard end - position >= 4, bytes[position] == 0x61, bytes[position + 1] == 0x72,
      bytes[position + 2] == 0x74, bytes[position + 3] == 0x78
    else {
      throw fail("conditional ACE data does not start with \"artx\"")
    }
    position += 4
    var depth = 0
    var tokens = 0
    while position < end {
      let code = bytes[position]
      if code == 0 {
        // Padding: only zero bytes may follow.
        while position < end {
          guard bytes[position] == 0 else {
            throw fail("unexpected token 0x\(String(bytes[position], radix: 16)) after padding")
          }
          position += 1
        }
        break
      }
      tokens += 1
      if ConditionalOperator.isOperator(code) {
        let arity = ConditionalOperator.arity(ofCode: code)
        guard depth >= arity else {
          throw fail("operator \(ConditionalOperator(rawValue: code)!.sddlName) lacks operands")
        }
        depth -= arity - 1
        position += 1
        continue
      }
      try skipOperand(compositeDepth: 0, limit: end)
      depth += 1
    }
    guard depth == 1 else {
      throw fail(
        depth == 0
          ? "conditional expression is empty" : "conditional expression leaves \(depth) values")
    }
    return tokens
  }

  /// Checks one literal or attribute token ending at or before `limit` and moves past it.
  mutating func skipOperand(compositeDepth: Int, limit: Int) throws(NTSecurityError) {
    let at = position
    let code = bytes[position]
    position += 1
    switch code {
    case 0x01...0x04:
      guard limit - position >= 10 else { throw fail("truncated integer", at: at) }
      var raw: UInt64 = 0
      for k in (0..<8).reversed() { raw = raw << 8 | UInt64(bytes[position + k]) }
      let value = Int64(bitPattern: raw)
      guard ConditionalIntegerSign(rawValue: bytes[position + 8]) != nil else {
        throw fail("invalid integer sign \(bytes[position + 8])", at: position + 8)
      }
      guard ConditionalIntegerBase(rawValue: bytes[position + 9]) != nil else {
        throw fail("invalid integer base \(bytes[position + 9])", at: position + 9)
      }
      let bits: Int64 = code == 1 ? 7 : code == 2 ? 15 : code == 3 ? 31 : 63
      guard bits == 63 || (value >= -(1 << bits) && value < 1 << bits) else {
        throw fail("value \(value) out of range for its integer size", at: at)
      }
      position += 10
    case 0x10, 0xF8, 0xF9, 0xFA, 0xFB:
      let length = try readLength(at: at, limit: limit)
      guard length & 1 == 0 else { throw fail("odd UTF-16 byte length \(length)", at: at + 1) }
      var k = position
      while k < position + length {
        guard bytes[k] | bytes[k + 1] != 0 else { throw fail("NUL character in string", at: k) }
        k += 2
      }
      position += length
    case 0x18:
      position += try readLength(at: at, limit: limit)
    case 0x51:
      let length = try readLength(at: at, limit: limit)
      guard length >= 8, bytes[position] == 1 else { throw fail("malformed SID token", at: at) }
      let count = Int(bytes[position + 1])
      guard count <= SID.maxSubAuthorities, length == 8 + 4 * count else {
        throw fail("SID token length \(length) does not match its SID", at: at + 1)
      }
      position += length
    case 0x50:
      guard compositeDepth < ConditionalExpression.maxCompositeDepth else {
        throw fail("composites nested too deeply", at: at)
      }
      let length = try readLength(at: at, limit: limit)
      let stop = position + length
      while position < stop {
        switch bytes[position] {
        case 0x01...0x04, 0x10, 0x18, 0x50, 0x51: break
        default: throw fail("composite may only hold literals")
        }
        try skipOperand(compositeDepth: compositeDepth + 1, limit: stop)
      }
    default:
      throw fail("unknown token 0x\(String(code, radix: 16))", at: at)
    }
  }

  /// Reads a 32-bit length that must fit before `limit`.
  mutating func readLength(at tokenStart: Int, limit: Int) throws(NTSecurityError) -> Int {
    guard limit - position >= 4 else { throw fail("truncated token length", at: tokenStart) }
    let length =
      Int(bytes[position]) | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2]) << 16
      | Int(bytes[position + 3]) << 24
    position += 4
    guard length <= limit - position else {
      throw fail("token length \(length) exceeds the \(limit - position) bytes left", at: tokenStart)
    }
    return length
  }
}

extension ConditionalToken {
  /// The size of the binary form of this token.
  var encodedSize: Int {
    switch self {
    case .padding, .operator: 1
    case .int8, .int16, .int32, .int64: 11
    case .unicodeString(let s), .localAttribute(let s), .userAttribute(let s),
      .resourceAttribute(let s), .deviceAttribute(let s):
      5 + 2 * s.utf16.count
    case .octetString(let b): 5 + b.count
    case .sid(let sid): 5 + sid.length
    case .composite(let items): 5 + items.reduce(0) { $0 + $1.encodedSize }
    }
  }

  /// Appends the binary form of this token.
  func write(to out: inout [UInt8]) {
    switch self {
    case .padding: out.append(0)
    case .operator(let op): out.append(op.rawValue)
    case .int8(let v, let s, let b): ConditionalToken.writeInteger(1, v, s, b, to: &out)
    case .int16(let v, let s, let b): ConditionalToken.writeInteger(2, v, s, b, to: &out)
    case .int32(let v, let s, let b): ConditionalToken.writeInteger(3, v, s, b, to: &out)
    case .int64(let v, let s, let b): ConditionalToken.writeInteger(4, v, s, b, to: &out)
    case .unicodeString(let s): ConditionalToken.writeString(0x10, s, to: &out)
    case .localAttribute(let s): ConditionalToken.writeString(0xF8, s, to: &out)
    case .userAttribute(let s): ConditionalToken.writeString(0xF9, s, to: &out)
    case .resourceAttribute(let s): ConditionalToken.writeString(0xFA, s, to: &out)
    case .deviceAttribute(let s): ConditionalToken.writeString(0xFB, s, to: &out)
    case .octetString(let bytes):
      out.append(0x18)
      out.appendLE(UInt32(truncatingIfNeeded: bytes.count))
      out.append(contentsOf: bytes)
    case .sid(let sid):
      out.append(0x51)
      out.appendLE(UInt32(sid.length))
      sid.write(to: &out)
    case .composite(let items):
      out.append(0x50)
      let lengthAt = out.count
      out.appendLE(UInt32(0))
      for item in items { item.write(to: &out) }
      out.storeLE(UInt32(truncatingIfNeeded: out.count - lengthAt - 4), at: lengthAt)
    }
  }

  static func writeInteger(
    _ code: UInt8, _ value: Int64, _ sign: ConditionalIntegerSign, _ base: ConditionalIntegerBase,
    to out: inout [UInt8]
  ) {
    out.append(code)
    out.appendLE(UInt64(bitPattern: value))
    out.append(sign.rawValue)
    out.append(base.rawValue)
  }

  private static func writeString(_ code: UInt8, _ s: UTF16String, to out: inout [UInt8]) {
    out.append(code)
    out.appendLE(UInt32(truncatingIfNeeded: s.utf16.count * 2))
    #if _endian(little)
      s.utf16.withUnsafeBytes { out.append(contentsOf: $0) }
    #else
      for u in s.utf16 { out.appendLE(u) }
    #endif
  }

  /// Builds the tokens of a stream whose framing is known to be sound (validated binary data or
  /// the output of `write`). Zero bytes at the end beyond four-byte alignment become `.padding`.
  static func decodeAll(_ bytes: [UInt8], from start: Int, to end: Int) -> [ConditionalToken] {
    var tokens = [ConditionalToken]()
    var i = start
    while i < end {
      if bytes[i] == 0 {
        var j = i
        while j < end, bytes[j] == 0 { j += 1 }
        if j < end {
          tokens.append(.padding)
          i += 1
          continue
        }
        // Trailing zeros: the first ones align the stream, any further whole words are padding.
        let streamStart = start - 4
        let aligned = (i - streamStart + 3) & ~3
        let extra = (end - streamStart) & ~3 - aligned
        if extra > 0 { tokens.append(contentsOf: repeatElement(.padding, count: extra)) }
        break
      }
      tokens.append(decodeOne(bytes, at: &i, limit: end))
    }
    return tokens
  }

  /// Builds the token at `i` and moves past it.
  static func decodeOne(_ bytes: [UInt8], at i: inout Int, limit: Int) -> ConditionalToken {
    let code = bytes[i]
    i += 1
    if let op = ConditionalOperator(rawValue: code) { return .operator(op) }
    func length() -> Int {
      guard limit - i >= 4 else {
        i = limit
        return 0
      }
      let n =
        Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
      i += 4
      return min(n, limit - i)
    }
    switch code {
    case 0x01...0x04:
      guard limit - i >= 10 else {
        i = limit
        return .padding
      }
      var raw: UInt64 = 0
      for k in (0..<8).reversed() { raw = raw << 8 | UInt64(bytes[i + k]) }
      let value = Int64(bitPattern: raw)
      let sign = ConditionalIntegerSign(rawValue: bytes[i + 8]) ?? .none
      let base = ConditionalIntegerBase(rawValue: bytes[i + 9]) ?? .decimal
      i += 10
      switch code {
      case 1: return .int8(value, sign: sign, base: base)
      case 2: return .int16(value, sign: sign, base: base)
      case 3: return .int32(value, sign: sign, base: base)
      default: return .int64(value, sign: sign, base: base)
      }
    case 0x10, 0xF8, 0xF9, 0xFA, 0xFB:
      let n = length() / 2
      let units = [UInt16](unsafeUninitializedCapacity: n) { buffer, count in
        for k in 0..<n { buffer[k] = UInt16(bytes[i + 2 * k]) | UInt16(bytes[i + 2 * k + 1]) << 8 }
        count = n
      }
      i += 2 * n
      let s = UTF16String(utf16: units)
      switch code {
      case 0x10: return .unicodeString(s)
      case 0xF8: return .localAttribute(s)
      case 0xF9: return .userAttribute(s)
      case 0xFA: return .resourceAttribute(s)
      default: return .deviceAttribute(s)
      }
    case 0x18:
      let n = length()
      defer { i += n }
      return .octetString(Array(bytes[i..<i + n]))
    case 0x51:
      let n = length()
      defer { i += n }
      var reader = ByteReader(bytes, from: i, to: i + n, error: .invalidAceCondition)
      return (try? SID.read(&reader)).map { .sid($0) } ?? .octetString(Array(bytes[i..<i + n]))
    case 0x50:
      let n = length()
      let stop = i + n
      var items = [ConditionalToken]()
      while i < stop { items.append(decodeOne(bytes, at: &i, limit: stop)) }
      return .composite(items)
    default:
      return .padding
    }
  }
}
