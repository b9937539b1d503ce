import NTSecurity
import ObjectSecurity

/// `security.NTACL` attributes (any version) and POSIX ACL attributes, both outside input read
/// from files: decoding never crashes; a decoded attribute encodes to bytes that decode to the same
/// value; the POSIX mapping of a decoded ACL never crashes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let attribute = try? NTACLAttribute(bytes: bytes) {
    let decoded = try! NTACLAttribute(bytes: attribute.bytes)
    precondition(decoded.descriptor == attribute.descriptor, "decode(encode(x)) != x")
    precondition(decoded.version == attribute.version)
  }
  if let acl = try? POSIXACL(attribute: bytes) {
    precondition((try? POSIXACL(attribute: acl.attribute)) == acl, "POSIX ACL round trip")
    let status = FileStatus(uid: 1000, gid: 1000, mode: 0o040000 | acl.mode)
    let file = POSIXSecurity(status: status, access: acl, defaults: acl)
    _ = POSIXMapping.descriptor(for: file, view: .aclXattr)
    _ = file.sambaHash
  }
  return 0
}
