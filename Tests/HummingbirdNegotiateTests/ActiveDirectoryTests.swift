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

  /// curl in the namespace as `user`: Kerberos (kinit, then --negotiate) or NTLM (--ntlm);
  /// returns "STATUS\nBODY".
  func curl(_ path: String, port: Int, user: String, password: String, ntlm: Bool) throws -> (Int, [String]) {
    let env = try DomainController.environment()
    let url = "http://\(env["AD_DC_SERVICE_HOST"]!):\(port)\(path)"
    let command =
      ntlm
      ? "curl -s --ntlm -u \"$AD_DC_DOMAIN\\\\\(user):$PW\" -w '\\n%{http_code}' '\(url)'"
      : "printf '%s\\n' \"$PW\" | kinit \"\(user)@$AD_DC_REALM\" >/dev/null && curl -s --negotiate -u : -w '\\n%{http_code}' '\(url)'"
    let ccache = "FILE:\(NSTemporaryDirectory())ntsec-http-ad-\(getpid())-\(user)"
    defer { try? FileManager.default.removeItem(atPath: String(ccache.dropFirst(5))) }
    let peer = try exec(["env", "PW=\(password)", "sh", "-c", command], ccache: ccache)
    var lines: [String] = []
    while let line = peer.receive() { lines.append(line) }
    let r = peer.finish()
    guard r.status == 0, let code = lines.last.flatMap({ Int($0) }) else {
      throw TestFailure(text: "curl as \(user) failed (\(r.status)): \(r.errors)")
    }
    return (code, Array(lines.dropLast()))
  }

  @Test(arguments: [false, true])
  func domainGroupGuardsTheRoute(ntlm: Bool) throws {
    let env = try DomainController.environment()
    let (server, port) = try startServer()
    defer { stop(server) }
    let alice = (env["AD_DC_ALICE"]!, env["AD_DC_ALICE_PASSWORD"]!)
    let bob = (env["AD_DC_BOB"]!, env["AD_DC_BOB_PASSWORD"]!)
    let (meStatus, me) = try curl("/me", port: port, user: alice.0, password: alice.1, ntlm: ntlm)
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
    let (staff, body) = try curl("/staff", port: port, user: alice.0, password: alice.1, ntlm: ntlm)
    #expect(staff == 200 && body.first?.uppercased() == "WELCOME, NTSEC\\ALICE")
    let (refused, empty) = try curl("/staff", port: port, user: bob.0, password: bob.1, ntlm: ntlm)
    #expect(refused == 403 && empty.allSatisfy(\.isEmpty))
  }
}
