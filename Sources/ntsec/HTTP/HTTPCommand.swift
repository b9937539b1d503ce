import ArgumentParser
import Foundation
import HTTPNegotiate
import NTSecurity
import SSPI

/// `ntsec http`: an HTTP client with Windows Authentication, as `curl --negotiate` is.
struct HTTPCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "http",
    abstract: "HTTP with Negotiate (Kerberos, NTLM) authentication, like curl --negotiate.",
    subcommands: [Get.self]
  )

  struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "GET a URL (http:// only), answering a 401 Negotiate challenge with SSPI.",
      discussion: """
        With --negotiate, a 401 answer's `WWW-Authenticate: Negotiate` challenge is answered with \
        the default credentials (the ticket cache, else the credential vault's domain password for \
        the host), or with --user and a password read from standard input; the exchange stays on \
        one connection (NTLM's three legs) and the server's mutual-authentication token is \
        verified. The service principal is HTTP/<host>. The body goes to standard output; an \
        answer of 400 or more is an error. https:// is refused: ntsec links no TLS (use \
        AsyncHTTPClientNegotiate or curl --negotiate).
        """)

    @Argument(help: "The URL (http://host[:port]/path).") var url: String
    @Flag(help: "Authenticate with Negotiate (SPNEGO: Kerberos, else NTLM) when challenged.") var negotiate =
      false
    @Option(help: "The user (user@REALM, DOMAIN\\user) instead of the default credentials.") var user: String?
    @Flag(help: "Read the password of --user from standard input (one line).") var passwordStdin = false
    @Flag(help: "Use the NTLM scheme rather than Negotiate.") var ntlm = false
    @Flag(help: "Delegate the Kerberos TGT to the server.") var delegate = false
    @Flag(name: .shortAndLong, help: "Print the status line and headers before the body.") var include = false

    func validate() throws {
      if passwordStdin && user == nil { throw ValidationError("--password-stdin needs --user") }
      if user != nil && !passwordStdin { throw ValidationError("--user needs --password-stdin") }
    }

    func run() throws {
      let target = try HTTPTarget(url)
      let connection = try HTTPConnection(host: target.host, port: target.port)
      var response = try connection.request(
        method: "GET", target: target.path, host: target.hostHeader, headers: [])
      let scheme: NegotiateScheme = ntlm ? .ntlm : .negotiate
      if negotiate || ntlm, response.status == 401,
        AuthenticationChallenge.parse(response.values("WWW-Authenticate")).contains(where: {
          $0.negotiateScheme == scheme
        })
      {
        let credentials = try NegotiateClientExchange.credentials(
          identity: try identity(), package: ntlm ? "NTLM" : "Negotiate")
        let exchange = NegotiateClientExchange(
          target: NegotiateClientExchange.servicePrincipal(host: target.host), credentials: credentials,
          scheme: scheme,
          options: .init(requiresMutualAuthentication: !ntlm, delegates: delegate))
        var authorization: NegotiateAuthorization? = try exchange.initialAuthorization()
        var legs = 0
        while let header = authorization, legs < 5 {
          legs += 1
          response = try connection.request(
            method: "GET", target: target.path, host: target.hostHeader,
            headers: [("Authorization", header.headerValue)])
          let challenges = AuthenticationChallenge.parse(response.values("WWW-Authenticate"))
          if response.status != 401 {
            try exchange.verifyFinalAnswer(challenges)
            break
          }
          authorization = try exchange.authorization(answering: challenges)
        }
      }
      if include {
        var head = "HTTP/1.1 \(response.status) \(response.reason)\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        FileHandle.standardOutput.write(Data((head + "\r\n").utf8))
      }
      FileHandle.standardOutput.write(Data(response.body))
      guard response.status < 400 else {
        throw NTSecurityError(
          response.status == 401 || response.status == 403 ? .accessDenied : .invalidFunction,
          "HTTP \(response.status) \(response.reason) from \(url)")
      }
    }

    func identity() throws -> SSPI.AuthIdentity? {
      guard let user else { return nil }
      guard let password = readLine(strippingNewline: true) else {
        throw NTSecurityError(.invalidParameter, "--password-stdin: no password on standard input")
      }
      if let slash = user.firstIndex(of: "\\") {
        return SSPI.AuthIdentity(
          user: String(user[user.index(after: slash)...]), domain: String(user[..<slash]), password: password)
      }
      if let at = user.lastIndex(of: "@") {
        return SSPI.AuthIdentity(
          user: String(user[..<at]), domain: String(user[user.index(after: at)...]), password: password)
      }
      return SSPI.AuthIdentity(user: user, domain: nil, password: password)
    }
  }
}

/// The parts of an http:// URL the client needs.
struct HTTPTarget {
  var host: String
  var port: Int
  var path: String
  var hostHeader: String

  init(_ text: String) throws(NTSecurityError) {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host,
      !host.isEmpty
    else {
      throw NTSecurityError(.invalidParameter, "not a URL: \(text)")
    }
    guard scheme == "http" else {
      throw NTSecurityError(
        .notSupported,
        scheme == "https"
          ? "https: ntsec links no TLS; use AsyncHTTPClientNegotiate or curl --negotiate for https"
          : "unsupported URL scheme \(scheme)")
    }
    self.host = host
    port = url.port ?? 80
    var path = url.path.isEmpty ? "/" : url.path
    if let query = url.query { path += "?" + query }
    self.path = path
    hostHeader = url.port.map { "\(host):\($0)" } ?? host
  }
}
