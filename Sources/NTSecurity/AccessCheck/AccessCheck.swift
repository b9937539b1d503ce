/// AccessCheck, AccessCheckByType and AccessCheckByTypeResultList: whether a security descriptor
/// grants a token the rights it asks for, following MS-DTYP 2.5.3.2 and what Windows does where
/// the pseudocode is silent.
///
/// The order is Windows': backup/restore privileges when the caller declares backup intent (the
/// I/O manager grants those before the security reference monitor runs); the mandatory checks
/// (process trust label, access filters, mandatory integrity), which can only deny; the
/// privileges (SeSecurityPrivilege for `ACCESS_SYSTEM_SECURITY`, SeTakeOwnershipPrivilege then
/// SeRelabelPrivilege for `WRITE_OWNER`); then the DACL, once over the token's user and groups
/// and, for a restricted token, once more over its restricting SIDs. Rights granted by privileges
/// are not subject to the second pass. See ``evaluate(token:descriptor:desired:mapping:objectTypes:principalSelf:backupIntent:)``
/// for the rules.
public enum AccessCheck {
  /// AccessCheck (no object types), AccessCheckByType and AccessCheckByTypeResultList (object
  /// types: ``AccessCheckResult/objectTypes`` holds one result per element, ``AccessCheckResult/granted``
  /// and ``AccessCheckResult/status`` are the root's).
  ///
  /// Failures of the call itself throw, as they make Windows' AccessCheck return FALSE:
  /// `ERROR_GENERIC_NOT_MAPPED` when `desired` holds generic rights (map them first with
  /// ``AccessMask/mapped(by:)``), `ERROR_INVALID_SECURITY_DESCR` for a descriptor without owner or
  /// group, `ERROR_BAD_IMPERSONATION_LEVEL` for an anonymous-level impersonation token,
  /// `ERROR_INVALID_PARAMETER` for a malformed object type list. A denied access is not an error:
  /// the result's status is `ERROR_ACCESS_DENIED` or `ERROR_PRIVILEGE_NOT_HELD`, as Windows'
  /// AccessStatus reports it. (Windows also wants an impersonation token; a primary token is
  /// checked here as if duplicated to one.)
  ///
  /// The rules, with Windows' outcomes:
  /// - A NULL or absent DACL grants everything asked for; `MAXIMUM_ALLOWED` then gives the
  ///   mapping's GenericAll. An empty DACL grants only the owner's implicit rights.
  /// - The owner (an enabled SID of the token equal to the descriptor's owner) is granted
  ///   READ_CONTROL and WRITE_DAC before the ACEs are read, unless the DACL holds an ACE for
  ///   OWNER RIGHTS (S-1-3-4) that is not inherit-only; such ACEs then apply to the owner.
  /// - Inherit-only ACEs are skipped. Allow ACEs match enabled SIDs; deny ACEs match enabled and
  ///   deny-only SIDs. A deny removes only rights not already granted. PRINCIPAL_SELF (S-1-5-10)
  ///   in an ACE stands for `principalSelf` when one is given.
  /// - Callback (conditional) ACEs apply when their condition is TRUE (allow) or not FALSE (deny),
  ///   evaluated against the token's claims, the SIDs of the pass and the SACL's resource
  ///   attributes. A callback ACE whose data is not a valid condition counts as UNKNOWN.
  /// - Object ACEs apply to the node of the object type list their ObjectType names (to the root
  ///   when they name none) and are ignored when the list lacks it. Without a list, allow object
  ///   ACEs that name a type are ignored and deny ones deny as plain deny ACEs. InheritedObjectType
  ///   plays no part (it matters for inheritance only).
  /// - Mandatory integrity: if the token's policy has NO_WRITE_UP and its integrity level is below
  ///   the object's (unlabeled objects are Medium with NO_WRITE_UP), the label's NW/NR/NX policy
  ///   bounds the rights; asking for more is denied before the DACL is read.
  /// - Restricted tokens: the DACL is read a second time with the restricting SIDs (owner rights
  ///   included only when the owner is also a restricting SID) and only rights both passes grant
  ///   remain. For a write-restricted token the second pass decides only the write rights: those
  ///   of the mapping's GenericWrite that are not read or execute rights, plus DELETE, WRITE_DAC,
  ///   WRITE_OWNER and ACCESS_SYSTEM_SECURITY.
  /// - `backupIntent` (FILE_OPEN_FOR_BACKUP_INTENT): an enabled SeBackupPrivilege grants
  ///   READ_CONTROL, ACCESS_SYSTEM_SECURITY, the mapping's GenericRead (and FILE_TRAVERSE for
  ///   files); SeRestorePrivilege grants WRITE_DAC, WRITE_OWNER, DELETE, ACCESS_SYSTEM_SECURITY and
  ///   the mapping's GenericWrite (and FILE_ADD_FILE, FILE_ADD_SUBDIRECTORY for files).
  /// - Asking for nothing grants nothing (`ERROR_ACCESS_DENIED`), as on Windows.
  public static func evaluate(
    token: borrowing AccessToken, descriptor: borrowing SecurityDescriptor, desired: AccessMask,
    mapping: GenericMapping = .file, objectTypes: [ObjectTypeEntry] = [], principalSelf: SID? = nil,
    backupIntent: Bool = false
  ) throws(NTSecurityError) -> AccessCheckResult {
    guard desired.isDisjoint(with: .generic) else {
      throw NTSecurityError(
        .genericNotMapped,
        "desired access \(desired) holds generic rights; map them with MapGenericMask first")
    }
    guard let owner = descriptor.owner else {
      throw NTSecurityError(.invalidSecurityDescriptor, "the security descriptor has no owner")
    }
    guard descriptor.group != nil else {
      throw NTSecurityError(.invalidSecurityDescriptor, "the security descriptor has no primary group")
    }
    if token.type == .impersonation, token.impersonationLevel < .identification {
      throw NTSecurityError(
        .badImpersonationLevel, "an anonymous-level impersonation token cannot be used for an access check")
    }
    try ObjectTypeTree.validate(objectTypes)
    return AccessEvaluation(
      descriptor: descriptor, owner: owner, desired: desired, mapping: mapping,
      objectTypes: objectTypes, principalSelf: principalSelf, backupIntent: backupIntent
    ).run(token, descriptor)
  }

  /// The rights the second pass of a write-restricted token decides: GenericWrite's rights that
  /// are neither read nor execute rights, plus DELETE, WRITE_DAC, WRITE_OWNER and
  /// ACCESS_SYSTEM_SECURITY.
  public static func writeRestrictedRights(_ mapping: GenericMapping) -> AccessMask {
    mapping.write.subtracting(mapping.read.union(mapping.execute))
      .union([.delete, .writeDAC, .writeOwner, .accessSystemSecurity])
  }

  /// What SeBackupPrivilege grants with backup intent.
  public static func backupRights(_ mapping: GenericMapping) -> AccessMask {
    var rights = mapping.read.union([.readControl, .accessSystemSecurity])
    if mapping == .file { rights.insert(.fileTraverse) }
    return rights
  }

  /// What SeRestorePrivilege grants with backup intent.
  public static func restoreRights(_ mapping: GenericMapping) -> AccessMask {
    var rights = mapping.write.union([.writeDAC, .writeOwner, .delete, .accessSystemSecurity])
    if mapping == .file { rights.formUnion([.fileAddFile, .fileAddSubdirectory]) }
    return rights
  }
}
