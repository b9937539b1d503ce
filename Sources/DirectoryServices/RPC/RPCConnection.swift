import GSSAPI
import NTSecurity
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A connection-oriented DCE/RPC client association over TCP (ncacn_ip_tcp) bound to one
/// interface, optionally authenticated with Kerberos (auth type 16, DCE style: bind, bind_ack,
/// auth3) at packet privacy: every request and response stub is sealed with GSS wrap IOV, the PDU
/// header and trailer signed. Requests and responses are fragmented as the negotiated sizes
/// demand. Every read and write has a time limit; errors name the peer and the step.
final class RPCConnection: Sendable {
  /// RPC_C_AUTHN_GSS_KERBEROS and RPC_C_AUTHN_LEVEL_PKT_PRIVACY.
  static let kerberos: UInt8 = 16
  static let privacy: UInt8 = 6
  static let authContextID: UInt32 = 1
  /// The fragment size offered in bind.
  static let maxFragment = 5840

  private struct State {
    var fd: Int32
    var callID: UInt32 = 1
    var context: GSSAPI.SecurityContext?
    var sendFragment = RPCConnection.maxFragment
  }

  private let state: Mutex<State>
  let host: String
  let timeout: Double

  /// Connects to `address`:`port` and binds `interface` (with NDR20); when `sealed`, authenticates
  /// with the caller's Kerberos credentials to `host@HOST` first.
  init(host: String, address: String, port: Int, interface: RPCSyntax, sealed: Bool, timeout: Double = 10)
    throws
  {
    self.host = host
    self.timeout = timeout
    let fd = try TCPSocket.connect(
      address: address, port: port, timeout: timeout, what: "RPC \(host): connect")
    state = Mutex(State(fd: fd))
    try bind(interface, sealed: sealed)
  }

  deinit { state.withLock { if $0.fd >= 0 { Glibc.close($0.fd) } } }

  func close() {
    state.withLock { s in
      if s.fd >= 0 { Glibc.close(s.fd) }
      s.fd = -1
    }
  }

  private func fail(_ code: WindowsError, _ step: String, _ text: String) -> NTSecurityError {
    NTSecurityError(code, "RPC \(host): \(step): \(text)")
  }

  // MARK: Bind

  private func bind(_ interface: RPCSyntax, sealed: Bool) throws {
    var context: GSSAPI.SecurityContext?
    var token: [UInt8] = []
    let flags: GSSAPI.RequirementFlags = [
      .mutualAuthentication, .dceStyle, .confidentiality, .integrity, .replayDetection,
      .outOfSequenceDetection,
    ]
    var target: GSSAPI.Name?
    if sealed {
      do {
        target = try GSSAPI.importName("host@\(host)", type: GSSAPI.NameType.hostbasedService)
        let step = try GSSAPI.initSecurityContext(
          target: target!, context: nil, mechanism: GSSAPI.MechanismType.kerberos, flags: flags)
        context = step.context
        token = step.token ?? []
      } catch {
        throw fail(.accessDenied, "auth", "Kerberos for host/\(host) failed: \(error)")
      }
    }
    var body = RPCPDU.le16(UInt16(Self.maxFragment)) + RPCPDU.le16(UInt16(Self.maxFragment)) + RPCPDU.le32(0)
    body += [1, 0, 0, 0]  // one context element
    body += RPCPDU.le16(0) + [1, 0] + interface.bytes + RPCSyntax.ndr20.bytes
    let auth =
      sealed
      ? RPCPDU.Auth(
        type: Self.kerberos, level: Self.privacy, padLength: 0, contextID: Self.authContextID, value: token)
      : nil
    let callID = state.withLock { s in
      defer { s.callID += 1 }
      return s.callID
    }
    let flagsByte = RPCPDU.firstFragment | RPCPDU.lastFragment | (sealed ? RPCPDU.supportHeaderSign : 0)
    try send(
      RPCPDU(type: .bind, flags: flagsByte, callID: callID, body: body, auth: auth).encoded(), step: "bind")
    let ack = try RPCPDU(decoding: try receivePDU(step: "bind"), peer: host)
    switch ack.type {
    case .bindAck: break
    case .bindNak:
      let reason = ack.body.count >= 2 ? Int(ack.body[0]) | Int(ack.body[1]) << 8 : -1
      throw fail(
        reason == 2 || reason == 9 ? .accessDenied : WindowsError(rawValue: 1722), "bind",
        "bind_nak, reason \(reason)")
    default: throw fail(WindowsError(rawValue: 1728), "bind", "\(ack.type) in answer to bind")
    }
    var r = NDRReader(ack.body, what: "RPC \(host): bind_ack")
    _ = try r.uint16("max_xmit_frag")
    let serverReceives = Int(try r.uint16("max_recv_frag"))
    _ = try r.uint32("assoc_group_id")
    let secondaryLength = Int(try r.uint16("sec_addr length"))
    _ = try r.raw(secondaryLength, "sec_addr")
    try r.align(4)
    let results = try r.uint8("n_results")
    _ = try r.raw(3, "reserved")
    guard results >= 1 else { throw fail(WindowsError(rawValue: 1728), "bind", "bind_ack without results") }
    let result = try r.uint16("result")
    let reason = try r.uint16("reason")
    guard result == 0 else {
      throw fail(
        WindowsError(rawValue: 1717), "bind",
        "the DC refused the interface (result \(result), reason \(reason))")
    }
    state.withLock { $0.sendFragment = max(min(serverReceives, Self.maxFragment), 1024) }
    guard sealed, let started = context, let target else { return }
    guard let answer = ack.auth, !answer.value.isEmpty else {
      throw fail(.accessDenied, "auth", "bind_ack carries no Kerberos answer")
    }
    let third: GSSAPI.InitSecContextResult
    do {
      third = try GSSAPI.initSecurityContext(
        target: target, context: started, mechanism: GSSAPI.MechanismType.kerberos, flags: flags,
        inputToken: answer.value)
    } catch {
      throw fail(.accessDenied, "auth", "the DC's Kerberos answer failed: \(error)")
    }
    guard !third.moreSteps else { throw fail(.accessDenied, "auth", "Kerberos wants more than three legs") }
    let auth3 = RPCPDU(
      type: .auth3, callID: callID, body: [0, 0, 0, 0],
      auth: RPCPDU.Auth(
        type: Self.kerberos, level: Self.privacy, padLength: 0, contextID: Self.authContextID,
        value: third.token ?? []))
    try send(auth3.encoded(), step: "auth")
    state.withLock { $0.context = third.context }
  }

  // MARK: Calls

  /// Calls operation `opnum` with the marshalled `stub`; returns the response stub. A fault is an
  /// error carrying its status as the Windows code.
  func call(_ opnum: UInt16, _ stub: [UInt8], name: String) throws -> [UInt8] {
    let step = "call \(name)"
    let (callID, context, fragment) = state.withLock { s in
      defer { s.callID += 1 }
      return (s.callID, s.context, s.sendFragment)
    }
    let signature = try context.map { try sealLength($0, step: step) } ?? 0
    let overhead = 24 + (context == nil ? 0 : RPCPDU.trailerLength + signature + 15)
    let chunk = max((fragment - overhead) / 16 * 16, 16)
    var offset = 0
    repeat {
      let piece = Array(stub[offset..<min(offset + chunk, stub.count)])
      var flags: UInt8 = 0
      if offset == 0 { flags |= RPCPDU.firstFragment }
      if offset + piece.count >= stub.count { flags |= RPCPDU.lastFragment }
      let sub = RPCPDU.le32(UInt32(stub.count - offset)) + RPCPDU.le16(0) + RPCPDU.le16(opnum)
      let pdu = RPCPDU(type: .request, flags: flags, callID: callID, body: sub + piece)
      try send(try protect(pdu, context, signature: signature, step: step), step: step)
      offset += piece.count
    } while offset < stub.count
    var out: [UInt8] = []
    while true {
      let bytes = try receivePDU(step: step)
      let pdu = try RPCPDU(decoding: bytes, peer: host)
      guard pdu.callID == callID else {
        throw fail(WindowsError(rawValue: 1728), step, "answer for call \(pdu.callID)")
      }
      if pdu.type == .fault {
        var r = NDRReader(pdu.body, what: "RPC \(host): fault")
        _ = try r.raw(8, "fault header")
        let status = try r.uint32("status")
        throw fail(WindowsError(rawValue: status), step, "fault 0x\(String(status, radix: 16))")
      }
      guard pdu.type == .response else { throw fail(WindowsError(rawValue: 1728), step, "\(pdu.type) PDU") }
      out += try unprotect(bytes, pdu, context, step: step)
      guard out.count <= 64 << 20 else { throw fail(.invalidData, step, "response over 64 MiB") }
      if pdu.flags & RPCPDU.lastFragment != 0 { return out }
    }
  }

  /// The size of the wrap token for a sealed PDU.
  private func sealLength(_ context: GSSAPI.SecurityContext, step: String) throws -> Int {
    var iov = GSSAPI.IOV(
      [
        .init(.header, allocate: true), .init(.signOnly, value: [0]),
        .init(.data, value: [UInt8](repeating: 0, count: 16)),
        .init(.signOnly, value: [0]),
      ], standardLayout: false)
    do { try GSSAPI.wrapIOVLength(context, message: &iov) } catch {
      throw fail(.accessDenied, step, "sizing the seal failed: \(error)")
    }
    return iov[0].value?.count ?? 0
  }

  /// The PDU's bytes, sealed when there is a context: stub padded to 16, the sec_trailer, the
  /// wrap token over header (signed), stub (encrypted) and trailer (signed).
  private func protect(_ pdu: RPCPDU, _ context: GSSAPI.SecurityContext?, signature: Int, step: String) throws
    -> [UInt8]
  {
    guard let context else { return pdu.encoded() }
    let stubLength = pdu.body.count - 8
    let pad = (16 - stubLength % 16) % 16
    var sealed = pdu
    sealed.auth = RPCPDU.Auth(
      type: Self.kerberos, level: Self.privacy, padLength: UInt8(pad), contextID: Self.authContextID,
      value: [UInt8](repeating: 0, count: signature))
    let bytes = sealed.encoded()
    let trailer = bytes.count - signature - RPCPDU.trailerLength
    var iov = GSSAPI.IOV(
      [
        .init(.header, value: [UInt8](repeating: 0, count: signature)),
        .init(.signOnly, value: Array(bytes[0..<24])),
        .init(.data, value: Array(bytes[24..<trailer])),
        .init(.signOnly, value: Array(bytes[trailer..<trailer + RPCPDU.trailerLength])),
      ], standardLayout: false)
    do { try GSSAPI.wrapIOV(context, message: &iov, confidential: true) } catch {
      throw fail(.accessDenied, step, "sealing failed: \(error)")
    }
    guard let token = iov[0].value, token.count == signature, let data = iov[2].value,
      data.count == trailer - 24
    else { throw fail(.accessDenied, step, "sealing changed the sizes") }
    return Array(bytes[0..<24]) + data + Array(bytes[trailer..<trailer + RPCPDU.trailerLength]) + token
  }

  /// A response fragment's stub, unsealed when there is a context (which then demands privacy).
  private func unprotect(_ bytes: [UInt8], _ pdu: RPCPDU, _ context: GSSAPI.SecurityContext?, step: String)
    throws
    -> [UInt8]
  {
    guard pdu.body.count >= 8 else { throw fail(.invalidData, step, "response of \(pdu.body.count) bytes") }
    guard let context else { return Array(pdu.body[8...]) }
    guard let auth = pdu.auth, auth.type == Self.kerberos, auth.level == Self.privacy else {
      throw fail(.accessDenied, step, "the response is not sealed")
    }
    let trailer = bytes.count - auth.value.count - RPCPDU.trailerLength
    var iov = GSSAPI.IOV(
      [
        .init(.header, value: auth.value), .init(.signOnly, value: Array(bytes[0..<24])),
        .init(.data, value: Array(bytes[24..<trailer])),
        .init(.signOnly, value: Array(bytes[trailer..<trailer + RPCPDU.trailerLength])),
      ], standardLayout: false)
    do {
      let result = try GSSAPI.unwrapIOV(context, message: &iov)
      guard result.encrypted else { throw fail(.accessDenied, step, "the response was not encrypted") }
    } catch let error as NTSecurityError { throw error } catch {
      throw fail(.accessDenied, step, "unsealing failed: \(error)")
    }
    let data = iov[2].value ?? []
    return Array(data.dropLast(Int(auth.padLength)))
  }

  // MARK: Framing

  private func send(_ bytes: [UInt8], step: String) throws {
    let fd = state.withLock { $0.fd }
    guard fd >= 0 else { throw fail(.invalidHandle, step, "the connection is closed") }
    try TCPSocket.sendAll(fd, bytes, what: "RPC \(host): \(step)")
  }

  /// One whole PDU (header, then the rest its fragment length announces).
  private func receivePDU(step: String) throws -> [UInt8] {
    let fd = state.withLock { $0.fd }
    guard fd >= 0 else { throw fail(.invalidHandle, step, "the connection is closed") }
    let header = try TCPSocket.readExactly(fd, RPCPDU.headerLength, what: "RPC \(host): \(step)")
    let length = RPCPDU.fragmentLength(header)
    guard length >= RPCPDU.headerLength else { throw fail(.invalidData, step, "fragment length \(length)") }
    return header
      + (try TCPSocket.readExactly(fd, length - RPCPDU.headerLength, what: "RPC \(host): \(step)"))
  }
}
