import Crypto
import NTSecurity

extension NTACLAttribute {
  /// SHA-256 of `descriptor` as Samba's `hash_sd_sha256` computes it: over the NDR of a version 3
  /// attribute holding the descriptor with a zero hash.
  public static func descriptorHash(_ descriptor: SecurityDescriptor) -> [UInt8] {
    let blob = NTACLAttribute(version3: descriptor, hash: []).bytes
    return Array(SHA256.hash(data: blob))
  }

  /// The version 4 attribute Samba's acl_xattr writes for `descriptor` on a file whose POSIX side
  /// is `posix` (after any chown, chmod or ACL change the write makes): the hash of the POSIX
  /// layer's own descriptor and the hash of the POSIX ACL blob.
  public static func samba(_ descriptor: SecurityDescriptor, posix: POSIXSecurity) -> NTACLAttribute {
    NTACLAttribute(
      version4: descriptor,
      hash: descriptorHash(POSIXMapping.descriptor(for: posix, view: .posix)),
      systemACLHash: posix.sambaHash)
  }

  /// Whether Samba's acl_xattr (without `ignore system acls`) trusts this attribute on a file
  /// whose POSIX side is `posix` (`validate_nt_acl_blob`): versions 1 and 2 always; versions 3
  /// and 4 without a hash type; version 4 whose POSIX ACL hash matches; versions 3 and 4 whose
  /// descriptor hash matches the POSIX layer's descriptor. Otherwise Samba shows the POSIX mapping.
  public func isTrusted(for posix: POSIXSecurity) -> Bool {
    switch version {
    case 1, 2: return true
    case 3, 4:
      if hashType == 0 { return true }
      guard hashType == Self.sha256HashType else { return false }
      if version == 4, hashDescription == Self.posixACLDescription,
        Self.padded(posix.sambaHash) == systemACLHash
      {
        return true
      }
      let mapped = POSIXMapping.descriptor(for: posix, view: .posix)
      return Self.padded(Self.descriptorHash(mapped)) == hash
    default: return false
    }
  }

  /// Whether a `user.*` attribute on a file whose POSIX side is `posix` can only have been written
  /// by its owner (or root): Linux lets anyone with write permission set `user.*` attributes, so
  /// such an attribute is trusted only when no group-class entry, named entry or other grants w.
  public static func onlyOwnerWrites(_ posix: POSIXSecurity) -> Bool {
    guard posix.status.mode & 0o022 == 0 else { return false }
    return !posix.access.entries.contains {
      $0.tag != .userObject && $0.tag != .mask && $0.permissions & 2 != 0
    }
  }
}
