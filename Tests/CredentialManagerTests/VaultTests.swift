import Foundation
import Testing

@testable import CredentialManager

/// CredRead, CredWrite, CredDelete, CredRename and CredEnumerate on a real vault.
extension SessionKeyringSuites {
  @Suite struct VaultTests {
    let t: TemporaryVault
    init() throws { t = try TemporaryVault() }
    var v: CredentialVault { t.vault }

    @Test func writeReadDeleteRoundTrip() throws {
      var c = Credential(type: .generic, targetName: "MyApp/Service", userName: "alice", password: "s3cret")
      c.comment = "a comment"
      c.targetAlias = "alias"
      c.attributes = [CredentialAttribute(keyword: "k", value: [1, 2, 3])]
      let before = Date()
      try v.write(c)
      let r = try v.read(target: "myapp/service", type: .generic)
      #expect(r.targetName == "MyApp/Service")
      #expect(r.userName == "alice")
      #expect(r.credentialBlob.password == "s3cret")
      #expect(r.credentialBlob.bytes == [0x73, 0, 0x33, 0, 0x63, 0, 0x72, 0, 0x65, 0, 0x74, 0])
      #expect(r.comment == "a comment" && r.targetAlias == "alias" && r.attributes == c.attributes)
      #expect(r.persist == .localMachine)
      #expect(r.lastWritten >= before.addingTimeInterval(-1) && r.lastWritten <= Date().addingTimeInterval(1))
      // Same name, other type: a different credential.
      expectCode(.notFound) { try v.read(target: "MyApp/Service", type: .domainVisiblePassword) }
      try v.delete(target: "MYAPP/SERVICE", type: .generic)
      expectCode(.notFound) { try v.read(target: "MyApp/Service", type: .generic) }
      expectCode(.notFound) { try v.delete(target: "MyApp/Service", type: .generic) }
    }

    @Test func caseInsensitiveIdentityReplacesInPlace() throws {
      try v.write(Credential(type: .generic, targetName: "Server", userName: "a", password: "1"))
      try v.write(Credential(type: .generic, targetName: "SERVER", userName: "b", password: "2"))
      let all = try v.enumerate()
      #expect(all.count == 1)
      #expect(all[0].targetName == "SERVER" && all[0].userName == "b")
      try v.write(Credential(type: .generic, targetName: "straße", userName: "c", password: "3"))
      #expect(try v.read(target: "STRAßE", type: .generic).userName == "c")
    }

    @Test func preserveCredentialBlob() throws {
      expectCode(.notFound) {
        try v.write(
          Credential(type: .generic, targetName: "p", userName: "u"),
          flags: CredentialCallFlags.preserveCredentialBlob)
      }
      try v.write(Credential(type: .generic, targetName: "p", userName: "u", password: "keep me"))
      try v.write(
        Credential(type: .generic, targetName: "P", userName: "u2", credentialBlob: [], comment: "new"),
        flags: CredentialCallFlags.preserveCredentialBlob)
      let r = try v.read(target: "p", type: .generic)
      #expect(r.credentialBlob.password == "keep me")
      #expect(r.userName == "u2" && r.comment == "new")
    }

    @Test func domainPasswordBlobIsNotReturnedToApplications() throws {
      try v.write(Credential(type: .domainPassword, targetName: "fs1", userName: "CORP\\a", password: "pw"))
      let r = try v.read(target: "fs1", type: .domainPassword)
      #expect(r.credentialBlob.isEmpty)
      #expect(r.userName == "CORP\\a")
      #expect(
        try v.readForAuthentication(target: "fs1", type: .domainPassword).credentialBlob.password == "pw")
      try v.write(
        Credential(type: .domainVisiblePassword, targetName: "fs1", userName: "CORP\\a", password: "vis"))
      #expect(try v.read(target: "fs1", type: .domainVisiblePassword).credentialBlob.password == "vis")
    }

    @Test func renameRules() throws {
      try v.write(Credential(type: .generic, targetName: "old", userName: "u", password: "pw"))
      try v.write(Credential(type: .generic, targetName: "taken", userName: "u", password: "x"))
      expectCode(.alreadyExists) { try v.rename(target: "old", to: "TAKEN", type: .generic) }
      expectCode(.notFound) { try v.rename(target: "missing", to: "x", type: .generic) }
      expectCode(.invalidFlags) { try v.rename(target: "old", to: "x", type: .generic, flags: 1) }
      try v.rename(target: "OLD", to: "new", type: .generic)
      expectCode(.notFound) { try v.read(target: "old", type: .generic) }
      // The blob was re-sealed under the new name and still opens.
      #expect(try v.read(target: "new", type: .generic).credentialBlob.password == "pw")
      try v.rename(target: "new", to: "NEW", type: .generic)
      #expect(try v.read(target: "new", type: .generic).targetName == "NEW")
    }

    @Test func enumerateFilters() throws {
      for name in ["git:https://a", "git:https://b", "GIT:ssh://c", "other", "gitx"] {
        try v.write(Credential(type: .generic, targetName: name, userName: "u", password: "p"))
      }
      try v.write(
        Credential(type: .domainPassword, targetName: "git.corp", userName: "CORP\\u", password: "p"))
      #expect(
        try v.enumerate(filter: "git:*").map(\.targetName) == [
          "git:https://a", "git:https://b", "GIT:ssh://c",
        ])
      #expect(try v.enumerate(filter: "GIT*").count == 5)
      #expect(try v.enumerate(filter: "other").map(\.targetName) == ["other"])
      #expect(try v.enumerate().count == 6)
      #expect(try v.enumerate(filter: "*").count == 6)
      expectCode(.notFound) { try v.enumerate(filter: "nothing*") }
      expectCode(.notFound) { try v.enumerate(filter: "othe") }
      let all = try v.enumerate(flags: CredentialCallFlags.enumerateAllCredentials)
      #expect(all.contains { $0.targetName == "LegacyGeneric:target=other" })
      #expect(all.contains { $0.targetName == "Domain:target=git.corp" })
      expectCode(.invalidFlags) {
        try v.enumerate(filter: "x*", flags: CredentialCallFlags.enumerateAllCredentials)
      }
      expectCode(.invalidFlags) { try v.enumerate(flags: 2) }
      // Domain password blobs stay hidden in enumeration too.
      #expect(try v.enumerate(filter: "git.corp").first?.credentialBlob.isEmpty == true)
    }

    @Test func emptyVaultEnumeratesNotFound() {
      expectCode(.notFound) { try v.enumerate() }
    }

    @Test func filesArePrivateAndSeparate() throws {
      try v.write(Credential(type: .generic, targetName: "x", userName: "u", password: "p"))
      func mode(_ path: String) -> Int {
        var st = stat()
        stat(path, &st)
        return Int(st.st_mode & 0o777)
      }
      #expect(mode(t.location.dataDirectory) == 0o700)
      #expect(mode(t.location.configDirectory) == 0o700)
      #expect(mode(t.location.databasePath) == 0o600)
      #expect(mode(t.location.keyFilePath) == 0o600)
      #expect(mode(t.location.databasePath + "-wal") == 0o600)
      #expect(!t.location.keyFilePath.hasPrefix(t.location.dataDirectory))
    }

    @Test func blobsAreEncryptedAtRest() throws {
      let marker = "MARKER-\(UUID().uuidString)"
      try v.write(
        Credential(
          type: .generic, targetName: "enc", userName: "u", credentialBlob: SecretBytes(Array(marker.utf8))))
      let sqlite = try Data(contentsOf: URL(fileURLWithPath: t.location.databasePath))
      let wal = (try? Data(contentsOf: URL(fileURLWithPath: t.location.databasePath + "-wal"))) ?? Data()
      #expect(sqlite.range(of: Data(marker.utf8)) == nil)
      #expect(wal.range(of: Data(marker.utf8)) == nil)
      #expect(sqlite.range(of: Data("enc".utf8)) != nil || wal.range(of: Data("enc".utf8)) != nil)
    }

    @Test func sealedBlobMovedToAnotherRowDoesNotOpen() throws {
      try v.write(Credential(type: .generic, targetName: "a", userName: "u", password: "pa"))
      try v.write(Credential(type: .generic, targetName: "b", userName: "u", password: "pb"))
      try v.database.transaction("tamper") { db in
        try db.execute(
          sql:
            "UPDATE credential SET sealed = (SELECT sealed FROM credential WHERE target_key = 'A') WHERE target_key = 'B'"
        )
      }
      expectCode(.decryptionFailed) { try v.read(target: "b", type: .generic) }
      #expect(try v.read(target: "a", type: .generic).credentialBlob.password == "pa")
    }

    @Test func anotherKeyDoesNotOpenTheVault() throws {
      try v.write(Credential(type: .generic, targetName: "a", userName: "u", password: "pa"))
      let other = try TemporaryVault()
      // The other vault's key file in place of ours.
      try FileManager.default.removeItem(atPath: t.location.keyFilePath)
      try FileManager.default.copyItem(atPath: other.location.keyFilePath, toPath: t.location.keyFilePath)
      expectCode(.decryptionFailed) { try CredentialVault(location: t.location) }
      try FileManager.default.removeItem(atPath: t.location.keyFilePath)
      expectCode(.decryptionFailed) { try CredentialVault(location: t.location) }
    }

    @Test func reopenedVaultKeepsCredentials() throws {
      try v.write(Credential(type: .generic, targetName: "keep", userName: "u", password: "pk"))
      let again = try CredentialVault(location: t.location)
      #expect(again.vaultID == v.vaultID)
      #expect(try again.read(target: "keep", type: .generic).credentialBlob.password == "pk")
    }

    @Test func looseModesAreTightened() throws {
      chmod(t.location.keyFilePath, 0o644)
      chmod(t.location.dataDirectory, 0o755)
      _ = try CredentialVault(location: t.location)
      var st = stat()
      stat(t.location.keyFilePath, &st)
      #expect(st.st_mode & 0o777 == 0o600)
      stat(t.location.dataDirectory, &st)
      #expect(st.st_mode & 0o777 == 0o700)
    }

    @Test func importStoresManyInOneTransaction() throws {
      let many = (0..<500).map {
        Credential(type: .generic, targetName: "bulk/\($0)", userName: "u", password: "p\($0)")
      }
      try v.importCredentials(many)
      #expect(try v.enumerate(filter: "bulk/*").count == 500)
      #expect(try v.read(target: "bulk/499", type: .generic).credentialBlob.password == "p499")
    }
  }
}
