import NTSecurity

/// Random parent and creator descriptors through inheritance (CreatePrivateObjectSecurityEx,
/// SetPrivateObjectSecurityEx, ConvertToAutoInheritPrivateObjectSecurity) never crash, and what
/// they produce is a valid descriptor that survives the binary round trip.
///
/// Input: three option bytes (bit 0 container, bits 1–3 mapping, bit 4 with object types, bits
/// 5–6 which function; then 16 bits of SEF_* flags), then the parent SDDL, a newline, and the
/// creator SDDL.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size >= 3 else { return 0 }
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let options = bytes[0]
  let flags = AutoInheritFlags(rawValue: (UInt32(bytes[1]) | UInt32(bytes[2]) << 8) & 0x7F7F)
  let text = String(decoding: bytes[3...], as: UTF8.self)
  let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
  guard let parent = try? SecurityDescriptor(sddl: String(parts[0])) else { return 0 }
  let creator = parts.count > 1 ? try? SecurityDescriptor(sddl: String(parts[1])) : nil
  let mappings: [GenericMapping] = [
    .file, .registryKey, .directoryServiceObject, .token, .process, .thread, .file, .file,
  ]
  let mapping = mappings[Int(options >> 1 & 7)]
  let objectTypes =
    options & 0x10 != 0
    ? [GUID("bf967aba-0de6-11d0-a285-00aa003049e2")!, GUID("bf967a9c-0de6-11d0-a285-00aa003049e2")!]
    : []
  var token = AccessToken(
    user: SID.localSystem,
    groups: [SIDAndAttributes(.builtinAdministrators, [.enabled, .owner])],
    privileges: [LUIDAndAttributes(.security, [.enabled])])
  if options & 0x80 != 0 { token.defaultDACL = nil }

  let result: SecurityDescriptor
  switch options >> 5 & 3 {
  case 0, 1:
    do {
      result = try SecurityDescriptor.inherited(
        from: parent, creator: creator, isContainer: options & 1 != 0, objectTypes: objectTypes,
        token: options & 0x40 != 0 ? nil : token, mapping: mapping, flags: flags)
    } catch { return 0 }
  case 2:
    var sd = parent
    let info = SecurityInformation(rawValue: UInt32(bytes[1]) << 24 | UInt32(bytes[2]) & 0x1FF)
    do {
      try sd.setPrivateObjectSecurity(
        info, from: creator ?? parent, flags: flags, mapping: mapping, token: token)
    } catch { return 0 }
    result = sd
  default:
    result = (creator ?? parent).convertedToAutoInherit(
      parent: parent, objectTypes: objectTypes, isContainer: options & 1 != 0, mapping: mapping)
  }
  let encoded = result.bytes
  let decoded = try! SecurityDescriptor(bytes: encoded)
  precondition(decoded.bytes == encoded, "binary round trip changed the inherited descriptor")
  _ = try? result.sddl()
  return 0
}
