import DirectoryServices
import NTSecurity

/// What a DC sends a DRSUAPI client: connection-oriented DCE/RPC PDUs and the NDR stubs of
/// ept_map, IDL_DRSBind and IDL_DRSCrackNames. Decoding never crashes or reads out of bounds; a
/// decoded PDU's body fits in its bytes, a crack-names reply has one item per counted name.
///
/// The first byte chooses the decoder (its value modulo 4: PDU, ept_map, DsBind, DsCrackNames).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let first = bytes.first else { return 0 }
  let rest = Array(bytes.dropFirst())
  switch first % 4 {
  case 0:
    if let pdu = try? RPCWire.decodePDU(rest) {
      precondition(pdu.body.count + (pdu.authValue?.count ?? 0) <= rest.count, "a body beyond the PDU")
    }
  case 1:
    _ = try? RPCWire.decodeEndpointMapResponse(rest)
  case 2:
    if let bind = try? RPCWire.decodeBindResponse(rest) {
      precondition(bind.handle.count == 20, "a context handle of \(bind.handle.count) bytes")
    }
  default:
    if let items = try? RPCWire.decodeCrackNamesResponse(rest) {
      precondition(items.count * 12 <= rest.count, "more items than the reply holds")
    }
  }
  return 0
}
