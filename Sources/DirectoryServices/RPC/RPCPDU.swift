import NTSecurity

/// Connection-oriented DCE/RPC PDUs (C706 chapter 12, MS-RPCE 2.2.2): the 16-byte common header,
/// the PDU types a client sends and receives, and the authentication trailer.
struct RPCPDU: Equatable {
  enum PacketType: UInt8 {
    case request = 0, response = 2, fault = 3, bind = 11, bindAck = 12, bindNak = 13
    case alterContext = 14, alterContextResponse = 15, auth3 = 16, shutdown = 17
  }

  /// PFC_* flags.
  static let firstFragment: UInt8 = 0x01
  static let lastFragment: UInt8 = 0x02
  /// PFC_SUPPORT_HEADER_SIGN in bind and bind_ack (MS-RPCE 2.2.2.3).
  static let supportHeaderSign: UInt8 = 0x04
  static let didNotExecute: UInt8 = 0x20

  /// The authentication trailer (sec_trailer) and its token (auth_value).
  struct Auth: Equatable {
    var type: UInt8
    var level: UInt8
    var padLength: UInt8
    var contextID: UInt32
    var value: [UInt8]
  }

  var type: PacketType
  var flags: UInt8
  var callID: UInt32
  /// The body after the common header, without the padding and trailer of an authenticated PDU.
  var body: [UInt8]
  var auth: Auth?

  static let headerLength = 16
  static let trailerLength = 8

  /// The PDU's bytes: header, body, auth padding, sec_trailer, token.
  func encoded() -> [UInt8] {
    var out = header(fragmentLength: 0, authLength: 0)
    out += body
    if let auth {
      out += [UInt8](repeating: 0, count: Int(auth.padLength))
      out += [auth.type, auth.level, auth.padLength, 0]
      out += Self.le32(auth.contextID) + auth.value
    }
    Self.put16(&out, 8, UInt16(out.count))
    Self.put16(&out, 10, UInt16(auth?.value.count ?? 0))
    return out
  }

  func header(fragmentLength: Int, authLength: Int) -> [UInt8] {
    [5, 0, type.rawValue, flags, 0x10, 0, 0, 0] + Self.le16(UInt16(fragmentLength))
      + Self.le16(UInt16(authLength)) + Self.le32(callID)
  }

  /// The fragment length a header announces (bytes 8-9), once 10 bytes are there.
  static func fragmentLength(_ header: [UInt8]) -> Int {
    Int(header[8]) | Int(header[9]) << 8
  }

  /// Parses one whole PDU; ERROR_INVALID_DATA (naming `peer`) for anything malformed.
  init(decoding bytes: [UInt8], peer: String) throws(NTSecurityError) {
    func bad(_ why: String) -> NTSecurityError { NTSecurityError(.invalidData, "RPC \(peer): \(why)") }
    guard bytes.count >= Self.headerLength else { throw bad("PDU of \(bytes.count) bytes") }
    guard bytes[0] == 5, bytes[1] == 0 else { throw bad("RPC version \(bytes[0]).\(bytes[1])") }
    guard let type = PacketType(rawValue: bytes[2]) else { throw bad("unknown PDU type \(bytes[2])") }
    guard bytes[4] & 0xF0 == 0x10 else { throw bad("big-endian data representation") }
    let fragment = Self.fragmentLength(bytes)
    let authLength = Int(bytes[10]) | Int(bytes[11]) << 8
    guard fragment == bytes.count else { throw bad("fragment length \(fragment) for \(bytes.count) bytes") }
    self.type = type
    self.flags = bytes[3]
    self.callID =
      UInt32(bytes[12]) | UInt32(bytes[13]) << 8 | UInt32(bytes[14]) << 16 | UInt32(bytes[15]) << 24
    if authLength == 0 {
      body = Array(bytes[Self.headerLength...])
      auth = nil
      return
    }
    let trailer = fragment - authLength - Self.trailerLength
    guard trailer >= Self.headerLength else { throw bad("auth length \(authLength) in \(fragment) bytes") }
    let pad = Int(bytes[trailer + 2])
    guard trailer - pad >= Self.headerLength else { throw bad("auth padding \(pad) beyond the body") }
    body = Array(bytes[Self.headerLength..<trailer - pad])
    auth = Auth(
      type: bytes[trailer], level: bytes[trailer + 1], padLength: UInt8(pad),
      contextID: UInt32(bytes[trailer + 4]) | UInt32(bytes[trailer + 5]) << 8 | UInt32(bytes[trailer + 6])
        << 16
        | UInt32(bytes[trailer + 7]) << 24,
      value: Array(bytes[(trailer + Self.trailerLength)...]))
  }

  init(
    type: PacketType, flags: UInt8 = firstFragment | lastFragment, callID: UInt32, body: [UInt8],
    auth: Auth? = nil
  ) {
    self.type = type
    self.flags = flags
    self.callID = callID
    self.body = body
    self.auth = auth
  }

  static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
  static func le32(_ v: UInt32) -> [UInt8] {
    [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
  }
  static func put16(_ b: inout [UInt8], _ at: Int, _ v: UInt16) {
    b[at] = UInt8(v & 0xFF)
    b[at + 1] = UInt8(v >> 8)
  }
}

/// An RPC interface or transfer syntax: UUID and version (major in the low 16 bits).
struct RPCSyntax: Equatable {
  var uuid: [UInt8]
  var version: UInt32

  /// From the textual form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, encoded as NDR lays a GUID out
  /// (the first three fields little-endian).
  init(_ text: String, major: UInt16, minor: UInt16 = 0) {
    uuid = RPCSyntax.guidBytes(text)
    version = UInt32(major) | UInt32(minor) << 16
  }

  static func guidBytes(_ text: String) -> [UInt8] {
    let hex = Array(text.filter { $0 != "-" && $0 != "{" && $0 != "}" })
    var b: [UInt8] = stride(from: 0, to: min(hex.count, 32), by: 2).map {
      UInt8(String(hex[$0...$0 + 1]), radix: 16) ?? 0
    }
    guard b.count == 16 else { return [UInt8](repeating: 0, count: 16) }
    b[0...3].reverse()
    b[4...5].reverse()
    b[6...7].reverse()
    return b
  }

  /// The textual form of a GUID laid out as NDR does.
  static func guidText(_ b: [UInt8]) -> String {
    guard b.count == 16 else { return "" }
    let order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15]
    return order.map { $0 < 0 ? "-" : hex(b[$0]) }.joined()
  }

  private static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }

  var bytes: [UInt8] { uuid + RPCPDU.le32(version) }

  /// NDR 2.0.
  static let ndr20 = RPCSyntax("8a885d04-1ceb-11c9-9fe8-08002b104860", major: 2)
}
