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
    // Rebuild the tree: each operator takes its operands from a stack of subtree roots.
    let n = tokens.count
    var nodes = [Node](repeating: Node(), count: n)
    var roots = [Int32]()
    roots.reserveCapacity(16)
    for i in 0..<n {
      switch tokens[i] {
      case .padding:
        continue
      case .operator(let op):
        guard roots.count >= op.arity else {
          throw conditionError("operator \(op.sddlName) lacks operands", at: i)
        }
        let right = roots.removeLast()
        nodes[i].rhs = right
        if op.arity == 2 { nodes[i].lhs = roots.removeLast() }
        nodes[i].parenthesised = op.arity == 2 || op.isMembership
        if op.isLogical {
          nodes[Int(right)].parenthesised = true
          if op.arity == 2 { nodes[Int(nodes[i].lhs)].parenthesised = true }
        }
      default:
        break
      }
      roots.append(Int32(i))
    }
    guard roots.count == 1, let root = roots.first else {
      throw conditionError(
        roots.isEmpty
          ? "conditional expression is empty" : "conditional expression leaves \(roots.count) values",
        at: n)
    }
    nodes[Int(root)].parenthesised = true

    // Walk the tree without recursion: phase 0 opens a node, 1 follows its left operand, 2 closes.
    var work = [(node: Int32, phase: UInt8)]()
    work.reserveCapacity(32)
    work.append((root, 0))
    while let (index, phase) = work.popLast() {
      let node = nodes[Int(index)]
      switch phase {
      case 0:
        if node.parenthesised { out.append(UInt8(ascii: "(")) }
        work.append((index, 1))
        if node.lhs >= 0 { work.append((node.lhs, 0)) }
      case 1:
        guard case .operator(let op) = tokens[Int(index)] else {
          try tokens[Int(index)].appendOperandSDDL(to: &out, domain: domain, depth: 0)
          if node.parenthesised { out.append(UInt8(ascii: ")")) }
          continue
        }
        if node.lhs >= 0 { out.append(UInt8(ascii: " ")) }
        out.append(contentsOf: op.sddlBytes)
        if op != .not { out.append(UInt8(ascii: " ")) }
        work.append((index, 2))
        work.append((node.rhs, 0))
      default:
        if node.parenthesised { out.append(UInt8(ascii: ")")) }
      }
    }
  }
}

/// A token's place in the expression tree.
private struct Node {
  var lhs: Int32 = -1
  var rhs: Int32 = -1
  var parenthesised = false
}

extension ConditionalToken {
  /// Appends the SDDL for an operand token (a literal or attribute).
  func appendOperandSDDL(to out: inout [UInt8], domain: SID?, depth: Int) throws(NTSecurityError) {
    switch self {
    case .int8(let v, let s, let b), .int16(let v, let s, let b), .int32(let v, let s, let b),
      .int64(let v, let s, let b):
      ConditionalToken.appendInteger(v, sign: s, base: b, to: &out)
    case .unicodeString(let s):
      if s.utf16.contains(0x22) {
        throw conditionError("string contains '\"', which SDDL cannot express", at: out.count)
      }
      out.append(UInt8(ascii: "\""))
      UTF16String.appendUTF8(s.utf16, to: &out)
      out.append(UInt8(ascii: "\""))
    case .octetString(let bytes):
      out.append(UInt8(ascii: "#"))
      for b in bytes {
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0xF)])
      }
    case .sid(let sid):
      out.append(ascii: "SID(")
      sid.appendSDDL(to: &out, domain: domain)
      out.append(UInt8(ascii: ")"))
    case .composite(let items):
      guard depth < ConditionalExpression.maxCompositeDepth else {
        throw conditionError("composites nested too deeply", at: out.count)
      }
      out.append(UInt8(ascii: "{"))
      for (k, item) in items.enumerated() {
        if k > 0 { out.append(ascii: ", ") }
        try item.appendOperandSDDL(to: &out, domain: domain, depth: depth + 1)
      }
      out.append(UInt8(ascii: "}"))
    case .localAttribute(let name):
      guard !name.isEmpty, name.utf16.allSatisfy({ $0 < 0x80 && isAttributeChar(UInt8($0)) }) else {
        throw conditionError("local attribute name \"\(name)\" cannot be written in SDDL", at: out.count)
      }
      for u in name.utf16 { out.append(UInt8(u)) }
    case .userAttribute(let name):
      try ConditionalToken.appendPrefixed("@USER.", name, to: &out)
    case .deviceAttribute(let name):
      try ConditionalToken.appendPrefixed("@DEVICE.", name, to: &out)
    case .resourceAttribute(let name):
      try ConditionalToken.appendPrefixed("@RESOURCE.", name, to: &out)
    case .padding, .operator:
      throw conditionError("not an operand", at: out.count)
    }
  }

  private static func appendPrefixed(_ prefix: StaticString, _ name: UTF16String, to out: inout [UInt8])
    throws(NTSecurityError)
  {
    guard !name.isEmpty else { throw conditionError("empty attribute name", at: out.count) }
    out.append(ascii: prefix)
    for u in name.utf16 {
      if needsEscape(u) {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigits[Int(u >> 12)])
        out.append(hexDigits[Int(u >> 8 & 0xF)])
        out.append(hexDigits[Int(u >> 4 & 0xF)])
        out.append(hexDigits[Int(u & 0xF)])
      } else {
        out.append(UInt8(u))
      }
    }
  }

  /// Characters of an `@Class.` attribute name written as `%hhhh`: controls, space, non-ASCII and
  /// the characters that would end the name or start an escape.
  private static func needsEscape(_ u: UInt16) -> Bool {
    switch u {
    case 0...0x20, 0x7F...: true
    case 0x21, 0x22, 0x25, 0x26, 0x28, 0x29, 0x3C, 0x3D, 0x3E, 0x7C: true  // ! " % & ( ) < = > |
    default: false
    }
  }

  /// Writes an integer so that it reads back with the same value, sign and base: the sign as
  /// recorded, then the magnitude with a `0` (octal) or `0x` (hex) prefix.
  static func appendInteger(
    _ value: Int64, sign: ConditionalIntegerSign, base: ConditionalIntegerBase, to out: inout [UInt8]
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
      out.append(ascii: "0x")
      radix = 16
    }
    var digits = [UInt8]()
    digits.reserveCapacity(22)
    repeat {
      digits.append(hexDigits[Int(magnitude % radix)])
      magnitude /= radix
    } while magnitude > 0
    out.append(contentsOf: digits.reversed())
  }
}

/// Lowercase hexadecimal digits.
private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
