import NTSecurity

/// Security descriptors of files and directories kept as Samba's s3 file server (vfs `acl_xattr`)
/// keeps them: a version 4 `security.NTACL` attribute whose hashes tie it to the POSIX side, and,
/// when none is stored or its hashes no longer match, the descriptor mapped from the POSIX owner,
/// group, mode and ACLs (``POSIXMapping``).
///
/// A process without CAP_SYS_ADMIN cannot write `security.*` attributes; it keeps the same format
/// in `user.NTACL`, which Samba does not read (a deviation, chosen with ``init(attributeName:)``).
/// Since anyone who may write a file may set its `user.*` attributes, a `user.*` descriptor is
/// trusted only while nobody but the owner may write the file
/// (``NTACLAttribute/onlyOwnerWrites(_:)``); otherwise the file shows its POSIX mapping.
public struct FileSecurity: Sendable {
  /// The extended attribute holding the descriptor.
  public var attributeName: String
  /// Where SE_LMSHARE descriptors are read (Samba's share database).
  public var shares = ShareSecurity()

  /// Uses `attributeName`, by default `security.NTACL` for root and `user.NTACL` otherwise.
  public init(attributeName: String? = nil) {
    self.attributeName =
      attributeName
      ?? (FileSystemCalls.isPrivileged ? NTACLAttribute.securityName : NTACLAttribute.userName)
  }

  /// The POSIX side of the file at `path`: owner, group, mode, access ACL and (for a directory)
  /// default ACL.
  public func posixSecurity(at path: String) throws(NTSecurityError) -> POSIXSecurity {
    let status = try FileSystemCalls.status(of: path)
    let access = try FileSystemCalls.extendedAttribute(POSIXACL.accessAttribute, of: path).map {
      (b) throws(NTSecurityError) in try POSIXACL(attribute: b)
    }
    var defaults: POSIXACL?
    if status.isDirectory {
      defaults = try FileSystemCalls.extendedAttribute(POSIXACL.defaultAttribute, of: path).map {
        (b) throws(NTSecurityError) in try POSIXACL(attribute: b)
      }
    }
    return POSIXSecurity(status: status, access: access, defaults: defaults)
  }

  /// The stored attribute at `path`, undecoded-checked but not validated against the POSIX side;
  /// nil when there is none.
  public func storedAttribute(at path: String) throws(NTSecurityError) -> NTACLAttribute? {
    try FileSystemCalls.extendedAttribute(attributeName, of: path).map {
      (b) throws(NTSecurityError) in try NTACLAttribute(bytes: b)
    }
  }

  /// The descriptor of the file at `path` as Samba's acl_xattr shows it: the stored descriptor when
  /// Samba trusts it (``NTACLAttribute/isTrusted(for:)``; for `user.*` also only while nobody but
  /// the owner may write the file), else the POSIX mapping; only the parts
  /// `information` selects.
  public func descriptor(
    at path: String, information: SecurityInformation = [.owner, .group, .dacl, .sacl]
  ) throws(NTSecurityError) -> SecurityDescriptor {
    try descriptorAndPOSIX(at: path).descriptor.selecting(information)
  }

  /// The full descriptor as smbd shows it, with the POSIX side it was checked against.
  func descriptorAndPOSIX(at path: String) throws(NTSecurityError) -> (
    descriptor: SecurityDescriptor, posix: POSIXSecurity
  ) {
    let posix = try posixSecurity(at: path)
    if let stored = try storedAttribute(at: path), stored.isTrusted(for: posix),
      !attributeName.hasPrefix("user.") || NTACLAttribute.onlyOwnerWrites(posix)
    {
      return (stored.descriptor, posix)
    }
    return (POSIXMapping.descriptor(for: posix, view: .aclXattr), posix)
  }

  /// Stores `descriptor` as it is (one atomic `setxattr` of a version 4 attribute hashed against
  /// the file's current POSIX side); the POSIX side is not changed.
  public func store(_ descriptor: SecurityDescriptor, at path: String) throws(NTSecurityError) {
    let posix = try posixSecurity(at: path)
    try descriptor.validate()
    let attribute = NTACLAttribute.samba(descriptor, posix: posix)
    try FileSystemCalls.setExtendedAttribute(attributeName, attribute.bytes, of: path)
  }

  /// Removes the stored descriptor: the file falls back to its POSIX mapping.
  public func removeStoredDescriptor(at path: String) throws(NTSecurityError) {
    try FileSystemCalls.removeExtendedAttribute(attributeName, of: path)
  }
}

extension SecurityDescriptor {
  /// The parts of this descriptor `information` selects (owner, group, DACL, SACL), as
  /// GetFileSecurity returns them; the control bits of parts left out are cleared.
  public func selecting(_ information: SecurityInformation) -> SecurityDescriptor {
    var sd = self
    if !information.contains(.owner) {
      sd.owner = nil
      sd.control.remove(.ownerDefaulted)
    }
    if !information.contains(.group) {
      sd.group = nil
      sd.control.remove(.groupDefaulted)
    }
    if !information.contains(.dacl) {
      sd.setDACL(present: false, nil)
      sd.control.subtract([.daclProtected, .daclAutoInherited, .daclAutoInheritRequired])
    }
    if !information.contains(.sacl) {
      sd.setSACL(present: false, nil)
      sd.control.subtract([.saclProtected, .saclAutoInherited, .saclAutoInheritRequired])
    }
    return sd
  }
}
