import SSPI

/// The client side of HTTP Negotiate (what curl --negotiate, requests-gssapi and Windows'
/// HttpClient with default credentials do): InitializeSecurityContext for the server's SPN,
/// tokens carried in Authorization / WWW-Authenticate, and the server's mutual-authentication
/// token verified on the final answer. One exchange per connection; not for concurrent use.
public final class NegotiateClientExchange {
  /// The client's options.
  public struct Options: Sendable {
    /// Require the server to prove its identity (Kerberos mutual authentication): a final
    /// answer without a valid server token fails with SEC_E_MUTUAL_AUTH_FAILED.
    public var requiresMutualAuthentication: Bool
    /// Delegate (forward) the client's TGT to the server (ISC_REQ_DELEGATE).
    public var delegates: Bool
    /// Channel bindings of the TLS connection (tls-server-end-point), when the caller has them.
    public var channelBindings: SSPI.ChannelBindings?

    public init(
      requiresMutualAuthentication: Bool = true, delegates: Bool = false,
      channelBindings: SSPI.ChannelBindings? = nil
    ) {
      self.requiresMutualAuthentication = requiresMutualAuthentication
      self.delegates = delegates
      self.channelBindings = channelBindings
    }
  }

  public let target: String
  public let options: Options
  public let scheme: NegotiateScheme
  let credentials: SSPI.CredentialsHandle
  var context: SSPI.SecurityContext?
  var established = false

  /// An exchange with the service `target` (an SPN, `HTTP/web.example.com`) using `credentials`
  /// (outbound Negotiate, Kerberos or NTLM; see ``credentials(identity:package:)``).
  public init(
    target: String, credentials: SSPI.CredentialsHandle, scheme: NegotiateScheme = .negotiate,
    options: Options = Options()
  ) {
    self.target = target
    self.credentials = credentials
    self.scheme = scheme
    self.options = options
  }

  /// Outbound credentials: the default ccache (and, as Windows' packages do, the caller's
  /// credential vault's domain password for the target) when `identity` is nil, else that user's.
  public static func credentials(identity: SSPI.AuthIdentity? = nil, package: String = "Negotiate")
    throws(NegotiateError) -> SSPI.CredentialsHandle
  {
    do throws(SSPIError) {
      return try SSPI.acquireCredentialsHandle(package: package, use: .outbound, authData: identity)
        .credentials
    } catch {
      throw NegotiateError(.clientFailure, status: error.status, error.message)
    }
  }

  /// The SPN for a URL's host: `HTTP/host` (the service class browsers and curl use).
  public static func servicePrincipal(host: String) -> String { "HTTP/\(host.lowercased())" }

  /// Whether the server is authenticated (and, with mutual authentication, proved it).
  public var isEstablished: Bool { established }

  /// The package that authenticated, once known.
  public var negotiatedPackage: SSPI.Package? { context?.negotiatedPackage }

  var requirements: SSPI.InitializeRequirements {
    var r: SSPI.InitializeRequirements = [.connection]
    if options.requiresMutualAuthentication { r.insert(.mutualAuth) }
    if options.delegates { r.insert(.delegate) }
    return r
  }

  /// The first request's Authorization header.
  public func initialAuthorization() throws(NegotiateError) -> NegotiateAuthorization {
    context?.delete()
    context = nil
    established = false
    guard let token = try step(nil), !token.isEmpty else {
      throw NegotiateError(.clientFailure, status: .internalError, "InitializeSecurityContext gave no token")
    }
    return NegotiateAuthorization(scheme: scheme, token: token)
  }

  /// The next Authorization header for a 401 answer's challenges; nil when the server sent no
  /// token of this scheme (it refused the client).
  public func authorization(answering challenges: [AuthenticationChallenge]) throws(NegotiateError)
    -> NegotiateAuthorization?
  {
    guard context != nil, !established,
      let token = challenges.first(where: { $0.negotiateScheme == scheme })?.token
    else { return nil }
    guard let next = try step(token), !next.isEmpty else { return nil }
    return NegotiateAuthorization(scheme: scheme, token: next)
  }

  /// Checks the final (non-401) answer's challenges: the server's mutual-authentication token
  /// completes the context; a required mutual authentication that did not happen fails.
  public func verifyFinalAnswer(_ challenges: [AuthenticationChallenge]) throws(NegotiateError) {
    if !established, let token = challenges.first(where: { $0.negotiateScheme == scheme })?.token {
      if let more = try step(token), !more.isEmpty {
        throw NegotiateError(
          .clientFailure, status: .mutualAuthenticationFailed,
          "the server's final token asked for another leg")
      }
    }
    guard options.requiresMutualAuthentication else { return }
    guard established, let context else {
      throw NegotiateError(
        .clientFailure, status: .mutualAuthenticationFailed, "the server did not authenticate itself")
    }
    // NTLM cannot authenticate the server: under Negotiate a server that steers the exchange to
    // NTLM has not proved who it is, so mutual authentication fails; only the explicit NTLM scheme
    // (chosen by the caller) goes without. Kerberos must have authenticated the server.
    if context.negotiatedPackage == .ntlm && scheme == .negotiate {
      throw NegotiateError(
        .clientFailure, status: .mutualAuthenticationFailed,
        "Negotiate chose NTLM, which cannot authenticate the server (mutual authentication required)")
    }
    if context.negotiatedPackage != .ntlm && !context.initializeAttributes.contains(.mutualAuth) {
      throw NegotiateError(
        .clientFailure, status: .mutualAuthenticationFailed, "the server did not authenticate itself")
    }
  }

  func step(_ input: [UInt8]?) throws(NegotiateError) -> [UInt8]? {
    var buffers: [SSPI.SecurityBuffer] = []
    if let input { buffers.append(SSPI.SecurityBuffer(.token, input)) }
    if let bindings = options.channelBindings {
      buffers.append(SSPI.SecurityBuffer(.channelBindings, bindings.bytes))
    }
    do throws(SSPIError) {
      let result = try SSPI.initializeSecurityContext(
        credentials: credentials, context: context, target: target, requirements: requirements,
        input: buffers.isEmpty ? nil : SSPI.SecurityBufferDescriptor(buffers))
      context = result.context
      established = result.status == .ok
      return result.token
    } catch {
      context?.delete()
      context = nil
      throw NegotiateError(.clientFailure, status: error.status, error.message)
    }
  }

  deinit { context?.delete() }
}
