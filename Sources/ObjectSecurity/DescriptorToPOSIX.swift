import NTSecurity

/// The POSIX side a DACL asks for, as close to the NT intent as POSIX can say it, and never wider
/// than the DACL grants: each POSIX entry gets the rights the DACL grants its SID (and Everyone),
/// a right denied before it is granted staying denied, also when it is denied to a SID other than
/// one Unix user (a group, a well-known or unmapped SID): POSIX cannot tell who holds such a SID,
/// so such a deny counts for every entry, owner and other included. r needs FILE_READ_DATA,
/// x FILE_EXECUTE, w on a file FILE_WRITE_DATA and FILE_APPEND_DATA, w on a directory also
/// FILE_ADD_SUBDIRECTORY and FILE_DELETE_CHILD (w+x lets POSIX delete and rename any entry);
/// generic rights are mapped as for files first. Samba maps any read, write or execute bit to r,
/// w or x; this mapping is stricter so that local POSIX access never exceeds the descriptor's.
///
/// `S-1-22-1-uid` and `S-1-22-2-gid` SIDs become named entries (with a mask); Everyone becomes
/// "other". A directory's default ACL, which serves new files and directories at every level
/// below, takes its allow ACEs inherited by both (OI and CI, without NP) and every inheritable
/// deny, CREATOR OWNER and CREATOR GROUP becoming its owner and owning group entries. SIDs with
/// no Unix id have no POSIX entry.
enum DescriptorToPOSIX {
  /// The access ACL (and, for a directory, the default ACL) for `dacl` on a file owned by `uid`
  /// and `gid`. A NULL DACL gives everyone rwx.
  static func acls(for dacl: ACL?, uid: UInt32, gid: UInt32, isDirectory: Bool) -> (
    access: POSIXACL, defaults: POSIXACL?
  ) {
    guard let dacl else { return (POSIXACL(mode: 0o777), nil) }
    let effective = dacl.aces.filter { !$0.flags.contains(.inheritOnly) }
    let access = acl(
      effective, owner: POSIXMapping.userSID(uid), group: POSIXMapping.groupSID(gid),
      isDirectory: isDirectory)
    guard isDirectory else { return (access, nil) }
    let inheritable = dacl.aces.filter {
      $0.flags.contains(.containerInherit) || $0.flags.contains(.objectInherit)
    }
    guard !inheritable.isEmpty else { return (access, nil) }
    // The default ACL serves new files and directories alike, and reaches every level below:
    // an allow counts only when both inherit it and it propagates (OI and CI, no NP); every
    // inheritable deny counts.
    let defaults = inheritable.filter {
      $0.type.isDeny
        || ($0.flags.isSuperset(of: [.objectInherit, .containerInherit])
          && !$0.flags.contains(.noPropagateInherit))
    }
    return (access, acl(defaults, owner: .creatorOwner, group: .creatorGroup, isDirectory: true))
  }

  static func acl(_ aces: [ACE], owner: SID, group: SID, isDirectory: Bool) -> POSIXACL {
    func bits(_ sids: Set<SID>) -> UInt32 {
      permissions(rights(aces, for: sids), isDirectory: isDirectory)
    }
    func bits(_ sid: SID) -> UInt32 { bits([sid, .everyone]) }
    var entries: [POSIXACL.Entry] = [
      .init(.userObject, bits(owner)), .init(.groupObject, bits(group)),
      .init(.other, bits([.everyone])),
    ]
    var named = Set<SID>()
    for ace in aces where !named.contains(ace.sid) && ace.sid != owner && ace.sid != group {
      if let uid = POSIXMapping.uid(of: ace.sid) {
        entries.append(.init(.user, id: uid, bits(ace.sid)))
      } else if let gid = POSIXMapping.gid(of: ace.sid) {
        entries.append(.init(.group, id: gid, bits(ace.sid)))
      } else {
        continue
      }
      named.insert(ace.sid)
    }
    if !named.isEmpty {
      let mask = entries.filter { [.groupObject, .user, .group].contains($0.tag) }
        .reduce(UInt32(0)) { $0 | $1.permissions }
      entries.append(.init(.mask, mask))
    }
    return POSIXACL(entries)
  }

  /// The rights `aces` surely grant to every holder of `sids`, in order: a right denied first
  /// stays denied. A deny to a SID that is not one Unix user (a group, a well-known or unmapped
  /// SID) counts for every holder, since POSIX cannot tell who else holds it; a deny to another
  /// Unix user does not, that user having its own entry. Object ACEs (no object types on files)
  /// grant nothing; an object deny still denies.
  static func rights(_ aces: [ACE], for sids: Set<SID>) -> AccessMask {
    var granted: UInt32 = 0
    var denied: UInt32 = 0
    for ace in aces {
      let mask = ace.mask.mapped(by: .file).rawValue
      if ace.type == .accessAllowed, sids.contains(ace.sid) {
        granted |= mask & ~denied
      } else if ace.type.isDeny, sids.contains(ace.sid) || POSIXMapping.uid(of: ace.sid) == nil {
        denied |= mask & ~granted
      }
    }
    return AccessMask(rawValue: granted)
  }

  static func permissions(_ rights: AccessMask, isDirectory: Bool) -> UInt32 {
    // FILE_WRITE_DATA|FILE_APPEND_DATA, and for a directory FILE_ADD_FILE|FILE_ADD_SUBDIRECTORY|
    // FILE_DELETE_CHILD.
    let write = AccessMask(rawValue: isDirectory ? 0x46 : 0x6)
    return (rights.contains(.fileReadData) ? 4 : 0) | (rights.contains(write) ? 2 : 0)
      | (rights.contains(.fileExecute) ? 1 : 0)
  }
}
