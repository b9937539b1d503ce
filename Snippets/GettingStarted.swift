// A first tour of NTSecurity: SIDs, SDDL, ACLs, a token and an access check.

// snippet.imports
import NTSecurity

// snippet.sid
let admins = try SID(parsing: "S-1-5-32-544")  // BUILTIN\Administrators
let domain = try SID(parsing: "S-1-5-21-2457507606-2709100691-398136650")
let domainAdmins = try SID.wellKnown(.accountDomainAdminsSid, domain: domain)
print(domainAdmins)  // S-1-5-21-2457507606-2709100691-398136650-512
print(domainAdmins.sddl(domain: domain))  // DA

// snippet.descriptor
let sd = try SecurityDescriptor(
  sddl: "O:BAG:SYD:PAI(A;;FA;;;SY)(A;OICI;0x1200a9;;;BU)(D;;WD;;;AN)", domain: domain)
let bytes: [UInt8] = sd.bytes  // self-relative, as Windows stores it
let again = try SecurityDescriptor(bytes: bytes)
print(try again.sddl(domain: domain, including: [.owner, .dacl]))
// O:BAD:PAI(A;;FA;;;SY)(A;OICI;0x1200a9;;;BU)(D;;WD;;;AN)

// snippet.acl
var dacl = ACL()
dacl.append(.allow(admins, .fileAllAccess, flags: [.objectInherit, .containerInherit]))
dacl.append(.allow(.builtinUsers, .fileGenericRead))
let built = SecurityDescriptor(owner: admins, group: admins, dacl: dacl)

// snippet.check
let alice = try SID(parsing: "S-1-5-21-2457507606-2709100691-398136650-1105")
let token = AccessToken(
  user: alice,
  groups: [SIDAndAttributes(.builtinUsers, [.mandatory, .enabledByDefault, .enabled])])
let read = try AccessCheck.evaluate(
  token: token, descriptor: built, desired: AccessMask.genericRead.mapped(by: .file))
print(read.isGranted, read.granted)  // true 0x120089
let write = try AccessCheck.evaluate(token: token, descriptor: built, desired: .fileWriteData)
print(write.status.name)  // ERROR_ACCESS_DENIED

// snippet.errors
do {
  _ = try SecurityDescriptor(sddl: "D:(A;;FA;;;SY")
} catch {
  // error is an NTSecurityError: the Windows code, a message and the offset.
  print(error.code.name, error.offset ?? -1)  // ERROR_INVALID_ACL 13
}
// snippet.end
