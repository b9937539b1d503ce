import Foundation
import Testing

@testable import CredentialManager

/// CRED_PERSIST_SESSION in the kernel session keyring, and passphrase-protected vaults whose
/// derived key is cached there. The whole test process first joins a new, empty session keyring,
/// so nothing here touches the keyring of the session running the tests.
extension SessionKeyringSuites {
  @Suite(.serialized) struct SessionAndKeyTests {
    static let joined: Bool = KernelKeyring.joinNewSession()

    init() throws {
      #expect(
        SessionAndKeyTests.joined, "the kernel keyring is not usable here (keyctl): these tests cannot run")
    }

    @Test func sessionCredentialsLiveInTheKeyring() throws {
      let t = try TemporaryVault()
      try t.vault.write(
        Credential(
          type: .generic, targetName: "sess/1", userName: "u", password: "only here", persist: .session))
      let r = try t.vault.read(target: "SESS/1", type: .generic)
      #expect(r.persist == .session && r.credentialBlob.password == "only here")
      // Not in the vault file.
      #expect(try t.vault.database.read(targetKey: "SESS/1", type: .generic) == nil)
      #expect(KernelKeyring.list().contains { $0.1.hasPrefix("ntsec:cred:1:") })
      #expect(try t.vault.enumerate(filter: "sess/*").count == 1)
      // Writing it with local persistence moves it to the vault.
      try t.vault.write(Credential(type: .generic, targetName: "sess/1", userName: "u", password: "local"))
      #expect(SessionCredentials.read(type: .generic, targetKey: "SESS/1") == nil)
      #expect(try t.vault.read(target: "sess/1", type: .generic).persist == .localMachine)
      try t.vault.write(
        Credential(type: .generic, targetName: "sess/2", userName: "u", password: "x", persist: .session))
      try t.vault.rename(target: "sess/2", to: "sess/3", type: .generic)
      #expect(try t.vault.read(target: "sess/3", type: .generic).credentialBlob.password == "x")
      try t.vault.delete(target: "sess/3", type: .generic)
      expectCode(.notFound) { try t.vault.read(target: "sess/3", type: .generic) }
    }

    @Test func sessionCredentialsVanishWithTheSession() throws {
      guard let ntsec = NTSecBinary.path, let keyctl = which("keyctl") else {
        Issue.record("ntsec or keyctl (keyutils) missing: run scripts/install-deps and build first")
        return
      }
      let home = try makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: home) }
      let env = NTSecBinary.environment(home: home)
      let add = try NTSecBinary.run(
        ntsec, ["cred", "add", "s-target", "--user", "u", "--password-stdin", "--persist", "session"],
        environment: env, stdin: "pw\n")
      #expect(add.status == 0, "\(add.error)")
      // Same session (inherited keyring): visible.
      let same = try NTSecBinary.run(ntsec, ["cred", "show", "s-target", "--reveal"], environment: env)
      #expect(same.output.contains("Password: pw"))
      // A new logon session (a new session keyring): gone.
      let other = try NTSecBinary.run(
        keyctl, ["session", "-", ntsec, "cred", "show", "s-target"], environment: env)
      #expect(other.status == 1)
      #expect(other.error.contains("ERROR_NOT_FOUND"))
      // Logged off: the session credential is deleted, so the session keyring is as it was.
      let delete = try NTSecBinary.run(ntsec, ["cred", "delete", "s-target"], environment: env)
      #expect(delete.status == 0, "\(delete.error)")
    }

    @Test func passphraseVaultCachesTheDerivedKeyForTheSession() throws {
      let directory = try makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let location = VaultLocation.inside(directory)
      let v = try CredentialVault(
        location: location, protection: .passphrase, passphrase: { "correct horse" })
      try v.write(Credential(type: .generic, targetName: "pp", userName: "u", password: "secret"))
      let keyText = try String(contentsOfFile: location.keyFilePath, encoding: .utf8)
      #expect(keyText.contains("protection passphrase") && keyText.contains("scrypt 32768 8 1"))
      #expect(!keyText.contains("\nkey "))
      // Cached in the session keyring: no passphrase needed.
      let again = try CredentialVault(location: location, passphrase: { nil })
      #expect(try again.read(target: "pp", type: .generic).credentialBlob.password == "secret")
      // Without the cache, the passphrase is needed and checked.
      #expect(KernelKeyring.remove(description: "ntsec:vault-kek:\(v.vaultID)"))
      expectCode(.wrongPassword) { try CredentialVault(location: location, passphrase: { nil }) }
      expectCode(.wrongPassword) { try CredentialVault(location: location, passphrase: { "wrong" }) }
      let right = try CredentialVault(location: location, passphrase: { "correct horse" })
      #expect(try right.read(target: "pp", type: .generic).credentialBlob.password == "secret")
    }

    @Test func newPassphraseVaultNeedsAPassphrase() throws {
      let directory = try makeTemporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      expectCode(.invalidParameter) {
        try CredentialVault(location: .inside(directory), protection: .passphrase, passphrase: { "" })
      }
    }
  }
}
