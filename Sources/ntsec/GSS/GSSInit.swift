import ArgumentParser
import Foundation
import GSSAPI

extension GSSCommand {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Initiate a context: print each token as a base64 line, read the peer's tokens from stdin.",
      discussion: """
        Ends with the line "established"; the mechanism and flags go to stderr.
        Example: ntsec gss init --target HTTP@web.example.com --mech spnego --flags mutual,conf,integ
        """)

    @Option(help: "The service, as SERVICE@HOST (a host-based service name).") var target: String
    @Option(help: "krb5, spnego, ntlm, or an OID in dotted form (default: the library's choice).") var mech:
      String?
    @Option(
      help: "Comma-separated: mutual,replay,sequence,conf,integ,deleg,anon,… (default: mutual,sequence).")
    var flags: String?
    @Option(help: "Initiate as this principal (default: the credential cache's).") var user: String?
    @Option(help: ArgumentHelp(TokenTransport.connectHelp, valueName: "host:port")) var connect: String?

    func run() throws {
      let mechanism = try mech.map(parseMechanism)
      let requested = try flags.map { try GSSAPI.RequirementFlags(names: $0) } ?? .defaultInitiate
      let name = try GSSAPI.importName(target, type: GSSAPI.NameType.hostbasedService)
      var credentials: GSSAPI.Credentials?
      if let user {
        let principal = try GSSAPI.importName(
          user,
          type: mechanism == GSSAPI.MechanismType.ntlmssp
            ? GSSAPI.NameType.user : GSSAPI.NameType.kerberosPrincipal)
        let password = ProcessInfo.processInfo.environment["NTSEC_GSS_PASSWORD"]
        credentials =
          try password.map {
            try GSSAPI.acquireCredentials(
              name: principal, password: Array($0.utf8), mechanisms: mechanism.map { [$0] }
            ).credentials
          }
          ?? GSSAPI.acquireCredentials(name: principal, mechanisms: mechanism.map { [$0] }, usage: .initiate)
          .credentials
      }
      let transport = try TokenTransport.initiator(connect: connect)
      var step = try GSSAPI.initSecurityContext(
        target: name, credentials: credentials, mechanism: mechanism, flags: requested)
      while true {
        if let token = step.token { try transport.send(token) }
        guard step.moreSteps else { break }
        let input = try transport.receive()
        step = try GSSAPI.initSecurityContext(
          target: name, credentials: credentials, context: step.context, mechanism: mechanism,
          flags: requested,
          inputToken: input)
      }
      try transport.finishInitiator()
      TokenLines.emit("established")
      report(mechanism: step.mechanism, flags: step.flags)
    }
  }
}
