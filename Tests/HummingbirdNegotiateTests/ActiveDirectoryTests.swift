import Foundation
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// negotiate-example against the Samba AD DC (TestPeers' DomainController): the server and curl
/// run in the DC's namespace, the server with the DC's HTTP/web.ad.ntsec.test keytab and a route
/// guarded by the ntsec-staff group; alice (a member, through ntsec-readers) reaches it with
/// Kerberos and with NTLM, bob does not.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ActiveDirectoryTests {
  /// Runs `arguments` in the DC's namespace with its keytab, no NTLM user file (gss-ntlmssp asks
  /// the DC) and a credential cache of its own.
  func exec(_ arguments: [String], ccache: String) throws -> LinePeer {
    let env = try DomainController.environment()
    return try LinePeer(
      "/usr/bin/env",
      ["-u", "NTLM_USER_FILE", "KRB5CCNAME=\(ccache)", "KRB5_KTNAME=FILE:\(env["AD_DC_KEYTAB"] ?? "")"]
        + [DomainController.script, "exec"] + arguments)
  }

  func startServer() throws -> (LinePeer, Int) {
    let env = try DomainController.environment()
    guard let path = builtProduct("negotiate-example") else {
      throw TestFailure(text: "negotiate-example is not built")
    }
    // The server runs under a shell that kills it when the test closes the shell's input (the
    // namespace's processes are not the test's children).
    let server = try exec(
      [
        "sh", "-c", "\"$0\" \"$@\" & pid=$!; read _; kill -9 $pid", path, "--port", "0", "--ntlm", "--guard",
        "/staff=D:(A;;GA;;;\(env["AD_DC_GROUP_STAFF_SID"]!))",
      ], ccache: "MEMORY:server")
    guard let line = server.receive(), line.hasPrefix("listening on "), let port = Int(line.dropFirst(13))
    else {
      let errors = server.finish().errors
      throw TestFailure(text: "negotiate-example did not start: \(errors)")
    }
    return (server, port)
  }

  func stop(_ server: LinePeer) {
    _ = server.finish()  // closes the shell's input: it kills the server
  }

  /// A GET in the namespace as `user`: Kerberos with curl (kinit, then --negotiate), NTLM with
  /// `ntsec http get --ntlm` (gss-ntlmssp's acceptor refuses curl's OEM-string NTLM); returns
  /// the status and the body's lines.
  func get(_ path: String, port: Int, user: String, password: String, ntlm: Bool) throws -> (Int, [String]) {
    let env = try DomainController.environment()
    let url = "http://\(env["AD_DC_SERVICE_HOST"]!):\(port)\(path)"
    guard let ntsec = builtProduct("ntsec") else { throw TestFailure(text: "ntsec is not built") }
    let command =
      ntlm
      ? "printf '%s\\n' \"$PW\" | '\(ntsec)' http get -i --ntlm --user \"$AD_DC_DOMAIN\\\\\(user)\" --password-stdin '\(url)'; true"
      : "printf '%s\\n' \"$PW\" | kinit \"\(user)@$AD_DC_REALM\" >/dev/null && curl -s -i --negotiate -u : '\(url)'"
    let ccache = "FILE:\(NSTemporaryDirectory())ntsec-http-ad-\(getpid())-\(user)"
    defer { try? FileManager.default.removeItem(atPath: String(ccache.dropFirst(5))) }
    let peer = try exec(["env", "PW=\(password)", "sh", "-c", command], ccache: ccache)
    var lines: [String] = []
    while let line = peer.receive() { lines.append(line.hasSuffix("\r") ? String(line.dropLast()) : line) }
    let r = peer.finish()
    // The last answer's status line (curl -i shows the 401 first), then its body after the blank line.
    guard let statusIndex = lines.lastIndex(where: { $0.hasPrefix("HTTP/1.1 ") }),
      let code = Int(lines[statusIndex].split(separator: " ")[1])
    else { throw TestFailure(text: "no answer as \(user) (\(r.status)): \(lines) \(r.errors)") }
    let rest = lines[statusIndex...]
    let body = rest.firstIndex(of: "").map { Array(rest[($0 + 1)...]) } ?? []
    return (code, body)
  }

  @Test(arguments: [false, true])
  func domainGroupGuardsTheRoute(ntlm: Bool) throws {
    let env = try DomainController.environment()
    let (server, port) = try startServer()
    defer { stop(server) }
    let alice = (env["AD_DC_ALICE"]!, env["AD_DC_ALICE_PASSWORD"]!)
    let bob = (env["AD_DC_BOB"]!, env["AD_DC_BOB_PASSWORD"]!)
    let (meStatus, me) = try get("/me", port: port, user: alice.0, password: alice.1, ntlm: ntlm)
    #expect(meStatus == 200)
    #expect(me.first?.uppercased() == "NTSEC\\ALICE")
    // The route saw the PAC's (Kerberos) or the DC's (NTLM) groups: alice's SID, Domain Users,
    // ntsec-readers and ntsec-staff (nesting expanded by the KDC), not ntsec-others.
    let sids = Set(me.dropFirst())
    #expect(me.dropFirst().first == env["AD_DC_ALICE_SID"])
    for key in ["AD_DC_GROUP_READERS_SID", "AD_DC_GROUP_STAFF_SID"] {
      #expect(sids.contains(env[key]!), "missing \(key)")
    }
    #expect(sids.contains(env["AD_DC_DOMAIN_SID"]! + "-513"))
    #expect(!sids.contains(env["AD_DC_GROUP_OTHERS_SID"]!))
    #expect(sids.contains("S-1-5-64-10") == ntlm)  // NTLM Authentication
    let (staff, body) = try get("/staff", port: port, user: alice.0, password: alice.1, ntlm: ntlm)
    #expect(staff == 200 && body.first?.uppercased() == "WELCOME, NTSEC\\ALICE")
    let (refused, empty) = try get("/staff", port: port, user: bob.0, password: bob.1, ntlm: ntlm)
    #expect(refused == 403 && empty.allSatisfy(\.isEmpty))
  }
}
