extension ConditionalExpression {
  /// Decodes ACE application data that begins with `artx`. Zero bytes may follow the tokens (the
  /// padding that aligns the ACE). Throws `ERROR_INVALID_ACE_CONDITION` with the byte offset of a
  /// truncated or unknown token, or of an operator that lacks operands.
  public init(binary: [UInt8]) throws(NTSecurityError) {
    self = try ConditionalExpression.decode(binary, from: 0, to: binary.count)
  }

  /// Decodes the application data in `bytes[start..<end]`; offsets in errors are into `bytes`.
  static func decode(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError)
    -> ConditionalExpression
  {
    var decoder = BinaryDecoder(bytes: bytes, position: start, end: min(end, bytes.count))
    return ConditionalExpression(tokens: try decoder.decodeProgram())
  }

  /// The application data: `artx`, the tokens, then zero bytes up to a multiple of four bytes.
  public var binary: [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(encodedSizeEstimate)
    appendBinary(to: &out)
    return out
  }

  /// Appends the application data to `out`; the padding aligns the data's own length.
  func appendBinary(to out: inout [UInt8]) {
    let start = out.count
    out.append(contentsOf: ConditionalExpression.signature)
    for token in tokens { token.write(to: &out) }
    while (out.count - start) & 3 != 0 { out.append(0) }
  }

  private var encodedSizeEstimate: Int {
    var n = 8
    for token in tokens { n += token.encodedSize }
    return n
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

  private static func writeInteger(
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
}

/// Reads the token stream of a conditional ACE.
private struct BinaryDecoder {
  let bytes: [UInt8]
  var position: Int
  let end: Int

  func fail(_ message: String, at offset: Int? = nil) -> NTSecurityError {
    conditionError(message, at: offset ?? position)
  }

  mutating func decodeProgram() throws(NTSecurityError) -> [ConditionalToken] {
    let start = position
    guard end - position >= 4, bytes[position] == 0x61, bytes[position + 1] == 0x72,
      bytes[position + 2] == 0x74, bytes[position + 3] == 0x78
    else {
      throw fail("conditional ACE data does not start with \"artx\"")
    }
    position += 4
    var tokens = [ConditionalToken]()
    tokens.reserveCapacity(min(64, (end - position) / 8 + 2))
    var depth = 0
    while position < end {
      let at = position
      let code = bytes[position]
      if code == 0 {
        try readPadding(streamStart: start, into: &tokens)
        break
      }
      if let op = ConditionalOperator(rawValue: code) {
        position += 1
        guard depth >= op.arity else {
          throw fail("operator \(op.sddlName) lacks operands", at: at)
        }
        depth -= op.arity - 1
        tokens.append(.operator(op))
        continue
      }
      tokens.append(try readOperand(compositeDepth: 0))
      depth += 1
    }
    guard depth == 1 else {
      throw fail(
        depth == 0
          ? "conditional expression is empty" : "conditional expression leaves \(depth) values",
        at: position)
    }
    return tokens
  }

  /// Consumes the zero bytes at the end. Those beyond four-byte alignment become `.padding`.
  mutating func readPadding(streamStart: Int, into tokens: inout [ConditionalToken])
    throws(NTSecurityError)
  {
    let zerosStart = position
    while position < end {
      guard bytes[position] == 0 else {
        throw fail("unexpected token 0x\(String(bytes[position], radix: 16)) after padding")
      }
      position += 1
    }
    let used = zerosStart - streamStart
    let aligned = (used + 3) & ~3
    let extra = (end - streamStart) & ~3 - aligned
    if extra > 0 { tokens.append(contentsOf: repeatElement(.padding, count: extra)) }
  }

  mutating func readOperand(compositeDepth: Int) throws(NTSecurityError) -> ConditionalToken {
    let at = position
    let code = bytes[position]
    position += 1
    switch code {
    case 0x01...0x04:
      guard end - position >= 10 else { throw fail("truncated integer", at: at) }
      var raw: UInt64 = 0
      for k in (0..<8).reversed() { raw = raw << 8 | UInt64(bytes[position + k]) }
      let value = Int64(bitPattern: raw)
      guard let sign = ConditionalIntegerSign(rawValue: bytes[position + 8]) else {
        throw fail("invalid integer sign \(bytes[position + 8])", at: position + 8)
      }
      guard let base = ConditionalIntegerBase(rawValue: bytes[position + 9]) else {
        throw fail("invalid integer base \(bytes[position + 9])", at: position + 9)
      }
      position += 10
      switch code {
      case 1:
        guard value >= Int64(Int8.min), value <= Int64(Int8.max) else {
          throw fail("int8 value \(value) out of range", at: at)
        }
        return .int8(value, sign: sign, base: base)
      case 2:
        guard value >= Int64(Int16.min), value <= Int64(Int16.max) else {
          throw fail("int16 value \(value) out of range", at: at)
        }
        return .int16(value, sign: sign, base: base)
      case 3:
        guard value >= Int64(Int32.min), value <= Int64(Int32.max) else {
          throw fail("int32 value \(value) out of range", at: at)
        }
        return .int32(value, sign: sign, base: base)
      default:
        return .int64(value, sign: sign, base: base)
      }
    case 0x10, 0xF8, 0xF9, 0xFA, 0xFB:
      let length = try readLength(at: at)
      guard length & 1 == 0 else { throw fail("odd UTF-16 byte length \(length)", at: at + 1) }
      let units = [UInt16](unsafeUninitializedCapacity: length / 2) { buffer, count in
        bytes.withUnsafeBytes { raw in
          for k in 0..<length / 2 {
            buffer[k] = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: position + 2 * k, as: UInt16.self))
          }
        }
        count = length / 2
      }
      if let nul = units.firstIndex(of: 0) {
        throw fail("NUL character in string", at: position + 2 * nul)
      }
      position += length
      let s = UTF16String(utf16: units)
      switch code {
      case 0x10: return .unicodeString(s)
      case 0xF8: return .localAttribute(s)
      case 0xF9: return .userAttribute(s)
      case 0xFA: return .resourceAttribute(s)
      default: return .deviceAttribute(s)
      }
    case 0x18:
      let length = try readLength(at: at)
      defer { position += length }
      return .octetString(Array(bytes[position..<position + length]))
    case 0x51:
      let length = try readLength(at: at)
      var reader = ByteReader(bytes, from: position, to: position + length, error: .invalidAceCondition)
      let sid = try SID.read(&reader)
      guard reader.position == position + length else {
        throw fail("SID token length \(length) does not match its SID", at: at + 1)
      }
      position += length
      return .sid(sid)
    case 0x50:
      guard compositeDepth < ConditionalExpression.maxCompositeDepth else {
        throw fail("composites nested too deeply", at: at)
      }
      let length = try readLength(at: at)
      let stop = position + length
      var items = [ConditionalToken]()
      while position < stop {
        let itemAt = position
        guard ConditionalOperator(rawValue: bytes[position]) == nil, bytes[position] != 0 else {
          throw fail("composite may only hold literals", at: itemAt)
        }
        // Members are bounded by the composite, not the whole stream.
        var inner = BinaryDecoder(bytes: bytes, position: position, end: stop)
        let item = try inner.readOperand(compositeDepth: compositeDepth + 1)
        guard item.isLiteral else { throw fail("composite may only hold literals", at: itemAt) }
        position = inner.position
        items.append(item)
      }
      return .composite(items)
    default:
      throw fail("unknown token 0x\(String(code, radix: 16))", at: at)
    }
  }

  /// Reads a 32-bit length that must fit in the remaining bytes.
  mutating func readLength(at tokenStart: Int) throws(NTSecurityError) -> Int {
    guard end - position >= 4 else { throw fail("truncated token length", at: tokenStart) }
    let length =
      Int(bytes[position]) | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2]) << 16
      | Int(bytes[position + 3]) << 24
    position += 4
    guard length <= end - position else {
      throw fail("token length \(length) exceeds the \(end - position) bytes left", at: tokenStart)
    }
    return length
  }
}
