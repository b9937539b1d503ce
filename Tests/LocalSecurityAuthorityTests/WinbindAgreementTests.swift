import Foundation
import TestPeers
import Testing

extension HostAccountSuites {
  /// A host joined to a domain: inside the namespace of the `scripts/test-ad-dc` DC, the test
  /// joins a member of its own (`net ads join`, its own smb.conf, private directory and winbindd
  /// socket), starts its winbindd, and checks that `ntsec lookup` answers domain users and groups
  /// with the DC's SIDs as `wbinfo -n` and `wbinfo -s` do against that winbindd, and that the
  /// member's machine SID is the one `net getlocalsid` prints.
  @Suite(.timeLimit(.minutes(3))) struct WinbindAgreementTests {
    static let names = [
      "NTSEC\\alice", "alice", "ntsec\\bob", "ntsec-readers", "NTSEC\\ntsec-staff", "ntsec-local",
      "ntsec-others",
      "NTSEC\\Domain Users", "NTSEC\\Administrator", "Administrator", "NTSEC\\",
    ]

    @Test("Domain names and SIDs agree with wbinfo -n/-s and the DC's SIDs")
    func agreesWithWinbind() throws {
      let environment = try DomainController.environment()
      let ntsecPath = try #require(builtProduct("ntsec"))
      let directory = try makeTemporaryDirectory("ntsec-lsa-winbind")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      // One script in the namespace: ntsec's answers, then wbinfo's, one per line, in order.
      let names = Self.names.joined(separator: "\n") + "\n"
      try names.write(toFile: directory + "/names", atomically: true, encoding: .utf8)
      let member = "LSAM\(UUID().uuidString.prefix(8))".uppercased()
      var settings = [
        "netbios name = \(member)", "workgroup = NTSEC", "realm = AD.NTSEC.TEST", "security = ads",
        "disable netbios = yes", "log file = \(directory)/log.%m", "idmap config * : backend = tdb",
        "idmap config * : range = 3000-7999", "idmap config NTSEC : backend = rid",
        "idmap config NTSEC : range = 100000-999999",
      ]
      for (key, sub) in [
        ("private dir", "private"), ("lock dir", "lock"), ("state directory", "state"),
        ("cache directory", "cache"), ("pid directory", "pid"), ("ncalrpc dir", "ncalrpc"),
        ("winbindd socket directory", "winbindd"), ("binddns dir", "bind"),
      ] {
        try FileManager.default.createDirectory(
          atPath: "\(directory)/\(sub)", withIntermediateDirectories: true)
        settings.append("\(key) = \(directory)/\(sub)")
      }
      try ("[global]\n" + settings.map { "  \($0)\n" }.joined()).write(
        toFile: directory + "/smb.conf", atomically: true, encoding: .utf8)
      let script = """
        set -e
        net ads join -s "$1/smb.conf" -U "$AD_DC_ADMIN_USER%$AD_DC_ADMIN_PASSWORD" >"$1/join.out" 2>&1 ||
          { cat "$1/join.out" >&2; exit 1; }
        winbindd -s "$1/smb.conf" --foreground --no-process-group >"$1/winbindd.out" 2>&1 &
        winbindd=$!
        trap 'kill $winbindd 2>/dev/null || true' EXIT
        export WINBINDD_SOCKET_DIR="$1/winbindd"
        i=0
        until wbinfo -p >/dev/null 2>&1; do
          i=$((i + 1)); [ $i -lt 100 ] || { echo "the member's winbindd did not answer" >&2; exit 1; }; sleep 0.2
        done
        net -s "$1/smb.conf" getlocalsid >"$1/localsid"
        export NTSEC_SMB_CONF="$1/smb.conf" NTSEC_MACHINE_SID_FILE="$1/machine-sid"
        "$2" lookup machine >"$1/machine"
        "$2" lookup name <"$1/names" >"$1/ours-names"
        cut -f1 "$1/ours-names" | grep '^S-' >"$1/sids"
        echo "$AD_DC_DOMAIN_SID-512" >>"$1/sids"
        "$2" lookup sid <"$1/sids" >"$1/ours-sids"
        while IFS= read -r n; do wbinfo -n "$n" 2>/dev/null | head -1 || true; echo; done <"$1/names" >"$1/wb-names"
        while IFS= read -r s; do wbinfo -s "$s" 2>/dev/null || true; echo; done <"$1/sids" >"$1/wb-sids"
        """
      let result = try run(
        DomainController.script, ["exec", "/bin/sh", "-c", script, "sh", directory, ntsecPath])
      try #require(result.status == 0, "\(result.stderr)")
      func lines(_ file: String) throws -> [String] {
        try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8).split(
          separator: "\n", omittingEmptySubsequences: false
        ).map(String.init)
      }
      let ours = try lines("ours-names").filter { !$0.isEmpty }
      // wbinfo -n prints "SID SID_TYPE (N)" or nothing, then the blank separator line.
      let theirs = try lines("wb-names").split(separator: "", omittingEmptySubsequences: false).map {
        $0.first ?? ""
      }
      try #require(ours.count == Self.names.count && theirs.count >= Self.names.count)
      for (i, name) in Self.names.enumerated() {
        let mine = ours[i].split(separator: "\t").map(String.init)
        let wb = theirs[i].split(separator: " ").map(String.init)
        #expect(wb.count == 3, "wbinfo -n \(name): \(theirs[i])")
        guard wb.count == 3 else { continue }
        let type = String(wb[2].dropFirst().dropLast())
        #expect(mine.count == 3 && mine[0] == wb[0], "\(name): \(ours[i]) vs \(theirs[i])")
        #expect(
          mine.count == 3 && mine[1] == (SIDNameUseWord.word[type] ?? "?"),
          "\(name): \(ours[i]) vs \(theirs[i])")
      }
      #expect(ours[0].hasPrefix((environment["AD_DC_ALICE_SID"] ?? "-") + "\t"))
      #expect(ours[3].hasPrefix((environment["AD_DC_GROUP_READERS_SID"] ?? "-") + "\tGroup\t"))
      #expect(ours.last == "\(environment["AD_DC_DOMAIN_SID"] ?? "-")\tDomain\tNTSEC")
      // The member's machine SID is Samba's (net getlocalsid), and its NetBIOS name the one joined.
      let localSID = try lines("localsid").first?.split(separator: " ").last.map(String.init)
      let machine = try lines("machine").first?.split(separator: "\t").map(String.init) ?? []
      #expect(machine.count == 5 && machine[0] == localSID && machine[2] == member && machine[4] == "samba")
      #expect(!FileManager.default.fileExists(atPath: directory + "/machine-sid"))

      let sids = try lines("sids").filter { !$0.isEmpty }
      let oursBySID = try lines("ours-sids").filter { !$0.isEmpty }
      let theirsBySID = try lines("wb-sids").split(separator: "", omittingEmptySubsequences: false).map {
        $0.first ?? ""
      }
      try #require(oursBySID.count == sids.count && theirsBySID.count >= sids.count)
      for (i, sid) in sids.enumerated() {
        // wbinfo -s prints "DOMAIN\name N" (a domain: "DOMAIN N").
        let mine = oursBySID[i].split(separator: "\t").map(String.init)
        guard let space = theirsBySID[i].lastIndex(of: " ") else {
          Issue.record("wbinfo -s \(sid): \(theirsBySID[i])")
          continue
        }
        let name = String(theirsBySID[i][..<space])
        let type = String(theirsBySID[i][theirsBySID[i].index(after: space)...])
        #expect(mine.count == 3 && mine[2] == name, "\(sid): \(oursBySID[i]) vs \(theirsBySID[i])")
        #expect(mine.count == 3 && mine[1] == (SIDNameUseWord.word[type] ?? "?"), "\(sid)")
      }
    }
  }
}

/// wbinfo's numeric SID types as the SidTypeXxx words ntsec prints.
enum SIDNameUseWord {
  static let word = [
    "1": "User", "2": "Group", "3": "Domain", "4": "Alias", "5": "WellKnownGroup", "6": "DeletedAccount",
    "7": "Invalid", "8": "Unknown", "9": "Computer", "10": "Label",
  ]
}
