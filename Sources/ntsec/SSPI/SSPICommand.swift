import ArgumentParser
import Foundation
import NTSecurity
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

/// `ntsec sspi`: Windows' SSPI from the command line. `client` and `server` speak the line
/// protocol of `ntsec gss init/accept` (one base64 token a line each way), so they pair with each
/// other and with the GSS-API commands.
struct SSPICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sspi",
    abstract: "SSPI (Kerberos, Negotiate, NTLM): list packages, run a client or a server.",
    subcommands: [Packages.self, Client.self, Server.self, LogonID.self]
  )

  struct LogonID: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "logon-id",
      abstract: "The caller's logon id, the LUID AcquireCredentialsHandle takes as its own (pvLogonID).",
      discussion: """
        From the audit session id (HighPart 1) or, without one, the session keyring (HighPart 2); \
        printed as 0xHIGH:0xLOW. Exits 1 when the process has neither.
        """)

    func run() throws {
      guard let id = SSPI.callerLogonID else {
        FileHandle.standardError.write(Data("error: no audit session id and no session keyring\n".utf8))
        throw ExitCode(1)
      }
      print(id)
    }
  }

  struct Packages: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "EnumerateSecurityPackages, printed as PowerShell's Get-SecurityPackage prints it.")

    func run() {
      for (i, p) in SSPI.enumerateSecurityPackages().enumerated() {
        if i > 0 { print() }
        print("Name         : \(p.name)")
        print("Comment      : \(p.comment)")
        print(
          "Capabilities : \(p.capabilities) (0x\(String(p.capabilities.rawValue, radix: 16, uppercase: true)))"
        )
        print("Version      : \(p.version)")
        print("RpcId        : \(p.rpcID)")
        print("MaxToken     : \(p.maxToken)")
      }
    }
  }

  struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "InitializeSecurityContext: print each token as a base64 line, read the server's from stdin.",
      discussion: """
        Ends with the line "established"; the package and ISC_RET_* flags go to stderr.
        Example: ntsec sspi client --package Negotiate --target HTTP/web.example.com | … | ntsec sspi server
        With --password-stdin the first line of stdin is the password (SEC_WINNT_AUTH_IDENTITY).
        Without --user, the default credentials: the ccache's ticket, or when it has none the \
        domain password credential stored for the target's host (ntsec cred add --type domain).
        """)

    @Option(help: "Kerberos, Negotiate or NTLM.") var package: String = "Negotiate"
    @Option(help: "The target: HTTP/host, host/server.example.com, user@REALM (optional for NTLM).")
    var target: String?
    @Option(help: "User name for explicit credentials.") var user: String?
    @Option(help: "Domain (Kerberos realm) for explicit credentials.") var domain: String?
    @Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false
    @Flag(help: "Ask for delegation (ISC_REQ_DELEGATE).") var delegate = false

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
      var step = try SSPI.initializeSecurityContext(credentials: creds, target: target, requirements: req)
      while true {
        if !step.token.isEmpty { TokenLines.emit(token: step.token) }
        guard step.status == .continueNeeded else { break }
        step = try SSPI.initializeSecurityContext(
          credentials: creds, context: step.context, target: target, requirements: req,
          input: .token(try TokenLines.read()))
      }
      TokenLines.emit("established")
      let pkg = step.context.negotiatedPackage?.rawValue ?? package
      FileHandle.standardError.write(
        Data("package: \(pkg)\nflags: 0x\(String(step.attributes.rawValue, radix: 16))\n".utf8))
    }
  }

  struct Server: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "AcceptSecurityContext: read the client's tokens as base64 lines, print each reply as one.",
      discussion: """
        Ends with "established NAME", then the client's access token (QuerySecurityContextToken) \
        as one line of token JSON (docs/token-format.md), or as `whoami /all` prints it with \
        --whoami. The rule that built the token (PAC, NTLM logon SIDs or local account) goes to \
        stderr.
        """)

    @Option(help: "Kerberos, Negotiate or NTLM.") var package: String = "Negotiate"
    @Option(help: "Keytab with the service's keys (default: KRB5_KTNAME or the system keytab).") var keytab:
      String?
    @Flag(help: "Print the token like whoami /all instead of JSON.") var whoami = false

    func run() throws {
      if let keytab { setenv("KRB5_KTNAME", keytab.contains(":") ? keytab : "FILE:" + keytab, 1) }
      let creds = try SSPI.acquireCredentialsHandle(package: package, use: .inbound).credentials
      var context: SSPI.SecurityContext?
      while true {
        let step = try SSPI.acceptSecurityContext(
          credentials: creds, context: context, input: .token(try TokenLines.read()))
        context = step.context
        if !step.token.isEmpty { TokenLines.emit(token: step.token) }
        if step.status == .ok { break }
      }
      let ctx = context!
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
        TokenLines.emit(TokenJSON.encode(token))
      }
    }
  }

  /// Names for the token's SIDs that only this exchange knows: the user (the PAC's or the local
  /// account's) and the Unix groups of the local-account rule.
  static func names(for token: AccessToken, context: SSPI.SecurityContext) -> [SID: String] {
    var names: [SID: String] = [:]
    if let user = try? context.userName() {
      if case .localAccount(let account)? = context.tokenRule {
        names[token.user.sid] = "Unix User\\\(account)"
      } else {
        names[token.user.sid] = user
      }
    }
    for g in token.groups where g.sid.description.hasPrefix("S-1-22-2-") {
      if let gid = UInt32(g.sid.description.split(separator: "-").last ?? ""), let gr = getgrgid(gid) {
        names[g.sid] = "Unix Group\\" + String(cString: gr.pointee.gr_name)
      }
    }
    return names
  }
}
