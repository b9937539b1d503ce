/// A value on the evaluation stack of MS-DTYP 2.5.3.1.5 (EvaluateAceCondition). Literals stay in
/// the expression's bytes; attributes refer to the claim they resolved to.
enum ConditionOperand {
  /// The outcome of an operator ("Result Value").
  case result(ConditionResult)
  /// A literal token whose code byte is at this offset.
  case literal(Int)
  /// An attribute that resolved to the claim at this index of a claim list.
  case claim(ConditionClaimSource, Int)
  /// An attribute the context does not hold (NULL).
  case missing
}

/// Where an attribute's claims come from.
enum ConditionClaimSource {
  case user, device, resource
}

/// The processing error of MS-DTYP 2.4.4.17.6–7: the whole expression evaluates to UNKNOWN.
struct ConditionFault: Error {}

/// Runs a conditional expression's token stream straight from its bytes: a postfix stack machine
/// that never builds the token list.
struct ConditionEvaluator {
  let bytes: UnsafeBufferPointer<UInt8>
  /// The context, borrowed for the evaluation (copying the evaluator copies no arrays).
  let context: UnsafePointer<ConditionContext>
  /// Whether the expression belongs to a deny ACE.
  let forDenyACE: Bool

  static func evaluate(_ storage: [UInt8], in context: ConditionContext, forDenyACE: Bool)
    -> ConditionResult
  {
    storage.withUnsafeBufferPointer { bytes in
      guard bytes.count >= 4, bytes[0] == 0x61, bytes[1] == 0x72, bytes[2] == 0x74, bytes[3] == 0x78
      else { return .unknown }
      return withUnsafePointer(to: context) { context in
        let machine = ConditionEvaluator(bytes: bytes, context: context, forDenyACE: forDenyACE)
        // Every operand token takes at least five bytes, which bounds the stack depth.
        let capacity = (bytes.count - 4) / 5 + 1
        return withUnsafeTemporaryAllocation(of: ConditionOperand.self, capacity: capacity) { stack in
          do {
            return try machine.run(stack: stack.baseAddress!)
          } catch {
            return .unknown
          }
        }
      }
    }
  }

  /// Evaluates the tokens; `stack` has room for every operand the bytes can hold.
  func run(stack: UnsafeMutablePointer<ConditionOperand>) throws(ConditionFault) -> ConditionResult {
    let end = bytes.count
    var i = 4
    var depth = 0
    while i < end {
      let code = bytes[i]
      if code == 0 {
        // Padding: only zero bytes may follow.
        for k in i..<end where bytes[k] != 0 { throw ConditionFault() }
        break
      }
      if ConditionalOperator.isOperator(code) {
        if ConditionalOperator.arity(ofCode: code) == 1 {
          guard depth >= 1 else { throw ConditionFault() }
          stack[depth - 1] = try unary(code, stack[depth - 1])
        } else {
          guard depth >= 2 else { throw ConditionFault() }
          stack[depth - 2] = try binary(code, stack[depth - 2], stack[depth - 1])
          depth -= 1
        }
        i += 1
        continue
      }
      var validator = BinaryValidator(bytes: bytes, position: i, end: end)
      do {
        try validator.skipOperand(compositeDepth: 0, limit: end)
      } catch {
        throw ConditionFault()
      }
      let operand: ConditionOperand
      switch code {
      case 0xF8: operand = .missing  // @Local: a token carries no local attributes
      case 0xF9: operand = lookup(.user, nameAt: i)
      case 0xFA: operand = lookup(.resource, nameAt: i)
      case 0xFB: operand = lookup(.device, nameAt: i)
      default: operand = .literal(i)
      }
      (stack + depth).initialize(to: operand)
      depth += 1
      i = validator.position
    }
    guard depth == 1 else { throw ConditionFault() }
    return try logicalValue(stack[0])
  }

  // MARK: Operators

  func unary(_ code: UInt8, _ operand: ConditionOperand) throws(ConditionFault) -> ConditionOperand {
    switch code {
    case 0x87, 0x8D:  // Exists, Not_Exists: the operand must be an attribute.
      let present: Bool
      switch operand {
      case .claim: present = true
      case .missing: present = false
      case .literal, .result: throw ConditionFault()
      }
      return .result(present == (code == 0x87) ? .true : .false)
    case 0xA2:  // !
      switch try logicalValue(operand) {
      case .true: return .result(.false)
      case .false: return .result(.true)
      case .unknown: return .result(.unknown)
      }
    default:
      return try membership(code, operand)
    }
  }

  func binary(_ code: UInt8, _ lhs: ConditionOperand, _ rhs: ConditionOperand) throws(ConditionFault)
    -> ConditionOperand
  {
    switch code {
    case 0xA0:  // &&: FALSE wins, then UNKNOWN.
      let a = try logicalValue(lhs)
      let b = try logicalValue(rhs)
      if a == .false || b == .false { return .result(.false) }
      return .result(a == .true && b == .true ? .true : .unknown)
    case 0xA1:  // ||: TRUE wins, then UNKNOWN.
      let a = try logicalValue(lhs)
      let b = try logicalValue(rhs)
      if a == .true || b == .true { return .result(.true) }
      return .result(a == .false && b == .false ? .false : .unknown)
    default:
      return .result(try relational(code, lhs, rhs))
    }
  }

  /// The logical value of an operand (MS-DTYP 2.4.4.17.7): a result is itself; an attribute is
  /// TRUE when it holds one nonzero integer or one non-empty string, FALSE for zero or "", and
  /// UNKNOWN when NULL or of any other kind; a literal is an error.
  func logicalValue(_ operand: ConditionOperand) throws(ConditionFault) -> ConditionResult {
    switch operand {
    case .result(let r): return r
    case .literal: throw ConditionFault()
    case .missing: return .unknown
    case .claim(let source, let index):
      let values = claims(source)[index].values
      guard values.count == 1 else { return .unknown }
      switch values {
      case .int64(let v): return v[0] != 0 ? .true : .false
      case .uint64(let v): return v[0] != 0 ? .true : .false
      case .boolean(let v): return v[0] != 0 ? .true : .false
      case .string(let v): return v[0].isEmpty ? .false : .true
      case .sid, .octetString: return .unknown
      }
    }
  }

  // MARK: Byte access

  @inline(__always)
  func u32(_ offset: Int) -> Int {
    Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
      | Int(bytes[offset + 3]) << 24
  }

  @inline(__always)
  func i64(_ offset: Int) -> Int64 {
    var raw: UInt64 = 0
    for k in (0..<8).reversed() { raw = raw << 8 | UInt64(bytes[offset + k]) }
    return Int64(bitPattern: raw)
  }

  /// The SID of the (validated) SID literal token at `offset`, with PRINCIPAL_SELF replaced by
  /// the context's principal when there is one.
  func sidLiteral(at offset: Int) -> SID {
    let sid = SID.validated(bytes, at: offset + 5)
    if let principalSelf = context.pointee.principalSelf, sid == .principalSelf { return principalSelf }
    return sid
  }
}

extension ConditionText {
  /// The UTF-16 code units of a string literal, read from the expression's UTF-16LE bytes.
  struct LiteralUnits: Sequence, IteratorProtocol {
    let bytes: UnsafeBufferPointer<UInt8>
    var start: Int
    let stop: Int

    @inline(__always)
    mutating func next() -> UInt16? {
      guard start + 1 < stop else { return nil }
      defer { start += 2 }
      return UInt16(bytes[start]) | UInt16(bytes[start + 1]) << 8
    }
  }
}
