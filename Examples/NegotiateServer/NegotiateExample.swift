import ArgumentParser
import Foundation
import HTTPNegotiate
import Hummingbird
import HummingbirdNegotiate
import Logging

/// An example web service with Windows Authentication: HTTP Negotiate (Kerberos, NTLM) and
/// routes guarded by SDDL.
@main
struct NegotiateExample: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "negotiate-example",
    abstract: "A Hummingbird server with HTTP Negotiate authentication and SDDL-guarded routes.",
    discussion: """
      GET / answers "hello" to anyone; GET /me the client's name and its token's SIDs; GET /admins
      only BUILTIN\\Administrators (D:(A;;GA;;;BA)). Clients authenticate to HTTP/<host> with a key
      of the keytab.
      """)

  @Option(help: "The TCP port to listen on (0: any free port).") var port: Int
  @Option(help: "The keytab with the HTTP/<host> keys (default: KRB5_KTNAME, else /etc/krb5.keytab).")
  var keytab: String?
  @Option(help: "The address to listen on.") var host = "127.0.0.1"
  @Option(
    name: .customLong("spn"), help: "Accept only this service principal (repeatable; default: any key).")
  var servicePrincipals: [String] = []
  @Flag(help: "Accept Kerberos only (no NTLM).") var kerberosOnly = false
  @Flag(help: "Also offer the raw NTLM scheme.") var ntlm = false
  @Option(
    name: .customLong("guard"),
    help:
      "Another guarded route, PATH=SDDL (repeatable): GET PATH answers the client's name when AccessCheck grants read access."
  )
  var guards: [String] = []
  @Option(help: "The largest Negotiate token accepted, in bytes (larger: 400).")
  var maxTokenSize = NegotiateAuthorization.defaultMaximumTokenSize

  func run() async throws {
    var logger = Logger(label: "negotiate-example")
    logger.logLevel = .warning
    let configuration = NegotiateServerConfiguration(
      packages: kerberosOnly ? .kerberosOnly : .negotiate, offersNTLM: ntlm, keytab: keytab,
      acceptedServicePrincipals: servicePrincipals, maximumTokenSize: maxTokenSize, logger: logger)
    let authenticator = try NegotiateAuthenticator<BasicNegotiateRequestContext>(configuration: configuration)
    let extra = try guards.map { text -> (String, String) in
      guard let eq = text.firstIndex(of: "="), text.hasPrefix("/") else {
        throw ValidationError("--guard takes PATH=SDDL, for example /staff=D:(A;;GA;;;S-1-5-21-…)")
      }
      return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }
    let router = try Self.router(authenticator, guards: extra)
    let app = Application(
      router: router, configuration: .init(address: .hostname(host, port: port)),
      onServerRunning: { channel in
        // Unbuffered: whoever started the server waits for this line on a pipe.
        FileHandle.standardOutput.write(Data("listening on \(channel.localAddress?.port ?? port)\n".utf8))
      }, logger: logger)
    try await app.runService()
  }

  /// The example's routes.
  static func router(
    _ authenticator: NegotiateAuthenticator<BasicNegotiateRequestContext>, guards: [(String, String)] = []
  ) throws -> Router<BasicNegotiateRequestContext> {
    let router = Router(context: BasicNegotiateRequestContext.self)
    router.add(middleware: authenticator)
    router.get("/") { _, _ in "hello\n" }
    router.get("/me") { _, context in
      let identity = try context.requireIdentity()
      return ([identity.name] + ([identity.sid] + identity.groups).map(\.description)).joined(separator: "\n")
        + "\n"
    }
    router.group("/admins")
      .add(middleware: try .requireAccess(sddl: "D:(A;;GA;;;BA)"))
      .get { _, context in "welcome, \(try context.requireIdentity().name)\n" }
    for (path, sddl) in guards {
      router.group(RouterPath(path))
        .add(middleware: try .requireAccess(sddl: sddl))
        .get { _, context in "welcome, \(try context.requireIdentity().name)\n" }
    }
    return router
  }
}
