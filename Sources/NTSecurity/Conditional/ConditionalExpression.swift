/// The condition of a conditional (callback) ACE, MS-DTYP 2.4.4.17: a postfix token stream stored
/// in the ACE's application data after the `artx` signature, written in SDDL as an infix expression
/// such as `(@User.Title == "PM")`.
///
/// The expression keeps its binary form, so converting between SDDL and binary never builds the
/// token list; `tokens` decodes it on demand.
public struct ConditionalExpression: Hashable, Sendable {
  /// The application data: `artx`, the tokens, zero bytes up to a multiple of four.
  @usableFromInline var storage: [UInt8]

  @inlinable init(storage: [UInt8]) {
    self.storage = storage
  }

  /// Creates an expression from postfix tokens. Nothing is checked here; `appendSDDL` reports
  /// tokens that do not form one expression.
  public init(tokens: [ConditionalToken]) {
    var out = ConditionalExpression.signature
    out.reserveCapacity(8 + tokens.reduce(0) { $0 + $1.encodedSize })
    for token in tokens { token.write(to: &out) }
    ConditionalExpression.pad(&out)
    self.storage = out
  }

  /// The tokens in postfix order, as the binary form stores them (without alignment padding).
  public var tokens: [ConditionalToken] {
    get { ConditionalToken.decodeAll(storage, from: 4, to: storage.count) }
    set { self = ConditionalExpression(tokens: newValue) }
  }

  /// The application data: `artx`, the tokens, then zero bytes up to a multiple of four, as
  /// Windows writes it.
  @inlinable public var binary: [UInt8] { storage }

  /// The SDDL text Windows writes for this expression, including its outer parentheses.
  public func sddl(domain: SID? = nil) throws(NTSecurityError) -> String {
    var out = [UInt8]()
    try appendSDDL(to: &out, domain: domain)
    return String(decoding: out, as: UTF8.self)
  }

  /// The signature that starts the application data of a conditional ACE: `artx`.
  static let signature: [UInt8] = [0x61, 0x72, 0x74, 0x78]

  /// How deeply composites may nest, in binary and in SDDL.
  static let maxCompositeDepth = 16

  /// Appends zero bytes until the count is a multiple of four.
  static func pad(_ out: inout [UInt8]) {
    while out.count & 3 != 0 { out.append(0) }
  }
}

extension ConditionalExpression: CustomStringConvertible {
  public var description: String {
    (try? sddl()) ?? "<conditional expression of \(storage.count) bytes>"
  }
}

/// Builds `ERROR_INVALID_ACE_CONDITION` at `offset`.
@inline(__always)
func conditionError(_ message: String, at offset: Int) -> NTSecurityError {
  NTSecurityError(.invalidAceCondition, message, offset: offset)
}
