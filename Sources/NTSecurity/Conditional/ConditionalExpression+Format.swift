extension ConditionalExpression {
  /// Appends the SDDL text Windows writes for this expression, including its outer parentheses:
  /// `@USER.`, `@DEVICE.` and `@RESOURCE.` prefixes, one space around operators, and parentheses
  /// around every binary and `Member_of` operation and around each operand of `&&`, `||` and `!`.
  /// SIDs use their aliases (domain-relative ones when `domain` is given).
  ///
  /// Throws `ERROR_INVALID_ACE_CONDITION` when the tokens do not form one expression or hold a value
  /// SDDL cannot express (a string containing `"`, a local attribute name with characters outside
  /// `attr-char1`, an empty attribute name).
  public func appendSDDL(to out: inout [UInt8], domain: SID?) throws(NTSecurityError) {
    var text = ByteBuffer(capacity: 2 * storage.count + 16)
    defer { text.deallocate() }
    try storage.withUnsafeBufferPointer { bytes throws(NTSecurityError) in
      try ConditionalExpression.format(bytes, to: &text, domain: domain)
    }
    out.append(contentsOf: UnsafeBufferPointer(start: text.base, count: text.count))
  }

  /// Writes the SDDL for the application data in `bytes`.
  static func format(
    _ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer, domain: SID?, tokenCount: Int? = nil
  ) throws(NTSecurityError) {
    let end = bytes.count
    // Scratch space: four slots per token (byte offset, left and right operand, parentheses), a
    // stack of subtree roots, and the work stack of the walk below. Every token takes at least one
    // byte; count them exactly (or take the count a validation pass found) when that bound is loose.
    var maxTokens = max(end - 4, 1)
    if let tokenCount {
      maxTokens = max(tokenCount, 1)
    } else if maxTokens > 32 {
      maxTokens = try countTokens(bytes)
    }
    try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 7 * maxTokens + 2) {
      scratch throws(NTSecurityError) in
      try format(bytes, to: &out, domain: domain, scratch: scratch.baseAddress!, maxTokens: maxTokens)
    }
  }

  private static func format(
    _ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer, domain: SID?,
    scratch: UnsafeMutablePointer<Int32>, maxTokens: Int
  ) throws(NTSecurityError) {
    let end = bytes.count
    let nodes = scratch
    let roots = scratch + 4 * maxTokens
    let work = roots + maxTokens
    var nodeCount = 0
    var rootCount = 0

    // Rebuild the tree: each operator takes its operands from the stack of subtree roots.
    var i = 4
    while i < end {
      let code = bytes[i]
      if code == 0 {
        i += 1
        continue
      }
      let node = nodes + 4 * nodeCount
      node[0] = Int32(truncatingIfNeeded: i)
      node[1] = -1
      node[2] = -1
      node[3] = 0
      if ConditionalOperator.isOperator(code) {
        let arity = ConditionalOperator.arity(ofCode: code)
        guard rootCount >= arity else {
          throw conditionError("operator lacks operands", at: i)
        }
        rootCount -= 1
        node[2] = roots[rootCount]
        if arity == 2 {
          rootCount -= 1
          node[1] = roots[rootCount]
        }
        if arity == 2 || ConditionalOperator.isMembership(code: code) { node[3] = 1 }
        if code < 0xA0 {
          // What the grammar allows around each operator, since text that breaks it does not parse
          // back (each rule found by the fuzz targets): the right side of a comparison and the
          // operand of Member_of are values, not operations; Member_of takes a literal; Exists
          // takes an attribute; a comparison starts with an attribute or a parenthesized
          // operation (a word there is read as an attribute, so never a literal); a local
          // attribute cannot be the right side of a comparison.
          @inline(__always) func tokenCode(_ operand: Int32) -> UInt8 { bytes[Int(nodes[4 * Int(operand)])] }
          @inline(__always) func isOperation(_ operand: Int32) -> Bool { nodes[4 * Int(operand) + 2] >= 0 }
          let right = tokenCode(node[2])
          if isOperation(node[2]) {
            throw conditionError("an operation as the value of a comparison has no SDDL form", at: i)
          }
          if ConditionalOperator.isMembership(code: code) {
            if (0xF8...0xFB).contains(right) {
              throw conditionError("a Member_of operand that is an attribute has no SDDL form", at: i)
            }
          } else if node[1] < 0 {
            if !(0xF8...0xFB).contains(right) {
              throw conditionError("an Exists operand that is not an attribute has no SDDL form", at: i)
            }
          } else if !(isOperation(node[1]) || (0xF8...0xFB).contains(tokenCode(node[1]))) || right == 0xF8 {
            throw conditionError(
              "a comparison that starts with a literal or compares with a local attribute has no SDDL form",
              at: i)
          }
        }
        if code >= 0xA0 {
          // `&&`, `||` and `!` take conditions: an attribute or an operation, never a literal
          // (SDDL has no form for `(@X && 1)`; found by FuzzSecurityDescriptor).
          for operand in [node[1], node[2]] where operand >= 0 {
            let leaf = nodes + 4 * Int(operand)
            if leaf[2] < 0, !(0xF8...0xFB).contains(bytes[Int(leaf[0])]) {
              throw conditionError("a literal operand of a logical operator has no SDDL form", at: i)
            }
            leaf[3] = 1
          }
        }
        i += 1
      } else {
        i += try operandSize(bytes, at: i, limit: end)
      }
      roots[rootCount] = Int32(nodeCount)
      rootCount += 1
      nodeCount += 1
    }
    guard rootCount == 1 else {
      throw conditionError(
        rootCount == 0
          ? "conditional expression is empty" : "conditional expression leaves \(rootCount) values",
        at: end)
    }
    let root = roots[0]
    nodes[4 * Int(root) + 3] = 1
    // A whole condition that is one literal (`(1)`, `({SID(BA)})`) has no SDDL form: the grammar
    // wants an attribute or an operation there (found by FuzzSecurityDescriptor).
    let rootCode = bytes[Int(nodes[4 * Int(root)])]
    if nodes[4 * Int(root) + 2] < 0, !(0xF8...0xFB).contains(rootCode) {
      throw conditionError(
        "a condition that is a single literal has no SDDL form", at: Int(nodes[4 * Int(root)]))
    }

    // Walk the tree without recursion. Entries are node * 4 + phase: 0 opens a node (and writes it
    // whole if it is an operand), 1 follows an operator's left operand, 2 closes the parentheses.
    work[0] = root * 4
    var depth = 1
    while depth > 0 {
      depth -= 1
      let entry = work[depth]
      let node = nodes + 4 * Int(entry >> 2)
      switch entry & 3 {
      case 0:
        if node[3] != 0 { out.append(UInt8(ascii: "(")) }
        guard node[2] >= 0 else {
          try appendOperand(bytes, at: Int(node[0]), limit: end, to: &out, domain: domain, depth: 0)
          if node[3] != 0 { out.append(UInt8(ascii: ")")) }
          continue
        }
        work[depth] = entry | 1
        depth += 1
        if node[1] >= 0 {
          work[depth] = node[1] * 4
          depth += 1
        }
      case 1:
        let op = ConditionalOperator(rawValue: bytes[Int(node[0])])!
        if node[1] >= 0 { out.append(UInt8(ascii: " ")) }
        out.append(op.sddlText)
        if op != .not { out.append(UInt8(ascii: " ")) }
        if node[3] != 0 {
          work[depth] = entry + 1
          depth += 1
        }
        work[depth] = node[2] * 4
        depth += 1
      default:
        out.append(UInt8(ascii: ")"))
      }
    }
  }

  /// The number of tokens (ignoring zero bytes) in the application data.
  private static func countTokens(_ bytes: UnsafeBufferPointer<UInt8>) throws(NTSecurityError) -> Int {
    var count = 0
    var i = 4
    while i < bytes.count {
      let code = bytes[i]
      if code == 0 || ConditionalOperator.isOperator(code) {
        i += 1
      } else {
        i += try operandSize(bytes, at: i, limit: bytes.count)
      }
      if code != 0 { count += 1 }
    }
    return max(count, 1)
  }

  /// The size of the operand token at `i`, checked against `limit`.
  static func operandSize(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int) throws(NTSecurityError)
    -> Int
  {
    switch bytes[i] {
    case 0x01...0x04:
      guard limit - i >= 11 else { throw conditionError("truncated integer", at: i) }
      return 11
    case 0x10, 0x18, 0x50, 0x51, 0xF8...0xFB:
      guard limit - i >= 5 else { throw conditionError("truncated token", at: i) }
      let length =
        Int(bytes[i + 1]) | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) << 16 | Int(bytes[i + 4]) << 24
      guard length <= limit - i - 5 else { throw conditionError("truncated token", at: i) }
      return 5 + length
    default:
      throw conditionError("unknown token 0x\(String(bytes[i], radix: 16))", at: i)
    }
  }

  /// Appends the SDDL for the operand token (a literal or attribute) at `i`.
  private static func appendOperand(
    _ bytes: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int, to out: inout ByteBuffer, domain: SID?,
    depth: Int
  ) throws(NTSecurityError) {
    let code = bytes[i]
    let bodyStart = i + 5
    let bodyEnd = i + (try operandSize(bytes, at: i, limit: limit))
    switch code {
    case 0x01...0x04:
      var raw: UInt64 = 0
      for k in (1...8).reversed() { raw = raw << 8 | UInt64(bytes[i + k]) }
      appendInteger(
        Int64(bitPattern: raw), sign: ConditionalIntegerSign(rawValue: bytes[i + 9]) ?? .none,
        base: ConditionalIntegerBase(rawValue: bytes[i + 10]) ?? .decimal, to: &out)
    case 0x10:
      out.append(UInt8(ascii: "\""))
      if UTF16String.appendUTF8(fromUTF16LE: bytes, bodyStart, bodyEnd, to: &out) {
        throw conditionError("string contains '\"', which SDDL cannot express", at: i)
      }
      out.append(UInt8(ascii: "\""))
    case 0x18:
      out.reserve(1 + 2 * (bodyEnd - bodyStart))
      out.appendUnchecked(UInt8(ascii: "#"))
      for k in bodyStart..<bodyEnd {
        out.appendUnchecked(hexDigit(bytes[k] >> 4))
        out.appendUnchecked(hexDigit(bytes[k] & 0xF))
      }
    case 0x51:
      guard bodyEnd - bodyStart >= 8, bytes[bodyStart] == 1,
        bodyEnd - bodyStart == 8 + 4 * Int(bytes[bodyStart + 1]),
        bytes[bodyStart + 1] <= SID.maxSubAuthorities
      else {
        throw conditionError("malformed SID token", at: i)
      }
      out.append("SID(" as StaticString)
      out.appendSDDL(SID.validated(bytes, at: bodyStart), domain: domain)
      out.append(UInt8(ascii: ")"))
    case 0x50:
      guard depth < ConditionalExpression.maxCompositeDepth else {
        throw conditionError("composites nested too deeply", at: i)
      }
      out.append(UInt8(ascii: "{"))
      var k = bodyStart
      while k < bodyEnd {
        switch bytes[k] {
        case 0x01...0x04, 0x10, 0x18, 0x50, 0x51: break
        default: throw conditionError("composite may only hold literals", at: k)
        }
        if k > bodyStart {
          out.append(UInt8(ascii: ","))
          out.append(UInt8(ascii: " "))
        }
        let size = try operandSize(bytes, at: k, limit: bodyEnd)
        try appendOperand(bytes, at: k, limit: bodyEnd, to: &out, domain: domain, depth: depth + 1)
        k += size
      }
      out.append(UInt8(ascii: "}"))
    case 0xF8:
      guard bodyEnd > bodyStart else { throw conditionError("empty attribute name", at: i) }
      out.reserve((bodyEnd - bodyStart) / 2)
      var k = bodyStart
      while k + 1 < bodyEnd {
        guard bytes[k + 1] == 0, isAttributeChar(bytes[k]) else {
          throw conditionError("local attribute name cannot be written in SDDL", at: k)
        }
        out.appendUnchecked(bytes[k])
        k += 2
      }
    case 0xF9, 0xFA, 0xFB:
      guard bodyEnd > bodyStart else { throw conditionError("empty attribute name", at: i) }
      out.append(code == 0xF9 ? "@USER." : code == 0xFB ? "@DEVICE." : "@RESOURCE." as StaticString)
      out.reserve(5 * (bodyEnd - bodyStart) / 2)
      var k = bodyStart
      while k + 1 < bodyEnd {
        let u = UInt16(bytes[k]) | UInt16(bytes[k + 1]) << 8
        if needsEscape(u) {
          out.appendUnchecked(UInt8(ascii: "%"))
          out.appendUnchecked(hexDigit(UInt8(u >> 12)))
          out.appendUnchecked(hexDigit(UInt8(u >> 8 & 0xF)))
          out.appendUnchecked(hexDigit(UInt8(u >> 4 & 0xF)))
          out.appendUnchecked(hexDigit(UInt8(u & 0xF)))
        } else {
          out.appendUnchecked(UInt8(u))
        }
        k += 2
      }
    default:
      throw conditionError("unknown token 0x\(String(code, radix: 16))", at: i)
    }
  }

  /// Characters of an `@Class.` attribute name written as `%hhhh`: controls, space, non-ASCII, the
  /// characters that would end the name or start an escape, and the comma (Windows writes
  /// `@DEVICE.%002c`, as a recorded vector shows).
  @inline(__always)
  private static func needsEscape(_ u: UInt16) -> Bool {
    // Controls, space, DEL and ! " % & ( ) , < = > |; everything from 0x80 up.
    u >= 0x80 || inASCIISet(UInt8(u), low: 0x7000_1367_FFFF_FFFF, high: 0x9000_0000_0000_0000)
  }

  /// Writes an integer so that it reads back with the same value, sign and base: the sign as
  /// recorded, then the magnitude with a `0` (octal) or `0x` (hex) prefix.
  static func appendInteger(
    _ value: Int64, sign: ConditionalIntegerSign, base: ConditionalIntegerBase, to out: inout ByteBuffer
  ) {
    var magnitude = UInt64(bitPattern: value)
    switch sign {
    case .positive: out.append(UInt8(ascii: "+"))
    case .negative:
      out.append(UInt8(ascii: "-"))
      magnitude = 0 &- magnitude
    case .none: break
    }
    let radix: UInt64
    switch base {
    case .octal:
      out.append(UInt8(ascii: "0"))
      radix = 8
    case .decimal: radix = 10
    case .hexadecimal:
      out.append(UInt8(ascii: "0"))
      out.append(UInt8(ascii: "x"))
      radix = 16
    }
    // At most 22 octal digits; written backwards into a fixed buffer.
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &digits) { buffer in
      var n = 0
      repeat {
        buffer[n] = hexDigit(UInt8(magnitude % radix))
        magnitude /= radix
        n += 1
      } while magnitude > 0
      while n > 0 {
        n -= 1
        out.append(buffer[n])
      }
    }
  }
}

/// The lowercase hexadecimal digit for `v` (0...15).
@inline(__always)
private func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
