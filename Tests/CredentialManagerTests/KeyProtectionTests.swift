import Foundation
import Testing

@testable import CredentialManager

/// The master key is bound to the machine and user by default, can be wrapped with
/// a passphrase and unwrapped again, old plain key files are bound when opened, and the vault
/// refuses another user's home directory.
extension SessionKeyringSuites {
  @Suite(.serialized) struct KeyProtectionTests {
    func keyText(_ location: VaultLocation) throws -> String {
      try String(contentsOfFile: location.keyFilePath, encoding: .utf8)
    }

    @Test func machineBoundKeyOpensOnlyForThisMachineAndUser() throws {
      let directory = try makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let location = VaultLocation.inside(directory)
      let v = try CredentialVault(location: location, protection: .machineBound)
      try v.write(Credential(type: .generic, targetName: "m", userName: "u", password: "bound"))
      let text = try keyText(location)
      #expect(
        text.contains("protection machine-bound") && text.contains("\nshare ") && !text.contains("\nkey "))
      #expect(
        try CredentialVault(location: location).read(target: "m", type: .generic).credentialBlob.password
          == "bound")
      let file = try VaultKeyStore(location: location, protection: .automatic).readFile()
      let here = try VaultKeyStore.unbind(file)
      #expect(here.withUnsafeBytes { Array($0) } == v.database.key.withUnsafeBytes { Array($0) })
      // The same file on another machine, or for another user, opens nothing.
      expectCode(.decryptionFailed) {
        try VaultKeyStore.unbind(file, machine: Array("0123456789abcdef0123456789abcdef".utf8))
      }
      expectCode(.decryptionFailed) { try VaultKeyStore.unbind(file, uid: geteuid() &+ 1) }
      expectCode(.decryptionFailed) { try VaultKeyStore.unbind(file, machine: nil) }
    }

    @Test func plainKeyFilesAreBoundWhenOpenedUnlessChosenPortable() throws {
      let directory = try makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let location = VaultLocation.inside(directory)
      let v = try CredentialVault(location: location, protection: .keyFile)
      try v.write(Credential(type: .generic, targetName: "p", userName: "u", password: "plain"))
      #expect(try keyText(location).contains("portable yes"))
      _ = try CredentialVault(location: location)
      #expect(try keyText(location).contains("protection key-file"))
      // A key file written before machine binding (no "portable" line) is bound on open.
      let legacy = try keyText(location).replacingOccurrences(of: "portable yes\n", with: "")
      try legacy.write(toFile: location.keyFilePath, atomically: false, encoding: .utf8)
      let reopened = try CredentialVault(location: location)
      #expect(try reopened.read(target: "p", type: .generic).credentialBlob.password == "plain")
      let text = try keyText(location)
      #expect(text.contains("protection machine-bound") && !text.contains("\nkey "))
      #expect(try CredentialVault.keyProtection(location: location) == .machineBound)
      var st = stat()
      stat(location.keyFilePath, &st)
      #expect(st.st_mode & 0o777 == 0o600)
    }

    @Test func protectAndUnprotectKeepTheCredentials() throws {
      let directory = try makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let location = VaultLocation.inside(directory)
      let v = try CredentialVault(location: location, protection: .machineBound)
      try v.write(Credential(type: .generic, targetName: "k", userName: "u", password: "kept"))
      try CredentialVault.changeKeyProtection(location: location, to: .passphrase, newPassphrase: "hunter2")
      #expect(try CredentialVault.keyProtection(location: location) == .passphrase)
      #expect(KernelKeyring.remove(description: "ntsec:vault-kek:\(v.vaultID)"))
      expectCode(.wrongPassword) { try CredentialVault(location: location, passphrase: { "wrong" }) }
      let unlocked = try CredentialVault(location: location, passphrase: { "hunter2" })
      #expect(try unlocked.read(target: "k", type: .generic).credentialBlob.password == "kept")
      try CredentialVault.changeKeyProtection(
        location: location, to: .machineBound, passphrase: { "hunter2" })
      #expect(try CredentialVault.keyProtection(location: location) == .machineBound)
      #expect(
        try CredentialVault(location: location).read(target: "k", type: .generic).credentialBlob.password
          == "kept")
      expectCode(.invalidParameter) {
        try CredentialVault.changeKeyProtection(location: location, to: .passphrase, newPassphrase: "")
      }
    }

    @Test func keyCommandsProtectAndUnlock() throws {
      guard let ntsec = NTSecBinary.path, let keyctl = which("keyctl"), let setsid = which("setsid") else {
        Issue.record("ntsec, keyctl or setsid missing: build first, run scripts/install-deps")
        return
      }
      let home = try makeTemporaryDirectory(prefix: "ntsec-cred-key")
      defer { try? FileManager.default.removeItem(atPath: home) }
      let env = NTSecBinary.environment(home: home)
      /// In a new logon session (no cached key) and without a controlling terminal (no prompt).
      func fresh(_ args: [String], extra: [String: String] = [:], stdin: String? = nil) throws
        -> NTSecBinary.Result
      {
        try NTSecBinary.run(
          keyctl, ["session", "-", setsid, "-w", ntsec] + args,
          environment: NTSecBinary.environment(home: home, extra: extra), stdin: stdin)
      }
      var r = try NTSecBinary.run(
        ntsec, ["cred", "add", "svc", "--user", "u", "--password-stdin"], environment: env, stdin: "pw\n")
      #expect(r.status == 0, "\(r.error)")
      r = try fresh(["cred", "key", "show"])
      #expect(r.output == "machine-bound\n", "\(r.error)")
      r = try fresh(["cred", "key", "protect", "--passphrase-stdin"], stdin: "correct horse\n")
      #expect(r.status == 0, "\(r.error)")
      #expect(
        try String(contentsOfFile: home + "/config/ntsec/vault.key", encoding: .utf8).contains(
          "protection passphrase"))
      r = try fresh(["cred", "show", "svc", "--reveal"])
      #expect(r.status == 1 && r.error.contains("ERROR_WRONG_PASSWORD"), "\(r.error)")
      r = try fresh(["cred", "show", "svc", "--reveal"], extra: ["NTSEC_VAULT_PASSPHRASE": "nope"])
      #expect(r.status == 1 && r.error.contains("ERROR_WRONG_PASSWORD"), "\(r.error)")
      r = try fresh(["cred", "show", "svc", "--reveal"], extra: ["NTSEC_VAULT_PASSPHRASE": "correct horse"])
      #expect(r.output.contains("Password: pw\n"), "\(r.error)")
      r = try fresh(["cred", "key", "unprotect"], extra: ["NTSEC_VAULT_PASSPHRASE": "correct horse"])
      #expect(r.status == 0, "\(r.error)")
      r = try fresh(["cred", "show", "svc", "--reveal"])
      #expect(r.output.contains("Password: pw\n"), "\(r.error)")
      r = try fresh(["cred", "key", "unprotect", "--portable"])
      #expect(try fresh(["cred", "key", "show"]).output == "key-file\n")
    }

    /// The whole vault (key file and data) copied to another account opens nothing there.
    @Test func copiedMachineBoundVaultDoesNotOpenForAnotherUser() throws {
      guard geteuid() == 0, let built = NTSecBinary.path, let setpriv = which("setpriv") else {
        Issue.record("needs root (as in CI), setpriv and the built ntsec to run as another user")
        return
      }
      let base = try makeTemporaryDirectory(prefix: "ntsec-cred-copy")
      defer { try? FileManager.default.removeItem(atPath: base) }
      chmod(base, 0o755)
      let ntsec = base + "/ntsec"
      try FileManager.default.copyItem(atPath: built, toPath: ntsec)
      chmod(ntsec, 0o755)
      let mine = base + "/mine"
      try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
      var r = try NTSecBinary.run(
        ntsec, ["cred", "add", "svc", "--user", "u", "--password-stdin"],
        environment: NTSecBinary.environment(home: mine), stdin: "pw")
      #expect(r.status == 0, "\(r.error)")
      let theirs = base + "/theirs"
      try FileManager.default.copyItem(atPath: mine, toPath: theirs)
      r = try NTSecBinary.run(which("chown")!, ["-R", "65534:65534", theirs], environment: [:])
      #expect(r.status == 0, "\(r.error)")
      r = try NTSecBinary.run(
        setpriv,
        ["--reuid=65534", "--regid=65534", "--clear-groups", "--", ntsec, "cred", "show", "svc", "--reveal"],
        environment: [
          "PATH": "/usr/bin:/bin", "HOME": theirs, "XDG_DATA_HOME": theirs + "/data",
          "XDG_CONFIG_HOME": theirs + "/config",
        ])
      #expect(
        r.status == 1 && r.error.contains("ERROR_DECRYPTION_FAILED")
          && r.error.contains("another machine or user"), "\(r.output) \(r.error)")
      #expect(!r.output.contains("pw"))
    }

    /// Root with another user's HOME (sudo without -H): refused, and nothing is created there.
    @Test func anotherUsersHomeIsRefused() throws {
      guard geteuid() == 0, let ntsec = NTSecBinary.path else {
        Issue.record("needs root (as in CI) to make a directory owned by another user, and the built ntsec")
        return
      }
      let home = try makeTemporaryDirectory(prefix: "ntsec-cred-other")
      defer { try? FileManager.default.removeItem(atPath: home) }
      #expect(chown(home, 65534, 65534) == 0)
      var env = ProcessInfo.processInfo.environment
      env["HOME"] = home
      env.removeValue(forKey: "XDG_DATA_HOME")
      env.removeValue(forKey: "XDG_CONFIG_HOME")
      env.removeValue(forKey: "DBUS_SESSION_BUS_ADDRESS")
      for args in [["cred", "list"], ["cred", "add", "x", "--user", "u", "--password-stdin"]] {
        let r = try NTSecBinary.run(ntsec, args, environment: env, stdin: "p")
        #expect(r.status == 1 && r.error.contains("ERROR_ACCESS_DENIED"), "\(args): \(r.error)")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty)
      expectCode(.accessDenied) { try VaultLocation.user(environment: ["HOME": home]) }
      expectCode(.accessDenied) {
        try VaultLocation.user(environment: ["HOME": "/root", "XDG_DATA_HOME": home + "/data"])
      }
      // Inside a directory that belongs to another user, nothing is created either.
      expectCode(.accessDenied) { try CredentialVault(location: .inside(home + "/sub")) }
      #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty)
    }
  }
}
