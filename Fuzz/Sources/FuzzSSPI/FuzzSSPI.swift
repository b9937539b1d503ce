import SSPI

/// The SSPI inputs that come from outside: SEC_CHANNEL_BINDINGS structures
/// (SECBUFFER_CHANNEL_BINDINGS) and target names. Neither crashes or traps; bindings that decode
/// encode back to bytes that decode to the same value, every field inside the input; a
/// target name that parses is either a plain principal or an SPN with a service and a host.
///
/// The first byte chooses: even, the rest is a SEC_CHANNEL_BINDINGS; odd, a target name (UTF-8).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let first = bytes.first else { return 0 }
  let rest = Array(bytes.dropFirst())
  if first & 1 == 0 {
    guard let bindings = try? SSPI.ChannelBindings(bytes: rest) else { return 0 }
    // Fields may overlap (Windows does not forbid it), but each lies inside the input.
    for field in [bindings.initiatorAddress, bindings.acceptorAddress, bindings.applicationData] {
      precondition(
        field.count <= rest.count - SSPI.ChannelBindings.headerSize, "a field larger than the input")
    }
    let fields =
      bindings.initiatorAddress.count + bindings.acceptorAddress.count + bindings.applicationData.count
    let encoded = bindings.bytes
    precondition(encoded.count == SSPI.ChannelBindings.headerSize + fields, "encoded size")
    precondition((try? SSPI.ChannelBindings(bytes: encoded)) == bindings, "bindings do not round-trip")
  } else {
    let text = String(decoding: rest, as: UTF8.self)
    guard let target = try? SSPI.TargetName(text) else { return 0 }
    precondition(target.text == text, "text changed")
    precondition((target.service == nil) == (target.host == nil), "an SPN without a service or host")
    if let service = target.service, let host = target.host {
      precondition(!service.isEmpty && !host.isEmpty, "an empty SPN part")
    } else {
      precondition(target.port == nil && !target.isIPAddress, "a port or address without an SPN")
    }
    if let realm = target.realm { precondition(!realm.isEmpty, "an empty realm") }
  }
  return 0
}
