import NTSecurity

/// SDDL text: parsing never crashes; whatever parses survives SDDL → binary → SDDL → binary, and
/// the canonical SDDL is a fixpoint.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let domain = try! SID(parsing: "S-1-5-21-2457507606-2709100691-398136650")
  guard let sd = try? SecurityDescriptor(sddl: text, domain: domain) else { return 0 }
  let bytes = sd.bytes
  let decoded = try! SecurityDescriptor(bytes: bytes)
  precondition(decoded.bytes == bytes, "binary round trip changed \(text)")
  let canonical = try! decoded.sddl(domain: domain)
  let again = try! SecurityDescriptor(sddl: canonical, domain: domain)
  precondition(try! again.sddl(domain: domain) == canonical, "SDDL not a fixpoint: \(text) → \(canonical)")
  // Spare ACL bytes (Windows' sizing of GUID-less object ACEs) have no SDDL form; all else must
  // come back byte for byte.
  if decoded.dacl?.slack.isEmpty ?? true, decoded.sacl?.slack.isEmpty ?? true {
    precondition(again.bytes == bytes, "SDDL round trip changed \(text) → \(canonical)")
  }
  return 0
}
