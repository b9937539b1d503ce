import NTSecurity

/// Binary self-relative security descriptors: decoding never crashes; a decoded descriptor encodes
/// to bytes that decode to the same value; printing it as SDDL never crashes, and SDDL it prints
/// parses back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let sd = try? SecurityDescriptor(bytes: bytes) else { return 0 }
  let encoded = sd.bytes
  let decoded = try! SecurityDescriptor(bytes: encoded)
  precondition(decoded == sd, "decode(encode(x)) != x")
  if let text = try? sd.sddl() {
    precondition((try? SecurityDescriptor(sddl: text)) != nil, "printed SDDL does not parse: \(text)")
  }
  return 0
}
