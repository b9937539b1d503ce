extension ConditionalExpression {
  /// Appends the SDDL text Windows writes for this expression, including its outer parentheses:
  /// `@USER.`, `@DEVICE.` and `@RESOURCE.` prefixes, one space around operators, and parentheses
  /// around every binary and `Member_of` operation and around each operand of `&&`, `||` and `!`.
  /// SIDs use their aliases (domain-relative ones when `domain` is given).
  ///
  /// Throws `ERROR_INVALID_ACE_CONDITION` when the tokens do not form one expression or hold a value
  /// SDDL cannot express (a string containing `"`, a local attribute name with characters outside
  /// `attr-char1`, an empty attribute name).
  package func appendSDDL(to out: inout [UInt8], domain: SID?) throws(NTSecurityError) {
    var text = ByteBuffer(capacity: 2 * storage.count + 16)
    try storage.withUnsafeBufferPointer { bytes throws(NTSecurityError) in
      try ConditionalExpression.format(bytes, to: &text, domain: domain)
    }
    text.append(to: &out)
  }

  /// Writes the SDDL for the application data in `bytes`; `tokenCount`, when a validation pass
  /// found it, sizes the tree.
  static func format(
    _ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer, domain: SID?, tokenCount: Int? = nil
  ) throws(NTSecurityError) {
    // Every token takes at least one byte; count them exactly (or take the count a validation
    // pass found) when that bound is loose.
    var maxTokens = max(bytes.count - 4, 1)
    if let tokenCount {
      maxTokens = max(tokenCount, 1)
    } else if maxTokens > 32 {
      maxTokens = try countTokens(bytes)
    }
    // The tree lives on the stack for the call (a heap array costs more: see ARCHITECTURE).
    try withUnsafeTemporaryAllocation(of: ConditionNode.self, capacity: maxTokens) {
      nodes throws(NTSecurityError) in
      let root = try buildTree(bytes, into: nodes)
      try write(bytes, tree: nodes, root: root, to: &out, domain: domain)
    }
  }

  /// Rebuilds the expression tree from the postfix tokens: each operator takes its operands from
  /// the stack of subtree roots. Returns the root's index. `nodes` has room for every token.
  private static func buildTree(
    _ bytes: UnsafeBufferPointer<UInt8>, into nodes: UnsafeMutableBufferPointer<ConditionNode>
  )
    throws(NTSecurityError) -> Int
  {
    let end = bytes.count
    // The stack of subtree roots is linked through the nodes: `top`, then each one's `link`.
    var top: Int32 = -1
    var rootCount = 0
    var count = 0
    var i = 4
    while i < end {
      let code = bytes[i]
      if code == 0 {
        i += 1
        continue
      }
      var node = ConditionNode(token: Int32(truncatingIfNeeded: i))
      if ConditionalOperator.isOperator(code) {
        let arity = ConditionalOperator.arity(ofCode: code)
        guard rootCount >= arity else {
          throw conditionError("operator lacks operands", at: i)
        }
        let parent = Int32(count)
        node.right = top
        top = nodes[Int(top)].link
        nodes[Int(node.right)].link = parent
        if arity == 2 {
          node.left = top
          top = nodes[Int(top)].link
          nodes[Int(node.left)].link = parent
        }
        rootCount -= arity
        node.parenthesized = arity == 2 || ConditionalOperator.isMembership(code: code)
        try checkSDDLForm(of: node, code: code, in: nodes, bytes, at: i)
        i += 1
      } else {
        i += try operandSize(bytes, at: i, limit: end)
      }
      node.link = top
      nodes.initializeElement(at: count, to: node)
      top = Int32(count)
      count += 1
      rootCount += 1
    }
    guard rootCount == 1 else {
      throw conditionError(
        rootCount == 0
          ? "conditional expression is empty" : "conditional expression leaves \(rootCount) values",
        at: end)
    }
    let root = Int(top)
    nodes[root].parenthesized = true
    // A whole condition that is one literal (`(1)`, `({SID(BA)})`) has no SDDL form: the grammar
    // wants an attribute or an operation there (found by FuzzSecurityDescriptor).
    if !nodes[root].isOperation, !isAttribute(bytes[Int(nodes[root].token)]) {
      throw conditionError(
        "a condition that is a single literal has no SDDL form", at: Int(nodes[root].token))
    }
    return root
  }

  /// What the grammar allows around each operator, since text that breaks it does not parse back
  /// (each rule found by the fuzz targets). Marks the operands of `&&`, `||` and `!` for
  /// parentheses.
  private static func checkSDDLForm(
    of node: ConditionNode, code: UInt8, in nodes: UnsafeMutableBufferPointer<ConditionNode>,
    _ bytes: UnsafeBufferPointer<UInt8>,
    at i: Int
  ) throws(NTSecurityError) {
    if code >= 0xA0 {
      // `&&`, `||` and `!` take conditions: an attribute or an operation, never a literal (SDDL
      // has no form for `(@X && 1)`; found by FuzzSecurityDescriptor).
      func markCondition(_ operand: Int32) throws(NTSecurityError) {
        guard operand >= 0 else { return }
        let leaf = nodes[Int(operand)]
        if !leaf.isOperation, !isAttribute(bytes[Int(leaf.token)]) {
          throw conditionError("a literal operand of a logical operator has no SDDL form", at: i)
        }
        nodes[Int(operand)].parenthesized = true
      }
      try markCondition(node.left)
      try markCondition(node.right)
      return
    }
    // The right side of a comparison and the operand of Member_of are values, not operations;
    // Member_of takes a literal; Exists takes an attribute; a comparison starts with an attribute
    // or a parenthesized operation (a word there is read as an attribute, so never a literal); a
    // local attribute cannot be the right side of a comparison.
    let right = nodes[Int(node.right)]
    let rightCode = bytes[Int(right.token)]
    if right.isOperation {
      throw conditionError("an operation as the value of a comparison has no SDDL form", at: i)
    }
    if ConditionalOperator.isMembership(code: code) {
      if isAttribute(rightCode) {
        throw conditionError("a Member_of operand that is an attribute has no SDDL form", at: i)
      }
    } else if node.left < 0 {
      if !isAttribute(rightCode) {
        throw conditionError("an Exists operand that is not an attribute has no SDDL form", at: i)
      }
    } else {
      let left = nodes[Int(node.left)]
      if !(left.isOperation || isAttribute(bytes[Int(left.token)])) || rightCode == 0xF8 {
        throw conditionError(
          "a comparison that starts with a literal or compares with a local attribute has no SDDL form",
          at: i)
      }
    }
  }

  /// Whether the token code is an attribute (local, user, resource or device).
  @inline(__always)
  private static func isAttribute(_ code: UInt8) -> Bool { (0xF8...0xFB).contains(code) }

  /// Writes the tree in infix order without recursion, climbing back up through each node's
  /// parent link.
  private static func write(
    _ bytes: UnsafeBufferPointer<UInt8>, tree nodes: UnsafeMutableBufferPointer<ConditionNode>, root: Int,
    to out: inout ByteBuffer, domain: SID?
  ) throws(NTSecurityError) {
    /// Where the walk is in a node: just entered, between its operands, or after its last one.
    enum Phase { case enter, infix, close }
    var n = root
    var phase = Phase.enter
    while true {
      let node = nodes[n]
      switch phase {
      case .enter:
        if node.parenthesized { out.append(UInt8(ascii: "(")) }
        if node.isOperation {
          if node.left >= 0 {
            n = Int(node.left)
          } else {
            phase = .infix
          }
          continue
        }
        try appendOperand(bytes, at: Int(node.token), limit: bytes.count, to: &out, domain: domain, depth: 0)
        if node.parenthesized { out.append(UInt8(ascii: ")")) }
      case .infix:
        let op = ConditionalOperator(rawValue: bytes[Int(node.token)])!
        if node.left >= 0 { out.append(UInt8(ascii: " ")) }
        out.append(op.sddlText)
        if op != .not { out.append(UInt8(ascii: " ")) }
        n = Int(node.right)
        phase = .enter
        continue
      case .close:
        if node.parenthesized { out.append(UInt8(ascii: ")")) }
      }
      // The node is written: go back up to its parent.
      guard node.link >= 0 else { return }
      phase = nodes[Int(node.link)].left == Int32(n) ? .infix : .close
      n = Int(node.link)
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
      if out.appendUTF8(fromUTF16LE: bytes, bodyStart, bodyEnd) {
        throw conditionError("string contains '\"', which SDDL cannot express", at: i)
      }
      out.append(UInt8(ascii: "\""))
    case 0x18:
      out.reserve(1 + 2 * (bodyEnd - bodyStart))
      out.appendUnchecked(UInt8(ascii: "#"))
      let octets = UnsafeBufferPointer(rebasing: bytes[bodyStart..<bodyEnd])
      for k in 0..<octets.count {
        out.appendUnchecked(hexDigit(octets[k] >> 4))
        out.appendUnchecked(hexDigit(octets[k] & 0xF))
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
      try appendComposite(bytes, bodyStart, bodyEnd, at: i, to: &out, domain: domain, depth: depth)
    case 0xF8, 0xF9, 0xFA, 0xFB:
      try appendAttributeName(code, bytes, bodyStart, bodyEnd, at: i, to: &out)
    default:
      throw conditionError("unknown token 0x\(String(code, radix: 16))", at: i)
    }
  }

  /// Appends a composite literal, `{a, b, …}`, whose elements are `bytes[start..<end]`.
  private static func appendComposite(
    _ bytes: UnsafeBufferPointer<UInt8>, _ bodyStart: Int, _ bodyEnd: Int, at i: Int,
    to out: inout ByteBuffer, domain: SID?,
    depth: Int
  ) throws(NTSecurityError) {
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
  }

  /// Appends an attribute name (UTF-16LE in `bytes[start..<end]`): a local attribute as it is
  /// (only `attr-char1` characters have a form), the others after their `@USER.`, `@DEVICE.` or
  /// `@RESOURCE.` prefix with `%hhhh` escapes.
  private static func appendAttributeName(
    _ code: UInt8, _ bytes: UnsafeBufferPointer<UInt8>, _ bodyStart: Int, _ bodyEnd: Int, at i: Int,
    to out: inout ByteBuffer
  ) throws(NTSecurityError) {
    guard bodyEnd > bodyStart else { throw conditionError("empty attribute name", at: i) }
    let name = UnsafeBufferPointer(rebasing: bytes[bodyStart..<bodyEnd])
    if code == 0xF8 {
      out.reserve(name.count / 2)
      var k = 0
      while k + 1 < name.count {
        guard name[k + 1] == 0, isAttributeChar(name[k]) else {
          throw conditionError("local attribute name cannot be written in SDDL", at: bodyStart + k)
        }
        out.appendUnchecked(name[k])
        k += 2
      }
      return
    }
    out.append(code == 0xF9 ? "@USER." : code == 0xFB ? "@DEVICE." : "@RESOURCE." as StaticString)
    out.reserve(5 * name.count / 2)
    var k = 0
    while k + 1 < name.count {
      let u = UInt16(name[k]) | UInt16(name[k + 1]) << 8
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
    // At most 22 octal digits; the most significant first.
    var divisor: UInt64 = 1
    while magnitude / divisor >= radix { divisor *= radix }
    repeat {
      out.append(hexDigit(UInt8(magnitude / divisor)))
      magnitude %= divisor
      divisor /= radix
    } while divisor > 0
  }
}

/// The lowercase hexadecimal digit for `v` (0...15).
@inline(__always)
private func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

/// A node of the expression tree the SDDL writer rebuilds from the postfix tokens.
struct ConditionNode {
  /// The byte offset of the node's token.
  var token: Int32
  /// The operands' node indices, -1 for none: an operand has neither, a unary operator only `right`.
  var left: Int32 = -1
  var right: Int32 = -1
  /// While the tree is built, the subtree root below this one on the stack; then the parent.
  var link: Int32 = -1
  /// Whether the node's text goes in parentheses.
  var parenthesized = false

  /// Whether the node is an operator (has operands) rather than a literal or an attribute.
  var isOperation: Bool { right >= 0 }
}
