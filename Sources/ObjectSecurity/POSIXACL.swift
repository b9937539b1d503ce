import NTSecurity

/// A POSIX.1e access control list as Linux keeps it (the `system.posix_acl_access` and
/// `system.posix_acl_default` attributes): entries for the owner, named users, the owning group,
/// named groups, the mask and others.
public struct POSIXACL: Hashable, Sendable {
  /// The attribute holding a file's access ACL.
  public static let accessAttribute = "system.posix_acl_access"
  /// The attribute holding a directory's default ACL.
  public static let defaultAttribute = "system.posix_acl_default"

  /// An entry's kind, with the kernel's tag values.
  public enum Tag: UInt16, Hashable, Sendable, Comparable {
    case userObject = 0x01
    case user = 0x02
    case groupObject = 0x04
    case group = 0x08
    case mask = 0x10
    case other = 0x20

    public static func < (a: Tag, b: Tag) -> Bool { a.rawValue < b.rawValue }

    /// Samba's SMB_ACL tag for the same kind (librpc/idl/smb_acl.idl).
    var sambaTag: UInt16 {
      switch self {
      case .user: 1
      case .userObject: 2
      case .group: 3
      case .groupObject: 4
      case .other: 5
      case .mask: 6
      }
    }
  }

  /// One entry: a tag, the uid or gid for `.user` and `.group`, and rwx bits (4, 2, 1).
  public struct Entry: Hashable, Sendable {
    public var tag: Tag
    public var id: UInt32?
    public var permissions: UInt32

    public init(_ tag: Tag, id: UInt32? = nil, _ permissions: UInt32) {
      self.tag = tag
      self.id = id
      self.permissions = permissions & 7
    }
  }

  /// The entries, in the kernel's order (tag, then id).
  public var entries: [Entry]

  /// An ACL of these entries, sorted into the kernel's order.
  public init(_ entries: [Entry]) {
    self.entries = entries.sorted { ($0.tag, $0.id ?? 0) < ($1.tag, $1.id ?? 0) }
  }

  /// The three-entry ACL equivalent to permission bits `mode`.
  public init(mode: UInt32) {
    self.init([
      Entry(.userObject, mode >> 6), Entry(.groupObject, mode >> 3), Entry(.other, mode),
    ])
  }

  /// The entry with `tag` (the first one, for `.user` and `.group`).
  public func entry(_ tag: Tag) -> Entry? { entries.first { $0.tag == tag } }

  /// Whether the ACL says no more than permission bits can (no named entries, no mask).
  public var isMinimal: Bool { entries.allSatisfy { [.userObject, .groupObject, .other].contains($0.tag) } }

  /// The permission bits the ACL implies: owner, mask (or owning group), other.
  public var mode: UInt32 {
    let group = entry(.mask) ?? entry(.groupObject)
    return (entry(.userObject)?.permissions ?? 0) << 6 | (group?.permissions ?? 0) << 3
      | (entry(.other)?.permissions ?? 0)
  }
}

// MARK: - The kernel's attribute format

extension POSIXACL {
  static let attributeVersion: UInt32 = 2
  static let undefinedID: UInt32 = 0xFFFF_FFFF

  /// Decodes the kernel's format: a 32-bit version (2), then 8-byte entries (tag, permissions,
  /// id). Bad input is ERROR_INVALID_ACL naming the offset.
  public init(attribute bytes: [UInt8]) throws(NTSecurityError) {
    var r = ByteReader(bytes, error: .invalidAcl)
    let version = try r.u32("POSIX ACL version")
    guard version == Self.attributeVersion else {
      throw NTSecurityError(.unknownRevision, "POSIX ACL version \(version) (2 expected)", offset: 0)
    }
    guard (bytes.count - 4) % 8 == 0 else {
      throw NTSecurityError(.invalidAcl, "POSIX ACL of \(bytes.count) bytes (4 + 8n expected)")
    }
    var entries: [Entry] = []
    while r.remaining > 0 {
      let at = r.position
      let rawTag = try r.u16("POSIX ACL tag")
      let permissions = try r.u16("POSIX ACL permissions")
      let id = try r.u32("POSIX ACL id")
      guard let tag = Tag(rawValue: rawTag), permissions <= 7 else {
        throw NTSecurityError(
          .invalidAcl, "POSIX ACL entry tag \(rawTag) permissions \(permissions)", offset: at)
      }
      let named = tag == .user || tag == .group
      entries.append(Entry(tag, id: named ? id : nil, UInt32(permissions)))
    }
    self.entries = entries
  }

  /// The kernel's format.
  public var attribute: [UInt8] {
    var out: [UInt8] = []
    out.appendLE(Self.attributeVersion)
    for e in entries {
      out.appendLE(UInt32(e.tag.rawValue) | e.permissions << 16)
      out.appendLE(e.id ?? Self.undefinedID)
    }
    return out
  }
}
