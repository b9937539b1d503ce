import NTSecurity

/// The endpoint mapper (C706 appendix L, port 135): ept_map finds the TCP port an interface
/// listens on.
enum EndpointMapper {
  static let interface = RPCSyntax("e1af8308-5d1f-11c9-91a4-08002b14a0fa", major: 3)

  /// The protocol tower for `interface` over connection-oriented RPC on TCP/IP (port and address
  /// zero in a query).
  static func tower(_ interface: RPCSyntax, port: UInt16 = 0, address: [UInt8] = [0, 0, 0, 0]) -> [UInt8] {
    func floor(_ lhs: [UInt8], _ rhs: [UInt8]) -> [UInt8] {
      RPCPDU.le16(UInt16(lhs.count)) + lhs + RPCPDU.le16(UInt16(rhs.count)) + rhs
    }
    var t = RPCPDU.le16(5)
    t += floor(
      [0x0D] + interface.uuid + RPCPDU.le16(UInt16(interface.version & 0xFFFF)),
      RPCPDU.le16(UInt16(interface.version >> 16)))
    t += floor([0x0D] + RPCSyntax.ndr20.uuid + RPCPDU.le16(2), RPCPDU.le16(0))
    t += floor([0x0B], RPCPDU.le16(0))
    t += floor([0x07], [UInt8(port >> 8), UInt8(port & 0xFF)])
    t += floor([0x09], address)
    return t
  }

  /// The ept_map request stub (opnum 3) asking for one tower.
  static func mapRequest(_ interface: RPCSyntax) -> [UInt8] {
    var w = NDRWriter()
    w.pointer(true)
    w.guid([UInt8](repeating: 0, count: 16))
    let t = tower(interface)
    w.pointer(true)
    w.uint32(UInt32(t.count))
    w.uint32(UInt32(t.count))
    w.raw(t)
    w.align(4)
    w.raw([UInt8](repeating: 0, count: 20))
    w.uint32(1)
    return w.bytes
  }

  /// The TCP port in an ept_map response; EPT_S_NOT_REGISTERED (1753) when there is none.
  static func port(fromMapResponse stub: [UInt8], peer: String) throws(NTSecurityError) -> UInt16 {
    var r = NDRReader(stub, what: "RPC \(peer): ept_map response")
    _ = try r.raw(20, "entry_handle")
    let count = try r.uint32("num_towers")
    _ = try r.uint32("towers max count")
    _ = try r.uint32("towers offset")
    let actual = try r.count("towers actual count", unit: 4)
    guard actual == count else {
      throw NTSecurityError(.invalidData, "RPC \(peer): ept_map: \(actual) towers for num_towers \(count)")
    }
    var present = 0
    for _ in 0..<actual {
      if try r.uint32("tower pointer") != 0 { present += 1 }
    }
    var port: UInt16?
    for _ in 0..<present {
      _ = try r.uint32("tower max count")
      let length = try r.count("tower_length", unit: 1)
      let octets = try r.raw(length, "tower")
      if port == nil { port = try tcpPort(octets, peer: peer) }
    }
    let status = try r.uint32("status")
    guard status == 0, let port else {
      throw NTSecurityError(
        WindowsError(rawValue: 1753),
        "RPC \(peer): epmapper: the interface is not registered (status 0x\(String(status, radix: 16)))")
    }
    return port
  }

  /// The port floor (0x07) of a tower (its lengths little-endian and unaligned, the port big-endian).
  static func tcpPort(_ tower: [UInt8], peer: String) throws(NTSecurityError) -> UInt16? {
    var at = 0
    func length() throws(NTSecurityError) -> Int {
      guard at + 2 <= tower.count else { throw NTSecurityError(.invalidData, "RPC \(peer): truncated tower") }
      defer { at += 2 }
      return Int(tower[at]) | Int(tower[at + 1]) << 8
    }
    let floors = try length()
    for _ in 0..<floors {
      let lhs = try length()
      guard at + lhs <= tower.count else {
        throw NTSecurityError(.invalidData, "RPC \(peer): truncated tower")
      }
      let kind = lhs > 0 ? tower[at] : 0
      at += lhs
      let rhs = try length()
      guard at + rhs <= tower.count else {
        throw NTSecurityError(.invalidData, "RPC \(peer): truncated tower")
      }
      if kind == 0x07, rhs == 2 { return UInt16(tower[at]) << 8 | UInt16(tower[at + 1]) }
      at += rhs
    }
    return nil
  }

  /// Asks `host`'s endpoint mapper (TCP 135) for `interface`'s TCP port.
  static func map(_ interface: RPCSyntax, host: String, address: String, timeout: Double) throws -> UInt16 {
    let connection = try RPCConnection(
      host: host, address: address, port: 135, interface: Self.interface, sealed: false, timeout: timeout)
    defer { connection.close() }
    let stub = try connection.call(3, mapRequest(interface), name: "epmapper ept_map")
    return try port(fromMapResponse: stub, peer: host)
  }
}
