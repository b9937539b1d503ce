public import HTTPNegotiate
public import Hummingbird
public import HummingbirdAuth
import Logging

/// Windows Authentication for Hummingbird (IIS's "Windows Authentication"): HTTP Negotiate
/// (RFC 4559) over SSPI. Requests with a Negotiate/NTLM Authorization header are authenticated
/// (the multi-leg NTLM exchange kept per connection); the identity, with the client's access
/// token, goes to `context.identity`. Requests without one pass on unauthenticated; any 401
/// answered below this middleware gets the `WWW-Authenticate: Negotiate` challenge (and `NTLM`
/// when offered). A Kerberos mutual-authentication token goes back on the answer.
///
/// Malformed or oversized headers answer 400, refused tokens 401, with no detail for the client.
public struct NegotiateAuthenticator<Context: NegotiateRequestContext>: AuthenticatorMiddleware {
  public typealias Identity = NegotiateIdentity
  public let acceptor: NegotiateAcceptor

  /// An authenticator over an acceptor (its credentials acquired once, shared by all requests).
  public init(acceptor: NegotiateAcceptor) {
    self.acceptor = acceptor
  }

  /// Acquires the server's credentials as `configuration` says (keytab, Kerberos-only, SPNs).
  public init(configuration: NegotiateServerConfiguration = NegotiateServerConfiguration())
    throws(NegotiateError)
  {
    self.acceptor = try NegotiateAcceptor(configuration: configuration)
  }

  /// The identity of the request's Negotiate exchange, or of its connection (nil: none).
  public func authenticate(request: Request, context: Context) async throws -> NegotiateIdentity? {
    try evaluate(request, context).identity
  }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let outcome = try evaluate(request, context)
    var context = context
    context.identity = outcome.identity
    do {
      var response = try await next(request, context)
      if let mutual = outcome.mutualToken {
        response.headers[values: .wwwAuthenticate].append(mutual.headerValue)
      }
      if response.status == .unauthorized && context.identity == nil { addChallenges(&response.headers) }
      return response
    } catch let error as any HTTPResponseError where error.status == .unauthorized && outcome.identity == nil
    {
      var headers = HTTPFields()
      addChallenges(&headers)
      throw HTTPError(.unauthorized, headers: headers)
    }
  }

  struct Outcome {
    var identity: NegotiateIdentity?
    var mutualToken: AuthenticationChallenge?
  }

  func evaluate(_ request: Request, _ context: Context) throws -> Outcome {
    let connection = context.negotiateConnection
    // Anonymous requests cost nothing: no SSPI call without a Negotiate header.
    let header = request.headers[values: .authorization].first { value in
      let scheme = value.prefix { $0 != " " }
      return NegotiateScheme(named: scheme) != nil
    }
    guard let header else { return Outcome(identity: connection?.identity) }
    let authorization: NegotiateAuthorization?
    do {
      authorization = try NegotiateAuthorization.parse(
        header, maximumTokenSize: acceptor.configuration.maximumTokenSize)
    } catch {
      acceptor.configuration.logger.info(
        "Negotiate: bad Authorization header", metadata: ["reason": "\(error)"])
      throw HTTPError(.badRequest)
    }
    guard let authorization else { return Outcome(identity: connection?.identity) }
    let outcome: NegotiateOutcome
    do throws(NegotiateError) {
      // AcceptSecurityContext runs here: Kerberos is CPU work of a fraction of a millisecond
      // (NTLM through a DC waits for its winbindd).
      outcome = try acceptor.accept(authorization, connection: connection, isHTTP2: context.isHTTP2)
    } catch {
      if error.httpStatus == 400 { throw HTTPError(.badRequest) }
      var headers = HTTPFields()
      addChallenges(&headers)
      throw HTTPError(.unauthorized, headers: headers)
    }
    switch outcome {
    case .authenticated(let identity, let mutual):
      return Outcome(identity: identity, mutualToken: mutual)
    case .continueNeeded(let challenge):
      throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: challenge.headerValue])
    }
  }

  func addChallenges(_ headers: inout HTTPFields) {
    for challenge in acceptor.configuration.challenges {
      headers[values: .wwwAuthenticate].append(challenge.headerValue)
    }
  }
}
