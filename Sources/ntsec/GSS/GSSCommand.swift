import ArgumentParser
import Foundation
import GSSAPI

/// `ntsec gss`: GSS-API security contexts from the command line, one base64 token a line, so
/// either side pairs with any other GSS-API program (or a person with a terminal).
struct GSSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gss",
    abstract: "GSS-API (Kerberos, SPNEGO, NTLM): list mechanisms, initiate or accept a context.",
    subcommands: [Mechs.self, Init.self, Accept.self]
  )

  struct Mechs: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the mechanisms: OID, name, SASL name and RFC 5587 attributes.")

    func run() throws {
      let mechs = try GSSAPI.indicateMechanisms().sorted { $0.dotted < $1.dotted }
      for mech in mechs {
        var line = "\(mech.dotted)  \(mech.name)"
        if let sasl = try? GSSAPI.inquireSASLName(forMechanism: mech) {
          line += "  sasl=\(sasl.saslMechanismName.isEmpty ? "-" : sasl.saslMechanismName)"
          if !sasl.mechanismDescription.isEmpty { line += "  \"\(sasl.mechanismDescription)\"" }
        }
        print(line)
        if let attrs = try? GSSAPI.inquireAttributes(forMechanism: mech) {
          let names = attrs.mechanismAttributes.sorted().map {
            (try? GSSAPI.displayMechanismAttribute($0).name) ?? $0.dotted
          }
          print("  attributes: " + (names.isEmpty ? "-" : names.joined(separator: " ")))
        }
      }
    }
  }

  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
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
      var step = try GSSAPI.initSecurityContext(
        target: name, credentials: credentials, mechanism: mechanism, flags: requested)
      while true {
        if let token = step.token { TokenLines.emit(token: token) }
        guard step.moreSteps else { break }
        let input = try TokenLines.read()
        step = try GSSAPI.initSecurityContext(
          target: name, credentials: credentials, context: step.context, mechanism: mechanism,
          flags: requested,
          inputToken: input)
      }
      TokenLines.emit("established")
      report(mechanism: step.mechanism, flags: step.flags)
    }
  }

  struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Accept a context: read the initiator's tokens as base64 lines, print each reply as one.",
      discussion: """
        Ends with the line "established NAME" (the initiator's name); the mechanism and flags go to stderr.
        """)

    @Option(help: "Keytab with the service's keys (default: KRB5_KTNAME or the system keytab).") var keytab:
      String?

    func run() throws {
      let credentials = try keytab.map {
        try GSSAPI.acquireCredentials(from: ["keytab": $0], usage: .accept).credentials
      }
      var context: GSSAPI.SecurityContext? = nil
      while true {
        let input = try TokenLines.read()
        let step = try GSSAPI.acceptSecurityContext(
          inputToken: input, credentials: credentials, context: context)
        context = step.context
        if let token = step.token { TokenLines.emit(token: token) }
        if !step.moreSteps {
          TokenLines.emit("established \(step.initiatorName?.description ?? "")")
          report(mechanism: step.mechanism, flags: step.flags)
          return
        }
      }
    }
  }
}

/// krb5, spnego, ntlm or a dotted OID.
func parseMechanism(_ text: String) throws -> GSSAPI.OID {
  switch text.lowercased() {
  case "krb5", "kerberos": return GSSAPI.MechanismType.kerberos
  case "spnego", "negotiate": return GSSAPI.MechanismType.spnego
  case "ntlm", "ntlmssp": return GSSAPI.MechanismType.ntlmssp
  case "iakerb": return GSSAPI.MechanismType.iakerb
  default:
    do { return try GSSAPI.OID(dotted: text) } catch {
      throw ValidationError("--mech: \"\(text)\" is not krb5, spnego, ntlm or a dotted OID")
    }
  }
}

private func report(mechanism: GSSAPI.OID?, flags: GSSAPI.RequirementFlags) {
  let mech = mechanism.map { "\($0.name) (\($0.dotted))" } ?? "-"
  FileHandle.standardError.write(Data("mech: \(mech)\nflags: \(flags)\n".utf8))
}
