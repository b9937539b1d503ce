import ArgumentParser
import Foundation
import GSSAPI

extension GSSCommand {
  struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "accept",
      abstract: "Accept a context: read the initiator's tokens as base64 lines, print each reply as one.",
      discussion: """
        Ends with the line "established NAME" (the initiator's name); the mechanism and flags go to stderr.
        """)

    @Option(
      help: "Keytab with the service's keys (default: KRB5_KTNAME or the system keytab).", completion: .file()
    ) var keytab: String?
    @Option(help: ArgumentHelp(TokenTransport.listenHelp, valueName: "port")) var listen: UInt16?

    func run() throws {
      let credentials = try keytab.map {
        try GSSAPI.acquireCredentials(from: ["keytab": $0], usage: .accept).credentials
      }
      let transport = try TokenTransport.acceptor(listen: listen)
      var context: GSSAPI.SecurityContext? = nil
      while true {
        let input = try transport.receive()
        let step = try GSSAPI.acceptSecurityContext(
          inputToken: input, credentials: credentials, context: context)
        context = step.context
        if let token = step.token { try transport.send(token) }
        if !step.moreSteps {
          TokenLines.emit("established \(step.initiatorName?.description ?? "")")
          report(mechanism: step.mechanism, flags: step.flags)
          try transport.serveMessages(
            unwrap: { try GSSAPI.unwrap(step.context, message: $0).message },
            mic: { try GSSAPI.getMIC(step.context, message: $0) })
          return
        }
      }
    }
  }
}
