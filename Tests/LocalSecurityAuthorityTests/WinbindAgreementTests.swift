import Foundation
import TestPeers
import Testing

extension HostAccountSuites {
  /// A host in a domain: `ntsec lookup` run where libwbclient reaches the winbindd of the
  /// `scripts/test-ad-dc` DC (inside its namespace, `scripts/test-ad-dc exec`) answers domain users
  /// and groups with the DC's SIDs, as `wbinfo -n` and `wbinfo -s` do.
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
      let script = """
        export NTSEC_SMB_CONF="$AD_DC_SMB_CONF" NTSEC_MACHINE_SID_FILE="$1/machine-sid"
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
