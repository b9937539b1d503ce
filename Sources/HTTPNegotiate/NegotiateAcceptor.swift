import Dispatch
import Logging
import Metrics
import NTSecurity
import SSPI

/// What one Authorization header leads to.
public enum NegotiateOutcome: Sendable {
  /// The client is authenticated. `mutualToken`, when present, goes back on the 200 answer as
  /// `WWW-Authenticate: Negotiate <token>` (Kerberos mutual authentication, RFC 4559 section 5).
  case authenticated(NegotiateIdentity, mutualToken: AuthenticationChallenge?)
  /// Another leg: answer 401 with this challenge and keep the connection (NTLM's CHALLENGE).
  case continueNeeded(AuthenticationChallenge)
}

/// The server side of HTTP Negotiate over SSPI: AcceptSecurityContext for each token, the
/// multi-leg state per connection, the client's access token once authenticated. Web-framework
/// free: the Hummingbird and Vapor integrations call ``accept(_:connection:isHTTP2:channelBindings:)``.
public final class NegotiateAcceptor: Sendable {
  public let configuration: NegotiateServerConfiguration
  let credentials: SSPI.CredentialsHandle
  /// Inbound NTLM credentials for the raw `NTLM` scheme, when it is offered.
  let ntlmCredentials: SSPI.CredentialsHandle?
  let handshakes = Counter(label: "negotiate_handshakes_total")
  let latency = Metrics.Timer(label: "negotiate_handshake_duration")

  /// Acquires the server's inbound credentials (from the configured keytab, else the default
  /// one). Fails with the SSPI status when there are none (no keytab, no key).
  public init(configuration: NegotiateServerConfiguration = NegotiateServerConfiguration())
    throws(NegotiateError)
  {
    self.configuration = configuration
    do throws(SSPIError) {
      // SPNEGO either way (clients send Negotiate tokens); Kerberos-only negotiates Kerberos alone.
      let keytab = configuration.keytab.map { $0.contains(":") ? $0 : "FILE:" + $0 }
      if keytab == nil && configuration.packages == .negotiate {
        credentials = try SSPI.acquireCredentialsHandle(package: "Negotiate", use: .inbound).credentials
      } else {
        credentials = try SSPI.acquireInboundCredentials(
          package: "Negotiate", keytab: keytab, allowsNTLM: configuration.packages == .negotiate)
      }
      ntlmCredentials =
        configuration.offersNTLM && configuration.packages == .negotiate && SSPI.isAvailable(.ntlm)
        ? try SSPI.acquireCredentialsHandle(package: "NTLM", use: .inbound).credentials : nil
    } catch {
      throw NegotiateError(
        .authenticationFailed, status: error.status, "server credentials: \(error.message)")
    }
  }

  /// One Authorization header of a request on `connection` (nil: no connection state, every
  /// exchange must finish in one leg). `isHTTP2`: the request came over HTTP/2, where a
  /// multi-leg exchange is refused. `channelBindings`: the TLS channel's bindings when TLS ends
  /// in this process (Extended Protection); a client that sent others is refused.
  public func accept(
    _ authorization: NegotiateAuthorization, connection: NegotiateConnection?, isHTTP2: Bool = false,
    channelBindings: SSPI.ChannelBindings? = nil
  ) throws(NegotiateError) -> NegotiateOutcome {
    let started = DispatchTime.now().uptimeNanoseconds
    do throws(NegotiateError) {
      let outcome = try step(
        authorization, connection: connection, isHTTP2: isHTTP2, channelBindings: channelBindings)
      if case .authenticated(let identity, _) = outcome {
        handshakes.increment()
        latency.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
        configuration.logger.debug(
          "Negotiate: authenticated",
          metadata: ["user": "\(identity.name)", "package": "\(identity.package)"])
      }
      return outcome
    } catch {
      connection?.discardPending()
      Counter(
        label: "negotiate_failures_total", dimensions: [("status", error.status?.name ?? "\(error.kind)")]
      )
      .increment()
      configuration.logger.info("Negotiate: refused", metadata: ["reason": "\(error)"])
      throw error
    }
  }

  func step(
    _ authorization: NegotiateAuthorization, connection: NegotiateConnection?, isHTTP2: Bool,
    channelBindings: SSPI.ChannelBindings?
  ) throws(NegotiateError) -> NegotiateOutcome {
    let scheme = authorization.scheme
    let token = authorization.token
    if scheme == .ntlm && ntlmCredentials == nil {
      throw NegotiateError(.packageNotAccepted, "the NTLM scheme is not offered")
    }
    if isHTTP2 && (scheme == .ntlm || NTLMMessage.type(in: token) != nil) {
      throw NegotiateError(
        .connectionBoundOverHTTP2, "NTLM authenticates a connection and needs HTTP/1.1 (HTTP_1_1_REQUIRED)")
    }
    if configuration.packages == .kerberosOnly && NTLMMessage.type(in: token) != nil {
      throw NegotiateError(.packageNotAccepted, status: .logonDenied, "NTLM is refused in Kerberos-only mode")
    }
    if NTLMMessage.isAnonymousAuthenticate(token) {
      throw NegotiateError(.authenticationFailed, status: .logonDenied, "anonymous NTLM logon refused")
    }
    // A continuation belongs to the exchange under way on this connection with the same scheme;
    // anything else starts a new one (and drops the old context).
    let pending: SSPI.SecurityContext? = connection?.state.withLock { s in
      guard s.pendingScheme == scheme else { return nil }
      defer { (s.pending, s.pendingScheme) = (nil, nil) }
      return s.pending
    }
    if pending == nil { connection?.discardPending() }
    let handle = scheme == .ntlm ? (ntlmCredentials ?? credentials) : credentials
    var buffers = [SSPI.SecurityBuffer(.token, NTLMMessage.normalizedNegotiate(token))]
    if let channelBindings { buffers.append(SSPI.SecurityBuffer(.channelBindings, channelBindings.bytes)) }
    let result: SSPI.AcceptResult
    do throws(SSPIError) {
      result = try SSPI.acceptSecurityContext(
        credentials: handle, context: pending, input: SSPI.SecurityBufferDescriptor(buffers),
        requirements: [.connection])
    } catch {
      pending?.delete()
      throw NegotiateError(.authenticationFailed, status: error.status, error.message)
    }
    let context = result.context
    if result.status == .continueNeeded {
      guard let connection, !isHTTP2 else {
        context.delete()
        throw NegotiateError(
          .connectionBoundOverHTTP2, "a multi-leg exchange needs a persistent HTTP/1.1 connection")
      }
      let stale: SSPI.SecurityContext? = connection.state.withLock { s in
        if s.closed { return context }
        defer { (s.pending, s.pendingScheme) = (context, scheme) }
        return s.pending
      }
      stale?.delete()
      return .continueNeeded(.negotiate(scheme, token: result.token))
    }
    defer { context.delete() }
    let identity = try identity(of: context)
    if configuration.persistsPerConnection || identity.package == .ntlm {
      connection?.state.withLock { s in if !s.closed { s.identity = identity } }
    }
    let mutual = result.token.isEmpty ? nil : AuthenticationChallenge.negotiate(scheme, token: result.token)
    return .authenticated(identity, mutualToken: mutual)
  }

  /// The established context's client: names, package, access token; the accepted-SPN check.
  func identity(of context: SSPI.SecurityContext) throws(NegotiateError) -> NegotiateIdentity {
    do throws(SSPIError) {
      let package = context.negotiatedPackage ?? context.package
      let names = try context.nativeNames()
      if package != .ntlm && !configuration.acceptedServicePrincipals.isEmpty {
        guard
          configuration.acceptedServicePrincipals.contains(where: { Self.samePrincipal($0, names.serverName) }
          )
        else {
          throw SSPIError(
            .wrongPrincipal, "the client authenticated to \(names.serverName), not an accepted SPN")
        }
      }
      let token = try context.querySecurityContextToken()
      return NegotiateIdentity(
        name: try context.userName(), principal: names.clientName, servicePrincipal: names.serverName,
        package: package, token: token, tokenRule: context.tokenRule,
        isDelegated: context.acceptAttributes.contains(.delegate))
    } catch {
      throw NegotiateError(.authenticationFailed, status: error.status, error.message)
    }
  }

  /// `HTTP/host` matches `HTTP/host@REALM` (the realm is the keytab's); the service part is
  /// case-insensitive, as Windows compares SPNs.
  static func samePrincipal(_ accepted: String, _ actual: String) -> Bool {
    func split(_ s: String) -> (String, String?) {
      guard let at = s.lastIndex(of: "@") else { return (s.lowercased(), nil) }
      return (s[..<at].lowercased(), String(s[s.index(after: at)...]))
    }
    let (a, ar) = split(accepted)
    let (b, br) = split(actual)
    return a == b && (ar == nil || ar == br)
  }
}
