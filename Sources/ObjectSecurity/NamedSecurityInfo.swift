import NTSecurity

/// SE_OBJECT_TYPE: the kinds of object GetNamedSecurityInfo and SetNamedSecurityInfo name.
/// Files and directories (`.file`) are implemented; Samba's shares (`.lmShare`) can be read
/// (``ShareSecurity``); every other kind is ERROR_NOT_SUPPORTED.
public enum SEObjectType: UInt32, Sendable, CaseIterable {
  case unknown = 0
  case file = 1
  case service = 2
  case printer = 3
  case registryKey = 4
  case lmShare = 5
  case kernelObject = 6
  case windowObject = 7
  case dsObject = 8
  case dsObjectAll = 9
  case providerDefinedObject = 10
  case wmiGUIDObject = 11
  case registryWOW64_32Key = 12
  case registryWOW64_64Key = 13
}

extension FileSecurity {
  static func requireFile(_ type: SEObjectType) throws(NTSecurityError) {
    if type == .lmShare {
      throw NTSecurityError(
        .notSupported, "SE_LMSHARE descriptors are read-only here (Samba's sharesec sets them)")
    }
    guard type == .file else {
      throw NTSecurityError(
        .notSupported, "object type \(type) has no security descriptors here (only SE_FILE_OBJECT)")
    }
  }

  /// GetNamedSecurityInfo: the parts `information` selects of the descriptor of the object named
  /// `name`: a path for `.file`, a share name for `.lmShare` (read from Samba's share database
  /// with ``shares``; setting one is ERROR_NOT_SUPPORTED).
  public func getNamedSecurityInfo(
    _ name: String, _ type: SEObjectType, _ information: SecurityInformation
  ) throws(NTSecurityError) -> SecurityDescriptor {
    if type == .lmShare { return try shares.descriptor(ofShare: name, information: information) }
    try Self.requireFile(type)
    return try descriptor(at: name, information: information)
  }

  /// GetFileSecurity.
  public func getFileSecurity(_ path: String, _ information: SecurityInformation)
    throws(NTSecurityError) -> SecurityDescriptor
  {
    try descriptor(at: path, information: information)
  }

  /// SetFileSecurity: no auto-inheritance; the ACLs given replace the file's.
  public func setFileSecurity(
    _ path: String, _ information: SecurityInformation, _ descriptor: SecurityDescriptor,
    token: AccessToken? = nil
  ) throws(NTSecurityError) {
    try setSecurity(information, descriptor, at: path, token: token)
  }

  /// SetNamedSecurityInfo for files: sets what `information` selects, with auto-inheritance
  /// (the DACL and SACL are the ACEs given followed by those inherited from the parent directory,
  /// unless protected: `.protectedDacl`/`.protectedSacl` protect, `.unprotectedDacl`/
  /// `.unprotectedSacl` re-inherit), then recomputes the inherited ACEs of everything below a
  /// directory with `token`'s rights (see ``propagate(from:resetChildren:token:progress:)``).
  public func setNamedSecurityInfo(
    _ name: String, _ type: SEObjectType, _ information: SecurityInformation, owner: SID? = nil,
    group: SID? = nil, dacl: ACL? = nil, sacl: ACL? = nil, token: AccessToken? = nil
  ) throws(NTSecurityError) {
    try Self.requireFile(type)
    var modification = SecurityDescriptor(owner: owner, group: group)
    if information.contains(.dacl) {
      modification.setDACL(
        present: true, dacl.map { ACL(aces: $0.aces.filter { !$0.flags.contains(.inherited) }) })
    }
    if information.contains(.sacl) {
      modification.setSACL(
        present: true, sacl.map { ACL(aces: $0.aces.filter { !$0.flags.contains(.inherited) }) })
    }
    try Self.checkPrivileges(information, modification, token)
    var sd = try descriptor(at: name)
    try sd.setPrivateObjectSecurity(
      information, from: modification,
      flags: [.daclAutoInherit, .saclAutoInherit, .avoidOwnerCheck, .avoidPrivilegeCheck],
      mapping: .file, token: token)
    sd = try reinherited(sd, at: name)
    try write(sd, at: name, changing: information.union([.dacl]))
    if try posixSecurity(at: name).status.isDirectory {
      try propagate(from: name, token: token)
    }
  }

  /// `sd` with its inherited ACEs recomputed from the parent directory of `path` (for an
  /// unprotected ACL); owner, group and explicit ACEs kept.
  func reinherited(_ sd: SecurityDescriptor, at path: String) throws(NTSecurityError)
    -> SecurityDescriptor
  {
    let parentPath = Self.parent(of: path)
    guard parentPath != path else { return sd }
    let parent = try descriptor(at: parentPath)
    let isDirectory = try posixSecurity(at: path).status.isDirectory
    return try Self.child(sd, under: parent, isDirectory: isDirectory)
  }

  /// The descriptor of an existing child under `parent`: its explicit ACEs followed by what the
  /// parent passes on (CreatePrivateObjectSecurityEx with the child's explicit ACEs as creator).
  static func child(_ sd: SecurityDescriptor, under parent: SecurityDescriptor, isDirectory: Bool)
    throws(NTSecurityError) -> SecurityDescriptor
  {
    var creator = sd
    func explicit(_ acl: ACL?) -> ACL? {
      acl.map { ACL(revision: $0.revision, aces: $0.aces.filter { !$0.flags.contains(.inherited) }) }
    }
    if sd.control.contains(.daclPresent) { creator.setDACL(present: true, explicit(sd.dacl) ?? ACL()) }
    if sd.control.contains(.saclPresent) { creator.setSACL(present: true, explicit(sd.sacl) ?? ACL()) }
    if sd.control.contains(.daclProtected) { creator.control.insert(.daclProtected) }
    if sd.control.contains(.saclProtected) { creator.control.insert(.saclProtected) }
    var result = try SecurityDescriptor.inherited(
      from: parent, creator: creator, isContainer: isDirectory, token: nil, mapping: .file,
      flags: [.daclAutoInherit, .saclAutoInherit, .avoidOwnerCheck, .avoidPrivilegeCheck])
    if !sd.control.contains(.saclPresent), result.sacl?.aces.isEmpty ?? true {
      result.setSACL(present: false, nil)
    }
    return result
  }

  static func parent(of path: String) -> String {
    var p = path
    while p.count > 1, p.hasSuffix("/") { p.removeLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    return slash == p.startIndex ? "/" : String(p[..<slash])
  }
}

extension FileSecurity {
  /// The path the kernel resolves to the file open as `fd` in this process.
  static func path(of fd: Int32) -> String { "/proc/self/fd/\(fd)" }

  /// GetSecurityInfo: the descriptor of the file or directory open as `handle` (a file
  /// descriptor), read through `/proc/self/fd`.
  public func getSecurityInfo(
    _ handle: Int32, _ type: SEObjectType, _ information: SecurityInformation
  ) throws(NTSecurityError) -> SecurityDescriptor {
    try Self.requireFile(type)
    return try descriptor(at: Self.path(of: handle), information: information)
  }

  /// SetSecurityInfo: sets what `information` selects on the file open as `handle`, with
  /// auto-inheritance (the inherited ACEs it has are kept unless the new ACL is protected) but,
  /// as Windows, without recomputing them from the parent or propagating below a directory.
  public func setSecurityInfo(
    _ handle: Int32, _ type: SEObjectType, _ information: SecurityInformation, owner: SID? = nil,
    group: SID? = nil, dacl: ACL? = nil, sacl: ACL? = nil, token: AccessToken? = nil
  ) throws(NTSecurityError) {
    try Self.requireFile(type)
    var modification = SecurityDescriptor(owner: owner, group: group)
    if information.contains(.dacl) { modification.setDACL(present: true, dacl) }
    if information.contains(.sacl) { modification.setSACL(present: true, sacl) }
    try setSecurity(
      information, modification, at: Self.path(of: handle), token: token,
      flags: [.daclAutoInherit, .saclAutoInherit])
  }
}
