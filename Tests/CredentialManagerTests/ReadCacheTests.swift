import Foundation
import Testing

@testable import CredentialManager

/// CredRead's cache of sealed rows never serves a stale or removed credential: every change
/// committed by another process, another vault object or this one is seen by the next read.
@Suite struct ReadCacheTests {
  @Test func writeDeleteAndRenameByAnotherProcessAreSeenByTheNextRead() throws {
    guard let exe = NTSecBinary.path else {
      Issue.record("ntsec executable not found next to the test bundle: build it first")
      return
    }
    let home = try makeTemporaryDirectory(prefix: "ntsec-cred-cache")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = NTSecBinary.environment(home: home)
    func ntsec(_ args: [String], stdin: String? = nil) throws {
      let r = try NTSecBinary.run(exe, ["cred"] + args, environment: env, stdin: stdin)
      #expect(r.status == 0, "ntsec cred \(args): \(r.error)")
    }
    try ntsec(["add", "Shared", "--user", "alice", "--password-stdin"], stdin: "one\n")
    let v = try CredentialVault(location: try VaultLocation.user(environment: env), protection: .keyFile)
    // Warm the cache, then change the row from another process between reads.
    for _ in 0..<3 { #expect(try v.read(target: "shared", type: .generic).credentialBlob.password == "one") }
    try ntsec(["add", "Shared", "--user", "bob", "--password-stdin"], stdin: "two\n")
    var r = try v.read(target: "shared", type: .generic)
    #expect(r.credentialBlob.password == "two" && r.userName == "bob")
    try ntsec(["rename", "Shared", "Moved"])
    expectCode(.notFound) { try v.read(target: "shared", type: .generic) }
    r = try v.read(target: "moved", type: .generic)
    #expect(r.targetName == "Moved" && r.credentialBlob.password == "two")
    try ntsec(["delete", "Moved"])
    expectCode(.notFound) { try v.read(target: "moved", type: .generic) }
    // A credential created by another process after a miss is found.
    try ntsec(["add", "Shared", "--user", "carol", "--password-stdin"], stdin: "three\n")
    #expect(try v.read(target: "SHARED", type: .generic).credentialBlob.password == "three")
  }

  @Test func changesThroughAnotherVaultObjectAreSeen() throws {
    let t = try TemporaryVault()
    let other = try CredentialVault(location: t.location, protection: .keyFile)
    try t.vault.write(Credential(type: .generic, targetName: "a", userName: "u", password: "1"))
    #expect(try other.read(target: "A", type: .generic).credentialBlob.password == "1")
    try t.vault.write(Credential(type: .generic, targetName: "A", userName: "u2", password: "2"))
    #expect(try other.read(target: "a", type: .generic).credentialBlob.password == "2")
    try t.vault.write(Credential(type: .generic, targetName: "a", userName: "u"), flags: 0)
    #expect(try other.read(target: "a", type: .generic).credentialBlob.isEmpty)
    try t.vault.rename(target: "a", to: "b", type: .generic)
    expectCode(.notFound) { try other.read(target: "a", type: .generic) }
    #expect(try other.read(target: "b", type: .generic).userName == "u")
    try t.vault.delete(target: "b", type: .generic)
    expectCode(.notFound) { try other.read(target: "b", type: .generic) }
  }

  @Test func deleteRenameAndRewriteInvalidateThisVaultsCache() throws {
    let t = try TemporaryVault()
    let v = t.vault
    try v.write(Credential(type: .generic, targetName: "x", userName: "u", password: "old"))
    try v.write(Credential(type: .generic, targetName: "keep", userName: "k", password: "k"))
    #expect(try v.read(target: "x", type: .generic).credentialBlob.password == "old")
    #expect(try v.read(target: "keep", type: .generic).credentialBlob.password == "k")
    try v.write(Credential(type: .generic, targetName: "X", userName: "u", password: "new"))
    #expect(try v.read(target: "x", type: .generic).credentialBlob.password == "new")
    try v.rename(target: "x", to: "y", type: .generic)
    expectCode(.notFound) { try v.read(target: "x", type: .generic) }
    #expect(try v.read(target: "y", type: .generic).credentialBlob.password == "new")
    try v.delete(target: "y", type: .generic)
    expectCode(.notFound) { try v.read(target: "y", type: .generic) }
    #expect(try v.read(target: "keep", type: .generic).credentialBlob.password == "k")
    try v.delete(target: "keep", type: .generic)
    expectCode(.notFound) { try v.delete(target: "keep", type: .generic) }
  }

  @Test func tamperingAfterACachedReadIsDetected() throws {
    let t = try TemporaryVault()
    try t.vault.write(Credential(type: .generic, targetName: "one", userName: "u", password: "1"))
    try t.vault.write(Credential(type: .generic, targetName: "two", userName: "u", password: "2"))
    #expect(try t.vault.read(target: "one", type: .generic).credentialBlob.password == "1")
    try t.vault.database.transaction("tamper") { db in
      try db.execute(
        sql:
          "UPDATE credential SET sealed = (SELECT sealed FROM credential WHERE target_key = 'TWO') WHERE target_key = 'ONE'"
      )
    }
    expectCode(.decryptionFailed) { try t.vault.read(target: "one", type: .generic) }
  }
}
