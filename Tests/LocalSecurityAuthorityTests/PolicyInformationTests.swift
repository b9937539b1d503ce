import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import LocalSecurityAuthority

#if canImport(Glibc)
  import Glibc
#endif

extension HostAccountSuites {
  /// LsaQueryInformationPolicy/LsaSetInformationPolicy, private data, change notifications and
  /// logon sessions.
  @Suite struct PolicyInformationTests {
    @Test("The domain classes come from the host; the audit policy is kept; obsolete classes are refused")
    func information() throws {
      let directory = try makeTemporaryDirectory("ntsec-lsa")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      var configuration = isolatedConfiguration(directory)
      let policy = try LocalSecurityAuthority.Policy(access: .policyAllAccess, configuration: configuration)
      let machine = try LocalSecurityAuthority.machineDomain(configuration: configuration)
      #expect(
        try policy.information(.accountDomain)
          == .accountDomain(.init(name: machine.netbiosName, sid: machine.sid)))
      #expect(try policy.information(.primaryDomain) == .primaryDomain(.init(name: "WORKGROUP", sid: nil)))
      #expect(try policy.information(.lsaServerRole) == .lsaServerRole(.primary))
      guard case .auditEvents(let initial) = try policy.information(.auditEvents) else {
        Issue.record("another class")
        return
      }
      #expect(!initial.auditingMode && initial.options.allSatisfy { $0 == [] } && initial.options.count == 9)
      var options = [LocalSecurityAuthority.AuditOptions](repeating: .unchanged, count: 9)
      options[LocalSecurityAuthority.AuditCategory.logon.rawValue] = [.success, .failure]
      options[LocalSecurityAuthority.AuditCategory.system.rawValue] = .failure
      try policy.setInformation(.auditEvents(.init(auditingMode: true, options: options)))
      options = [LocalSecurityAuthority.AuditOptions](repeating: .unchanged, count: 9)
      options[LocalSecurityAuthority.AuditCategory.system.rawValue] = .none
      try policy.setInformation(.auditEvents(.init(auditingMode: true, options: options)))
      guard case .auditEvents(let audit) = try policy.information(.auditEvents) else { return }
      #expect(audit.auditingMode)
      #expect(audit.options[LocalSecurityAuthority.AuditCategory.logon.rawValue] == [.success, .failure])
      #expect(audit.options[LocalSecurityAuthority.AuditCategory.system.rawValue] == [])
      expectCode(.invalidParameter) {
        try policy.setInformation(
          .auditEvents(.init(auditingMode: true, options: Array(repeating: .success, count: 10))))
      }
      expectCode(.notSupported) { try policy.setInformation(.accountDomain(.init(name: "X", sid: nil))) }
      for obsolete in [
        LocalSecurityAuthority.PolicyInformationClass.pdAccount, .replicaSource, .auditFullSet,
        .auditFullQuery,
      ] {
        expectCode(.invalidParameter) { _ = try policy.information(obsolete) }
      }
      expectCode(.notSupported) { _ = try policy.information(.auditLog) }
      let viewOnly = try LocalSecurityAuthority.Policy(
        access: .policyViewLocalInformation, configuration: configuration)
      expectCode(.accessDenied) { _ = try viewOnly.information(.auditEvents) }

      // A domain member's smb.conf: the workgroup, the realm, the domain SID Samba stored.
      let conf = directory + "/smb.conf"
      try
        "[global]\n  workgroup = example\n  realm = example.test\n  security = ads\n  private dir = \(directory)\n"
        .write(toFile: conf, atomically: true, encoding: .utf8)
      configuration.sambaConfigurationPath = conf
      configuration.usesWinbind = false
      let member = try LocalSecurityAuthority.Policy(
        access: .policyViewLocalInformation, configuration: configuration)
      #expect(
        try member.information(.dnsDomain)
          == .dnsDomain(
            .init(
              name: "EXAMPLE", dnsDomainName: "example.test", dnsForestName: "example.test", domainGUID: nil,
              sid: nil)))
    }

    @Test("Private data is sealed under root's key file, bound to its name; nil deletes")
    func privateData() throws {
      let directory = try makeTemporaryDirectory("ntsec-lsa")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let configuration = isolatedConfiguration(directory)
      let policy = try LocalSecurityAuthority.Policy(access: .policyAllAccess, configuration: configuration)
      expectCode(.fileNotFound) { _ = try policy.privateData(forKey: "L$secret") }
      try policy.storePrivateData("s3cr\u{e9}t value", forKey: "L$secret")
      try policy.storePrivateData("other", forKey: "G$other")
      #expect(try policy.privateData(forKey: "L$secret") == "s3cr\u{e9}t value")
      var info = stat()
      #expect(
        stat(directory + "/lsa/lsa.key", &info) == 0 && info.st_uid == 0 && info.st_mode & 0o777 == 0o600)
      let store = try #require(try PolicyStore.open(configuration.policyStorePath, create: false))
      let raw = try store.read("raw") { db in
        try Data.fetchOne(db, sql: "SELECT sealed FROM private_data WHERE name = 'L$secret'")
      }
      #expect(raw.map { !String(decoding: $0, as: UTF8.self).contains("value") } == true, "stored sealed")
      // A sealed value moved under another name does not open.
      try store.write("move") { db in
        try db.execute(sql: "UPDATE private_data SET sealed = ? WHERE name = 'G$other'", arguments: [raw])
      }
      expectCode(.decryptionFailed) { _ = try policy.privateData(forKey: "G$other") }
      try policy.storePrivateData(nil, forKey: "L$secret")
      expectCode(.fileNotFound) { _ = try policy.privateData(forKey: "L$secret") }
      expectCode(.fileNotFound) { try policy.storePrivateData(nil, forKey: "L$secret") }
      let reader = try LocalSecurityAuthority.Policy(
        access: .policyGetPrivateInformation, configuration: configuration)
      expectCode(.accessDenied) { try reader.storePrivateData("x", forKey: "L$x") }
    }

    @Test(
      "A change of the audit policy made by another process signals a registration (inotify on the store)")
    func notificationAcrossProcesses() throws {
      let directory = try makeTemporaryDirectory("ntsec-lsa")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let configuration = isolatedConfiguration(directory)
      let notification = try LocalSecurityAuthority.PolicyChangeNotification(
        .auditEventsInformation, configuration: configuration)
      let other = try LocalSecurityAuthority.PolicyChangeNotification(
        .dnsDomainInformation, configuration: configuration)
      #expect(try notification.wait(timeout: .milliseconds(200)) == false)
      let started = ContinuousClock.now
      let child = try ntsec(
        ["lsa", "policy", "audit", "--mode", "on", "logon=success"],
        environment: [
          "NTSEC_LSA_STORE": configuration.policyStorePath, "NTSEC_SMB_CONF": "",
          "NTSEC_MACHINE_SID_FILE": directory + "/machine-sid",
        ])
      #expect(child.status == 0, "\(child.stderr)")
      #expect(try notification.wait(timeout: .seconds(10)) == true)
      #expect(ContinuousClock.now - started < .seconds(10))
      #expect(
        try notification.wait(timeout: .milliseconds(200)) == false, "auto-reset: one change, one signal")
      #expect(try other.wait(timeout: .milliseconds(200)) == false, "another class is not signalled")
      notification.close()
      expectCode(.invalidHandle) { _ = try notification.wait(timeout: .zero) }
    }

    @Test(
      "Each LogonUser logon is a listed logon session until its owner ends it or dies; logind's sessions are listed"
    )
    func logonSessions() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("s", password: "Sess1on-pass")
      let configuration = fixture.configuration
      let token = try fixture.logon(user.name, "Sess1on-pass", type: .batch)
      let luid = token.statistics.authenticationID
      #expect(try LocalSecurityAuthority.logonSessions(configuration: configuration).contains(luid))
      let data = try LocalSecurityAuthority.logonSessionData(luid, configuration: configuration)
      #expect(data.userName == user.name && data.sid == token.user.sid && data.logonType == .batch)
      #expect(data.authenticationPackage == "NTLM" && !data.logonServer.isEmpty)
      #expect(abs(data.logonTime.timeIntervalSinceNow) < 60)
      try LocalSecurityAuthority.endLogonSession(luid, configuration: configuration)
      expectCode(.noSuchLogonSession) {
        _ = try LocalSecurityAuthority.logonSessionData(luid, configuration: configuration)
      }

      // A logon made by a process that then exits: its session ends with it.
      let child = try ntsec(
        ["logon", user.name, "--password-stdin", "--json"], input: "Sess1on-pass\n",
        environment: [
          "NTSEC_PAM_SERVICE": fixture.service, "NTSEC_SMB_CONF": "",
          "NTSEC_MACHINE_SID_FILE": fixture.directory + "/machine-sid",
          "NTSEC_PRIVILEGED_LUID_COUNTER": fixture.directory + "/luid-privileged",
          "NTSEC_LSA_STORE": configuration.policyStorePath,
        ])
      #expect(child.status == 0, "\(child.stderr)")
      let store = try #require(try PolicyStore.open(configuration.policyStorePath, create: false))
      let recorded = try store.read("count") { db in
        try Int.fetchOne(db, sql: "SELECT count(*) FROM logon_session")
      }
      #expect(recorded == 1, "the child's logon was recorded")
      #expect(try LocalSecurityAuthority.logonSessions(configuration: configuration).isEmpty)

      // logind's session file of a login of root.
      try FileManager.default.createDirectory(
        atPath: configuration.logindSessionDirectory, withIntermediateDirectories: true)
      try "UID=0\nUSER=root\nACTIVE=1\nREMOTE=1\nCLASS=user\nREALTIME=1700000000000000\n"
        .write(toFile: configuration.logindSessionDirectory + "/4242", atomically: true, encoding: .utf8)
      let host = try LocalSecurityAuthority.logonSessionData(LUID(4242), configuration: configuration)
      #expect(host.userName == "root" && host.logonType == .remoteInteractive)
      #expect(host.sid == (try SID(authority: 22, [1, 0])))
      #expect(host.logonTime == Date(timeIntervalSince1970: 1_700_000_000))
    }
  }
}
