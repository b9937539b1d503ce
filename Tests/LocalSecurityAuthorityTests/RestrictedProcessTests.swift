import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import LocalSecurityAuthority

extension HostAccountSuites {
  /// `ntsec runas --restricted`: CreateRestrictedToken before CreateProcessAsUser. Deleted
  /// privileges take their capabilities from the child (a root child then gets EACCES and EPERM
  /// where root would not), disabled groups leave its groups, and it runs with no_new_privs.
  @Suite(.serialized) struct RestrictedProcessTests {
    @Test("A root child whose token lost SeBackup/SeRestore/SeTakeOwnership is denied open and chown")
    func deletedPrivilegesDenySyscalls() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let owner = try accounts.addUser("r")
      let directory = try makeTemporaryDirectory("ntsec-restricted")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let secret = directory + "/secret"
      let chowned = directory + "/chowned"
      for path in [secret, chowned] {
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        #expect(chown(path, owner.uid, owner.gid) == 0 && chmod(path, 0o600) == 0)
      }
      let probe = """
        cat "$1" >/dev/null 2>"$3/cat.err"; echo "cat=$?"
        chown 65534 "$2" 2>"$3/chown.err"; echo "chown=$?"
        grep -E '^(CapEff|CapBnd|NoNewPrivs):' /proc/self/status
        """
      func runProbe(_ options: [String]) throws -> [String: String] {
        let r = try ntsec(
          ["runas", "--user", "root"] + options + [
            "--", "/bin/sh", "-c", probe, "sh", secret, chowned, directory,
          ])
        #expect(r.status == 0, "\(r.stderr)")
        var result: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
          let parts = line.split(whereSeparator: { $0 == "=" || $0 == ":" }).map {
            $0.trimmingCharacters(in: .whitespaces)
          }
          if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
      }
      let plain = try runProbe([])
      #expect(plain["cat"] == "0" && plain["chown"] == "0", "root unrestricted: \(plain)")
      #expect(plain["NoNewPrivs"] == "0")
      #expect(chown(chowned, owner.uid, owner.gid) == 0)

      let restricted = try runProbe([
        "--restricted", "--delete-privilege", "SeBackupPrivilege", "--delete-privilege", "SeRestorePrivilege",
        "--delete-privilege", "SeTakeOwnershipPrivilege",
      ])
      #expect(restricted["cat"] == "1" && restricted["chown"] == "1", "\(restricted)")
      let catError = try String(contentsOfFile: directory + "/cat.err", encoding: .utf8)
      let chownError = try String(contentsOfFile: directory + "/chown.err", encoding: .utf8)
      #expect(catError.contains("Permission denied"), "\(catError)")  // EACCES: no DAC override
      #expect(chownError.contains("Operation not permitted"), "\(chownError)")  // EPERM: no CAP_CHOWN
      #expect(restricted["NoNewPrivs"] == "1")
      for key in ["CapEff", "CapBnd"] {
        let mask = UInt64(restricted[key] ?? "", radix: 16) ?? .max
        #expect(
          mask & 0xF == 0,
          "\(key) \(restricted[key] ?? "") still has CAP_CHOWN/DAC_OVERRIDE/DAC_READ_SEARCH/FOWNER")
        #expect(mask & (1 << 21) != 0, "\(key): CAP_SYS_ADMIN (SeTcb, not deleted) is kept")
        // Capabilities no privilege names are not kept by a reduced root token: CAP_KILL (5),
        // CAP_SETGID (6), CAP_NET_RAW (13), CAP_MKNOD (27).
        #expect(
          mask & (1 << 5 | 1 << 6 | 1 << 13 | 1 << 27) == 0,
          "\(key) \(restricted[key] ?? "") keeps capabilities no privilege grants")
      }
      var status = stat()
      #expect(stat(chowned, &status) == 0 && status.st_uid == owner.uid, "the chown did not happen")
    }

    @Test("A group the restricted token disables is not among the child's groups")
    func disabledGroupLeavesTheChild() throws {
      let accounts = TemporaryAccounts()
      defer { accounts.remove() }
      let group = try accounts.addGroup("g")
      let user = try accounts.addUser("d", groups: [group.name])
      let directory = try makeTemporaryDirectory("ntsec-restricted")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let file = directory + "/group-readable"
      #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
      #expect(chown(file, 0, group.gid) == 0 && chmod(file, 0o640) == 0)
      // The group's SID as the logon token has it (Unix Group S-1-22-2-gid, or Samba's mapping).
      let groupSID = try LocalSecurityAuthority.lookupAccount(name: group.name).sid.description
      let script = "id -G; cat \"$1\" >/dev/null 2>&1; echo \"cat=$?\""
      let open = try ntsec(["runas", "--user", user.name, "--", "/bin/sh", "-c", script, "sh", file])
      #expect(open.status == 0 && open.stdout.contains("cat=0"), "\(open.stdout) \(open.stderr)")
      #expect(
        open.stdout.split(separator: "\n").first?.split(separator: " ").contains("\(group.gid)") == true)
      let denied = try ntsec([
        "runas", "--user", user.name, "--restricted", "--disable", groupSID, "--", "/bin/sh", "-c",
        script, "sh", file,
      ])
      #expect(denied.status == 0 && denied.stdout.contains("cat=1"), "\(denied.stdout) \(denied.stderr)")
      #expect(
        denied.stdout.split(separator: "\n").first?.split(separator: " ").contains("\(group.gid)") == false)
    }
  }
}
