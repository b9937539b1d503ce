import NTSecurity

/// The security descriptor Samba's s3 file server derives from a file's POSIX owner, group, mode
/// and ACLs when no trusted `security.NTACL` is stored (source3/smbd/posix_acls.c, with
/// `acl map full control` and `dos filemode` on, as acl_xattr runs it).
///
/// - Owner and group: `S-1-22-1-uid` and `S-1-22-2-gid` (Samba's "Unix User" and "Unix Group"
///   SIDs; a deviation where Samba's passdb, winbind or idmap maps the id to another SID).
/// - DACL: one allow ACE per POSIX entry but the mask (owner, named users, owning group, named
///   groups, Everyone for "other", which is always present, even with no rights); the mask
///   limits every entry but the owner's and other's. A directory's default ACL adds
///   `OI|CI|IO` ACEs, its owner and owning group entries becoming CREATOR OWNER and CREATOR
///   GROUP; an access ACE and a default ACE of the same SID and rights merge into one `OI|CI`
///   ACE. Rights: r → FILE_GENERIC_READ, w → FILE_GENERIC_WRITE plus DELETE, WRITE_DAC and
///   WRITE_OWNER (plus FILE_DELETE_CHILD on a directory), x → FILE_GENERIC_EXECUTE, rwx → FA.
public enum POSIXMapping {
  /// Which layer's view to produce.
  public enum View: Sendable {
    /// The POSIX layer's own descriptor (`SE_DACL_PROTECTED` set): what Samba hashes into a
    /// version 3 or 4 `security.NTACL`.
    case posix
    /// What acl_xattr returns when it has no trusted blob: protection cleared, and a directory
    /// without inheritable ACEs given CREATOR OWNER, CREATOR GROUP and Everyone `OI|CI|IO` ACEs
    /// from the share's default create and directory masks (0644 and 0755).
    case aclXattr
  }

  /// `S-1-22-1-uid`.
  public static func userSID(_ uid: UInt32) -> SID { try! SID(authority: 22, [1, uid]) }
  /// `S-1-22-2-gid`.
  public static func groupSID(_ gid: UInt32) -> SID { try! SID(authority: 22, [2, gid]) }

  /// The uid of a `S-1-22-1-uid` SID, else nil.
  public static func uid(of sid: SID) -> UInt32? { unixID(sid, kind: 1) }
  /// The gid of a `S-1-22-2-gid` SID, else nil.
  public static func gid(of sid: SID) -> UInt32? { unixID(sid, kind: 2) }

  private static func unixID(_ sid: SID, kind: UInt32) -> UInt32? {
    guard sid.identifierAuthority == 22, sid.subAuthorityCount == 2, sid[subAuthority: 0] == kind
    else { return nil }
    return sid[subAuthority: 1]
  }

  /// The descriptor for `file` as `view` shows it, with owner, group and DACL.
  public static func descriptor(for file: POSIXSecurity, view: View) -> SecurityDescriptor {
    let isDirectory = file.status.isDirectory
    let owner = userSID(file.status.uid)
    let group = groupSID(file.status.gid)
    var aces = canonicalEntries(file.access, owner: owner, group: group).map {
      ACE.allow($0.sid, rights($0.permissions, isDirectory: isDirectory))
    }
    if let defaults = file.defaults {
      aces += canonicalEntries(defaults, owner: .creatorOwner, group: .creatorGroup).map {
        ACE.allow(
          $0.sid, rights($0.permissions, isDirectory: isDirectory),
          flags: [.objectInherit, .containerInherit, .inheritOnly])
      }
    }
    aces = canonicalOrder(mergedDefaults(aces))
    var control: SecurityDescriptorControl = [.daclProtected]
    if view == .aclXattr {
      control = []
      if isDirectory, !aces.contains(where: { $0.flags.contains(.containerInherit) }) {
        let io: ACEFlags = [.objectInherit, .containerInherit, .inheritOnly]
        aces += [
          .allow(.creatorOwner, rights(7, isDirectory: false), flags: io),
          .allow(.creatorGroup, rights(5, isDirectory: false), flags: io),
          .allow(.everyone, rights(5, isDirectory: false), flags: io),
        ]
      }
    }
    return SecurityDescriptor(
      owner: owner, group: group, dacl: ACL(revision: ACL.revision2, aces: aces), control: control)
  }

  /// The NT rights Samba maps rwx bits to.
  public static func rights(_ permissions: UInt32, isDirectory: Bool) -> AccessMask {
    var mask: UInt32
    switch permissions & 7 {
    case 7: mask = isDirectory ? 0x1F_01FF : 0x1E_01FF
    case 0: mask = 0
    default:
      mask = 0
      if permissions & 4 != 0 { mask |= 0x12_0089 }
      if permissions & 2 != 0 { mask |= isDirectory ? 0x12_0156 : 0x12_0116 }
      if permissions & 1 != 0 { mask |= 0x12_00A0 }
    }
    if permissions & 2 != 0 { mask |= 0x0D_0000 }
    return AccessMask(rawValue: mask)
  }

  struct CanonicalEntry {
    var sid: SID
    var permissions: UInt32
    var tag: POSIXACL.Tag
  }

  /// The entries of `acl` as Samba's `canonicalise_acl` lists them: in reverse of the kernel's
  /// order (each entry is put at the head of the list), the mask applied to all but the owner and
  /// other (entries left with no rights moved to the front), then the owner first and other last.
  static func canonicalEntries(_ acl: POSIXACL, owner: SID, group: SID) -> [CanonicalEntry] {
    let mask = acl.entry(.mask)?.permissions ?? 7
    var list: [CanonicalEntry] = acl.entries.reversed().compactMap { e in
      switch e.tag {
      case .mask: return nil
      case .userObject: return CanonicalEntry(sid: owner, permissions: e.permissions, tag: e.tag)
      case .groupObject: return CanonicalEntry(sid: group, permissions: e.permissions, tag: e.tag)
      case .other: return CanonicalEntry(sid: .everyone, permissions: e.permissions, tag: e.tag)
      case .user: return CanonicalEntry(sid: userSID(e.id ?? 0), permissions: e.permissions, tag: e.tag)
      case .group: return CanonicalEntry(sid: groupSID(e.id ?? 0), permissions: e.permissions, tag: e.tag)
      }
    }
    for k in list.indices where list[k].tag != .userObject && list[k].tag != .other {
      list[k].permissions &= mask
      if list[k].permissions == 0 { list.insert(list.remove(at: k), at: 0) }
    }
    guard let ownerAt = list.firstIndex(where: { $0.tag == .userObject }),
      list.contains(where: { $0.tag == .other })
    else { return list }
    list.insert(list.remove(at: ownerAt), at: 0)
    let otherAt = list.lastIndex { $0.tag == .other }!
    list.append(list.remove(at: otherAt))
    return list
  }

  /// Samba's `merge_default_aces`: an access ACE and a default (`OI|CI|IO`) ACE for the same SID
  /// with the same rights become one `OI|CI` ACE (kept in the access ACE's place, or in the
  /// default's when the rights are none).
  static func mergedDefaults(_ list: [ACE]) -> [ACE] {
    var aces = list
    var i = 0
    while i < aces.count {
      for j in (i + 1)..<max(i + 1, aces.count)
      where aces[i].type == aces[j].type && aces[i].mask == aces[j].mask
        && aces[i].sid == aces[j].sid && aces[i].flags.subtracting(.inherited).isEmpty
        && aces[j].flags.subtracting(.inherited) == [.objectInherit, .containerInherit, .inheritOnly]
      {
        let inherited: ACEFlags = aces[i].flags.contains(.inherited) ? [.inherited] : []
        if aces[i].mask.rawValue == 0 {
          aces[j].flags = ACEFlags([.objectInherit, .containerInherit]).union(inherited)
          aces.remove(at: i)
        } else {
          aces[i].flags = ACEFlags([.objectInherit, .containerInherit]).union(inherited)
          aces.remove(at: j)
        }
        break
      }
      i += 1
    }
    return aces
  }

  /// Samba's canonical DACL order (stable): explicit before inherited; within each, denies first,
  /// then ACEs that apply to the object before inherit-only ones, then inheritable before not.
  static func canonicalOrder(_ aces: [ACE]) -> [ACE] {
    func key(_ a: ACE) -> Int {
      (a.flags.contains(.inherited) ? 8 : 0) | (a.type == .accessDenied ? 0 : 4)
        | (a.flags.contains(.inheritOnly) ? 2 : 0) | (a.isInheritable ? 0 : 1)
    }
    return aces.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }
      .map(\.element)
  }
}
