import Foundation
import Testing

/// Two real Unix users, created here with useradd: neither can read the other's credentials.
/// Needs root (CI runs as root) or password-less sudo; otherwise it fails, loudly.
extension SessionKeyringSuites {
  @Suite(.serialized) struct IsolationTests {
    struct User {
      let name: String
      let uid: UInt32
      let gid: UInt32
      let home: String
    }

    /// Runs a command as root (directly, or through sudo -n).
    static func asRoot(_ args: [String]) throws -> NTSecBinary.Result {
      if geteuid() == 0 {
        return try NTSecBinary.run(
          which(args[0]) ?? args[0], Array(args.dropFirst()), environment: ProcessInfo.processInfo.environment
        )
      }
      guard let sudo = which("sudo") else {
        throw CredentialTestError("not root and no sudo: the isolation test cannot create users")
      }
      return try NTSecBinary.run(sudo, ["-n"] + args, environment: ProcessInfo.processInfo.environment)
    }

    static func createUser(_ name: String, home: String) throws -> User {
      let r = try asRoot([
        "useradd", "--create-home", "--home-dir", home, "--shell", "/bin/sh", "--user-group", name,
      ])
      guard r.status == 0 else { throw CredentialTestError("useradd \(name) failed: \(r.error)") }
      guard let pw = getpwnam(name) else { throw CredentialTestError("useradd made no \(name)") }
      return User(name: name, uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid, home: home)
    }

    /// Runs `program args` as `user` (setpriv: real and effective ids, the user's groups).
    static func run(
      as user: User, _ program: String, _ args: [String], env extra: [String: String] = [:],
      stdin: String? = nil
    )
      throws -> NTSecBinary.Result
    {
      var env = ["PATH": "/usr/bin:/bin", "HOME": user.home, "LANG": "C.UTF-8"]
      for (k, v) in extra { env[k] = v }
      let prefix = ["setpriv", "--reuid=\(user.uid)", "--regid=\(user.gid)", "--init-groups", "--"]
      if geteuid() == 0 {
        return try NTSecBinary.run(
          which("setpriv")!, Array(prefix.dropFirst()) + [program] + args, environment: env, stdin: stdin)
      }
      return try NTSecBinary.run(
        which("sudo")!, ["-n", "--preserve-env"] + prefix + [program] + args, environment: env, stdin: stdin)
    }

    @Test func oneUserCannotReadAnothersCredentials() throws {
      guard let built = NTSecBinary.path else {
        Issue.record("ntsec executable not found next to the test bundle: build it first")
        return
      }
      guard geteuid() == 0 || which("sudo") != nil else {
        Issue.record(
          "the isolation test needs root (as in CI) or sudo to create two users with useradd; it did not run")
        return
      }
      // A world-readable copy of the binary: the build directory may sit under a private home.
      let base = "/tmp/ntsec-iso-\(UUID().uuidString.prefix(8).lowercased())"
      try FileManager.default.createDirectory(atPath: base + "/bin", withIntermediateDirectories: true)
      chmod(base, 0o755)
      chmod(base + "/bin", 0o755)
      let ntsec = base + "/bin/ntsec"
      try FileManager.default.copyItem(atPath: built, toPath: ntsec)
      chmod(ntsec, 0o755)
      let suffix = String(UUID().uuidString.prefix(6).lowercased())
      let a = try Self.createUser("ntseca\(suffix)", home: base + "/a")
      defer { _ = try? Self.asRoot(["userdel", "--remove", a.name]) }
      let b = try Self.createUser("ntsecb\(suffix)", home: base + "/b")
      defer {
        _ = try? Self.asRoot(["userdel", "--remove", b.name])
        try? FileManager.default.removeItem(atPath: base)
      }

      // A stores a secret and reads it back.
      var r = try Self.run(
        as: a, ntsec, ["cred", "add", "payroll", "--user", "alice", "--password-stdin"], stdin: "a-secret\n")
      #expect(r.status == 0, "\(r.error)")
      r = try Self.run(as: a, ntsec, ["cred", "show", "payroll", "--reveal"])
      #expect(r.output.contains("Password: a-secret"), "\(r.error)")
      let dataDir = a.home + "/.local/share/ntsec"
      let keyFile = a.home + "/.config/ntsec/vault.key"
      var st = stat()
      #expect(
        stat(dataDir + "/credentials.sqlite", &st) == 0 && st.st_uid == a.uid && st.st_mode & 0o777 == 0o600)
      #expect(stat(keyFile, &st) == 0 && st.st_uid == a.uid && st.st_mode & 0o777 == 0o600)
      #expect(stat(dataDir, &st) == 0 && st.st_mode & 0o777 == 0o700)

      // B's own vault does not have it.
      r = try Self.run(as: b, ntsec, ["cred", "list"])
      #expect(r.status == 0 && r.output.contains("* NONE *"), "\(r.error)")
      r = try Self.run(as: b, ntsec, ["cred", "show", "payroll"])
      #expect(r.status == 1 && r.error.contains("ERROR_NOT_FOUND"))
      // B pointed at A's vault is refused.
      r = try Self.run(
        as: b, ntsec, ["cred", "show", "payroll", "--reveal"],
        env: ["XDG_DATA_HOME": a.home + "/.local/share", "XDG_CONFIG_HOME": a.home + "/.config"])
      #expect(r.status == 1 && r.error.contains("ERROR_ACCESS_DENIED"), "\(r.output) \(r.error)")
      #expect(!r.output.contains("a-secret") && !r.error.contains("a-secret"))
      // And cannot read A's files directly.
      for path in [keyFile, dataDir + "/credentials.sqlite"] {
        r = try Self.run(as: b, "/bin/cat", [path])
        #expect(r.status != 0 && r.output.isEmpty, "\(path) was readable by another user")
      }
    }
  }

  struct CredentialTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
  }
}
