// The passes of an access check, one example each.

// snippet.hide
import NTSecurity

let user = try SID(parsing: "S-1-5-21-1-2-3-1001")
let staff = try SID(parsing: "S-1-5-21-1-2-3-2001")
let member: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]
// snippet.show

// snippet.helper
/// Whether `token` is granted `desired` on `descriptor` (file rights, no object types).
func granted(_ token: AccessToken, _ descriptor: SecurityDescriptor, _ desired: AccessMask) throws -> Bool {
  try AccessCheck.evaluate(token: token, descriptor: descriptor, desired: desired).isGranted
}

// snippet.backup
// Backup intent: an enabled SeBackupPrivilege reads what the DACL does not grant.
let operatorToken = AccessToken(user: user, privileges: [LUIDAndAttributes(.backup, [.enabled])])
let locked = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FA;;;SY)")
let backup = try AccessCheck.evaluate(
  token: operatorToken, descriptor: locked, desired: .fileReadData, backupIntent: true)
print(backup.isGranted, backup.privilegesUsed.map(\.luid.value))  // true [17]

// snippet.integrity
// Mandatory integrity: a Low token cannot write up to a Medium object, whatever the DACL says.
let lowToken = AccessToken(
  user: user, groups: [SIDAndAttributes(.lowLabel, [.integrity, .integrityEnabled])])
let open = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FA;;;\(user))")
print(try granted(lowToken, open, .fileWriteData))  // false
print(try granted(lowToken, open, .fileReadData))  // true

// snippet.owner
// Owner rights: the owner gets READ_CONTROL and WRITE_DAC before any ACE is read...
let owned = try SecurityDescriptor(sddl: "O:\(user)G:BAD:")
let ownerToken = AccessToken(user: user)
print(try granted(ownerToken, owned, .writeDAC))  // true
// ...unless an OWNER RIGHTS (OW) ACE says otherwise.
let capped = try SecurityDescriptor(sddl: "O:\(user)G:BAD:(A;;RC;;;OW)")
print(try granted(ownerToken, capped, .writeDAC))  // false

// snippet.order
// ACE order matters: a deny removes only rights not already granted.
let token = AccessToken(user: user, groups: [SIDAndAttributes(staff, member)])
let allowFirst = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FR;;;\(staff))(D;;FR;;;\(user))")
let denyFirst = try SecurityDescriptor(sddl: "O:BAG:BAD:(D;;FR;;;\(user))(A;;FR;;;\(staff))")
let fileRead = AccessMask.genericRead.mapped(by: .file)
print(try granted(token, allowFirst, fileRead))  // true
print(try granted(token, denyFirst, fileRead))  // false

// snippet.restricted
// Restricted tokens: a second pass over the DACL with the restricting SIDs; both must grant.
let sandboxed = try token.restricted(restricting: [staff])
let userOnly = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FR;;;\(user))")
print(try granted(token, userOnly, fileRead))  // true
print(try granted(sandboxed, userOnly, fileRead))  // false

// snippet.maximum
// MAXIMUM_ALLOWED: every ACE is read and the result says what was granted.
let mixed = try SecurityDescriptor(sddl: "O:BAG:BAD:(D;;WD;;;\(staff))(A;;FA;;;\(user))")
let maximum = try AccessCheck.evaluate(token: token, descriptor: mixed, desired: .maximumAllowed)
print(maximum.granted.contains(.writeDAC), maximum.granted.contains(.fileReadData))  // false true
// snippet.end
