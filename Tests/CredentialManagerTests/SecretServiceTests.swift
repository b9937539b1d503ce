import Foundation
import Testing

/// The Secret Service backend, against a real gnome-keyring-daemon on a private D-Bus session
/// bus (dbus-run-session).
@Suite struct SecretServiceTests {
  @Test func masterKeyLivesInTheSecretService() throws {
    guard let ntsec = NTSecBinary.path, let dbus = which("dbus-run-session"),
      which("gnome-keyring-daemon") != nil
    else {
      Issue.record(
        "ntsec, dbus-run-session or gnome-keyring-daemon missing: run scripts/install-deps and build first")
      return
    }
    let home = try makeTemporaryDirectory(prefix: "ntsec-cred-ss")
    defer { try? FileManager.default.removeItem(atPath: home) }
    try FileManager.default.createDirectory(atPath: home + "/run", withIntermediateDirectories: true)
    chmod(home + "/run", 0o700)
    let env = { () -> [String: String] in
      var e = NTSecBinary.environment(home: home)
      e.removeValue(forKey: "DISPLAY")
      return e
    }()
    /// Runs `commands` inside a private D-Bus session with an unlocked gnome-keyring, output to
    /// files (a daemon left behind must not hold the test's pipes), and stops the daemon.
    func inSession(_ commands: String) throws -> (status: Int32, output: String, error: String) {
      let script = """
        export XDG_RUNTIME_DIR="\(home)/run"
        printf '%s' keyring-pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
        daemon=$!
        for i in $(seq 1 100); do
          dbus-send --session --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \\
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
          sleep 0.05
        done
        \(commands)
        status=$?
        kill $daemon
        wait $daemon
        exit $status
        """
      let out = home + "/session.out", err = home + "/session.err"
      let r = try NTSecBinary.run(
        "/bin/sh", ["-c", "\"$0\" -- /bin/sh -c \"$1\" >\"$2\" 2>\"$3\" </dev/null", dbus, script, out, err],
        environment: env)
      return (
        r.status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
        (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
      )
    }
    let first = try inSession(
      "printf 'ss-secret\\n' | \"\(ntsec)\" cred add ss-target --user u --password-stdin && \"\(ntsec)\" cred show ss-target --reveal"
    )
    #expect(first.status == 0, "\(first.error)")
    #expect(first.output.contains("Password: ss-secret"), "\(first.output) \(first.error)")
    let keyFile = try String(contentsOfFile: home + "/config/ntsec/vault.key", encoding: .utf8)
    #expect(keyFile.contains("protection secret-service"))
    #expect(!keyFile.contains("\nkey "), "the master key must not be in the key file")
    // The keyring database holds the key; without a D-Bus session the vault cannot be opened.
    let keyrings = (try? FileManager.default.contentsOfDirectory(atPath: home + "/data/keyrings")) ?? []
    #expect(!keyrings.isEmpty)
    let without = try NTSecBinary.run(ntsec, ["cred", "show", "ss-target"], environment: env)
    #expect(without.status == 1)
    #expect(
      without.error.contains("ERROR_NO_SUCH_LOGON_SESSION")
        || without.error.contains("ERROR_DECRYPTION_FAILED"),
      "\(without.error)")
    // A new session with the same unlocked keyring opens it again.
    let again = try inSession("\"\(ntsec)\" cred show ss-target --reveal")
    #expect(again.output.contains("Password: ss-secret"), "\(again.error)")
  }

  @Test func busWithoutSecretServiceFallsBackToAKeyFile() throws {
    guard let ntsec = NTSecBinary.path else {
      Issue.record("ntsec executable not found next to the test bundle: build it first")
      return
    }
    let home = try makeTemporaryDirectory(prefix: "ntsec-cred-nobus")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = NTSecBinary.environment(
      home: home, extra: ["DBUS_SESSION_BUS_ADDRESS": "unix:path=\(home)/no-bus"])
    let r = try NTSecBinary.run(
      ntsec, ["cred", "add", "t", "--user", "u", "--password-stdin"], environment: env, stdin: "p")
    #expect(r.status == 0, "\(r.error)")
    let keyFile = try String(contentsOfFile: home + "/config/ntsec/vault.key", encoding: .utf8)
    #expect(keyFile.contains("protection machine-bound") && !keyFile.contains("\nkey "))
  }
}
