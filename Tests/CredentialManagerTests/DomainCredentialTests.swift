import Foundation
import Testing

@testable import CredentialManager

/// CredGetTargetInfo, CredReadDomainCredentials, CredWriteDomainCredentials and the SSO calls.
@Suite struct DomainCredentialTests {
  let t: TemporaryVault
  init() throws { t = try TemporaryVault() }
  var v: CredentialVault { t.vault }

  let info = CredentialTargetInformation(
    targetName: "fs1", netbiosServerName: "FS1", dnsServerName: "fs1.sales.corp.example.com",
    netbiosDomainName: "CORP", dnsDomainName: "corp.example.com", dnsTreeName: "example.com",
    packageName: "Kerberos", flags: [], credTypes: [.domainPassword, .domainCertificate])

  @Test func targetInformationIsRecordedByAuthentication() throws {
    expectCode(.notFound) { try v.targetInformation(for: "fs1") }
    try v.recordTargetInformation(info)
    #expect(try v.targetInformation(for: "FS1") == info)
    #expect(try v.targetInformation(for: "fs1.sales.corp.example.com").packageName == "Kerberos")
    expectCode(.invalidFlags) { try v.targetInformation(for: "fs1", flags: 2) }
    expectCode(.invalidParameter) { try v.recordTargetInformation(CredentialTargetInformation()) }
  }

  @Test func mostSpecificCredentialOfEachType() throws {
    func put(_ target: String, _ user: String, type: CredentialType = .domainPassword) throws {
      if type == .domainCertificate {
        let cert = try CredentialManager.marshal(.certificate(sha1: [UInt8](repeating: 3, count: 20)))
        try v.write(Credential(type: type, targetName: target, userName: cert, password: "1234"))
      } else {
        try v.write(Credential(type: type, targetName: target, userName: user, password: "p-\(user)"))
      }
    }
    expectCode(.notFound) { try v.readDomainCredentials(for: info) }
    try put("*", "ANY\\u")
    #expect(try v.readDomainCredentials(for: info).map(\.userName) == ["ANY\\u"])
    #expect(try v.readDomainCredentials(for: info)[0].flags.contains(.wildcardMatch))
    try put("CORP\\*", "CORP\\domain")
    #expect(try v.readDomainCredentials(for: info).map(\.userName) == ["CORP\\domain"])
    try put("*.corp.example.com", "CORP\\suffix")
    #expect(try v.readDomainCredentials(for: info).map(\.userName) == ["CORP\\suffix"])
    try put("*.sales.corp.example.com", "CORP\\longer")
    #expect(try v.readDomainCredentials(for: info).map(\.userName) == ["CORP\\longer"])
    try put("FS1", "CORP\\netbios")
    #expect(try v.readDomainCredentials(for: info).map(\.userName) == ["CORP\\netbios"])
    try put("fs1.sales.corp.example.com", "CORP\\dns")
    let both = try v.readDomainCredentials(for: info)
    #expect(both.map(\.userName) == ["CORP\\dns"])
    #expect(!both[0].flags.contains(.wildcardMatch))
    #expect(both[0].credentialBlob.isEmpty)
    #expect(
      try v.readDomainCredentialsForAuthentication(for: info)[0].credentialBlob.password == "p-CORP\\dns")
    // One of each type, in CredTypes order; default order is certificate, then password.
    try put("CORP\\*", "", type: .domainCertificate)
    #expect(try v.readDomainCredentials(for: info).map(\.type) == [.domainPassword, .domainCertificate])
    var noTypes = info
    noTypes.credTypes = []
    #expect(try v.readDomainCredentials(for: noTypes).map(\.type) == [.domainCertificate, .domainPassword])
  }

  @Test func readDomainCredentialsArguments() throws {
    expectCode(.invalidParameter) {
      try v.readDomainCredentials(for: CredentialTargetInformation(targetName: "x"))
    }
    expectCode(.invalidFlags) { try v.readDomainCredentials(for: info, flags: 4) }
    try v.write(Credential(type: .domainPassword, targetName: "*", userName: "A\\u", password: "p"))
    _ = try v.readDomainCredentials(for: info, flags: CredentialCallFlags.cacheTargetInformation)
    #expect(try v.targetInformation(for: "fs1") == info)
  }

  @Test func writeDomainCredentialsChecksTheTarget() throws {
    try v.writeDomainCredentials(
      Credential(type: .domainPassword, targetName: "corp\\*", userName: "CORP\\me", password: "p"), for: info
    )
    #expect(try v.readDomainCredentials(for: info)[0].userName == "CORP\\me")
    expectCode(.invalidParameter) {
      try v.writeDomainCredentials(
        Credential(type: .domainPassword, targetName: "elsewhere", userName: "CORP\\me", password: "p"),
        for: info)
    }
    expectCode(.invalidParameter) {
      try v.writeDomainCredentials(
        Credential(type: .generic, targetName: "fs1", userName: "me", password: "p"), for: info)
    }
    expectCode(.invalidParameter) {
      try v.writeDomainCredentials(
        Credential(type: .domainPassword, targetName: "fs1", userName: "CORP\\me", password: "p"),
        for: CredentialTargetInformation(targetName: "fs1"))
    }
    expectCode(.notFound) {
      try v.writeDomainCredentials(
        Credential(type: .domainPassword, targetName: "fs1", userName: "CORP\\me"), for: info,
        flags: CredentialCallFlags.preserveCredentialBlob)
    }
  }

  @Test func singleSignOnPerRealm() throws {
    expectCode(.notFound) { try v.readSSOUserName(realm: "EXAMPLE.COM") }
    try v.storeSSOCredential(realm: "EXAMPLE.COM", userName: "alice", password: "pw", persist: true)
    #expect(try v.readSSOUserName(realm: "example.com") == "alice@EXAMPLE.COM")
    let stored = try v.readForAuthentication(target: "EXAMPLE.COM\\*", type: .domainPassword)
    #expect(stored.credentialBlob.password == "pw" && stored.persist == .localMachine)
    try v.storeSSOCredential(realm: "OTHER.ORG", userName: "OTHER\\bob", password: "pw2", persist: true)
    #expect(try v.readSSOUserName(realm: "OTHER.ORG") == "OTHER\\bob")
    expectCode(.invalidParameter) {
      try v.storeSSOCredential(realm: "X", userName: "", password: "p", persist: true)
    }
  }

  @Test func defaultRealmComesFromKrb5Conf() throws {
    let conf = t.directory + "/krb5.conf"
    try "[libdefaults]\n  default_realm = TEST.REALM\n[realms]\n".write(
      toFile: conf, atomically: true, encoding: .utf8)
    #expect(try CredentialVault.resolveRealm(nil, environment: ["KRB5_CONFIG": conf]) == "TEST.REALM")
    expectCode(.noSuchDomain) {
      try CredentialVault.resolveRealm(nil, environment: ["KRB5_CONFIG": t.directory + "/missing.conf"])
    }
  }
}

/// Secrets never appear in descriptions, debug output, dumps or errors.
@Suite struct SecretRedactionTests {
  @Test func credentialsAndResultsPrintWithoutSecrets() throws {
    let secret = "hunter2-\(UUID().uuidString)"
    var c = Credential(type: .generic, targetName: "t", userName: "u", password: secret)
    c.attributes = [CredentialAttribute(keyword: "k", value: Array(secret.utf8))]
    var dumped = ""
    dump(c, to: &dumped)
    for text in [
      c.description, c.debugDescription, "\(c)", String(reflecting: c), dumped, "\(c.credentialBlob)",
    ] {
      #expect(!text.contains(secret))
      #expect(!text.contains("hunter2"))
    }
    let utf16 = String(decoding: c.credentialBlob.bytes, as: UTF8.self)
    #expect(!dumped.contains(utf16))
    let r = PromptResult(userName: "u", password: SecretBytes(password: secret), save: true)
    #expect(!"\(r)".contains("hunter2"))
  }

  @Test func errorsDoNotCarryBlobs() throws {
    let t = try TemporaryVault()
    let secret = "hunter3-secret"
    let big = Credential(
      type: .generic, targetName: "t", userName: "u",
      credentialBlob: SecretBytes(Array(String(repeating: secret, count: 300).utf8)))
    let e = expectCode(.invalidParameter) { try t.vault.write(big) }
    #expect(e.map { !"\($0)".contains("hunter3") } == true)
    try t.vault.write(Credential(type: .generic, targetName: "p", userName: "u", password: secret))
    let e2 = expectCode(.invalidFlags) { try t.vault.read(target: "p", type: .generic, flags: 1) }
    #expect(e2.map { !"\($0)".contains("hunter3") } == true)
  }

  @Test func clearOverwritesTheStorage() {
    var s = SecretBytes(password: "abc")
    s.clear()
    #expect(s.isEmpty)
    // Shared storage (a copy made earlier) is the copy's to clear: clear() leaves it intact.
    var shared = SecretBytes([1, 2, 3])
    let copy = shared
    shared.clear()
    #expect(shared.isEmpty && copy.bytes == [1, 2, 3])
  }
}
