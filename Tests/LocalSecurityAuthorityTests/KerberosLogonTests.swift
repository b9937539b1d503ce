import Foundation
import NTSecurity
import TestPeers
import Testing

extension HostAccountSuites {
  /// LogonUser of a domain user with Kerberos, against the test AD DC: inside the DC's namespace
  /// the test creates a computer account with an SPN and exports its keytab (samba-tool), logs
  /// alice on with `ntsec logon alice@REALM` and `NTSEC\alice`, and compares the token's groups
  /// with the DC's tokenGroups for alice (ldbsearch on the DC's sam.ldb).
  @Suite(.serialized, .timeLimit(.minutes(3))) struct KerberosLogonTests {
    /// Runs `script` in the DC's namespace with `$1` a fresh directory and `$2` ntsec.
    func inNamespace(_ script: String, directory: String, input: String = "") throws -> (
      status: Int32, stdout: String, stderr: String
    ) {
      let ntsecPath = try #require(builtProduct("ntsec"))
      return try run(
        DomainController.script, ["exec", "/bin/sh", "-c", script, "sh", directory, ntsecPath], input: input)
    }

    func groups(_ json: String) throws -> (user: String, groups: Set<String>) {
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "not token JSON: \(json)")
      let groups = ((object["groups"] as? [[String: Any]]) ?? []).compactMap { $0["sid"] as? String }
      return (object["user"] as? String ?? "", Set(groups))
    }

    @Test("A domain user logs on with Kerberos; the token's groups are the DC's tokenGroups")
    func domainLogonMatchesTokenGroups() throws {
      let env = try DomainController.environment()
      let directory = try makeTemporaryDirectory("ntsec-kerb-logon")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let computer = "KL" + UUID().uuidString.prefix(8).uppercased()
      let spn = "host/\(computer.lowercased()).\(env["AD_DC_DNS_DOMAIN"]!)"
      let setup = """
        set -e
        samba-tool computer create "$3" -H "ldap://$AD_DC_HOST" -U "$AD_DC_ADMIN_USER%$AD_DC_ADMIN_PASSWORD" >"$1/create.out" 2>&1 ||
          { cat "$1/create.out" >&2; exit 1; }
        samba-tool spn add "$4" "$3\\$" -H "ldap://$AD_DC_HOST" -U "$AD_DC_ADMIN_USER%$AD_DC_ADMIN_PASSWORD" >>"$1/create.out" 2>&1 ||
          { cat "$1/create.out" >&2; exit 1; }
        # computer create sets no password: the account has no keys to export until it has one.
        samba-tool user setpassword "$3\\$" --newpassword="Kl-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \\n')-9" \
          -H "ldap://$AD_DC_HOST" -U "$AD_DC_ADMIN_USER%$AD_DC_ADMIN_PASSWORD" >>"$1/create.out" 2>&1 ||
          { cat "$1/create.out" >&2; exit 1; }
        samba-tool domain exportkeytab "$1/host.keytab" --principal="$4" -s "$AD_DC_SMB_CONF" >>"$1/create.out" 2>&1 ||
          { cat "$1/create.out" >&2; exit 1; }
        ldbsearch -H "$AD_DC_DIR/dc/private/sam.ldb" -b "$AD_DC_ALICE_DN" -s base tokenGroups
        """
      let ntsecPath = try #require(builtProduct("ntsec"))
      let created = try run(
        DomainController.script, ["exec", "/bin/sh", "-c", setup, "sh", directory, ntsecPath, computer, spn])
      defer {
        _ = try? run(
          DomainController.script,
          [
            "exec", "/bin/sh", "-c",
            "samba-tool computer delete \"$1\" -H \"ldap://$AD_DC_HOST\" -U \"$AD_DC_ADMIN_USER%$AD_DC_ADMIN_PASSWORD\"",
            "sh", computer,
          ])
      }
      try #require(created.status == 0, "\(created.stderr)")
      let expected = Set(
        created.stdout.split(separator: "\n").filter { $0.hasPrefix("tokenGroups: ") }.map {
          String($0.dropFirst(13))
        })
      #expect(expected.count >= 5, "tokenGroups: \(created.stdout)")
      let logon = """
        export NTSEC_LOGON_KEYTAB="FILE:$1/host.keytab" NTSEC_MACHINE_SID_FILE="$1/machine-sid" \
          NTSEC_LUID_COUNTER="$1/luid" NTSEC_PRIVILEGED_LUID_COUNTER="$1/luid-root" KRB5CCNAME="MEMORY:logon"
        IFS= read -r password
        printf '%s\\n' "$password" | NTSEC_SMB_CONF= "$2" logon "alice@$AD_DC_REALM" --password-stdin --json >"$1/upn.json"
        printf '%s\\n' "$password" | NTSEC_SMB_CONF="$AD_DC_SMB_CONF" "$2" logon "$AD_DC_DOMAIN\\\\alice" --password-stdin --json >"$1/netbios.json"
        """
      let r = try inNamespace(logon, directory: directory, input: env["AD_DC_ALICE_PASSWORD"]! + "\n")
      try #require(r.status == 0, "\(r.stderr)")
      for file in ["upn.json", "netbios.json"] {
        let text = try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)
        let (user, groups) = try groups(text)
        #expect(user == env["AD_DC_ALICE_SID"], "\(file)")
        #expect(
          expected.subtracting(groups).isEmpty,
          "\(file): in tokenGroups only: \(expected.subtracting(groups))")
        let domain = env["AD_DC_DOMAIN_SID"]! + "-"
        let domainGroups = groups.filter { $0.hasPrefix(domain) }
        #expect(
          domainGroups.subtracting(expected).isEmpty,
          "\(file): not in tokenGroups: \(domainGroups.subtracting(expected))")
        #expect(
          groups.contains(env["AD_DC_GROUP_STAFF_SID"]!) && !groups.contains(env["AD_DC_GROUP_OTHERS_SID"]!))
        #expect(
          groups.contains("S-1-5-4") && !groups.contains("S-1-5-2"), "\(file): INTERACTIVE, not NETWORK")
        #expect(groups.contains { $0.hasPrefix("S-1-5-5-") }, "\(file): a logon SID")
      }
    }

    @Test("A wrong password and an unknown domain user are ERROR_LOGON_FAILURE, in the same time")
    func wrongPasswordFails() throws {
      let env = try DomainController.environment()
      let directory = try makeTemporaryDirectory("ntsec-kerb-logon")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let script = """
        export NTSEC_LOGON_KEYTAB="$AD_DC_KEYTAB" NTSEC_SMB_CONF= NTSEC_MACHINE_SID_FILE="$1/machine-sid" \
          NTSEC_LUID_COUNTER="$1/luid" NTSEC_PRIVILEGED_LUID_COUNTER="$1/luid-root" KRB5CCNAME="MEMORY:logon"
        for who in "alice@$AD_DC_REALM" "nosuchuser@$AD_DC_REALM"; do
          start=$(date +%s%N)
          if echo 'Wr0ng-password' | "$2" logon "$who" --password-stdin >/dev/null 2>"$1/err"; then echo "accepted $who"; fi
          end=$(date +%s%N)
          echo "$(( (end - start) / 1000000 )) $(tr '\\n' ' ' <"$1/err")"
        done
        """
      let r = try inNamespace(script, directory: directory)
      try #require(r.status == 0, "\(r.stderr)")
      let lines = r.stdout.split(separator: "\n").map(String.init)
      try #require(lines.count == 2, "\(r.stdout)")
      let times = lines.compactMap { $0.split(separator: " ").first.flatMap { Int($0) } }
      for line in lines { #expect(line.contains("ERROR_LOGON_FAILURE") || line.contains("1326"), "\(line)") }
      // logonFailureDuration (2 s by default) covers the KDC round trips of both.
      #expect(times.count == 2 && times.allSatisfy { $0 >= 2000 }, "\(times)")
      #expect(times.count == 2 && abs(times[0] - times[1]) < 500, "\(times)")
    }

    @Test("ntsec klist lists the DC's tickets as MIT klist does (kinit, then get for the HTTP SPN)")
    func klistAgreesWithMITOnTheDC() throws {
      let env = try DomainController.environment()
      let directory = try makeTemporaryDirectory("ntsec-kerb-klist")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let script = """
        set -e
        export KRB5CCNAME="FILE:$1/ccache"
        printf '%s\\n' "$AD_DC_ALICE_PASSWORD" | kinit "$AD_DC_ALICE@$AD_DC_REALM" >/dev/null
        "$2" klist get "$AD_DC_HTTP_SPN" >"$1/get.out"
        "$2" klist --json >"$1/ntsec.json"
        TZ=UTC LC_ALL=C klist -f -e >"$1/mit.out"
        "$2" klist purge >/dev/null
        if klist -s; then echo "tickets left after purge" >&2; exit 1; fi
        """
      let r = try inNamespace(script, directory: directory)
      try #require(r.status == 0, "\(r.stderr)")
      let get = try String(contentsOfFile: directory + "/get.out", encoding: .utf8)
      #expect(get.contains("A ticket to \(env["AD_DC_HTTP_SPN"]!) has been retrieved successfully."))
      try expectKlistAgrees(
        ntsecJSON: try String(contentsOfFile: directory + "/ntsec.json", encoding: .utf8),
        mit: parseMITKlist(try String(contentsOfFile: directory + "/mit.out", encoding: .utf8)),
        client: "\(env["AD_DC_ALICE"]!)@\(env["AD_DC_REALM"]!)", count: 2)
    }
  }
}
