import Testing

@testable import NTSecurity

@Suite("Privileges and account rights")
struct PrivilegeTests {
  @Test("LookupPrivilegeValue gives Windows' fixed LUIDs (SE_MIN 2 … SE_MAX 36)")
  func values() throws {
    #expect(try Privilege.lookupValue(name: "SeCreateTokenPrivilege") == LUID(lowPart: 2))
    #expect(try Privilege.lookupValue(name: "SeSecurityPrivilege") == LUID(lowPart: 8))
    #expect(try Privilege.lookupValue(name: "SeBackupPrivilege") == LUID(lowPart: 17))
    #expect(try Privilege.lookupValue(name: "SeChangeNotifyPrivilege") == LUID(lowPart: 23))
    #expect(try Privilege.lookupValue(name: "SeImpersonatePrivilege") == LUID(lowPart: 29))
    #expect(try Privilege.lookupValue(name: "SeRelabelPrivilege") == LUID(lowPart: 32))
    #expect(
      try Privilege.lookupValue(name: "SeDelegateSessionUserImpersonatePrivilege")
        == LUID(lowPart: 36))
    #expect(Privilege.all.count == 35)
    for (i, p) in Privilege.all.enumerated() { #expect(p.luid == LUID(lowPart: UInt32(i + 2))) }
  }

  @Test("privilege names are case-insensitive")
  func caseInsensitive() throws {
    #expect(try Privilege.lookupValue(name: "sebackupprivilege") == LUID(lowPart: 17))
    #expect(try Privilege.displayName(name: "SETCBPRIVILEGE") == "Act as part of the operating system")
  }

  @Test("LookupPrivilegeName is the reverse of LookupPrivilegeValue")
  func names() throws {
    for p in Privilege.all { #expect(try Privilege.lookupName(p.luid) == p.name) }
    #expect(try Privilege.lookupName(LUID(lowPart: 9)) == "SeTakeOwnershipPrivilege")
  }

  @Test("unknown names and LUIDs give ERROR_NO_SUCH_PRIVILEGE")
  func unknown() {
    for name in ["SeNoSuchPrivilege", "", "Backup"] {
      #expect(throws: NTSecurityError.self) { try Privilege.lookupValue(name: name) }
      #expect(((try? Privilege.lookupValue(name: name)) == nil))
    }
    for value: UInt64 in [0, 1, 37, 0x1_0000_0011] {
      do {
        _ = try Privilege.lookupName(LUID(value))
        Issue.record("LUID \(value) resolved")
      } catch { #expect(error.code == .noSuchPrivilege) }
    }
  }

  @Test("display names are the English strings Windows shows")
  func displayNames() throws {
    #expect(try Privilege.displayName(name: "SeChangeNotifyPrivilege") == "Bypass traverse checking")
    #expect(try Privilege.displayName(name: "SeBackupPrivilege") == "Back up files and directories")
    #expect(
      try Privilege.displayName(name: "SeImpersonatePrivilege")
        == "Impersonate a client after authentication")
    #expect(try Privilege.displayName(name: "SeShutdownPrivilege") == "Shut down the system")
  }

  @Test("logon rights are account rights, not privileges: LookupPrivilegeValue rejects them")
  func accountRights() {
    #expect(AccountRight.all.count == 10)
    for right in AccountRight.all {
      #expect(right.name.hasSuffix("Right"))
      do {
        _ = try Privilege.lookupValue(name: right.name)
        Issue.record("\(right.name) was taken for a privilege")
      } catch { #expect(error.code == .noSuchPrivilege) }
    }
    #expect(AccountRight(name: "seinteractivelogonright") == .interactiveLogon)
    #expect(AccountRight.interactiveLogon.displayName == "Allow log on locally")
    #expect(AccountRight(name: "SeBackupPrivilege") == nil)
  }
}
