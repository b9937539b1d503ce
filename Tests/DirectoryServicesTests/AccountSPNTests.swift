import Foundation
import TestPeers
import Testing

/// `ntsec ds spn list|add|remove` (DsWriteAccountSpn over sealed LDAP) against the test DC,
/// checked in the DC's own database with ldbsearch and against samba-tool spn.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AccountSPNs {
  /// Runs `ntsec ds spn ARGS` in the DC's namespace with `user`'s Kerberos ticket.
  func spn(_ arguments: [String], as user: String = "ADMIN") throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    guard let ntsec = builtProduct("ntsec") else {
      throw TestFailure(text: "ntsec is not built next to the tests")
    }
    let ccache = "FILE:\(NSTemporaryDirectory())ntsec-ds-spn-\(user)-\(getpid())"
    let name = user == "ADMIN" ? "$AD_DC_ADMIN_USER" : "$AD_DC_ALICE"
    let password = user == "ADMIN" ? "$AD_DC_ADMIN_PASSWORD" : "$AD_DC_ALICE_PASSWORD"
    return try DomainController.run(
      [
        "sh", "-c",
        "export KRB5CCNAME=\(ccache); printf '%s\\n' \"\(password)\" | kinit \"\(name)@$AD_DC_REALM\" >/dev/null "
          + "&& exec \"$0\" ds spn \"$@\"",
        ntsec,
      ] + arguments)
  }

  /// The account's servicePrincipalName values as the DC's database holds them.
  func stored(_ account: String) throws -> Set<String> {
    let r = try DomainController.run([
      "sh", "-c",
      "ldbsearch -H \"$AD_DC_DIR/dc/private/sam.ldb\" \"(sAMAccountName=$0)\" servicePrincipalName",
      account,
    ])
    #expect(r.status == 0, "ldbsearch: \(r.stderr)")
    return Set(
      r.stdout.replacingOccurrences(of: "\n ", with: "").split(separator: "\n")
        .filter { $0.hasPrefix("servicePrincipalName: ") }.map { String($0.dropFirst(22)) })
  }

  @Test func listPrintsWhatTheDirectoryHolds() throws {
    let env = try DomainController.environment()
    let r = try spn(["list", env["AD_DC_SERVICE"]!])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "Registered ServicePrincipalNames for \(env["AD_DC_SERVICE_DN"]!):")
    #expect(Set(lines.dropFirst().map { String($0.dropFirst()) }) == (try stored(env["AD_DC_SERVICE"]!)))
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("\t") })
    // A computer by its name without the $.
    let dc = try spn(["list", "DC1"])
    #expect(
      dc.stdout.hasPrefix("Registered ServicePrincipalNames for CN=DC1,OU=Domain Controllers,"),
      "\(dc.stderr)")
    let missing = try spn(["list", "nosuch"])
    #expect(missing.status == 1 && missing.stderr.contains("ERROR_DS_NO_SUCH_OBJECT"), "\(missing.stderr)")
  }

  /// add, then the DC's database has it; a duplicate on another account is refused before any
  /// write (as setspn -S and samba-tool spn add refuse it) and by the DC itself without the check;
  /// remove takes it away; removing an absent SPN is ERROR_DS_NO_ATTRIBUTE_OR_VALUE.
  @Test func addRemoveAndDuplicatesAsWindowsDoes() throws {
    let env = try DomainController.environment()
    let service = env["AD_DC_SERVICE"]!
    let bob = env["AD_DC_BOB"]!
    let new = "HTTP/spn-test-\(getpid()).\(env["AD_DC_DNS_DOMAIN"]!)"
    let add = try spn(["add", service, new])
    #expect(add.status == 0, "\(add.stderr)")
    #expect(
      add.stdout
        == "Registering ServicePrincipalNames for \(env["AD_DC_SERVICE_DN"]!)\n\t\(new)\nUpdated object\n")
    #expect(try stored(service).contains(new))

    let duplicate = try spn(["add", bob, new.uppercased()])  // SPNs compare without case
    #expect(duplicate.status == 1)
    #expect(
      duplicate.stderr.contains("ERROR_DS_CONSTRAINT_VIOLATION: Duplicate SPN found"), "\(duplicate.stderr)")
    #expect(duplicate.stderr.contains(env["AD_DC_SERVICE_DN"]!))
    let oracle = try DomainController.run([
      "sh", "-c",
      "samba-tool spn add \"$0\" \"$AD_DC_BOB\" -H \"$AD_DC_LDAP_URI\" -U \"$AD_DC_ADMIN_USER%$AD_DC_ADMIN_PASSWORD\"",
      new,
    ])
    #expect(oracle.status != 0 && oracle.stderr.contains("already affected"), "samba-tool: \(oracle.stderr)")
    let unchecked = try spn(["add", bob, new, "--no-duplicate-check"])
    #expect(unchecked.status == 1)
    #expect(
      unchecked.stderr.contains("ERROR_DS_CONSTRAINT_VIOLATION")
        && unchecked.stderr.contains("LDAP result 19"))
    #expect(!(try stored(bob)).contains(new))

    let again = try spn(["add", service, new, "--no-duplicate-check"])
    #expect(again.stderr.contains("ERROR_DS_ATTRIBUTE_OR_VALUE_EXISTS"), "\(again.stderr)")

    let remove = try spn(["remove", service, new])
    #expect(remove.status == 0, "\(remove.stderr)")
    #expect(remove.stdout.hasSuffix("\t\(new)\nUpdated object\n"))
    #expect(!(try stored(service)).contains(new))
    let absent = try spn(["remove", service, new])
    #expect(
      absent.status == 1 && absent.stderr.contains("ERROR_DS_NO_ATTRIBUTE_OR_VALUE"), "\(absent.stderr)")
    let bad = try spn(["add", service, "no-slash"])
    #expect(bad.status == 1 && bad.stderr.contains("ERROR_INVALID_PARAMETER"))
  }

  /// alice may not write another account's SPNs: the DC's access check, ERROR_ACCESS_DENIED.
  @Test func withoutTheRightTheDCRefuses() throws {
    let env = try DomainController.environment()
    let r = try spn(
      ["add", env["AD_DC_SERVICE"]!, "HTTP/alice-\(getpid()).example", "--no-duplicate-check"], as: "ALICE")
    #expect(r.status == 1)
    #expect(r.stderr.contains("ERROR_ACCESS_DENIED") && r.stderr.contains("LDAP result 50"), "\(r.stderr)")
    #expect(!(try stored(env["AD_DC_SERVICE"]!)).contains("HTTP/alice-\(getpid()).example"))
  }

  /// A capture on the DC's loopback while an SPN is added: the SASL mechanism name travels in the
  /// clear in the bind, the SPN and the attribute name never do (every message after the bind is
  /// a GSS wrap token with confidentiality).
  @Test func ldapTrafficIsSealed() throws {
    let env = try DomainController.environment()
    // The test process blocks SIGTERM in what it starts, so tcpdump is stopped with SIGKILL (with
    // --immediate-mode -U every packet is written as it arrives, not in the ring's one-second blocks).
    let capture = NSTemporaryDirectory() + "ntsec-ds-ldap-\(getpid()).pcap"
    defer { try? FileManager.default.removeItem(atPath: capture) }
    let marker = "HTTP/sealed-\(getpid()).\(env["AD_DC_DNS_DOMAIN"]!)"
    guard let ntsec = builtProduct("ntsec") else {
      throw TestFailure(text: "ntsec is not built next to the tests")
    }
    let ccache = "FILE:\(NSTemporaryDirectory())ntsec-ds-seal-\(getpid())"
    let r = try DomainController.run([
      "sh", "-c",
      "export KRB5CCNAME=\(ccache); printf '%s\\n' \"$AD_DC_ADMIN_PASSWORD\" | kinit \"$AD_DC_ADMIN_USER@$AD_DC_REALM\" >/dev/null || exit 3; "
        + "tcpdump --immediate-mode -Z root -U -i lo -w \"$0\" 'tcp port 389 or tcp port 3268' 2>/dev/null & t=$!; "
        + "i=0; while [ ! -s \"$0\" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; "
        + "\"$1\" ds spn add \"$AD_DC_SERVICE\" \"$2\" && \"$1\" ds spn remove \"$AD_DC_SERVICE\" \"$2\"; s=$?; "
        + "sleep 0.5; kill -KILL $t; wait $t; exit $s",
      capture, ntsec, marker,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: capture))
    #expect(bytes.count > 1000, "capture of \(bytes.count) bytes")
    #expect(bytes.range(of: Data("GSSAPI".utf8)) != nil, "no SASL bind in the capture")
    #expect(bytes.range(of: Data(marker.utf8)) == nil, "the SPN travelled in the clear")
    #expect(bytes.range(of: Data("servicePrincipalName".utf8)) == nil, "the attribute travelled in the clear")
  }
}

/// `ntsec ds spn add|remove --drsuapi`: DsWriteAccountSpn over DRSUAPI (IDL_DRSWriteSPN),
/// checked in the DC's database; a duplicate on another account is the DC's refusal.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AccountSPNsOverDRSUAPI {
  @Test func addRemoveAndDuplicate() throws {
    let env = try DomainController.environment()
    let spns = AccountSPNs()
    let service = env["AD_DC_SERVICE"]!
    let new = "HTTP/drs-\(getpid()).\(env["AD_DC_DNS_DOMAIN"]!)"
    let add = try spns.spn(["add", "--drsuapi", service, new])
    #expect(add.status == 0, "\(add.stderr)")
    #expect(try spns.stored(service).contains(new))
    let duplicate = try spns.spn(["add", "--drsuapi", env["AD_DC_BOB"]!, new])
    #expect(duplicate.status == 1, "\(duplicate.stdout)")
    #expect(!(try spns.stored(env["AD_DC_BOB"]!)).contains(new))
    let remove = try spns.spn(["remove", "--drsuapi", service, new])
    #expect(remove.status == 0, "\(remove.stderr)")
    #expect(!(try spns.stored(service)).contains(new))
  }
}
