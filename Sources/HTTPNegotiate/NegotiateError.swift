import SSPI

/// A failed or refused HTTP Negotiate exchange: what the server answers (``httpStatus``) and,
/// when SSPI decided it, the SEC_E_* status. ``description`` is for logs; what a client is told
/// carries no detail.
public struct NegotiateError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Why the exchange stopped.
  public enum Kind: Sendable, Equatable {
    /// The Authorization header is not RFC 4559's `Negotiate <base64>` (or `NTLM <base64>`): 400.
    case malformedHeader
    /// The token is larger than the configured maximum (IIS's 64 KiB header limit): 400.
    case tokenTooLarge
    /// A connection-bound exchange (NTLM's three legs) over HTTP/2, where requests of one
    /// connection are not one client's sequence: 400 (IIS answers HTTP_1_1_REQUIRED).
    case connectionBoundOverHTTP2
    /// SSPI refused the token or the client (unknown, expired, wrong principal, replay): 401.
    case authenticationFailed
    /// The client used a package the server does not accept (NTLM in Kerberos-only mode): 401.
    case packageNotAccepted
    /// An authenticated client without the access a route asks for: 403.
    case accessDenied
    /// The client's exchange with the server failed (client side): no HTTP status of its own.
    case clientFailure
  }

  public let kind: Kind
  /// The SSPI status behind the failure, when SSPI decided it.
  public let status: SSPI.Status?
  /// What happened, for logs (never sent to the client).
  public let message: String

  public init(_ kind: Kind, status: SSPI.Status? = nil, _ message: String) {
    self.kind = kind
    self.status = status
    self.message = message
  }

  /// The HTTP status a server answers with.
  public var httpStatus: Int {
    switch kind {
    case .malformedHeader, .tokenTooLarge, .connectionBoundOverHTTP2: 400
    case .authenticationFailed, .packageNotAccepted, .clientFailure: 401
    case .accessDenied: 403
    }
  }

  public var description: String {
    if let status { return "\(status.name): \(message)" }
    return message
  }
}
