import CredentialManager
import Testing

/// CredWrite's rules and limits, each with the error code Windows gives.
@Suite struct CredentialRulesTests {
  let t: TemporaryVault
  init() throws { t = try TemporaryVault() }
  var v: CredentialVault { t.vault }

  func generic(_ target: String = "app", user: String? = "u", blob: [UInt8] = [1]) -> Credential {
    Credential(type: .generic, targetName: target, userName: user, credentialBlob: SecretBytes(blob))
  }

  @Test func windowsLimitValues() {
    #expect(CredentialLimits.maxCredentialBlobSize == 2560)
    #expect(CredentialLimits.maxStringLength == 256)
    #expect(CredentialLimits.maxUserNameLength == 513)
    #expect(CredentialLimits.maxGenericTargetNameLength == 32767)
    #expect(CredentialLimits.maxDomainTargetNameLength == 337)
    #expect(CredentialLimits.maxAttributes == 64)
    #expect(CredentialLimits.maxValueSize == 256)
  }

  @Test func blobLimit() throws {
    try v.write(generic(blob: [UInt8](repeating: 7, count: 2560)))
    #expect(try v.read(target: "app", type: .generic).credentialBlob.count == 2560)
    expectCode(.invalidParameter) { try v.write(generic(blob: [UInt8](repeating: 7, count: 2561))) }
  }

  @Test func stringLimits() throws {
    var c = generic()
    c.comment = String(repeating: "c", count: 256)
    c.targetAlias = String(repeating: "a", count: 256)
    try v.write(c)
    c.comment = String(repeating: "c", count: 257)
    expectCode(.invalidParameter) { try v.write(c) }
    c.comment = nil
    c.targetAlias = String(repeating: "a", count: 257)
    expectCode(.invalidParameter) { try v.write(c) }
  }

  @Test func targetLimits() throws {
    try v.write(generic(String(repeating: "g", count: 32767)))
    expectCode(.invalidParameter) { try v.write(generic(String(repeating: "g", count: 32768))) }
    expectCode(.invalidParameter) { try v.write(generic("")) }
    let domain = String(repeating: "d", count: 337)
    try v.write(Credential(type: .domainPassword, targetName: domain, userName: "D\\u", password: "p"))
    expectCode(.invalidParameter) {
      try v.write(
        Credential(type: .domainPassword, targetName: domain + "d", userName: "D\\u", password: "p"))
    }
  }

  @Test func userNameLimitAndForms() throws {
    try v.write(generic(user: String(repeating: "u", count: 513)))
    expectCode(.badUsername) { try v.write(generic(user: String(repeating: "u", count: 514))) }
    // Domain passwords need DOMAIN\user, a UPN or a marshaled certificate.
    expectCode(.badUsername) {
      try v.write(Credential(type: .domainPassword, targetName: "server", userName: "alice", password: "p"))
    }
    expectCode(.badUsername) {
      try v.write(Credential(type: .domainPassword, targetName: "server", userName: nil, password: "p"))
    }
    try v.write(
      Credential(type: .domainPassword, targetName: "server", userName: "alice@corp.com", password: "p"))
    // Certificate credentials need a marshaled certificate as user name.
    expectCode(.badUsername) {
      try v.write(
        Credential(type: .domainCertificate, targetName: "server", userName: "CORP\\a", password: "1234"))
    }
    let cert = try CredentialManager.marshal(.certificate(sha1: [UInt8](repeating: 9, count: 20)))
    try v.write(Credential(type: .domainCertificate, targetName: "server", userName: cert, password: "1234"))
  }

  @Test func attributes() throws {
    var c = generic()
    c.attributes = (0..<64).map {
      CredentialAttribute(keyword: "k\($0)", value: [UInt8](repeating: 1, count: 256))
    }
    try v.write(c)
    #expect(try v.read(target: "app", type: .generic).attributes == c.attributes)
    c.attributes.append(CredentialAttribute(keyword: "k64", value: []))
    expectCode(.invalidParameter) { try v.write(c) }
    c.attributes = [CredentialAttribute(keyword: "k", value: [UInt8](repeating: 1, count: 257))]
    expectCode(.invalidParameter) { try v.write(c) }
    c.attributes = [CredentialAttribute(keyword: String(repeating: "k", count: 257), value: [])]
    expectCode(.invalidParameter) { try v.write(c) }
  }

  @Test func typesFlagsAndPersistence() throws {
    expectCode(.invalidParameter) {
      try v.write(
        Credential(type: CredentialType(rawValue: 0), targetName: "x", userName: "u", password: "p"))
    }
    expectCode(.invalidParameter) {
      try v.write(Credential(type: .maximum, targetName: "x", userName: "u", password: "p"))
    }
    expectCode(.invalidFlags) { try v.write(generic(), flags: 2) }
    var c = generic()
    c.flags = CredentialFlags(rawValue: 0x20)
    expectCode(.invalidFlags) { try v.write(c) }
    c.flags = []
    c.persist = .none
    expectCode(.invalidParameter) { try v.write(c) }
    c.persist = CredentialPersist(rawValue: 4)
    expectCode(.invalidParameter) { try v.write(c) }
    expectCode(.invalidFlags) { try v.read(target: "app", type: .generic, flags: 1) }
    expectCode(.invalidParameter) { try v.read(target: "app", type: CredentialType(rawValue: 9)) }
    expectCode(.invalidFlags) { try v.delete(target: "app", type: .generic, flags: 1) }
  }

  @Test func usernameTargetRules() throws {
    var c = Credential(
      type: .domainPassword, targetName: "CORP\\alice", userName: "CORP\\alice", password: "p")
    c.flags = .usernameTarget
    try v.write(c)
    c.targetName = "server"
    expectCode(.invalidParameter) { try v.write(c) }
    var g = generic()
    g.flags = .usernameTarget
    g.userName = "app"
    expectCode(.invalidParameter) { try v.write(g) }
    expectCode(.invalidParameter) { try v.rename(target: "corp\\ALICE", to: "other", type: .domainPassword) }
  }

  @Test func domainTargetSyntax() throws {
    for good in ["server", "server.corp.com", "*.corp.com", "CORP\\*", "*", "*Session"] {
      try v.write(Credential(type: .domainPassword, targetName: good, userName: "CORP\\u", password: "p"))
    }
    for bad in ["ser*ver", "*corp.com", "CORP\\x*", "*.", "a\\b\\*", "**"] {
      expectCode(.invalidParameter) {
        try v.write(Credential(type: .domainPassword, targetName: bad, userName: "CORP\\u", password: "p"))
      }
    }
    // Generic targets may contain anything.
    try v.write(generic("ser*ver"))
  }
}
