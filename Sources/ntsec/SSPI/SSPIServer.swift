import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

extension SSPICommand {
  struct Server: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "server",
      abstract: "AcceptSecurityContext: read the client's tokens as base64 lines, print each reply as one.",
      discussion: """
        Ends with "established NAME", then the client's access token (QuerySecurityContextToken) \
        as one line of token JSON (docs/token-format.md), or as `whoami /all` prints it with \
        --whoami. The rule that built the token (PAC, NTLM logon SIDs or local account) goes to \
        stderr.
        """)

    @Option(help: "Kerberos, Negotiate or NTLM.", completion: .list(["Kerberos", "Negotiate", "NTLM"]))
    var package: String = "Negotiate"
    @Option(
      help: "Keytab with the service's keys (default: KRB5_KTNAME or the system keytab).", completion: .file()
    ) var keytab: String?
    @Flag(help: "Print the token like whoami /all instead of JSON.") var whoami = false
    @Option(help: ArgumentHelp(TokenTransport.listenHelp, valueName: "port")) var listen: UInt16?

    func run() throws {
      if let keytab { setenv("KRB5_KTNAME", keytab.contains(":") ? keytab : "FILE:" + keytab, 1) }
      let creds = try SSPI.acquireCredentialsHandle(package: package, use: .inbound).credentials
      let transport = try TokenTransport.acceptor(listen: listen)
      var context: SSPI.SecurityContext?
      while true {
        let step = try SSPI.acceptSecurityContext(
          credentials: creds, context: context, input: .token(try transport.receive()))
        context = step.context
        if !step.token.isEmpty { try transport.send(step.token) }
        if step.status == .ok { break }
      }
      let ctx = context!
      // The context is established; ntsec sspi server takes no messages: it waits for the
      // client's closing NOOP frame (or the end of the connection).
      try transport.serveMessages(
        unwrap: { _ in throw SampleSocket.Failure("ntsec sspi server takes no message tokens") },
        mic: { _ in [] })
      TokenLines.emit("established \(try ctx.userName())")
      let token = try ctx.querySecurityContextToken()
      FileHandle.standardError.write(
        Data(
          "package: \(ctx.negotiatedPackage?.rawValue ?? package)\ntoken: \(ctx.tokenRule?.description ?? "-")\n"
            .utf8))
      if whoami {
        var formatter = WhoamiFormatter()
        formatter.names = SSPICommand.names(for: token, context: ctx)
        print(formatter.render(token))
      } else {
        TokenLines.emit(token.jsonLine)
      }
    }
  }
}
