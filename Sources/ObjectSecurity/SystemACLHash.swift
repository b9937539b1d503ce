import Crypto
import NTSecurity

/// The POSIX side of a file as Samba's acl_xattr hashes it into `security.NTACL` version 4: owner,
/// group, mode, the access ACL (from the mode when the file has none) and, for a directory, the
/// default ACL (empty when it has none). A change to any of them makes Samba distrust the blob's
/// POSIX hash.
public struct POSIXSecurity: Hashable, Sendable {
  /// Owner, group and mode.
  public var status: FileStatus
  /// The access ACL (the three entries of the mode when the file has no ACL attribute).
  public var access: POSIXACL
  /// The default ACL of a directory; nil for a file or a directory without one.
  public var defaults: POSIXACL?

  public init(status: FileStatus, access: POSIXACL? = nil, defaults: POSIXACL? = nil) {
    self.status = status
    self.access = access ?? POSIXACL(mode: status.permissions)
    self.defaults = status.isDirectory ? defaults : nil
  }

  /// The NDR `smb_acl_wrapper` Samba hashes (`posix_sys_acl_blob_get_fd`).
  var sambaBlob: [UInt8] {
    var out: [UInt8] = []
    out.appendLE(UInt32(0x0002_0000))
    out.appendLE(UInt32(status.isDirectory ? 0x0002_0004 : 0))
    out.appendLE(UInt64(status.uid))
    out.appendLE(UInt64(status.gid))
    out.appendLE(status.mode)
    Self.append(access.entries, to: &out)
    if status.isDirectory { Self.append(defaults?.entries ?? [], to: &out) }
    return out
  }

  private static func append(_ entries: [POSIXACL.Entry], to out: inout [UInt8]) {
    func align8() { while out.count % 8 != 0 { out.append(0) } }
    out.appendLE(UInt32(entries.count))
    align8()
    out.appendLE(UInt32(entries.count))
    out.appendLE(UInt32(0))
    for e in entries {
      align8()
      let tag = UInt32(e.tag.sambaTag)
      out.appendLE(tag | tag << 16)
      if let id = e.id {
        align8()
        out.appendLE(UInt64(id))
      }
      out.appendLE(e.permissions)
    }
  }

  /// SHA-256 of Samba's blob: the `sys_acl_hash` of a version 4 `security.NTACL`.
  public var sambaHash: [UInt8] { Array(SHA256.hash(data: sambaBlob)) }
}
