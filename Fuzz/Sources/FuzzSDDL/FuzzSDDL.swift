import NTSecurity

/// SDDL text: parsing never crashes, and whatever parses survives SDDL → binary → SDDL → binary
/// unchanged.
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
  precondition(again.bytes == bytes, "SDDL round trip changed \(text) → \(canonical)")
  return 0
}
