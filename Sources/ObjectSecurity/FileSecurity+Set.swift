import NTSecurity

extension FileSecurity {
  /// SetFileSecurity: applies the parts of `modification` that `information` selects to the file
  /// at `path`, as acl_xattr does: the POSIX side first (chown for a Unix owner or group SID, the
  /// access and default POSIX ACLs and mode from the DACL, see ``POSIXMapping``), then one atomic
  /// write of a version 4 `security.NTACL` hashed against the new POSIX side.
  ///
  /// Privileges as Windows checks them, with `token` the caller's token (nil: the process, whose
  /// root user holds them all): an owner other than the token's user or an owner group of the
  /// token needs SeRestorePrivilege (ERROR_INVALID_OWNER), and the process needs CAP_CHOWN to give
  /// the file to another uid; a SACL needs SeSecurityPrivilege (ERROR_PRIVILEGE_NOT_HELD).
  ///
  /// With `flags` `.daclAutoInherit`/`.saclAutoInherit` the inherited ACEs are kept as
  /// SetPrivateObjectSecurityEx keeps them (what ``setSecurityInfo(_:_:_:owner:group:dacl:sacl:token:)``
  /// uses); without, the ACLs given replace the file's (SetFileSecurity).
  public func setSecurity(
    _ information: SecurityInformation, _ modification: SecurityDescriptor, at path: String,
    token: AccessToken? = nil, flags: AutoInheritFlags = []
  ) throws(NTSecurityError) {
    try Self.checkPrivileges(information, modification, token)
    var sd = try descriptor(at: path)
    try sd.setPrivateObjectSecurity(
      information, from: modification, flags: flags.union([.avoidOwnerCheck, .avoidPrivilegeCheck]),
      mapping: .file, token: token)
    try write(sd, at: path, changing: information)
  }

  /// Writes `sd` to `path`: the POSIX side the selected parts ask for (only the calls that change
  /// something), then the attribute, hashed against the POSIX side as it is then. `known` is the
  /// file's POSIX side when the caller has just read it.
  func write(
    _ sd: SecurityDescriptor, at path: String, changing information: SecurityInformation,
    posix known: POSIXSecurity? = nil
  ) throws(NTSecurityError) {
    var posix: POSIXSecurity
    if let known { posix = known } else { posix = try posixSecurity(at: path) }
    var changed = false
    let uid = information.contains(.owner) ? sd.owner.flatMap(POSIXMapping.uid(of:)) : nil
    let gid = information.contains(.group) ? sd.group.flatMap(POSIXMapping.gid(of:)) : nil
    if (uid != nil && uid != posix.status.uid) || (gid != nil && gid != posix.status.gid) {
      try FileSystemCalls.changeOwner(of: path, uid: uid, gid: gid)
      posix = try posixSecurity(at: path)
    }
    let wanted = information.contains(.dacl) ? posixACLs(for: sd, on: posix) : nil
    if let wanted {
      if wanted.access != posix.access {
        changed = true
        if wanted.access.isMinimal {
          try FileSystemCalls.removeExtendedAttribute(POSIXACL.accessAttribute, of: path)
          try FileSystemCalls.changeMode(of: path, posix.status.mode & 0o7000 | wanted.access.mode)
        } else {
          try FileSystemCalls.setExtendedAttribute(
            POSIXACL.accessAttribute, wanted.access.attribute, of: path)
        }
      }
      if posix.status.isDirectory, wanted.defaults != posix.defaults {
        changed = true
        if let defaults = wanted.defaults {
          try FileSystemCalls.setExtendedAttribute(
            POSIXACL.defaultAttribute, defaults.attribute, of: path)
        } else {
          try FileSystemCalls.removeExtendedAttribute(POSIXACL.defaultAttribute, of: path)
        }
      }
    }
    if changed, let wanted {
      // What the kernel now holds: the ACLs as set and the mode they imply (special bits kept).
      var status = posix.status
      status.mode = status.mode & ~0o777 | wanted.access.mode
      posix = POSIXSecurity(status: status, access: wanted.access, defaults: wanted.defaults)
    }
    try sd.validate()
    let attribute = NTACLAttribute.samba(sd, posix: posix)
    try FileSystemCalls.setExtendedAttribute(attributeName, attribute.bytes, of: path)
  }

  private func posixACLs(for sd: SecurityDescriptor, on posix: POSIXSecurity) -> (
    access: POSIXACL, defaults: POSIXACL?
  ) {
    DescriptorToPOSIX.acls(
      for: sd.control.contains(.daclPresent) ? sd.dacl : nil, uid: posix.status.uid,
      gid: posix.status.gid, isDirectory: posix.status.isDirectory)
  }

  static func checkPrivileges(
    _ information: SecurityInformation, _ modification: SecurityDescriptor, _ token: AccessToken?
  ) throws(NTSecurityError) {
    if information.contains(.owner), let owner = modification.owner {
      if let token {
        let mayOwn =
          owner == token.user.sid
          || token.groups.contains { $0.sid == owner && $0.attributes.contains(.owner) }
        guard mayOwn || token.hasEnabledPrivilege(.restore) else {
          throw NTSecurityError(
            .invalidOwner, "owner \(owner) is not the caller and SeRestorePrivilege is not enabled")
        }
      }
      if let uid = POSIXMapping.uid(of: owner), uid != FileSystemCalls.effectiveUID,
        !FileSystemCalls.isPrivileged
      {
        throw NTSecurityError(.invalidOwner, "giving a file to uid \(uid) needs CAP_CHOWN")
      }
    }
    if information.contains(.sacl) {
      if let token {
        guard token.hasEnabledPrivilege(.security) else {
          throw NTSecurityError(.privilegeNotHeld, "setting a SACL needs SeSecurityPrivilege")
        }
      } else if !FileSystemCalls.isPrivileged {
        throw NTSecurityError(.privilegeNotHeld, "setting a SACL needs SeSecurityPrivilege")
      }
    }
  }
}
