import ArgumentParser
import Foundation
import NTSecurity
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

extension SSPICommand {
  struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "client",
      abstract: "InitializeSecurityContext: print each token as a base64 line, read the server's from stdin.",
      discussion: """
        Ends with the line "established"; the package and ISC_RET_* flags go to stderr.
        Example: ntsec sspi client --package Negotiate --target HTTP/web.example.com | … | ntsec sspi server
        With --password-stdin the first line of stdin is the password (SEC_WINNT_AUTH_IDENTITY).
        Without --user, the default credentials: the ccache's ticket, or when it has none the \
        domain password credential stored for the target's host (ntsec cred add --type domain).
        """)

    @Option(help: "Kerberos, Negotiate or NTLM.", completion: .list(["Kerberos", "Negotiate", "NTLM"]))
    var package: String = "Negotiate"
    @Option(help: "The target: HTTP/host, host/server.example.com, user@REALM (optional for NTLM).")
    var target: String?
    @Option(help: "User name for explicit credentials.") var user: String?
    @Option(help: "Domain (Kerberos realm) for explicit credentials.") var domain: String?
    @Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false
    @Flag(help: "Ask for delegation (ISC_REQ_DELEGATE).") var delegate = false
    @Option(help: ArgumentHelp(TokenTransport.connectHelp, valueName: "host:port")) var connect: String?

    func run() throws {
      var identity: SSPI.AuthIdentity?
      if let user {
        guard passwordStdin, let password = readLine() else {
          throw ValidationError("--user needs --password-stdin (the password on stdin's first line)")
        }
        identity = SSPI.AuthIdentity(user: user, domain: domain, password: password)
      }
      let creds = try SSPI.acquireCredentialsHandle(package: package, use: .outbound, authData: identity)
        .credentials
      var req: SSPI.InitializeRequirements = [
        .mutualAuth, .replayDetect, .sequenceDetect, .confidentiality, .integrity, .connection,
      ]
      if delegate { req.insert(.delegate) }
      let transport = try TokenTransport.initiator(connect: connect)
      var step = try SSPI.initializeSecurityContext(credentials: creds, target: target, requirements: req)
      while true {
        if !step.token.isEmpty { try transport.send(step.token) }
        guard step.status == .continueNeeded else { break }
        step = try SSPI.initializeSecurityContext(
          credentials: creds, context: step.context, target: target, requirements: req,
          input: .token(try transport.receive()))
      }
      try transport.finishInitiator()
      TokenLines.emit("established")
      let pkg = step.context.negotiatedPackage?.rawValue ?? package
      FileHandle.standardError.write(
        Data("package: \(pkg)\nflags: 0x\(String(step.attributes.rawValue, radix: 16))\n".utf8))
    }
  }
}
