/// A Privilege Attribute Certificate (MS-PAC): the authorization data a Windows KDC puts in
/// Kerberos tickets (`AD-WIN2K-PAC`, `urn:mspac:` name attributes through GSSAPI).
///
/// `PAC(bytes:)` checks the `PACTYPE` header and every `PAC_INFO_BUFFER`, keeps each buffer's
/// bytes, and decodes the buffers it knows. Signatures are kept, not verified: verifying needs
/// the service and KDC keys, which the GSSAPI layer has already used when it accepted the ticket.
/// Malformed input throws `ERROR_INVALID_DATA` with the byte offset; a compressed claims set
/// throws `ERROR_NOT_SUPPORTED`.
public struct PAC: Hashable, Sendable {
  /// `PACTYPE.Version`; always 0.
  public var version: UInt32
  /// Every buffer, in order, with its raw bytes.
  public var buffers: [PACInfoBuffer] = []
  /// `LOGON_INFO` (type 1): `KERB_VALIDATION_INFO`.
  public var logonInfo: KerbValidationInfo? = nil
  /// `CLIENT_INFO` (type 0xA).
  public var clientInfo: PACClientInfo? = nil
  /// `UPN_DNS_INFO` (type 0xC).
  public var upnDNSInfo: UPNDNSInfo? = nil
  /// `CLIENT_CLAIMS_INFO` (type 0xD).
  public var clientClaims: PACClaimsSet? = nil
  /// `PAC_DEVICE_INFO` (type 0xE).
  public var deviceInfo: PACDeviceInfo? = nil
  /// `S4U_DELEGATION_INFO` (type 0xB).
  public var delegationInfo: S4UDelegationInfo? = nil
  /// `DEVICE_CLAIMS_INFO` (type 0xF).
  public var deviceClaims: PACClaimsSet? = nil
  /// The server signature (type 6).
  public var serverSignature: PACSignature? = nil
  /// The KDC (privilege server) signature (type 7).
  public var kdcSignature: PACSignature? = nil
  /// The ticket signature (type 0x10).
  public var ticketSignature: PACSignature? = nil
  /// The extended KDC signature (type 0x13).
  public var extendedKDCSignature: PACSignature? = nil
  /// `PAC_REQUESTOR` (type 0x12): the SID of the account that requested the TGT.
  public var requestorSID: SID? = nil
  /// `PAC_ATTRIBUTES_INFO` (type 0x11): `PAC_WAS_REQUESTED` 0x1, `PAC_WAS_GIVEN_IMPLICITLY` 0x2.
  public var attributesFlags: UInt32? = nil

  /// The raw bytes of the first buffer of `type`, if any.
  public func buffer(_ type: PACBufferType) -> [UInt8]? { buffers.first { $0.type == type }?.data }
}

/// `PAC_INFO_BUFFER.ulType` (MS-PAC 2.4).
public struct PACBufferType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  public static let logonInfo = PACBufferType(rawValue: 0x1)
  public static let credentialsInfo = PACBufferType(rawValue: 0x2)
  public static let serverChecksum = PACBufferType(rawValue: 0x6)
  public static let privilegeServerChecksum = PACBufferType(rawValue: 0x7)
  public static let clientInfo = PACBufferType(rawValue: 0xA)
  public static let s4uDelegationInfo = PACBufferType(rawValue: 0xB)
  public static let upnDNSInfo = PACBufferType(rawValue: 0xC)
  public static let clientClaimsInfo = PACBufferType(rawValue: 0xD)
  public static let deviceInfo = PACBufferType(rawValue: 0xE)
  public static let deviceClaimsInfo = PACBufferType(rawValue: 0xF)
  public static let ticketChecksum = PACBufferType(rawValue: 0x10)
  public static let attributesInfo = PACBufferType(rawValue: 0x11)
  public static let requestor = PACBufferType(rawValue: 0x12)
  public static let extendedKDCChecksum = PACBufferType(rawValue: 0x13)

  public var description: String {
    let names: [UInt32: String] = [
      1: "LOGON_INFO", 2: "CREDENTIALS_INFO", 6: "SERVER_CHECKSUM", 7: "PRIVSVR_CHECKSUM",
      0xA: "CLIENT_INFO", 0xB: "S4U_DELEGATION_INFO", 0xC: "UPN_DNS_INFO", 0xD: "CLIENT_CLAIMS_INFO",
      0xE: "DEVICE_INFO", 0xF: "DEVICE_CLAIMS_INFO", 0x10: "TICKET_CHECKSUM", 0x11: "ATTRIBUTES_INFO",
      0x12: "REQUESTOR", 0x13: "EXTENDED_KDC_CHECKSUM",
    ]
    return names[rawValue] ?? "0x\(String(rawValue, radix: 16))"
  }
}

/// One `PAC_INFO_BUFFER` with the bytes it points at.
public struct PACInfoBuffer: Hashable, Sendable {
  public var type: PACBufferType
  /// `Offset`: where the buffer starts in the PAC (a multiple of 8).
  public var offset: Int
  /// The `cbBufferSize` bytes of the buffer.
  public var data: [UInt8]
}

/// `PAC_SIGNATURE_DATA` (MS-PAC 2.8): kept as bytes.
public struct PACSignature: Hashable, Sendable {
  /// The checksum type: `0xFFFFFF76` HMAC-MD5, 0xF HMAC-SHA1-96-AES128, 0x10 HMAC-SHA1-96-AES256.
  public var signatureType: UInt32
  public var signature: [UInt8]
  /// `RODCIdentifier`, present when a read-only DC signed the PAC.
  public var rodcIdentifier: UInt16?
}

/// `PAC_CLIENT_INFO` (MS-PAC 2.7): the client's name and the ticket's authentication time.
public struct PACClientInfo: Hashable, Sendable {
  /// `ClientId`: the FILETIME of the ticket's authtime.
  public var clientID: UInt64
  /// The client's name (without realm unless the PAC was signed with it).
  public var name: String
}

/// `UPN_DNS_INFO` (MS-PAC 2.10).
public struct UPNDNSInfo: Hashable, Sendable {
  public var upn: String
  public var dnsDomainName: String
  /// `U` 0x1: the account has no UPN attribute (the UPN was built); `S` 0x2: the extended form
  /// with the SAM name and SID follows.
  public var flags: UInt32
  /// The sAMAccountName (extended form only).
  public var samName: String?
  /// The account SID (extended form only).
  public var sid: SID?

  /// Whether the UPN was constructed because the account has none (`U`).
  public var upnIsConstructed: Bool { flags & 0x1 != 0 }
}

extension PAC {
  /// An empty PAC (no buffers).
  init() { version = 0 }

  /// Decodes a PAC (`PACTYPE`, MS-PAC 2.3).
  public init(bytes: [UInt8]) throws(NTSecurityError) {
    self.init()
    var r = ByteReader(bytes, error: .invalidData)
    let count = Int(try r.u32("PACTYPE cBuffers"))
    version = try r.u32("PACTYPE Version")
    guard version == 0 else { throw r.fail("PAC version \(version) (must be 0)", at: 4) }
    guard count >= 1, count <= (bytes.count - 8) / 16 else {
      throw r.fail(
        "PAC claims \(count) buffers; \(bytes.count) bytes hold at most \((bytes.count - 8) / 16)", at: 0)
    }
    let headerEnd = 8 + 16 * count
    var seen = Set<UInt32>()
    for i in 0..<count {
      let at = r.position
      let type = PACBufferType(rawValue: try r.u32("PAC_INFO_BUFFER ulType"))
      let size = Int(try r.u32("PAC_INFO_BUFFER cbBufferSize"))
      let low = try r.u32("PAC_INFO_BUFFER Offset")
      let high = try r.u32("PAC_INFO_BUFFER Offset")
      let offset64 = UInt64(high) << 32 | UInt64(low)
      guard offset64 % 8 == 0 else {
        throw r.fail("buffer \(i) (\(type)): offset \(offset64) is not a multiple of 8", at: at + 8)
      }
      guard offset64 >= UInt64(headerEnd), offset64 <= UInt64(bytes.count),
        size <= bytes.count - Int(offset64)
      else {
        throw r.fail(
          "buffer \(i) (\(type)): \(size) bytes at offset \(offset64) lie outside the \(bytes.count)-byte PAC",
          at: at + 4)
      }
      let offset = Int(offset64)
      if type.rawValue != PACBufferType.credentialsInfo.rawValue, !seen.insert(type.rawValue).inserted {
        throw r.fail("buffer \(i): a second \(type) buffer", at: at)
      }
      buffers.append(PACInfoBuffer(type: type, offset: offset, data: Array(bytes[offset..<offset + size])))
      try decode(type, bytes, offset, offset + size)
    }
  }

  mutating func decode(_ type: PACBufferType, _ bytes: [UInt8], _ start: Int, _ end: Int)
    throws(NTSecurityError)
  {
    switch type {
    case .logonInfo: logonInfo = try KerbValidationInfo(bytes, from: start, to: end)
    case .clientInfo: clientInfo = try PACClientInfo(bytes, from: start, to: end)
    case .upnDNSInfo: upnDNSInfo = try UPNDNSInfo(bytes, from: start, to: end)
    case .clientClaimsInfo: clientClaims = try PAC.claims(bytes, start, end)
    case .deviceInfo: deviceInfo = try PACDeviceInfo(bytes, from: start, to: end)
    case .s4uDelegationInfo: delegationInfo = try S4UDelegationInfo(bytes, from: start, to: end)
    case .deviceClaimsInfo: deviceClaims = try PAC.claims(bytes, start, end)
    case .serverChecksum: serverSignature = try PACSignature(bytes, from: start, to: end)
    case .privilegeServerChecksum: kdcSignature = try PACSignature(bytes, from: start, to: end)
    case .ticketChecksum: ticketSignature = try PACSignature(bytes, from: start, to: end)
    case .extendedKDCChecksum: extendedKDCSignature = try PACSignature(bytes, from: start, to: end)
    case .requestor:
      var r = ByteReader(bytes, from: start, to: end, error: .invalidData)
      requestorSID = try SID.read(&r)
    case .attributesInfo:
      var r = ByteReader(bytes, from: start, to: end, error: .invalidData)
      let bits = try r.u32("PAC_ATTRIBUTES_INFO FlagsLength")
      guard bits >= 1 else { throw r.fail("PAC_ATTRIBUTES_INFO: FlagsLength 0", at: start) }
      attributesFlags = try r.u32("PAC_ATTRIBUTES_INFO Flags")
    default: break
    }
  }

  /// A claims buffer may be empty (no claims); otherwise it is a `CLAIMS_SET_METADATA`.
  private static func claims(_ bytes: [UInt8], _ start: Int, _ end: Int) throws(NTSecurityError)
    -> PACClaimsSet
  {
    if start == end { return PACClaimsSet(compressionFormat: PACClaimsSet.compressionNone, arrays: []) }
    return try PACClaimsSet(bytes, from: start, to: end)
  }
}

extension PACSignature {
  init(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError) {
    var r = ByteReader(bytes, from: start, to: end, error: .invalidData)
    signatureType = try r.u32("PAC_SIGNATURE_DATA SignatureType")
    let length: Int
    switch signatureType {
    case 0xFFFF_FF76: length = 16  // KERB_CHECKSUM_HMAC_MD5
    case 0xF, 0x10: length = 12  // HMAC_SHA1_96_AES128 / AES256
    default: length = r.remaining
    }
    try r.need(length, "PAC signature")
    signature = Array(bytes[r.position..<r.position + length])
    r.position += length
    rodcIdentifier = r.remaining >= 2 ? try r.u16("RODCIdentifier") : nil
  }
}

extension PACClientInfo {
  init(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError) {
    var r = ByteReader(bytes, from: start, to: end, error: .invalidData)
    let low = try r.u32("PAC_CLIENT_INFO ClientId")
    let high = try r.u32("PAC_CLIENT_INFO ClientId")
    clientID = UInt64(high) << 32 | UInt64(low)
    let at = r.position
    let length = Int(try r.u16("PAC_CLIENT_INFO NameLength"))
    guard length % 2 == 0 else { throw r.fail("PAC_CLIENT_INFO: odd NameLength \(length)", at: at) }
    name = try PAC.utf16(&r, bytes: length, "PAC_CLIENT_INFO Name")
  }
}

extension UPNDNSInfo {
  init(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError) {
    var r = ByteReader(bytes, from: start, to: end, error: .invalidData)
    let upnLength = try r.u16("UpnLength")
    let upnOffset = try r.u16("UpnOffset")
    let dnsLength = try r.u16("DnsDomainNameLength")
    let dnsOffset = try r.u16("DnsDomainNameOffset")
    flags = try r.u32("UPN_DNS_INFO Flags")
    func field(_ length: UInt16, _ offset: UInt16, _ what: String, at: Int) throws(NTSecurityError) -> [UInt8]
    {
      let o = start + Int(offset)
      guard length % 2 == 0, o + Int(length) <= end else {
        throw NTSecurityError(
          .invalidData, "UPN_DNS_INFO: \(what) (\(length) bytes at offset \(offset)) lies outside the buffer",
          offset: at)
      }
      return Array(bytes[o..<o + Int(length)])
    }
    func text(_ b: [UInt8]) -> String {
      String(
        decoding: stride(from: 0, to: b.count, by: 2).map { UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8 },
        as: UTF16.self)
    }
    upn = text(try field(upnLength, upnOffset, "Upn", at: start))
    dnsDomainName = text(try field(dnsLength, dnsOffset, "DnsDomainName", at: start + 4))
    if flags & 0x2 != 0 {
      let fieldsAt = r.position
      let samLength = try r.u16("SamNameLength")
      let samOffset = try r.u16("SamNameOffset")
      let sidLength = try r.u16("SidLength")
      let sidOffset = try r.u16("SidOffset")
      samName = text(try field(samLength, samOffset, "SamName", at: fieldsAt))
      let o = start + Int(sidOffset)
      guard o + Int(sidLength) <= end else {
        throw NTSecurityError(.invalidData, "UPN_DNS_INFO: Sid lies outside the buffer", offset: fieldsAt + 4)
      }
      var sr = ByteReader(bytes, from: o, to: o + Int(sidLength), error: .invalidData)
      let sid = try SID.read(&sr)
      guard sr.remaining == 0 else {
        throw NTSecurityError(
          .invalidData, "UPN_DNS_INFO: SidLength \(sidLength) is not the SID's length", offset: fieldsAt + 4)
      }
      self.sid = sid
    } else {
      samName = nil
      sid = nil
    }
  }
}

extension PAC {
  static func utf16(_ r: inout ByteReader, bytes n: Int, _ what: StaticString) throws(NTSecurityError)
    -> String
  {
    try r.need(n, what)
    var units = [UInt16]()
    units.reserveCapacity(n / 2)
    for _ in 0..<n / 2 { units.append(try r.u16(what)) }
    return String(decoding: units, as: UTF16.self)
  }
}
