import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import LocalSecurityAuthority

#if canImport(Glibc)
  import Glibc
#endif

/// Expects `body` to throw an NTSecurityError with `code`.
func expectCode(
  _ code: WindowsError, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) {
  do {
    try body()
    Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
  } catch let error as NTSecurityError {
    #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
  } catch {
    Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
  }
}

extension HostAccountSuites {
  /// The LSA policy: the store, LsaOpenPolicy's access check, the account rights and their
  /// effect on LogonUser's tokens, the policy information, private data, notifications.
  @Suite struct PolicyTests {
    let someone = try! SID(authority: 5, [21, 1, 2, 3, 1001])

    @Test(
      "Rights round trip with Windows' errors; the store is root's 0600 file in a 0700 directory, in WAL mode"
    )
    func rights() throws {
      let directory = try makeTemporaryDirectory("ntsec-lsa")
      defer { try? FileManager.default.removeItem(atPath: directory) }
      let configuration = isolatedConfiguration(directory)
      let policy = try LocalSecurityAuthority.Policy(access: .policyAllAccess, configuration: configuration)
      expectCode(.fileNotFound) { _ = try policy.accountRights(of: someone) }
      expectCode(.noMoreItems) { _ = try policy.accounts(withRight: "SeBackupPrivilege") }
      try policy.addAccountRights(
        ["sebackupprivilege", "SeInteractiveLogonRight", "SeBackupPrivilege"], to: someone)
      #expect(try policy.accountRights(of: someone) == ["SeBackupPrivilege", "SeInteractiveLogonRight"])
      #expect(try policy.accounts(withRight: "SeBackupPrivilege") == [someone])
      #expect(try policy.accounts(withRight: nil) == [someone])
      expectCode(.noMoreItems) { _ = try policy.accounts(withRight: "SeDebugPrivilege") }
      expectCode(.noSuchPrivilege) {
        try policy.addAccountRights(["SeDebugPrivilege", "SeNoSuchRight"], to: someone)
      }
      #expect(try policy.accountRights(of: someone).count == 2, "nothing of a refused call is granted")
      expectCode(.noSuchPrivilege) { _ = try policy.accounts(withRight: "SeBogus") }
      expectCode(.invalidParameter) { try policy.addAccountRights([], to: someone) }
      try policy.removeAccountRights(["SeInteractiveLogonRight", "SeDebugPrivilege"], from: someone)
      #expect(try policy.accountRights(of: someone) == ["SeBackupPrivilege"])
      try policy.removeAccountRights([], from: someone, all: true)
      expectCode(.fileNotFound) { _ = try policy.accountRights(of: someone) }
      expectCode(.fileNotFound) { try policy.removeAccountRights([], from: someone, all: true) }
      expectCode(.fileNotFound) { try policy.removeAccountRights(["SeBackupPrivilege"], from: someone) }

      var info = stat()
      #expect(stat(configuration.policyStorePath, &info) == 0)
      #expect(info.st_uid == 0 && info.st_mode & 0o777 == 0o600)
      #expect(stat(directory + "/lsa", &info) == 0)
      #expect(info.st_uid == 0 && info.st_mode & 0o777 == 0o700)
      let store = try #require(try PolicyStore.open(configuration.policyStorePath, create: false))
      let mode = try store.read("journal mode") { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
      #expect(mode == "wal")

      policy.close()
      expectCode(.invalidHandle) { _ = try policy.accountRights(of: someone) }
      let viewOnly = try LocalSecurityAuthority.Policy(
        access: .policyViewLocalInformation, configuration: configuration)
      expectCode(.accessDenied) { try viewOnly.addAccountRights(["SeBackupPrivilege"], to: someone) }
      expectCode(.notSupported) {
        _ = try LocalSecurityAuthority.Policy(
          systemName: "\\\\elsewhere", access: .policyLookupNames, configuration: configuration)
      }
      _ = try LocalSecurityAuthority.Policy(
        systemName: ".", access: .maximumAllowed, configuration: configuration)
    }

    @Test(
      "LsaOpenPolicy checks the caller's real token: an impersonated ordinary user may view, not create accounts"
    )
    func openAccessCheck() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("p", password: "Pol1cy-pass")
      let token = try fixture.logon(user.name, "Pol1cy-pass")
      let configuration = fixture.configuration
      let root = try LocalSecurityAuthority.Policy(access: .maximumAllowed, configuration: configuration)
      #expect(root.grantedAccess.isSuperset(of: .policyAllAccess))
      try LocalSecurityAuthority.withImpersonation(token, configuration: configuration) {
        expectCode(.accessDenied) {
          _ = try LocalSecurityAuthority.Policy(access: .policyCreateAccount, configuration: configuration)
        }
        let view = try LocalSecurityAuthority.Policy(access: .genericExecute, configuration: configuration)
        #expect(view.grantedAccess == .policyExecute)
        // The descriptor grants the view, the store (root's) refuses the file.
        expectCode(.accessDenied) { _ = try view.accountRights(of: someone) }
        guard case .accountDomain(let domain) = try view.information(.accountDomain) else {
          Issue.record("another class answered")
          return
        }
        #expect(domain.sid == (try LocalSecurityAuthority.machineDomain(configuration: configuration).sid))
      }
    }

    @Test(
      "A privilege granted to a user or its group is in its LogonUser token; deny and allow logon rights decide the type"
    )
    func rightsInLogonTokens() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let group = try fixture.accounts.addGroup("r")
      let user = try fixture.addUser("r", password: "R1ghts-pass", groups: [group.name])
      let configuration = fixture.configuration
      let before = try fixture.logon(user.name, "R1ghts-pass")
      #expect(before.privileges.isEmpty)
      let policy = try LocalSecurityAuthority.Policy(access: .policyAllAccess, configuration: configuration)
      let userSID = try SID(authority: 22, [1, user.uid])
      let groupSID = try SID(authority: 22, [2, group.gid])
      try policy.addAccountRights(["SeBackupPrivilege"], to: userSID)
      try policy.addAccountRights(["SeChangeNotifyPrivilege", "SeDenyBatchLogonRight"], to: groupSID)
      let token = try fixture.logon(user.name, "R1ghts-pass")
      let backup = try #require(token.privileges.first { $0.luid == Privilege.backup.luid })
      #expect(backup.attributes.isEmpty, "granted privileges start disabled")
      let notify = try #require(token.privileges.first { $0.luid == Privilege.changeNotify.luid })
      #expect(notify.attributes.contains(.enabled))
      expectCode(.logonTypeNotGranted) { _ = try fixture.logon(user.name, "R1ghts-pass", type: .batch) }
      // An allow right held by someone else closes the type to the user; granting it to
      // NETWORK (a group of every network logon) opens it again.
      try policy.addAccountRights(["SeNetworkLogonRight"], to: someone)
      expectCode(.logonTypeNotGranted) { _ = try fixture.logon(user.name, "R1ghts-pass", type: .network) }
      try policy.addAccountRights(["SeNetworkLogonRight"], to: try SID(authority: 5, [2]))
      _ = try fixture.logon(user.name, "R1ghts-pass", type: .network)
      // The same rule for logons without a password.
      expectCode(.logonTypeNotGranted) {
        _ = try LocalSecurityAuthority.logonUserWithoutPassword(
          user.name, type: .batch, configuration: configuration)
      }
    }

    @Test("A store that cannot be read refuses logons (fail closed); a missing one grants and denies nothing")
    func unreadableStoreFailsClosed() throws {
      let fixture = try LogonFixture()
      defer { fixture.remove() }
      let user = try fixture.addUser("u", password: "Unre4d-pass")
      let path = fixture.configuration.policyStorePath
      #expect(!FileManager.default.fileExists(atPath: path))
      _ = try fixture.logon(user.name, "Unre4d-pass")
      try FileManager.default.removeItem(atPath: path)
      for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
      let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 37) })
      #expect(
        FileManager.default.createFile(
          atPath: path, contents: garbage, attributes: [.posixPermissions: 0o600]))
      expectCode(.logonTypeNotGranted) { _ = try fixture.logon(user.name, "Unre4d-pass") }
      try FileManager.default.removeItem(atPath: path)
      let policy = try LocalSecurityAuthority.Policy(
        access: .policyAllAccess, configuration: fixture.configuration)
      try policy.addAccountRights(["SeBackupPrivilege"], to: someone)
      #expect(chmod(path, 0o644) == 0)
      expectCode(.logonTypeNotGranted) { _ = try fixture.logon(user.name, "Unre4d-pass") }
      expectCode(.accessDenied) { _ = try policy.accountRights(of: someone) }
    }
  }
}

@Suite struct PolicyDescriptorTests {
  @Test(
    "The policy descriptor: Administrators all, Everyone POLICY_EXECUTE, Anonymous view but no name lookup")
  func descriptor() throws {
    let descriptor = LocalSecurityAuthority.Policy.descriptor
    let mapping = LocalSecurityAuthority.Policy.mapping
    func granted(_ user: SID, _ groups: [SID]) throws -> AccessMask {
      let attributes: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]
      let token = AccessToken(
        user: user, groups: groups.map { SIDAndAttributes($0, attributes) }, privileges: [], owner: user,
        primaryGroup: user, type: .primary, authenticationID: LUID(1))
      return try AccessCheck.evaluate(
        token: token, descriptor: descriptor, desired: .maximumAllowed, mapping: mapping
      )
      .granted
    }
    let user = try SID(authority: 22, [1, 4242])
    #expect(
      try granted(user, [.everyone, .builtinAdministrators]).isSuperset(of: [
        .policyAllAccess, .policyNotification,
      ]))
    #expect(try granted(user, [.everyone]) == .policyExecute)
    let anonymous = try SID(authority: 5, [7])
    #expect(try granted(anonymous, []) == .policyViewLocalInformation)
    #expect(try granted(try SID(authority: 5, [19]), [.everyone]) == [.policyExecute, .policyNotification])
  }
}
