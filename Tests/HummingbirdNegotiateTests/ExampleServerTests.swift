import Foundation
import NTSecurityTesting
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `negotiate-example` as outside checks drive it: a process on 127.0.0.1 with the shared realm's
/// keytab, curl (GSS-API) and requests-gssapi as clients, Kerberos as `nobody@NTSEC.TEST`.
@Suite(.serialized) struct ExampleServerTests {
  /// A running example server; killed by ``stop()``.
  final class Server: @unchecked Sendable {
    let peer: LinePeer
    let port: Int
    var base: String { "http://localhost:\(port)" }

    init(_ arguments: [String] = []) throws {
      let realm = try RealmAccounts.withNobody()
      guard let path = builtProduct("negotiate-example") else {
        throw TestFailure(text: "negotiate-example is not built (swift build --build-tests builds it)")
      }
      peer = try LinePeer(path, ["--port", "0"] + arguments, environment: realm.environment)
      guard let line = peer.receive(), line.hasPrefix("listening on "), let port = Int(line.dropFirst(13))
      else {
        kill(peer.process.processIdentifier, SIGKILL)
        throw TestFailure(text: "negotiate-example did not start: \(peer.finish().errors)")
      }
      self.port = port
    }

    func stop() {
      kill(peer.process.processIdentifier, SIGKILL)
      peer.process.waitUntilExit()
    }
  }

  /// curl's answer: (HTTP status, headers, body).
  func curl(_ arguments: [String], ccache: String? = nil) throws -> (
    status: Int, headers: String, body: String
  ) {
    var environment = try KerberosTestRealm.shared().environment
    if let ccache { environment["KRB5CCNAME"] = ccache }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("negotiate-\(UUID()).txt").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let r = try runProgram(
      "/usr/bin/curl", ["-s", "-D", out, "-o", "-", "-w", "\n%{http_code}", "--max-time", "20"] + arguments,
      environment: environment)
    guard r.status == 0, let newline = r.stdout.lastIndex(of: "\n"),
      let code = Int(r.stdout[r.stdout.index(after: newline)...])
    else { throw TestFailure(text: "curl \(arguments) failed (\(r.status)): \(r.stderr)") }
    let headers = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    return (code, headers, String(r.stdout[..<newline]))
  }

  @Test func publicRouteAndChallenge() throws {
    let server = try Server()
    defer { server.stop() }
    let hello = try curl([server.base + "/"])
    #expect(hello.status == 200 && hello.body == "hello\n")
    let me = try curl([server.base + "/me"])
    #expect(me.status == 401)
    #expect(me.headers.lowercased().contains("www-authenticate: negotiate\r\n"))
    #expect(!me.headers.lowercased().contains("www-authenticate: ntlm"))
  }

  @Test func curlNegotiateAuthenticatesWithKerberos() throws {
    let server = try Server()
    defer { server.stop() }
    let ccache = try RealmAccounts.nobodyCCache()
    let me = try curl(["--negotiate", "-u", ":", server.base + "/me"], ccache: ccache)
    #expect(me.status == 200)
    let lines = me.body.split(separator: "\n").map(String.init)
    #expect(lines.first == "nobody@NTSEC.TEST")
    let uid = try #require(getpwnam("nobody")).pointee.pw_uid
    #expect(lines.dropFirst().first == "S-1-22-1-\(uid)")
    #expect(lines.contains("S-1-5-11") && lines.allSatisfy { $0 == lines[0] || $0.hasPrefix("S-1-") })
    // Kerberos mutual authentication: the server's token comes back on the 200.
    #expect(
      me.headers.range(of: #"(?i)www-authenticate: negotiate [A-Za-z0-9+/=]+"#, options: .regularExpression)
        != nil)
    let admins = try curl(["--negotiate", "-u", ":", server.base + "/admins"], ccache: ccache)
    #expect(admins.status == 403 && admins.body.isEmpty)
  }

  @Test func requestsGSSAPIAuthenticatesWithKerberos() throws {
    let server = try Server()
    defer { server.stop() }
    var environment = try KerberosTestRealm.shared().environment
    environment["KRB5CCNAME"] = try RealmAccounts.nobodyCCache()
    let script = """
      import sys, requests, requests_gssapi
      auth = requests_gssapi.HTTPSPNEGOAuth(mutual_authentication=requests_gssapi.REQUIRED)
      for path in ("/me", "/admins"):
          r = requests.get(sys.argv[1] + path, auth=auth, timeout=20)
          print(r.status_code, r.text.splitlines()[0] if r.text else "")
      """
    let r = try runProgram("/usr/bin/env", ["python3", "-c", script, server.base], environment: environment)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "200 nobody@NTSEC.TEST\n403 \n")
  }

  @Test func badHeadersAnswer400() throws {
    let server = try Server(["--max-token-size", "1024"])
    defer { server.stop() }
    let malformed = try curl(["-H", "Authorization: Negotiate %%%", server.base + "/me"])
    #expect(malformed.status == 400)
    let oversized = String(repeating: "A", count: 2_000)
    let big = try curl(["-H", "Authorization: Negotiate \(oversized)", server.base + "/me"])
    #expect(big.status == 400)
    let garbage = try curl(["-H", "Authorization: Negotiate AAAA", server.base + "/me"])
    #expect(garbage.status == 401 && garbage.headers.lowercased().contains("www-authenticate: negotiate"))
    // Another scheme is not this server's: the challenge.
    let basic = try curl(["-u", "nobody:x", server.base + "/me"])
    #expect(basic.status == 401)
  }

  /// NTLM through `ntsec http get --ntlm` (SSPI's NTLM, three legs on one connection). curl's
  /// NTLM (OEM strings, no Unicode) is refused by gss-ntlmssp's acceptor, so curl is not the
  /// client here.
  @Test func ntlmOverOneConnection() throws {
    let server = try Server(["--ntlm"])
    defer { server.stop() }
    let challenge = try curl([server.base + "/me"])
    #expect(challenge.headers.lowercased().contains("www-authenticate: ntlm\r\n"))
    guard let ntsec = builtProduct("ntsec") else { throw TestFailure(text: "ntsec is not built") }
    let environment = try KerberosTestRealm.shared().environment
    let me = try runProgram(
      ntsec, ["http", "get", "--ntlm", "--user", "NTSEC\\nobody", "--password-stdin", server.base + "/me"],
      input: RealmAccounts.nobodyPassword + "\n", environment: environment)
    #expect(me.status == 0, "\(me.stderr)")
    #expect(me.stdout.split(separator: "\n").first?.uppercased() == "NTSEC\\NOBODY")
    let wrong = try runProgram(
      ntsec, ["http", "get", "--ntlm", "--user", "NTSEC\\nobody", "--password-stdin", server.base + "/me"],
      input: "wrong\n", environment: environment)
    #expect(wrong.status != 0 && wrong.stderr.contains("401"))
    // Kerberos through ntsec http get --negotiate, with the server's proof checked.
    var kerberos = environment
    kerberos["KRB5CCNAME"] = try RealmAccounts.nobodyCCache()
    let negotiate = try runProgram(
      ntsec, ["http", "get", "--negotiate", server.base + "/me"], environment: kerberos)
    #expect(negotiate.status == 0, "\(negotiate.stderr)")
    #expect(negotiate.stdout.hasPrefix("nobody@NTSEC.TEST\n"))
    let https = try runProgram(
      ntsec, ["http", "get", "--negotiate", "https://localhost/"], environment: kerberos)
    #expect(https.status != 0 && https.stderr.contains("TLS"))
  }

  @Test func kerberosOnlyOffersNoNTLM() throws {
    let server = try Server(["--kerberos-only", "--ntlm"])
    defer { server.stop() }
    let challenge = try curl([server.base + "/me"])
    #expect(!challenge.headers.lowercased().contains("www-authenticate: ntlm"))
    let ntlm = try curl([
      "--ntlm", "-u", "NTSEC\\nobody:\(RealmAccounts.nobodyPassword)", server.base + "/me",
    ])
    #expect(ntlm.status == 401)
  }
}
