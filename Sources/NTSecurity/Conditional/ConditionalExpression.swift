/// The condition of a conditional (callback) ACE, MS-DTYP 2.4.4.17: a postfix token stream stored
/// in the ACE's application data after the `artx` signature, written in SDDL as an infix expression
/// such as `(@User.Title == "PM")`.
public struct ConditionalExpression: Hashable, Sendable {
  /// The tokens in postfix order, as the binary form stores them (without alignment padding).
  public var tokens: [ConditionalToken]

  /// Creates an expression from postfix tokens.
  public init(tokens: [ConditionalToken]) {
    self.tokens = tokens
  }

  /// The signature that starts the application data of a conditional ACE: `artx`.
  static let signature: [UInt8] = [0x61, 0x72, 0x74, 0x78]

  /// How deeply composites may nest, in binary and in SDDL.
  static let maxCompositeDepth = 16

  /// The SDDL text Windows writes for this expression, including its outer parentheses.
  public func sddl(domain: SID? = nil) throws(NTSecurityError) -> String {
    var out = [UInt8]()
    try appendSDDL(to: &out, domain: domain)
    return String(decoding: out, as: UTF8.self)
  }
}

extension ConditionalExpression: CustomStringConvertible {
  public var description: String {
    (try? sddl()) ?? "<conditional expression with \(tokens.count) tokens>"
  }
}

/// Builds `ERROR_INVALID_ACE_CONDITION` at `offset`.
@inline(__always)
func conditionError(_ message: String, at offset: Int) -> NTSecurityError {
  NTSecurityError(.invalidAceCondition, message, offset: offset)
}
