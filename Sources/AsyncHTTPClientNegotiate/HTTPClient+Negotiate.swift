public import AsyncHTTPClient
import Foundation
public import HTTPNegotiate
public import NIOCore
public import SSPI

/// The credentials a Negotiate client authenticates with.
public enum NegotiateCredentials: Sendable {
  /// The caller's default credentials: the Kerberos ticket cache, else (as Windows' credential
  /// manager supplies them) the credential vault's domain password for the host.
  case defaultCredentials
  /// An explicit user and password (`AuthIdentity`).
  case identity(SSPI.AuthIdentity)
}

extension HTTPClient {
  /// Executes `request`, answering a 401 `WWW-Authenticate: Negotiate` (or `NTLM` with
  /// `scheme: .ntlm`) with SSPI, as Windows' HttpClient with default credentials does: the
  /// tokens are looped until the server answers otherwise, and the server's mutual-authentication
  /// token on that answer is verified (a server that does not prove itself fails with
  /// SEC_E_MUTUAL_AUTH_FAILED unless `options.requiresMutualAuthentication` is off).
  ///
  /// The service principal is `HTTP/<host>` unless `servicePrincipal` names another. The body
  /// must be one that can be sent again (`.bytes`). NTLM's legs must reach the same connection:
  /// use a client whose pool keeps one HTTP/1.1 connection per host.
  public func executeNegotiate(
    _ request: HTTPClientRequest, credentials: NegotiateCredentials = .defaultCredentials,
    scheme: NegotiateScheme = .negotiate, servicePrincipal: String? = nil,
    options: NegotiateClientExchange.Options = .init(), timeout: TimeAmount = .seconds(30)
  ) async throws -> HTTPClientResponse {
    let first = try await execute(request, timeout: timeout)
    let offered = AuthenticationChallenge.parse(first.headers["WWW-Authenticate"])
    guard first.status == .unauthorized, offered.contains(where: { $0.negotiateScheme == scheme }) else {
      return first
    }
    _ = try await first.body.collect(upTo: 1 << 20)
    guard let host = URL(string: request.url)?.host else {
      throw NegotiateError(.clientFailure, status: .targetUnknown, "no host in \(request.url)")
    }
    let identity: SSPI.AuthIdentity? =
      switch credentials {
      case .defaultCredentials: nil
      case .identity(let identity): identity
      }
    let exchange = NegotiateClientExchange(
      target: servicePrincipal ?? NegotiateClientExchange.servicePrincipal(host: host),
      credentials: try NegotiateClientExchange.credentials(
        identity: identity, package: scheme == .ntlm ? "NTLM" : "Negotiate"),
      scheme: scheme, options: options)
    var authorization: NegotiateAuthorization? = try exchange.initialAuthorization()
    var response = first
    var legs = 0
    while let header = authorization {
      legs += 1
      guard legs <= 5 else {
        throw NegotiateError(.clientFailure, status: .internalError, "the server asked for more than 5 legs")
      }
      var next = request
      next.headers.replaceOrAdd(name: "Authorization", value: header.headerValue)
      response = try await execute(next, timeout: timeout)
      let challenges = AuthenticationChallenge.parse(response.headers["WWW-Authenticate"])
      guard response.status == .unauthorized else {
        try exchange.verifyFinalAnswer(challenges)
        return response
      }
      authorization = try exchange.authorization(answering: challenges)
      if authorization != nil { _ = try await response.body.collect(upTo: 1 << 20) }
    }
    return response
  }
}
