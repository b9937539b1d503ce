// TEMPORARY stand-in until the conditional/claims branches merge. Not committed.
public struct ConditionalExpression {
  public init(binary: [UInt8]) throws(NTSecurityError) { throw NTSecurityError(.notSupported, "pending") }
  public var binary: [UInt8] { [] }
  public static func parseSDDL(_ text: [UInt8], at start: Int, domain: SID?) throws(NTSecurityError) -> (
    ConditionalExpression, Int
  ) { throw NTSecurityError(.notSupported, "pending") }
  public func appendSDDL(to out: inout [UInt8], domain: SID?) throws(NTSecurityError) {}
  public func sddl(domain: SID? = nil) throws(NTSecurityError) -> String { "" }
}
