// win32security calls and their NTSecurity counterparts, in the order of the porting guide.

// snippet.hide
import NTSecurity

// snippet.show
// snippet.sid
// ConvertStringSidToSid, ConvertSidToStringSid
let sid = try SID(parsing: "S-1-5-32-544")
print(sid.description)  // S-1-5-32-544
// CreateWellKnownSid, EqualSid, GetSidSubAuthority
let admins = try SID.wellKnown(.builtinAdministratorsSid)
let domain = try SID(parsing: "S-1-5-21-1-2-3")
let domainAdmins = try SID.wellKnown(.accountDomainAdminsSid, domain: domain)
print(sid == admins, domainAdmins.rid ?? 0)  // true 512

// snippet.sddl
let sd = try SecurityDescriptor(sddl: "O:BAG:SYD:(A;;FA;;;SY)(A;;0x1200a9;;;BU)")
let text = try sd.sddl(including: [.owner, .dacl])
let binary: [UInt8] = sd.bytes  // the self-relative bytes
print(text, binary.count, sd.length)  // O:BAD:(A;;FA;;;SY)(A;;0x1200a9;;;BU) 100 100

// snippet.acl
var dacl = ACL()  // ACL_REVISION until an ACE needs more
dacl.append(.allow(admins, .fileAllAccess, flags: [.objectInherit, .containerInherit]))
dacl.append(.deny(.everyone, .fileWriteData))
var built = SecurityDescriptor()
built.owner = admins
built.group = admins
built.setDACL(present: true, dacl)
print(built.dacl?.aces.count ?? 0, try built.sddl())  // 2 O:BAG:BAD:(A;OICI;FA;;;BA)(D;;DC;;;WD)

// snippet.privileges
let backupLUID = try Privilege.lookupValue(name: "SeBackupPrivilege")
print(try Privilege.lookupName(backupLUID))  // SeBackupPrivilege
print(try Privilege.displayName(name: "SeBackupPrivilege"))  // Back up files and directories

// snippet.token
let users = SID.builtinUsers
var token = AccessToken(
  user: try SID(parsing: "S-1-5-21-1-2-3-1001"),
  groups: [
    SIDAndAttributes(admins, [.mandatory, .enabledByDefault, .enabled, .owner]),
    SIDAndAttributes(users, [.mandatory, .enabledByDefault, .enabled]),
  ],
  privileges: [LUIDAndAttributes(.backup), LUIDAndAttributes(.changeNotify, [.enabled])])
// CheckTokenMembership
print(token.isMember(admins))  // true
// AdjustTokenPrivileges
let adjustment = token.adjustPrivileges(newState: [LUIDAndAttributes(backupLUID, [.enabled])])
print(adjustment.status.name)  // ERROR_SUCCESS
// GetTokenInformation
if case .groups(let groups) = try token.information(.groups) {
  print(groups.map(\.sid))  // [S-1-5-32-544, S-1-5-32-545, S-1-16-8192]
}
// CreateRestrictedToken
let restricted = try token.restricted(
  disabling: [admins], restricting: [users], flags: [.disableMaxPrivilege])
print(restricted.isRestricted, restricted.isMember(admins))  // true false
// DuplicateTokenEx
let impersonation = try token.duplicate(impersonationLevel: .impersonation, type: .impersonation)
print(impersonation.type)  // impersonation

// snippet.mapping
// MapGenericMask
let desired = AccessMask.genericRead.mapped(by: .file)
print(desired == .fileGenericRead)  // true
// snippet.end
