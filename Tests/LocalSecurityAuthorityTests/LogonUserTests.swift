import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import LocalSecurityAuthority

#if canImport(Glibc)
  import Glibc
#endif

extension HostAccountSuites {
  /// LogonUser through PAM with real users (useradd, chpasswd, chage, usermod -L) and the shipped
  /// PAM example installed under a unique service name.
  @Suite struct LogonUserTests {
    static let standard: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]

    @Test(
      "The right password gives the user's real token: account SID, getgrouplist groups, INTERACTIVE, a logon SID"
    )
    func rightPassword() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let extra = try fixture.accounts.addGroup("x")
      let user = try fixture.addUser("a", password: "Corr3ct-horse", groups: [extra.name])
      var password = Array("Corr3ct-horse".utf8)
      let token = try LocalSecurityAuthority.logonUser(
        user.name, password: &password, configuration: fixture.configuration)
      #expect(password.allSatisfy { $0 == 0 }, "the password buffer is wiped")
      #expect(token.user.sid == (try SID(authority: 22, [1, user.uid])))
      #expect(token.primaryGroup == (try SID(authority: 22, [2, user.gid])))
      #expect(token.type == .primary)
      let sids = token.groups.map(\.sid)
      for gid in [user.gid, extra.gid] { #expect(sids.contains(try SID(authority: 22, [2, gid]))) }
      #expect(sids.contains(.interactive))
      #expect(sids.contains(try SID(authority: 2, [0])), "LOCAL")
      #expect(!sids.contains(.builtinAdministrators))
      #expect(token.integrityLevel == .mediumLabel)
      #expect(token.privileges.isEmpty)
      let logon = try #require(token.groups.first { $0.attributes.contains(.logonID) })
      let luid = token.statistics.authenticationID
      #expect(logon.sid == (try SID(authority: 5, [5, UInt32(bitPattern: luid.highPart), luid.lowPart])))
      #expect(logon.attributes.isSuperset(of: Self.standard))
      // The same name through the machine's domain, and a second logon: a new logon session.
      let again = try fixture.logon(".\\\(user.name)", "Corr3ct-horse")
      #expect(again.user.sid == token.user.sid)
      #expect(again.statistics.authenticationID != luid)
      #expect(again.logonSID != token.logonSID)
    }

    @Test("LogonUserEx: the logon SID, the profile from passwd and shadow, quota limits from getrlimit")
    func logonUserEx() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("x", password: "Right-0ne")
      #expect(
        try run(
          "/usr/sbin/usermod",
          ["-c", "Ada Lovelace,Room 1", "-d", "/home/ada-\(fixture.accounts.tag)", user.name]
        ).status == 0)
      #expect(
        try run(
          "/usr/bin/chage", ["-d", "2026-01-01", "-m", "2", "-M", "400", "-E", "2099-12-31", user.name]
        ).status == 0)
      var password = Array("Right-0ne".utf8)
      let result = try LocalSecurityAuthority.logonUserEx(
        user.name, password: &password, configuration: fixture.configuration)
      #expect(password.allSatisfy { $0 == 0 })
      #expect(result.logonSID != nil && result.logonSID == result.token.logonSID)
      #expect(result.profile.userName == user.name && result.profile.fullName == "Ada Lovelace")
      #expect(result.profile.homeDirectory == "/home/ada-\(fixture.accounts.tag)")
      let day = { (text: String) throws -> Date in
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return try #require(formatter.date(from: text))
      }
      #expect(result.profile.passwordLastSet == (try day("2026-01-01")))
      #expect(result.profile.passwordCanChange == (try day("2026-01-03")))
      #expect(result.profile.passwordMustChange == (try day("2027-02-05")))
      #expect(result.profile.kickOffTime == (try day("2099-12-31")))
      var limit = rlimit()
      #expect(getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0)
      #expect(result.quotaLimits.pagefileLimit == UInt64(limit.rlim_cur))
      expectError(.logonFailure) {
        var wrong = Array("Wrong-0ne".utf8)
        _ = try LocalSecurityAuthority.logonUserEx(
          user.name, password: &wrong, configuration: fixture.configuration)
      }
    }

    @Test("Wrong password and unknown user: ERROR_LOGON_FAILURE, both after the same failure duration")
    func wrongPasswordAndUnknownUser() throws {
      let fixture = try LogonFixture(failureDuration: .milliseconds(600))
      defer { fixture.remove() }
      let user = try fixture.addUser("b", password: "Right-0ne")
      let clock = ContinuousClock()
      var wrong = Duration.zero
      var unknown = Duration.zero
      for _ in 0..<2 {
        wrong += clock.measure {
          expectError(.logonFailure) { _ = try fixture.logon(user.name, "Wrong-0ne") }
        }
        unknown += clock.measure {
          expectError(.logonFailure) {
            _ = try fixture.logon("ntsnobody\(fixture.accounts.tag)", "Wrong-0ne")
          }
        }
      }
      #expect(wrong >= .milliseconds(1200) && unknown >= .milliseconds(1200), "\(wrong) \(unknown)")
      let difference = wrong > unknown ? wrong - unknown : unknown - wrong
      #expect(difference < .milliseconds(200), "wrong password \(wrong), unknown user \(unknown)")
      var cut = Array("Right-0ne\0tail".utf8)
      expectError(.logonFailure, "a NUL does not cut the password short") {
        _ = try LocalSecurityAuthority.logonUser(
          user.name, password: &cut, configuration: fixture.configuration)
      }
      #expect(cut.allSatisfy { $0 == 0 })
      var empty: [UInt8] = []
      expectError(.logonFailure) {
        _ = try LocalSecurityAuthority.logonUser(
          user.name, password: &empty, configuration: fixture.configuration)
      }
    }

    @Test("An expired account (chage -E 0): ERROR_ACCOUNT_EXPIRED with the right password")
    func expiredAccount() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("c", password: "Right-0ne")
      #expect(try run("/usr/bin/chage", ["-E", "0", user.name]).status == 0)
      expectError(.accountExpired) { _ = try fixture.logon(user.name, "Right-0ne") }
      expectError(.logonFailure) { _ = try fixture.logon(user.name, "Wrong-0ne") }
    }

    @Test("A locked account (usermod -L): ERROR_ACCOUNT_RESTRICTION with the right password only")
    func lockedAccount() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("d", password: "Right-0ne")
      #expect(try run("/usr/sbin/usermod", ["-L", user.name]).status == 0)
      expectError(.accountRestriction) { _ = try fixture.logon(user.name, "Right-0ne") }
      expectError(.logonFailure) { _ = try fixture.logon(user.name, "Wrong-0ne") }
      #expect(try run("/usr/sbin/usermod", ["-U", user.name]).status == 0)
      #expect(try fixture.logon(user.name, "Right-0ne").user.sid == (try SID(authority: 22, [1, user.uid])))
    }

    @Test(
      "A password past its maximum age (chage -M 1 -d 2000-01-01) or to change (chage -d 0): ERROR_PASSWORD_EXPIRED"
    )
    func passwordExpired() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let aged = try fixture.addUser("e", password: "Right-0ne")
      #expect(try run("/usr/bin/chage", ["-M", "1", "-d", "2000-01-01", "-I", "-1", aged.name]).status == 0)
      expectError(.passwordExpired) { _ = try fixture.logon(aged.name, "Right-0ne") }
      let forced = try fixture.addUser("f", password: "Right-0ne")
      #expect(try run("/usr/bin/chage", ["-d", "0", forced.name]).status == 0)
      expectError(.passwordExpired) { _ = try fixture.logon(forced.name, "Right-0ne") }
      expectError(.logonFailure) { _ = try fixture.logon(forced.name, "Wrong-0ne") }
    }

    @Test("Outside the logon hours pam_time allows: ERROR_INVALID_LOGON_HOURS")
    func logonHours() throws {
      let directory = try makeTemporaryDirectory("ntsec-time")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let fixture = try LogonFixture(extraLines: [
        "account required pam_time.so conffile=\(directory)/time.conf"
      ])
      defer { fixture.remove() }
      let user = try fixture.addUser("t", password: "Right-0ne")
      let other = try fixture.addUser("u", password: "Right-0ne")
      // The first user may never log on through this service; the other always may.
      try "\(fixture.service);*;\(user.name);!Al0000-2400\n".write(
        toFile: directory + "/time.conf", atomically: true, encoding: .utf8)
      expectError(.invalidLogonHours) { _ = try fixture.logon(user.name, "Right-0ne") }
      expectError(.logonFailure) { _ = try fixture.logon(user.name, "Wrong-0ne") }
      #expect(
        try fixture.logon(other.name, "Right-0ne").user.sid == (try SID(authority: 22, [1, other.uid])))
    }

    @Test(
      "Logon types: NETWORK gives an impersonation token without LOCAL; BATCH, SERVICE; NEW_CREDENTIALS keeps the caller"
    )
    func logonTypes() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("g", password: "Right-0ne")
      let local = try SID(authority: 2, [0])
      let networkGroup = try SID(authority: 5, [2])
      let network = try fixture.logon(user.name, "Right-0ne", type: .network)
      #expect(network.type == .impersonation && network.impersonationLevel == .impersonation)
      #expect(network.groups.map(\.sid).contains(networkGroup))
      #expect(!network.groups.map(\.sid).contains(local) && !network.groups.map(\.sid).contains(.interactive))
      let cleartext = try fixture.logon(user.name, "Right-0ne", type: .networkCleartext)
      #expect(cleartext.type == .primary && cleartext.groups.map(\.sid).contains(networkGroup))
      for (type, rid) in [(LogonType.batch, UInt32(3)), (.service, 6)] {
        let token = try fixture.logon(user.name, "Right-0ne", type: type)
        let sids = token.groups.map(\.sid)
        let group = try SID(authority: 5, [rid])
        #expect(sids.contains(group) && !sids.contains(.interactive), "\(type)")
      }
      expectError(.logonFailure) { _ = try fixture.logon(user.name, "Wrong-0ne", type: .batch) }
      // NEW_CREDENTIALS: the caller's identity (root here), a new logon session, no password check.
      let caller = try LocalSecurityAuthority.processToken(configuration: fixture.configuration)
      let copy = try fixture.logon(user.name, "anything", type: .newCredentials)
      #expect(copy.user == caller.user)
      #expect(copy.statistics.authenticationID != caller.statistics.authenticationID)
      #expect(copy.logonSID != nil && copy.logonSID != caller.logonSID)
    }

    @Test(
      "ntsec logon USER --password-stdin --json prints the token; a wrong password exits with ERROR_LOGON_FAILURE"
    )
    func command() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("h", password: "Right-0ne")
      let environment = [
        "NTSEC_PAM_SERVICE": fixture.service, "NTSEC_SMB_CONF": "",
        "NTSEC_MACHINE_SID_FILE": fixture.directory + "/machine-sid",
        "NTSEC_LUID_COUNTER": fixture.directory + "/luid",
        "NTSEC_PRIVILEGED_LUID_COUNTER": fixture.directory + "/luid-privileged",
        "NTSEC_LSA_STORE": fixture.configuration.policyStorePath,
      ]
      let json = try ntsec(
        ["logon", user.name, "--type", "batch", "--password-stdin", "--json"], input: "Right-0ne\n",
        environment: environment)
      #expect(json.status == 0, "\(json.stderr)")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      #expect(object["user"] as? String == "S-1-22-1-\(user.uid)")
      let groups = (object["groups"] as? [[String: Any]] ?? []).compactMap { $0["sid"] as? String }
      #expect(groups.contains("S-1-5-3") && groups.contains { $0.hasPrefix("S-1-5-5-") })
      let table = try ntsec(
        ["logon", ".\\\(user.name)", "--password-stdin"], input: "Right-0ne\n", environment: environment)
      #expect(
        table.status == 0 && table.stdout.contains("NT AUTHORITY\\INTERACTIVE"),
        "\(table.stdout) \(table.stderr)")
      let wrong = try ntsec(
        ["logon", user.name, "--password-stdin"], input: "Wrong-0ne\n", environment: environment)
      #expect(wrong.status != 0 && wrong.stderr.contains("ERROR_LOGON_FAILURE"), "\(wrong.stderr)")
    }
  }
}
