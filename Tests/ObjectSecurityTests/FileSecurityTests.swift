import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// The Win32-shaped calls on real files: set with the POSIX side kept in step, privileges,
/// object types, creation with inheritance, propagation, AccessCheck; Samba reads the results.
@Suite(.serialized) struct FileSecurityTests {
  let store = FileSecurity(attributeName: NTACLAttribute.securityName)

  init() throws {
    guard geteuid() == 0 else { throw TestFailure(text: "these tests chown and need root") }
  }

  static func token(user: SID, privileges: [Privilege] = []) -> AccessToken {
    AccessToken(
      user: user, groups: [SIDAndAttributes(.everyone, [.mandatory, .enabled, .enabledByDefault])],
      privileges: privileges.map { LUIDAndAttributes($0, [.enabled]) }, owner: user,
      primaryGroup: POSIXMapping.groupSID(100), defaultDACL: nil)
  }

  @Test("SetFileSecurity writes the POSIX side (chown, ACL, mode) and smbd trusts the blob")
  func setKeepsPOSIXInStep() throws {
    let samba = try SambaOracle()
    let path = try SambaNTACLTests.makeFile(samba.share, "p")
    let sd = try SecurityDescriptor(
      sddl:
        "O:S-1-22-1-1001G:S-1-22-2-1002D:P(A;;FA;;;S-1-22-1-1001)(A;;FR;;;S-1-22-1-1003)(A;;0x120089;;;S-1-22-2-1002)(D;;FW;;;WD)"
    )
    try store.setFileSecurity(path, [.owner, .group, .dacl], sd)
    let posix = try store.posixSecurity(at: path)
    #expect(posix.status.uid == 1001 && posix.status.gid == 1002)
    #expect(posix.access.entries.contains(.init(.user, id: 1003, 4)))
    #expect(posix.status.permissions == 0o740, "owner rwx, mask r, other nothing")
    #expect(try samba.get(path) == sd, "smbd trusts the blob after the POSIX change")
    #expect(try store.descriptor(at: path) == sd)
  }

  @Test("a DACL never gives POSIX more than it grants: denies win, partial rights give no bit")
  func posixNeverWider() throws {
    let dacl = try SecurityDescriptor(
      sddl: "D:(D;;FX;;;WD)(A;;0x1;;;S-1-22-1-5)(A;;FA;;;WD)(A;;FR;;;S-1-22-2-6)"
    ).dacl
    let (access, _) = DescriptorToPOSIX.acls(for: dacl, uid: 5, gid: 6, isDirectory: false)
    #expect(access.entry(.userObject)?.permissions == 6, "FILE_READ_DATA alone is r; execute denied")
    #expect(access.entry(.other)?.permissions == 6)
    let partial = try SecurityDescriptor(sddl: "D:(A;;0x8;;;WD)").dacl
    #expect(DescriptorToPOSIX.acls(for: partial, uid: 5, gid: 6, isDirectory: false).access.mode == 0)
  }

  @Test("privileges: another owner needs SeRestorePrivilege, a SACL SeSecurityPrivilege")
  func privileges() throws {
    let dir = try TemporaryDirectory.make("objsec-priv")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = try SambaNTACLTests.makeFile(dir, "f")
    let me = POSIXMapping.userSID(0)
    let other = try SecurityDescriptor(sddl: "O:S-1-22-1-4242")
    #expect(
      throws: NTSecurityError(
        .invalidOwner, "owner S-1-22-1-4242 is not the caller and SeRestorePrivilege is not enabled")
    ) {
      try store.setFileSecurity(path, .owner, other, token: Self.token(user: me))
    }
    try store.setFileSecurity(path, .owner, other, token: Self.token(user: me, privileges: [.restore]))
    #expect(try store.posixSecurity(at: path).status.uid == 4242)
    let sacl = try SecurityDescriptor(sddl: "S:(AU;SA;FA;;;WD)")
    #expect(throws: NTSecurityError(.privilegeNotHeld, "setting a SACL needs SeSecurityPrivilege")) {
      try store.setFileSecurity(path, .sacl, sacl, token: Self.token(user: me))
    }
    try store.setFileSecurity(path, .sacl, sacl, token: Self.token(user: me, privileges: [.security]))
    #expect(try store.getFileSecurity(path, .sacl).sacl == sacl.sacl)
    for type in SEObjectType.allCases where type != .file {
      #expect(throws: NTSecurityError.self) { try store.getNamedSecurityInfo(path, type, .dacl) }
      #expect((try? store.getNamedSecurityInfo(path, type, .dacl)) == nil)
    }
    do {
      _ = try store.getNamedSecurityInfo(path, .registryKey, .dacl)
    } catch { #expect(error.code == .notSupported) }
  }

  @Test("createFile and createDirectory inherit from the parent as CreatePrivateObjectSecurityEx")
  func creationInherits() throws {
    let samba = try SambaOracle()
    let parent = try SambaNTACLTests.makeFile(samba.share, "parent", directory: true)
    let parentSD = try SecurityDescriptor(
      sddl: "O:S-1-22-1-0G:S-1-22-2-0D:P(A;OICI;FA;;;CO)(A;OICI;0x1200a9;;;S-1-22-2-7)(A;;FA;;;SY)")
    try store.setFileSecurity(parent, [.owner, .group, .dacl], parentSD)
    let token = Self.token(user: POSIXMapping.userSID(0))
    for directory in [false, true] {
      let path = parent + (directory ? "/d" : "/f")
      let made =
        directory
        ? try store.createDirectory(at: path, token: token) : try store.createFile(at: path, token: token)
      let expected = try SecurityDescriptor.inherited(
        from: parentSD, isContainer: directory, token: token, mapping: .file,
        flags: [.daclAutoInherit, .saclAutoInherit])
      #expect(made == expected)
      #expect(try store.descriptor(at: path) == expected)
      #expect(try samba.get(path) == expected, "smbd shows the inherited descriptor")
      #expect(made.dacl?.aces.allSatisfy { $0.flags.contains(.inherited) } == true)
    }
    #expect(throws: NTSecurityError.self) { try store.createFile(at: parent + "/f", token: token) }
  }

  @Test("SetNamedSecurityInfo propagates inherited ACEs down a tree; protected children keep theirs")
  func propagation() throws {
    let samba = try SambaOracle()
    let root = try SambaNTACLTests.makeFile(samba.share, "root", directory: true)
    let sub = try SambaNTACLTests.makeFile(root, "sub", directory: true)
    let file = try SambaNTACLTests.makeFile(sub, "file")
    let kept = try SambaNTACLTests.makeFile(root, "kept")
    try store.setFileSecurity(kept, .dacl, try SecurityDescriptor(sddl: "D:P(A;;FA;;;SY)"))
    let ace = ACE.allow(
      POSIXMapping.userSID(1500), .fileGenericRead, flags: [.objectInherit, .containerInherit])
    try store.setNamedSecurityInfo(root, .file, [.dacl, .protectedDacl], dacl: ACL(aces: [ace]))
    for path in [sub, file] {
      let sd = try store.descriptor(at: path)
      #expect(
        sd.dacl?.aces.contains { $0.sid == ace.sid && $0.flags.contains(.inherited) } == true, "\(path)")
      #expect(try samba.get(path) == sd)
    }
    #expect(try store.descriptor(at: kept).dacl == (try SecurityDescriptor(sddl: "D:P(A;;FA;;;SY)")).dacl)
    // Reset makes the protected child inherit again.
    try store.resetSecurity(at: kept, recurse: false)
    #expect(try store.descriptor(at: kept).dacl?.aces.map(\.sid) == [ace.sid])
  }

  @Test("GetSecurityInfo and SetSecurityInfo on an open file descriptor")
  func handles() throws {
    let samba = try SambaOracle()
    let path = try SambaNTACLTests.makeFile(samba.share, "h")
    let handle = try #require(FileHandle(forReadingAtPath: path))
    defer { try? handle.close() }
    let fd = handle.fileDescriptor
    #expect(
      try store.getSecurityInfo(fd, .file, [.owner, .dacl])
        == (try store.getNamedSecurityInfo(path, .file, [.owner, .dacl])))
    let dacl = try SecurityDescriptor(sddl: "D:(A;;FA;;;SY)(A;;FR;;;S-1-22-1-77)").dacl
    try store.setSecurityInfo(fd, .file, [.dacl, .protectedDacl], dacl: dacl)
    let seen = try store.getNamedSecurityInfo(path, .file, .dacl)
    #expect(seen.dacl == dacl && seen.control.contains(.daclProtected))
    #expect(try samba.get(path).dacl == dacl)
    #expect(throws: NTSecurityError.self) { try store.getSecurityInfo(fd, .kernelObject, .dacl) }
  }

  @Test("AccessCheck and effective rights against a file")
  func accessCheck() throws {
    let dir = try TemporaryDirectory.make("objsec-check")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = try SambaNTACLTests.makeFile(dir, "f")
    let user = POSIXMapping.userSID(2000)
    try store.setFileSecurity(
      path, [.owner, .group, .dacl],
      try SecurityDescriptor(sddl: "O:SYG:SYD:(D;;0x116;;;S-1-22-1-2000)(A;;FA;;;WD)"))
    let token = Self.token(user: user)
    #expect(try store.accessCheck(path, token: token, desired: .fileGenericRead).isGranted)
    #expect(try !store.accessCheck(path, token: token, desired: .fileGenericWrite).isGranted)
    let rights = try store.effectiveRights(path, trustee: user, groups: [.everyone])
    #expect(rights.contains(.fileReadData) && !rights.contains(.fileWriteData))
  }
}
