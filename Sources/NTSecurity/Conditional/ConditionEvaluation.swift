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
  /// Whether the expression belongs to a deny ACE. `Member_of` and its relatives count SIDs that
  /// are enabled (`SE_GROUP_ENABLED`; the token's user always is unless deny-only); for a deny ACE
  /// deny-only SIDs (`SE_GROUP_USE_FOR_DENY_ONLY`) count too, and so do claims marked
  /// `CLAIM_SECURITY_ATTRIBUTE_USE_FOR_DENY_ONLY`.
  public var forDenyACE: Bool

  public init(
    token: AccessToken, sids: [SIDAndAttributes]? = nil,
    resourceAttributes: [ClaimSecurityAttribute] = [], principalSelf: SID? = nil,
    forDenyACE: Bool = false
  ) {
    self.token = token
    self.sids = sids ?? [token.user] + token.groups
    self.resourceAttributes = resourceAttributes
    self.principalSelf = principalSelf
    self.forDenyACE = forDenyACE
  }
}

extension ConditionalExpression {
  /// Evaluates the expression with MS-DTYP's three-valued logic (2.4.4.17.6–7, 2.5.3.1.5).
  ///
  /// An attribute the context does not hold is NULL: comparisons with it are UNKNOWN and
  /// `Exists` is FALSE. Comparisons between values of incompatible types are UNKNOWN. A malformed
  /// expression (bad bytes, operators without operands, a logical operator applied to a literal,
  /// `Member_of` on something other than SIDs) makes the whole expression UNKNOWN.
  public func evaluate(in context: ConditionContext) -> ConditionResult {
    ConditionEvaluator.evaluate(storage, in: context, forDenyACE: context.forDenyACE)
  }

  /// Evaluates the expression for an allow (`forDenyACE: false`) or deny ACE, overriding the
  /// context's ``ConditionContext/forDenyACE``.
  public func evaluate(in context: ConditionContext, forDenyACE: Bool) -> ConditionResult {
    ConditionEvaluator.evaluate(storage, in: context, forDenyACE: forDenyACE)
  }

  /// Evaluates the conditional expression in a callback ACE's application data (`artx` and the
  /// tokens) without decoding it into a value first; data that is not a well-formed expression
  /// evaluates to UNKNOWN.
  public static func evaluate(applicationData: [UInt8], in context: ConditionContext)
    -> ConditionResult
  {
    ConditionEvaluator.evaluate(applicationData, in: context, forDenyACE: context.forDenyACE)
  }
}
