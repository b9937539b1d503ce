/// `S4U_DELEGATION_INFO` (MS-PAC 2.9, buffer type 0xB): the services a constrained-delegation
/// (S4U2proxy) ticket passed through.
public struct S4UDelegationInfo: Hashable, Sendable {
  /// `S4U2proxyTarget`: the service the ticket was issued for.
  public var proxyTarget: String
  /// `S4UTransitedServices`: the delegating services, in order.
  public var transitedServices: [String]
}

extension S4UDelegationInfo {
  init(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError) {
    var r = try NDRReader(topLevel: bytes, from: start, to: end, what: "S4U_DELEGATION_INFO")
    let target = try KerbValidationInfo.stringHeader(&r)
    let count = Int(try r.u32("TransitedListSize"))
    let hasList = try r.pointer("S4UTransitedServices pointer")
    proxyTarget = target.1 ? try r.unicodeString("S4U2proxyTarget", length: target.0) : ""
    transitedServices = []
    guard hasList else {
      guard count == 0 else { throw r.fail("S4UTransitedServices: count \(count) with a null pointer") }
      return
    }
    let n = try r.conformance("S4UTransitedServices", elementSize: 8, expected: count)
    var headers = [(UInt16, Bool)]()
    for _ in 0..<n { headers.append(try KerbValidationInfo.stringHeader(&r)) }
    for (i, (length, present)) in headers.enumerated() {
      transitedServices.append(
        present ? try r.unicodeString("S4UTransitedServices[\(i)]", length: length) : "")
    }
  }
}
