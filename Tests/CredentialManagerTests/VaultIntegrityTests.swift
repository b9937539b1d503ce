import Crypto
import Foundation
import GRDB
import Testing

@testable import CredentialManager

/// Every field a call returns is authenticated, a single row rolled back to an older
/// copy is detected, one bad row does not hide the others, and first-format vaults are converted.
extension SessionKeyringSuites {
  @Suite struct VaultIntegrityTests {
    let t: TemporaryVault
    init() throws { t = try TemporaryVault() }
    var v: CredentialVault { t.vault }

    func sql(_ statement: String, _ arguments: StatementArguments = []) throws {
      try v.database.transaction("tamper") { db in try db.execute(sql: statement, arguments: arguments) }
    }

    func row(_ key: String) throws -> Row? {
      try v.database.pool.read { db in
        try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE target_key = ?", arguments: [key])
      }
    }

    @Test func editedColumnsChangeNothingReturned() throws {
      var c = Credential(
        type: .generic, targetName: "Svc", userName: "alice", password: "pw", comment: "mine")
      c.targetAlias = "alias"
      try v.write(c)
      try sql(
        "UPDATE credential SET user_name = 'mallory', comment = 'evil', target_alias = 'x', flags = 1, persist = 3, last_written = 5"
      )
      let r = try v.read(target: "svc", type: .generic)
      #expect(r.userName == "alice" && r.comment == "mine" && r.targetAlias == "alias")
      #expect(r.persist == .localMachine && r.flags == [] && r.lastWrittenFileTime > 5)
      // Nothing but the target name is stored in clear.
      let data = try Data(contentsOf: URL(fileURLWithPath: t.location.databasePath))
      let wal = (try? Data(contentsOf: URL(fileURLWithPath: t.location.databasePath + "-wal"))) ?? Data()
      try sql("UPDATE credential SET user_name = NULL, comment = NULL")
      #expect(data.range(of: Data("alice".utf8)) == nil && wal.range(of: Data("alice".utf8)) == nil)
      // The clear target name is only a label: a changed one does not rename the credential.
      try sql("UPDATE credential SET target = 'Other'")
      #expect(try v.read(target: "svc", type: .generic).targetName == "Svc")
    }

    @Test func aTamperedDomainCredentialIsNotPassedOverForAWildcard() throws {
      // The server's own credential fails its check: CredReadDomainCredentials must fail, not
      // fall back to the less specific `*` credential (which would authenticate someone else).
      let info = CredentialTargetInformation(
        targetName: "fs1", dnsServerName: "fs1.corp.example.com", dnsDomainName: "corp.example.com",
        credTypes: [.domainPassword])
      try v.write(
        Credential(type: .domainPassword, targetName: "*", userName: "ANY\\guest", password: "guest-pw"))
      try v.write(
        Credential(
          type: .domainPassword, targetName: "fs1.corp.example.com", userName: "CORP\\alice",
          password: "old"))
      let old = try #require(try row("FS1.CORP.EXAMPLE.COM"))
      try v.write(
        Credential(
          type: .domainPassword, targetName: "fs1.corp.example.com", userName: "CORP\\alice",
          password: "new"))
      #expect(try v.readDomainCredentialsForAuthentication(for: info)[0].credentialBlob.password == "new")
      try sql(
        "UPDATE credential SET sealed = ? WHERE target_key = 'FS1.CORP.EXAMPLE.COM'", [old["sealed"] as Data])
      expectCode(.decryptionFailed) { try v.readDomainCredentialsForAuthentication(for: info) }
      expectCode(.decryptionFailed) { try v.readDomainCredentials(for: info) }
    }

    @Test func olderSealedValueOfARowIsDetected() throws {
      try v.write(Credential(type: .generic, targetName: "Bank", userName: "alice", password: "old password"))
      let old = try #require(try row("BANK"))
      try v.write(Credential(type: .generic, targetName: "Bank", userName: "alice", password: "new password"))
      // Only the sealed value restored.
      try sql("UPDATE credential SET sealed = ? WHERE target_key = 'BANK'", [old["sealed"] as Data])
      var e = expectCode(.decryptionFailed) { try v.read(target: "bank", type: .generic) }
      #expect(e?.message.contains("\"Bank\"") == true, "\(String(describing: e))")
      // The whole older row restored (sealed value and version together).
      try sql(
        "UPDATE credential SET sealed = ?, version = ? WHERE target_key = 'BANK'",
        [old["sealed"] as Data, old["version"] as Int64])
      e = expectCode(.decryptionFailed) { try v.read(target: "bank", type: .generic) }
      #expect(e?.message.contains("\"Bank\"") == true && e?.message.contains("rolled back") == true)
      // Also through a second vault object and the CredEnumerate path.
      let other = try CredentialVault(location: t.location)
      expectCode(.decryptionFailed) { try other.read(target: "BANK", type: .generic) }
      expectCode(.decryptionFailed) { try other.enumerate() }
    }

    @Test func rollingBackTheRowWithItsBucketIsDetected() throws {
      try v.write(Credential(type: .generic, targetName: "Bank", userName: "alice", password: "old password"))
      let old = try #require(try row("BANK"))
      let index = VaultManifest.bucket(type: 1, targetKey: "BANK")
      let oldBucket = try #require(
        try v.database.pool.read { db in
          try Data.fetchOne(db, sql: "SELECT sealed FROM manifest WHERE bucket = ?", arguments: [index])
        })
      try v.write(Credential(type: .generic, targetName: "Bank", userName: "alice", password: "new password"))
      try sql(
        "UPDATE credential SET sealed = ?, version = ? WHERE target_key = 'BANK'",
        [old["sealed"] as Data, old["version"] as Int64])
      try sql("UPDATE manifest SET sealed = ? WHERE bucket = ?", [oldBucket, index])
      expectCode(.decryptionFailed) { try v.read(target: "bank", type: .generic) }
    }

    @Test func rowRemovedOutsideTheVaultIsReported() throws {
      try v.write(Credential(type: .generic, targetName: "gone", userName: "u", password: "p"))
      try v.write(Credential(type: .generic, targetName: "kept", userName: "u", password: "p"))
      try sql("DELETE FROM credential WHERE target_key = 'GONE'")
      let e = expectCode(.decryptionFailed) { try v.read(target: "gone", type: .generic) }
      #expect(e?.message.contains("removed outside the vault") == true)
      let all = try v.enumerateReportingFailures()
      #expect(all.credentials.map(\.targetName) == ["kept"])
      #expect(all.failures.count == 1 && all.failures[0].message.contains("GONE"))
      // CredDelete of it makes the record agree again.
      try? v.delete(target: "gone", type: .generic)
      expectCode(.notFound) { try v.read(target: "gone", type: .generic) }
    }

    @Test func oneBadRowDoesNotHideTheOthers() throws {
      for name in ["a", "b", "c"] {
        try v.write(Credential(type: .generic, targetName: name, userName: "u", password: name))
      }
      try sql(
        "UPDATE credential SET sealed = (SELECT sealed FROM credential WHERE target_key = 'A') WHERE target_key = 'B'"
      )
      let found = try v.enumerateReportingFailures()
      #expect(found.credentials.map(\.targetName) == ["a", "c"])
      #expect(found.failures.count == 1)
      #expect(found.failures.first?.code.name == "ERROR_DECRYPTION_FAILED")
      #expect(found.failures.first?.message.contains("\"b\"") == true)
      // The pywin32-shaped call returns the good ones.
      #expect(try v.enumerate().map(\.targetName) == ["a", "c"])
      #expect(try v.enumerate(filter: "a").map(\.targetName) == ["a"])
      expectCode(.decryptionFailed) { try v.enumerate(filter: "b") }
    }

    @Test func firstFormatVaultIsConverted() throws {
      // A vault as the first format wrote it: no version record, only the blob and attributes
      // sealed, with "ntsec-cred-1" ‖ type ‖ key as associated data, keys upper-cased by Unicode.
      try sql("DELETE FROM credential")
      try sql("DELETE FROM manifest")
      try sql("DELETE FROM meta WHERE name = 'manifest'")
      func insertFirstFormat(target: String, oldKey: String, user: String, blob: [UInt8], comment: String?)
        throws
      {
        let attributes = [CredentialAttribute(keyword: "k", value: [7])]
        let plain = CredentialCoding.encodeSealedPart(blob: blob, attributes: attributes)
        let aad = Array("ntsec-cred-1".utf8) + [1, 0, 0, 0] + Array(oldKey.utf8)
        let sealed = try AES.GCM.seal(plain, using: v.database.key, authenticating: aad).combined!
        try sql(
          """
          INSERT INTO credential (target_key, type, target, flags, comment, last_written, persist, user_name,
            target_alias, sealed) VALUES (?, 1, ?, 0, ?, 133000000000000000, 2, ?, 'al', ?)
          """, [oldKey, target, comment, user, sealed])
      }
      try insertFirstFormat(
        target: "Old/Server", oldKey: "OLD/SERVER", user: "alice", blob: Array("s3cret".utf8), comment: "c")
      try insertFirstFormat(target: "gıthub", oldKey: "GITHUB", user: "eve", blob: [1, 2], comment: nil)
      try insertFirstFormat(target: "broken", oldKey: "BROKEN", user: "x", blob: [], comment: nil)
      try sql("UPDATE credential SET sealed = X'00' WHERE target_key = 'BROKEN'")
      let reopened = try CredentialVault(location: t.location)
      let c = try reopened.read(target: "old/server", type: .generic)
      #expect(c.userName == "alice" && c.credentialBlob.bytes == Array("s3cret".utf8) && c.comment == "c")
      #expect(
        c.targetAlias == "al" && c.persist == .localMachine
          && c.lastWrittenFileTime == 133_000_000_000_000_000)
      #expect(c.attributes == [CredentialAttribute(keyword: "k", value: [7])])
      // Re-keyed by the new rule: gıthub is no longer github.
      expectCode(.notFound) { try reopened.read(target: "github", type: .generic) }
      #expect(try reopened.read(target: "GıTHUB", type: .generic).userName == "eve")
      // Converted rows carry a version and no clear user name; the broken one is reported.
      let converted = try #require(try row("OLD/SERVER"))
      #expect((converted["version"] as Int64?) != nil && (converted["user_name"] as String?) == nil)
      let all = try reopened.enumerateReportingFailures()
      #expect(Set(all.credentials.map(\.targetName)) == ["Old/Server", "gıthub"])
      #expect(all.failures.count == 1 && all.failures[0].message.contains("\"broken\""))
      // A first-format row put back after the conversion is a rollback, not a credential.
      try insertFirstFormat(target: "late", oldKey: "LATE", user: "x", blob: [1], comment: nil)
      let again = try CredentialVault(location: t.location)
      expectCode(.decryptionFailed) { try again.read(target: "late", type: .generic) }
    }

    @Test func lostVersionRecordFailsClosed() throws {
      try v.write(Credential(type: .generic, targetName: "x", userName: "u", password: "p"))
      try sql("DELETE FROM meta WHERE name = 'manifest'")
      let reopened = try CredentialVault(location: t.location)
      expectCode(.decryptionFailed) { try reopened.read(target: "x", type: .generic) }
      expectCode(.decryptionFailed) {
        try reopened.write(Credential(type: .generic, targetName: "y", userName: "u", password: "p"))
      }
    }

    @Test func listPrintsTheGoodOnesAndReportsTheBadOnes() throws {
      guard let exe = NTSecBinary.path else {
        Issue.record("ntsec executable not found next to the test bundle: build it first")
        return
      }
      let home = try makeTemporaryDirectory(prefix: "ntsec-cred-bad")
      defer { try? FileManager.default.removeItem(atPath: home) }
      let env = NTSecBinary.environment(home: home)
      for name in ["good1", "bad", "good2"] {
        let r = try NTSecBinary.run(
          exe, ["cred", "add", name, "--user", "u-\(name)", "--password-stdin"], environment: env, stdin: "p")
        #expect(r.status == 0, "\(r.error)")
      }
      let vault = try CredentialVault(location: try VaultLocation.user(environment: env))
      try vault.database.transaction("tamper") { db in
        try db.execute(
          sql:
            "UPDATE credential SET sealed = (SELECT sealed FROM credential WHERE target_key = 'GOOD1') WHERE target_key = 'BAD'"
        )
      }
      let r = try NTSecBinary.run(exe, ["cred", "list"], environment: env)
      #expect(r.status == 1)
      #expect(r.output.contains("Target: good1\n") && r.output.contains("Target: good2\n"))
      #expect(!r.output.contains("Target: bad\n"))
      #expect(r.error.contains("error: ERROR_DECRYPTION_FAILED") && r.error.contains("\"bad\""), "\(r.error)")
    }
  }
}
