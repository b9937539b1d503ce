import Logging

/// How a server authenticates with HTTP Negotiate, as IIS's Windows Authentication settings say it.
public struct NegotiateServerConfiguration: Sendable {
  /// Which packages the server accepts.
  public enum Packages: Sendable, Hashable {
    /// SPNEGO: Kerberos, else NTLM (IIS's default "Negotiate" provider).
    case negotiate
    /// Kerberos only (IIS's "Negotiate:Kerberos"): NTLM tokens are refused, no NTLM challenge.
    case kerberosOnly
  }

  public var packages: Packages
  /// Also challenge with `WWW-Authenticate: NTLM` and accept the raw `NTLM` scheme (IIS's "NTLM"
  /// provider). Ignored in Kerberos-only mode.
  public var offersNTLM: Bool
  /// The keytab with the service's keys (`FILE:/etc/http.keytab` or a path); nil: the process's
  /// default (`KRB5_KTNAME`, else /etc/krb5.keytab).
  public var keytab: String?
  /// The service principals clients may authenticate to (`HTTP/web.example.com` or with
  /// `@REALM`); empty accepts any key of the keytab. A Kerberos client that authenticated to
  /// another principal is refused (SEC_E_WRONG_PRINCIPAL). NTLM names no service.
  public var acceptedServicePrincipals: [String]
  /// The largest token accepted, in bytes (IIS's 64 KiB header limit); larger ones get 400.
  public var maximumTokenSize: Int
  /// Keep the client authenticated for later requests on the same connection without a new
  /// token (IIS's authPersistNonNTLM, on by default; NTLM is always per connection).
  public var persistsPerConnection: Bool
  /// Where handshakes are logged (never with tokens or keys).
  public var logger: Logger

  public init(
    packages: Packages = .negotiate, offersNTLM: Bool = false, keytab: String? = nil,
    acceptedServicePrincipals: [String] = [],
    maximumTokenSize: Int = NegotiateAuthorization.defaultMaximumTokenSize,
    persistsPerConnection: Bool = true, logger: Logger = Logger(label: "HTTPNegotiate")
  ) {
    self.packages = packages
    self.offersNTLM = offersNTLM
    self.keytab = keytab
    self.acceptedServicePrincipals = acceptedServicePrincipals
    self.maximumTokenSize = maximumTokenSize
    self.persistsPerConnection = persistsPerConnection
    self.logger = logger
  }

  /// The challenges of a 401 answer, one `WWW-Authenticate` header each.
  public var challenges: [AuthenticationChallenge] {
    var list = [AuthenticationChallenge.negotiate(.negotiate)]
    if offersNTLM && packages == .negotiate { list.append(.negotiate(.ntlm)) }
    return list
  }
}
