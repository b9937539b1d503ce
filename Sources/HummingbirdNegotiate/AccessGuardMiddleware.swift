public import HTTPNegotiate
public import Hummingbird
public import NTSecurity

/// A route guard: the authenticated client's access token must pass `AccessGuard`
/// (AccessCheck against an SDDL descriptor) or `GroupGuard` (group membership).
/// Unauthenticated requests get 401 (the authenticator adds the challenge); refused ones 403
/// with no detail.
public struct AccessGuardMiddleware<Context: NegotiateRequestContext>: RouterMiddleware {
  let permits: @Sendable (NegotiateIdentity) -> Bool

  public init(_ guard: AccessGuard) {
    permits = { `guard`.permits($0.token) }
  }

  public init(_ guard: GroupGuard) {
    permits = { `guard`.permits($0.token) }
  }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard let identity = context.identity else { throw HTTPError(.unauthorized) }
    guard permits(identity) else { throw HTTPError(.forbidden) }
    return try await next(request, context)
  }
}

extension MiddlewareProtocol {
  /// A guard that runs AccessCheck with the request's token against `sddl` (for example
  /// `D:(A;;GA;;;BA)`); invalid SDDL throws when the route is set up.
  public static func requireAccess<C: NegotiateRequestContext>(
    sddl: String, desired: AccessMask = .genericRead, mapping: GenericMapping = .file
  ) throws -> Self where Self == AccessGuardMiddleware<C> {
    AccessGuardMiddleware(try AccessGuard(sddl: sddl, desired: desired, mapping: mapping))
  }

  /// A guard on group membership: the token must have any (or all) of `groups` enabled.
  public static func requireGroup<C: NegotiateRequestContext>(
    _ groups: [SID], requirement: GroupGuard.Requirement = .any
  ) -> Self where Self == AccessGuardMiddleware<C> {
    AccessGuardMiddleware(GroupGuard(groups, requirement: requirement))
  }
}
