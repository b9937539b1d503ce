import NTSecurity

/// SECURITY_ATTRIBUTES: the descriptor a creator asks for (nil: only what the parent passes on
/// and the token's defaults). `inheritHandle` has no meaning for a path and is kept for callers
/// porting Win32 code.
public struct SecurityAttributes: Hashable, Sendable {
  public var securityDescriptor: SecurityDescriptor?
  public var inheritHandle: Bool

  public init(securityDescriptor: SecurityDescriptor? = nil, inheritHandle: Bool = false) {
    self.securityDescriptor = securityDescriptor
    self.inheritHandle = inheritHandle
  }
}

extension FileSecurity {
  /// Creates a new file (CreateFile with CREATE_NEW) whose descriptor is computed as Windows and
  /// Samba compute it: CreatePrivateObjectSecurityEx over the parent directory's descriptor, the
  /// creator's descriptor and `token` (owner, group and default DACL; nil: the process's
  /// `S-1-22-1-euid` and `S-1-22-2-egid`), with auto-inheritance. The POSIX side follows the
  /// descriptor. Returns the descriptor written.
  @discardableResult
  public func createFile(
    at path: String, securityAttributes: SecurityAttributes? = nil, token: AccessToken? = nil
  ) throws(NTSecurityError) -> SecurityDescriptor {
    try create(path, directory: false, securityAttributes, token)
  }

  /// Creates a new directory (CreateDirectory) the same way as ``createFile(at:securityAttributes:token:)``.
  @discardableResult
  public func createDirectory(
    at path: String, securityAttributes: SecurityAttributes? = nil, token: AccessToken? = nil
  ) throws(NTSecurityError) -> SecurityDescriptor {
    try create(path, directory: true, securityAttributes, token)
  }

  private func create(
    _ path: String, directory: Bool, _ attributes: SecurityAttributes?, _ token: AccessToken?
  ) throws(NTSecurityError) -> SecurityDescriptor {
    let parent = try descriptor(at: Self.parent(of: path))
    var creator = attributes?.securityDescriptor ?? SecurityDescriptor()
    if token == nil {
      if creator.owner == nil { creator.owner = POSIXMapping.userSID(FileSystemCalls.effectiveUID) }
      if creator.group == nil { creator.group = POSIXMapping.groupSID(FileSystemCalls.effectiveGID) }
    }
    let creatorOrNil = attributes?.securityDescriptor == nil && token != nil ? nil : creator
    let sd = try SecurityDescriptor.inherited(
      from: parent, creator: creatorOrNil, isContainer: directory, token: token, mapping: .file,
      flags: token == nil
        ? [.daclAutoInherit, .saclAutoInherit, .avoidOwnerCheck, .avoidPrivilegeCheck]
        : [.daclAutoInherit, .saclAutoInherit])
    try FileSystemCalls.create(path, directory: directory, mode: 0o600)
    do {
      try write(sd, at: path, changing: [.owner, .group, .dacl])
    } catch {
      // A file whose descriptor could not be written must not stay behind with the wrong one.
      try? FileSystemCalls.removeExtendedAttribute(attributeName, of: path)
      throw error
    }
    return sd
  }

  /// AccessCheck of `token` against the file's descriptor (generic rights in `desired` are
  /// mapped with the file mapping first).
  public func accessCheck(
    _ path: String, token: AccessToken, desired: AccessMask, objectTypes: [ObjectTypeEntry] = []
  ) throws(NTSecurityError) -> AccessCheckResult {
    let sd = try descriptor(at: path)
    return try AccessCheck.evaluate(
      token: token, descriptor: sd, desired: desired.mapped(by: .file), mapping: .file,
      objectTypes: objectTypes)
  }

  /// GetEffectiveRightsFromAcl on the file's DACL for `trustee` and its `groups`.
  public func effectiveRights(_ path: String, trustee: SID, groups: [SID] = [])
    throws(NTSecurityError) -> AccessMask
  {
    let sd = try descriptor(at: path, information: .dacl)
    guard let dacl = sd.dacl else { return .fileAllAccess }
    return AccessCheck.effectiveRights(of: trustee, groups: groups, in: dacl)
  }
}
