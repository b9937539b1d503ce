/// The three-valued outcome of a conditional ACE's expression (MS-DTYP 2.4.4.17.1): an allow ACE
/// applies only when its condition is `true`; a deny ACE applies unless it is `false`.
public enum ConditionResult: Hashable, Sendable {
  case `true`
  case `false`
  case unknown
}

/// What a conditional expression is evaluated against during one access-check pass.
public struct ConditionContext: Sendable {
  /// The token being checked: user claims (`@User.`), device claims (`@Device.`), device groups
  /// (`Device_Member_of`).
  public var token: AccessToken
  /// The SIDs `Member_of` tests in this pass: the token's user and groups in the normal pass, the
  /// restricting SIDs in the restricted pass.
  public var sids: [SIDAndAttributes]
  /// The object's resource attributes (`@Resource.`): the claims of the SACL's
  /// SYSTEM_RESOURCE_ATTRIBUTE ACEs.
  public var resourceAttributes: [ClaimSecurityAttribute]
  /// The SID PRINCIPAL_SELF (S-1-5-10) stands for in SID literals, if any.
  public var principalSelf: SID?

  public init(
    token: AccessToken, sids: [SIDAndAttributes]? = nil,
    resourceAttributes: [ClaimSecurityAttribute] = [], principalSelf: SID? = nil
  ) {
    self.token = token
    self.sids = sids ?? [token.user] + token.groups
    self.resourceAttributes = resourceAttributes
    self.principalSelf = principalSelf
  }
}

extension ConditionalExpression {
  /// Evaluates the expression with MS-DTYP's three-valued logic.
  public func evaluate(in context: ConditionContext) -> ConditionResult {
    // Placeholder until the evaluator lands in this same session (issue 3): every condition is
    // UNKNOWN, so allow ACEs never apply and deny ACEs always do (the safe direction).
    .unknown
  }
}
