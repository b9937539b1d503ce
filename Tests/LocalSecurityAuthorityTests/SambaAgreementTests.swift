import Foundation
import LocalSecurityAuthority
import NTSecurity
import TestPeers
import Testing

extension HostAccountSuites {
  /// `ntsec lookup name|sid` against a standalone smbd's LSA (`rpcclient lookupnames/lookupsids`),
  /// started for the test in its own network and PID namespaces, so nothing outlives it: every
  /// NSS account, accounts the test creates (one in Samba's passdb), well-known and builtin names.
  @Suite struct SambaAgreementTests {
    static let wellKnownNames = [
      "Everyone", "\\Everyone", "SYSTEM", "NT AUTHORITY\\SYSTEM", "Administrators", "BUILTIN\\Administrators",
      "Users", "BUILTIN\\Users", "Guests", "Backup Operators", "BUILTIN", "Authenticated Users",
      "NT AUTHORITY\\Authenticated Users", "LOCAL", "CONSOLE LOGON", "CREATOR OWNER", "CREATOR GROUP",
      "INTERACTIVE", "NETWORK", "SERVICE", "BATCH", "ANONYMOUS LOGON", "NT AUTHORITY\\LOCAL SERVICE",
      "NETWORK SERVICE", "Remote Desktop Users", "Performance Log Users",
    ]
    static let wellKnownSIDs = [
      "S-1-1-0", "S-1-2-0", "S-1-2-1", "S-1-3-0", "S-1-3-1", "S-1-5-2", "S-1-5-4", "S-1-5-6", "S-1-5-11",
      "S-1-5-18", "S-1-5-19", "S-1-5-20", "S-1-5-32", "S-1-5-32-544", "S-1-5-32-545", "S-1-5-32-546",
      "S-1-5-32-551", "S-1-5-32-555", "S-1-22-1", "S-1-22-2", "S-1-22-1-0", "S-1-22-2-0", "S-1-22-1-4000000",
    ]

    struct Answer: Equatable {
      var sid: String
      var use: UInt32
      var name: String
    }

    @Test("ntsec lookup agrees with smbd's lookupnames and lookupsids, and with net getlocalsid")
    func agreesWithSamba() throws {
      let directory = try makeTemporaryDirectory("ntsec-lsa-samba")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let group = try accounts.addGroup("g")
      let passdbUser = try accounts.addUser("p", groups: [group.name])
      let unixUser = try accounts.addUser("x")
      let netbios = "NTSLSA\(accounts.tag.prefix(6).uppercased())"
      let conf = directory + "/smb.conf"
      var settings = [
        "netbios name = \(netbios)", "workgroup = NTSECWG", "server role = standalone server",
        "passdb backend = tdbsam", "smb ports = 445", "interfaces = 127.0.0.1", "bind interfaces only = yes",
        "disable netbios = yes", "rpc start on demand helpers = no", "log file = \(directory)/log.%m",
      ]
      for (key, sub) in [
        ("private dir", "private"), ("lock dir", "lock"), ("state directory", "state"),
        ("cache directory", "cache"), ("pid directory", "pid"), ("ncalrpc dir", "ncalrpc"),
        ("binddns dir", "bind"),
      ] {
        try FileManager.default.createDirectory(
          atPath: "\(directory)/\(sub)", withIntermediateDirectories: true)
        settings.append("\(key) = \(directory)/\(sub)")
      }
      try ("[global]\n" + settings.map { "  \($0)\n" }.joined()).write(
        toFile: conf, atomically: true, encoding: .utf8)
      let password = "Pw-\(UUID().uuidString.prefix(12))"
      let added = try run(
        "/usr/bin/pdbedit", ["-s", conf, "-a", "-u", passdbUser.name, "-t"],
        input: "\(password)\n\(password)\n")
      try #require(added.status == 0, "pdbedit: \(added.stderr)")

      // The machine SID: net getlocalsid and ntsec read the same secrets.tdb.
      let environment = ["NTSEC_SMB_CONF": conf, "NTSEC_MACHINE_SID_FILE": directory + "/unused-machine-sid"]
      let net = try run("/usr/bin/net", ["-s", conf, "getlocalsid"])
      let sambaSID = try #require(
        net.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
      let machine = try ntsec(["lookup", "machine"], environment: environment)
      #expect(
        machine.stdout.split(separator: "\t").map(String.init) == [
          sambaSID, "Domain", netbios, HostSystemName.value, "samba\n",
        ])
      #expect(!FileManager.default.fileExists(atPath: directory + "/unused-machine-sid"))

      var names =
        Self.wellKnownNames + [
          netbios, "\(netbios)\\\(passdbUser.name)", "\(passdbUser.name)@\(netbios)", passdbUser.name,
          unixUser.name, group.name, "Unix User\\\(unixUser.name)", "Unix Group\\\(group.name)",
          "\(netbios)\\\(unixUser.name)", "ntsec-no-such-name",
        ]
      for user in try getent("passwd") { names += [user.name, "Unix User\\\(user.name)"] }
      for group in try getent("group") { names += [group.name, "Unix Group\\\(group.name)"] }
      let ours = try lookup(["lookup", "name"], names, environment)
      var sids = Self.wellKnownSIDs + ours.compactMap { $0?.sid }
      sids.append("\(sambaSID)-513")
      sids = Array(Set(sids)).sorted()
      let oursBySID = try lookup(["lookup", "sid"], sids, environment)

      let (samba, sambaBySID) = try rpcclient(
        directory, conf, passdbUser.name, password, names: names, sids: sids)
      try #require(samba.count == names.count && sambaBySID.count == sids.count)
      // A process of the passdb user has the SID Samba gives that user as its token's user.
      let child = try ChildProcess(setpriv: [
        "--reuid=\(passdbUser.uid)", "--regid=\(passdbUser.gid)", "--clear-groups",
      ])
      let token = try ntsec(["whoami", "--json", "--pid", String(child.pid)], environment: environment)
      let passdbSID = samba[names.firstIndex(of: passdbUser.name)!].sid
      #expect(token.stdout.hasPrefix("{\"user\": \"\(passdbSID)\""), "\(token.stdout)\(token.stderr)")
      var compared = 0
      for (i, name) in names.enumerated() where samba[i].use != 8 {
        compared += 1
        #expect(ours[i].map { [$0.sid, String($0.use)] } == [samba[i].sid, String(samba[i].use)], "\(name)")
      }
      // What Samba maps must include every passwd account, the passdb user and the well-known names.
      #expect(compared >= names.count - 4, "Samba mapped only \(compared) of \(names.count) names")
      #expect(ours[names.firstIndex(of: passdbUser.name)!]?.sid.hasPrefix(sambaSID + "-") == true)
      for (i, sid) in sids.enumerated() where sambaBySID[i].use != 8 {
        // Samba spells some well-known names in mixed case (`NT Authority`, `Local`); Windows' are ours.
        let theirs =
          sambaBySID[i].name.hasPrefix("\\") ? String(sambaBySID[i].name.dropFirst()) : sambaBySID[i].name
        #expect(oursBySID[i]?.name.lowercased() == theirs.lowercased(), "\(sid)")
        #expect(oursBySID[i]?.use == sambaBySID[i].use, "\(sid)")
      }
    }

    /// `ntsec lookup name|sid` over standard input: one answer a line, nil for an error line.
    func lookup(_ command: [String], _ inputs: [String], _ environment: [String: String]) throws -> [Answer?]
    {
      let result = try ntsec(command, input: inputs.joined(separator: "\n") + "\n", environment: environment)
      let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
      try #require(lines.count == inputs.count, "\(result.stdout)\(result.stderr)")
      return lines.map { line in
        let fields = line.split(separator: "\t").map(String.init)
        guard fields.count == 3, let use = SIDNameUse(name: fields[1]) else { return nil }
        return Answer(sid: fields[0], use: use.rawValue, name: fields[2])
      }
    }

    /// Starts samba-dcerpcd and smbd in new network and PID namespaces (both die with the script),
    /// and runs rpcclient's lookupnames and lookupsids there.
    func rpcclient(
      _ directory: String, _ conf: String, _ user: String, _ password: String, names: [String], sids: [String]
    ) throws -> ([Answer], [Answer]) {
      let quote = { (s: String) in "\"" + s + "\"" }
      try ("lookupnames " + names.map(quote).joined(separator: " ")).write(
        toFile: directory + "/names.cmd", atomically: true, encoding: .utf8)
      try ("lookupsids " + sids.joined(separator: " ")).write(
        toFile: directory + "/sids.cmd", atomically: true, encoding: .utf8)
      let script = """
        set -e
        ip link set lo up
        /usr/libexec/samba/samba-dcerpcd -s "$1" --foreground --libexec-rpcds >"$2/dcerpcd.out" 2>&1 &
        /usr/sbin/smbd -s "$1" --foreground --no-process-group >"$2/smbd.out" 2>&1 &
        i=0
        until rpcclient -p 445 -U "$3" 127.0.0.1 -c 'lookupnames root' >/dev/null 2>&1; do
          i=$((i + 1)); [ $i -lt 150 ] || { echo "smbd did not answer" >&2; exit 1; }; sleep 0.2
        done
        rpcclient -p 445 -U "$3" 127.0.0.1 -c "$(cat "$2/names.cmd")" >"$2/names.out"
        rpcclient -p 445 -U "$3" 127.0.0.1 -c "$(cat "$2/sids.cmd")" >"$2/sids.out"
        """
      let result = try run(
        "/usr/bin/unshare",
        [
          "--net", "--pid", "--fork", "--mount-proc", "--kill-child", "/bin/sh", "-c", script, "sh", conf,
          directory,
          "\(user)%\(password)",
        ])
      try #require(result.status == 0, "rpcclient in a namespace: \(result.stderr)")
      let nameLines = try String(contentsOfFile: directory + "/names.out", encoding: .utf8).split(
        separator: "\n")
      let sidLines = try String(contentsOfFile: directory + "/sids.out", encoding: .utf8).split(
        separator: "\n")
      let byName = nameLines.compactMap { line -> Answer? in
        // NAME SID (Type word: N)
        guard let open = line.lastIndex(of: "("), let colon = line.lastIndex(of: ":"),
          let use = UInt32(line[line.index(after: colon)...].dropLast().trimmingCharacters(in: .whitespaces))
        else { return nil }
        let head = line[..<open].trimmingCharacters(in: .whitespaces)
        guard let space = head.lastIndex(of: " ") else { return nil }
        return Answer(sid: String(head[head.index(after: space)...]), use: use, name: String(head[..<space]))
      }
      let bySID = sidLines.compactMap { line -> Answer? in
        // SID DOMAIN\NAME (N)
        guard let space = line.firstIndex(of: " "), let open = line.lastIndex(of: "("),
          let use = UInt32(line[line.index(after: open)...].dropLast())
        else { return nil }
        let name = line[line.index(after: space)..<open].trimmingCharacters(in: .whitespaces)
        return Answer(sid: String(line[..<space]), use: use, name: name)
      }
      return (byName, bySID)
    }
  }
}

/// The host name as the machine's DNS name.
enum HostSystemName {
  static var value: String {
    ((try? String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8)) ?? "")
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
