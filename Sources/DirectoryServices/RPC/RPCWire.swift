import NTSecurity

/// The decoders of the DCE/RPC and DRSUAPI wire formats this module reads from a DC, for
/// fuzzing and tests: each takes bytes from the network and either returns the decoded value or
/// throws ERROR_INVALID_DATA naming the field; none crashes or reads out of bounds.
public enum RPCWire {
  /// A connection-oriented PDU: its type, PFC flags, call ID, body (without auth padding and
  /// trailer) and auth token.
  public static func decodePDU(_ bytes: [UInt8]) throws(NTSecurityError) -> (
    type: UInt8, flags: UInt8, callID: UInt32, body: [UInt8], authValue: [UInt8]?
  ) {
    let pdu = try RPCPDU(decoding: bytes, peer: "peer")
    return (pdu.type.rawValue, pdu.flags, pdu.callID, pdu.body, pdu.auth?.value)
  }

  /// An ept_map response stub: the first tower's TCP port.
  public static func decodeEndpointMapResponse(_ stub: [UInt8]) throws(NTSecurityError) -> UInt16 {
    try EndpointMapper.port(fromMapResponse: stub, peer: "peer")
  }

  /// An IDL_DRSCrackNames response stub.
  public static func decodeCrackNamesResponse(_ stub: [UInt8]) throws(NTSecurityError) -> [DsNameResultItem] {
    try DRSUAPI.crackNamesResponse(stub, peer: "peer")
  }

  /// An IDL_DRSBind response stub: the server's extensions and the context handle.
  public static func decodeBindResponse(_ stub: [UInt8]) throws(NTSecurityError) -> (
    extensions: [UInt8], handle: [UInt8]
  ) {
    let (e, h) = try DRSUAPI.bindResponse(stub, peer: "peer")
    return (e, h)
  }

  /// The IDL_DRSCrackNames request stub for these names (tests compare it with a reference
  /// marshalling).
  public static func encodeCrackNamesRequest(
    handle: [UInt8], flags: DsNameFlags, offered: DsNameFormat, desired: DsNameFormat, names: [String]
  ) -> [UInt8] {
    DRSUAPI.crackNamesRequest(handle, flags: flags, offered: offered, desired: desired, names: names)
  }
}
