import Foundation
import NTSecurity
import SSPI
import TestPeers
import Testing

/// Running commands in the namespace of the DC that TestPeers' `DomainController` starts once for
/// the test process (shared with the LocalSecurityAuthority tests).
extension DomainController {
  /// Runs `arguments` inside the DC's namespace (`scripts/test-ad-dc exec`), with a credential
  /// cache of its own, the DC's keytab, no NTLM user file (gss-ntlmssp asks the DC) and the
  /// `extra` variables.
  static func exec(_ arguments: [String], ccache: String, extra: [String: String] = [:]) throws -> LinePeer {
    let env = try environment()
    return try LinePeer(
      "/usr/bin/env",
      [
        "-u", "NTLM_USER_FILE", "KRB5CCNAME=\(ccache)", "KRB5_KTNAME=FILE:\(env["AD_DC_KEYTAB"] ?? "")",
      ] + extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [script, "exec"]
        + arguments)
  }
}

extension SSPISuite {
  /// Against a real Active Directory domain: a Swift client authenticates to a Swift server
  /// (`ntsec sspi client/server`, inside the DC's namespace) with Kerberos and with NTLM, the
  /// server's QuerySecurityContextToken is checked against the DC's tokenGroups over LDAP, and
  /// AccessCheck grants and denies through those groups.
  @Suite(.serialized, .timeLimit(.minutes(2)))
  struct ActiveDirectory {
    var ntsec: String {
      get throws {
        guard let path = CommandLine.ntsec else {
          throw TestFailure(text: "ntsec is not built next to the tests")
        }
        return path
      }
    }

    /// What one `ntsec sspi client` → `ntsec sspi server` run printed.
    struct PairRun {
      var name = ""
      var lines: [String] = []
      var legs = 0
      var client: (status: Int32, errors: String) = (0, "")
      var server: (status: Int32, errors: String) = (0, "")
    }

    /// alice (with `password`, else with no identity and `vault`'s credentials) authenticates to
    /// the HTTP service, client and server each in the DC's namespace, the client with an empty
    /// credential cache; the server's lines after "established NAME" are collected.
    func run(package: String, password: String?, vault: ThrowawayVault? = nil) throws -> PairRun {
      let env = try DomainController.environment()
      let domain = package == "NTLM" ? env["AD_DC_DOMAIN"]! : env["AD_DC_REALM"]!
      let server = try DomainController.exec(
        [try ntsec, "sspi", "server", "--package", package], ccache: "MEMORY:server")
      let identity = ["--user", env["AD_DC_ALICE"]!, "--domain", domain, "--password-stdin"]
      let client = try DomainController.exec(
        [try ntsec, "sspi", "client", "--package", package, "--target", env["AD_DC_HTTP_SPN"]!]
          + (password == nil ? [] : identity), ccache: "MEMORY:client", extra: vault?.environment ?? [:])
      if let password { client.send(password) }
      var run = PairRun()
      while let line = client.receive(), line != "established", run.legs < 10 {
        run.legs += 1
        server.send(line)
        guard let reply = server.receive() else { break }
        if reply.hasPrefix("established ") {
          run.name = String(reply.dropFirst(12))
          break
        }
        client.send(reply)
      }
      server.closeInput()  // a server still waiting for a token (the client gave up) ends now
      if run.name.isEmpty, let line = server.receive(), line.hasPrefix("established ") {
        run.name = String(line.dropFirst(12))
      }
      while let line = server.receive() { run.lines.append(line) }
      run.server = server.finish()
      run.client = client.finish()
      return run
    }

    /// alice's token as the server prints it (token JSON), and the server's "established" name.
    func aliceToken(package: String) throws -> (name: String, json: [String: Any], line: String) {
      let r = try run(package: package, password: try DomainController.environment()["AD_DC_ALICE_PASSWORD"]!)
      #expect(r.server.status == 0, "server: \(r.server.errors)")
      #expect(r.client.status == 0, "client: \(r.client.errors)")
      let jsonLine = r.lines.first ?? ""
      let object = try JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any]
      return (r.name, try #require(object, "no token JSON from the server: \(r.server.errors)"), jsonLine)
    }

    func groupSIDs(_ json: [String: Any]) -> Set<String> {
      Set(((json["groups"] as? [[String: Any]]) ?? []).compactMap { $0["sid"] as? String })
    }

    /// The DC's tokenGroups for alice (base-scope LDAP search with her Kerberos ticket).
    func tokenGroups() throws -> Set<String> {
      let ldap = try DomainController.exec(
        [
          "sh", "-c",
          "printf '%s\\n' \"$AD_DC_ALICE_PASSWORD\" | kinit \"$AD_DC_ALICE@$AD_DC_REALM\" >/dev/null && "
            + "ldapsearch -LLL -Q -Y GSSAPI -H \"$AD_DC_LDAP_URI\" -b \"$AD_DC_ALICE_DN\" -s base tokenGroups",
        ], ccache: "FILE:\(NSTemporaryDirectory())ntsec-ad-ldap-\(getpid())")
      var sids = Set<String>()
      var previous = ""
      while let line = ldap.receive() {
        // LDIF folds long lines with a leading space.
        if line.hasPrefix(" ") { previous += line.dropFirst() } else { previous = line }
        if previous.hasPrefix("tokenGroups:: "),
          let data = Data(base64Encoded: String(previous.dropFirst(14))),
          let sid = try? SID(bytes: [UInt8](data))
        {
          sids.insert(sid.description)
        }
      }
      let r = ldap.finish()
      #expect(r.status == 0, "ldapsearch: \(r.errors)")
      return sids
    }

    @Test(arguments: ["Kerberos", "Negotiate", "NTLM"])
    func aliceTokenHasHerDomainSIDs(package: String) throws {
      let env = try DomainController.environment()
      let (name, json, _) = try aliceToken(package: package)
      #expect(name.uppercased() == "NTSEC\\ALICE")
      #expect(json["user"] as? String == env["AD_DC_ALICE_SID"])
      let groups = groupSIDs(json)
      for key in ["AD_DC_GROUP_READERS_SID", "AD_DC_GROUP_STAFF_SID"] {
        #expect(groups.contains(env[key]!), "\(package): missing \(key)")
      }
      #expect(groups.contains(env["AD_DC_DOMAIN_SID"]! + "-513"))
      #expect(!groups.contains(env["AD_DC_GROUP_OTHERS_SID"]!))
      for sid in ["S-1-1-0", "S-1-5-2", "S-1-5-11", "S-1-5-32-545"] {
        #expect(groups.contains(sid), "\(package): \(sid)")
      }
      #expect(groups.contains("S-1-5-64-10") == (package == "NTLM"))  // NTLM Authentication
    }

    /// A wrong password, checked by the DC: Kerberos refuses it when the client acquires
    /// credentials (the KDC's preauthentication fails: SEC_E_UNKNOWN_CREDENTIALS, as AcquireCredentialsHandle's documentation
    /// says); NTLM only when the server asks the DC (SEC_E_LOGON_DENIED at AcceptSecurityContext).
    @Test(arguments: ["Kerberos", "NTLM"])
    func wrongPasswordIsRefusedByTheDC(package: String) throws {
      let r = try run(
        package: package, password: "not-" + (try DomainController.environment()["AD_DC_ALICE_PASSWORD"]!))
      if package == "Kerberos" {
        #expect(r.client.status == 1)
        #expect(r.client.errors.contains("SEC_E_UNKNOWN_CREDENTIALS"), "client: \(r.client.errors)")
        #expect(r.legs == 0)
      } else {
        #expect(r.server.status == 1)
        #expect(r.server.errors.contains("SEC_E_LOGON_DENIED"), "server: \(r.server.errors)")
        #expect(r.name.isEmpty && r.lines.isEmpty)
      }
    }

    /// As Windows' packages use Credential Manager: alice's domain password saved with
    /// `ntsec cred add --type domain` for the web server (or `*.dns.domain`) authenticates
    /// `ntsec sspi client` with no ticket and no password given; the server's token is alice's.
    @Test(arguments: [
      ("Kerberos", "host", "alice@dns"), ("Negotiate", "*.dns", "NETBIOS\\alice"),
      ("Kerberos", "*", "alice@dns"),
    ])
    func storedDomainPasswordAuthenticatesWithNoTicket(package: String, stored: String, user: String) throws {
      let env = try DomainController.environment()
      let host = String(env["AD_DC_HTTP_SPN"]!.split(separator: "/")[1])
      let dns = String(host.split(separator: ".", maxSplits: 1)[1])
      let target = stored.replacingOccurrences(of: "host", with: host).replacingOccurrences(
        of: "dns", with: dns)
      let userName = user.replacingOccurrences(of: "alice", with: env["AD_DC_ALICE"]!)
        .replacingOccurrences(of: "dns", with: dns).replacingOccurrences(
          of: "NETBIOS", with: env["AD_DC_DOMAIN"]!)
      let vault = try ThrowawayVault()
      defer { vault.remove() }
      try vault.addDomainPassword(
        target, user: userName, password: env["AD_DC_ALICE_PASSWORD"]!, ntsec: try ntsec)
      let r = try run(package: package, password: nil, vault: vault)
      #expect(r.client.status == 0, "client: \(r.client.errors)")
      #expect(r.server.status == 0, "server: \(r.server.errors)")
      #expect(r.name.uppercased() == "NTSEC\\ALICE")
      let json = try JSONSerialization.jsonObject(with: Data((r.lines.first ?? "").utf8)) as? [String: Any]
      #expect(json?["user"] as? String == env["AD_DC_ALICE_SID"])
    }

    /// Every SID of the DC's tokenGroups is in the Kerberos (PAC) token, domain-local group
    /// included, and nothing of bob's.
    @Test func kerberosTokenMatchesTokenGroups() throws {
      let expected = try tokenGroups()
      #expect(expected.count >= 5, "tokenGroups: \(expected)")
      let (_, json, _) = try aliceToken(package: "Kerberos")
      let groups = groupSIDs(json)
      #expect(
        expected.subtracting(groups).isEmpty,
        "in tokenGroups but not in the token: \(expected.subtracting(groups))")
    }

    /// AccessCheck (the NTSecurity engine, through `ntsec access-check`) with the token the DC's
    /// PAC made: a descriptor granting ntsec-staff lets alice read; one denying it stops her.
    @Test func accessCheckGrantsAndDeniesThroughDomainGroups() throws {
      let env = try DomainController.environment()
      let (_, _, line) = try aliceToken(package: "Kerberos")
      let file = NSTemporaryDirectory() + "ntsec-ad-token-\(getpid()).json"
      try line.write(toFile: file, atomically: true, encoding: .utf8)
      defer { try? FileManager.default.removeItem(atPath: file) }
      let staff = env["AD_DC_GROUP_STAFF_SID"]!
      let local = env["AD_DC_GROUP_LOCAL_SID"]!
      let others = env["AD_DC_GROUP_OTHERS_SID"]!
      func check(_ sddl: String) throws -> Int32 {
        try runProgram(try ntsec, ["access-check", "--sd", sddl, "--token", file, "--desired", "FR"]).status
      }
      #expect(try check("O:BAG:BAD:(A;;FR;;;\(staff))") == 0)
      #expect(try check("O:BAG:BAD:(A;;FR;;;\(local))") == 0)  // a domain-local (resource) group
      #expect(try check("O:BAG:BAD:(D;;FR;;;\(staff))(A;;FR;;;WD)") == 1)
      #expect(try check("O:BAG:BAD:(A;;FR;;;\(others))") == 1)
    }
  }
}
