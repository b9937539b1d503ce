import NTSecurity

/// NETLOGON_SAM_LOGON_RESPONSE_EX (MS-ADTS 6.3.1.9): a DC's answer to an LDAP ping, the value of
/// the rootDSE's `Netlogon` attribute.
///
/// Its strings are DNS names in RFC 1035 wire form with compression pointers relative to the start
/// of the structure; the DC's socket address is present only when the ping's NtVer asked for it
/// (NETLOGON_NT_VERSION_5EX_WITH_IP), the next closest site only with
/// NETLOGON_NT_VERSION_WITH_CLOSEST_SITE and only when the DC sends it.
public struct NetlogonSAMLogonResponse: Sendable, Hashable {
  /// The operation code: 23 (LOGON_SAM_LOGON_RESPONSE_EX), 24 (LOGON_SAM_PAUSE_RESPONSE_EX) or 25
  /// (LOGON_SAM_USER_UNKNOWN_EX).
  public var opcode: UInt16
  /// The DS_FLAG bits the DC reports for itself (DS_PDC_FLAG …, within DS_PING_FLAGS).
  public var flags: DomainControllerFlags
  /// The domain's objectGUID.
  public var domainGUID: GUID
  /// The forest's DNS name.
  public var dnsForestName: String
  /// The domain's DNS name.
  public var dnsDomainName: String
  /// The DC's DNS host name.
  public var dnsHostName: String
  /// The domain's NetBIOS name.
  public var netBIOSDomainName: String
  /// The DC's NetBIOS name.
  public var netBIOSComputerName: String
  /// The user the ping asked about (empty when it named none).
  public var userName: String
  /// The DC's site.
  public var dcSiteName: String
  /// The site the DC puts the client in (empty when no subnet matches).
  public var clientSiteName: String
  /// The DC's IPv4 address and port from DcSockAddr, when present.
  public var socketAddress: SocketAddress?
  /// The next closest site, when asked for and sent.
  public var nextClosestSiteName: String?
  /// The NtVersion the DC answered with (NETLOGON_NT_VERSION_*).
  public var ntVersion: UInt32

  /// LOGON_SAM_LOGON_RESPONSE_EX, LOGON_SAM_PAUSE_RESPONSE_EX, LOGON_SAM_USER_UNKNOWN_EX.
  static let opcodes: ClosedRange<UInt16> = 23...25

  /// Decodes the structure; `ntVersion` is the NtVer the ping sent, which decides whether the
  /// socket address and the next closest site are present.
  ///
  /// - Throws: `ERROR_INVALID_DATA` naming the field and its byte offset for a truncated or
  ///   malformed structure (a bad compression pointer, a pointer loop, a name over 255 bytes, an
  ///   opcode that is not one of the _EX responses).
  public init(bytes: [UInt8], requestedVersion: UInt32) throws {
    var r = ByteReader(bytes, error: .invalidData)
    opcode = try r.u16("opcode")
    guard Self.opcodes.contains(opcode) else {
      throw NTSecurityError(
        .invalidData, "netlogon response: opcode \(opcode) is not an _EX response", offset: 0)
    }
    _ = try r.u16("Sbz")
    flags = DomainControllerFlags(rawValue: try r.u32("Flags"))
    try r.need(16, "DomainGuid")
    domainGUID = GUID(wireBytes: Array(bytes[r.position..<r.position + 16]))
    r.position += 16
    dnsForestName = try Self.name(&r, "DnsForestName")
    dnsDomainName = try Self.name(&r, "DnsDomainName")
    dnsHostName = try Self.name(&r, "DnsHostName")
    netBIOSDomainName = try Self.name(&r, "NetbiosDomainName")
    netBIOSComputerName = try Self.name(&r, "NetbiosComputerName")
    userName = try Self.name(&r, "UserName")
    dcSiteName = try Self.name(&r, "DcSiteName")
    clientSiteName = try Self.name(&r, "ClientSiteName")
    if requestedVersion & NetlogonVersion.v5exWithIP.rawValue != 0 {
      let size = Int(try r.u8("DcSockAddrSize"))
      let start = r.position
      try r.need(size, "DcSockAddr")
      r.position += size
      // sockaddr_in: family (little-endian 2 = AF_INET), port and address in network order.
      if size >= 8, bytes[start] == 2, bytes[start + 1] == 0 {
        let port = UInt16(bytes[start + 2]) << 8 | UInt16(bytes[start + 3])
        let a = bytes[start + 4..<start + 8].map(String.init).joined(separator: ".")
        socketAddress = SocketAddress(address: a, port: port)
      } else if size != 0 {
        throw NTSecurityError(
          .invalidData, "netlogon response: DcSockAddr is not an IPv4 sockaddr", offset: start)
      }
    }
    // Asked for, the next closest site may still be left out (Samba 4.22 does, and answers
    // NtVersion 5): present only when more than the 8-byte tail is left.
    if requestedVersion & NetlogonVersion.withClosestSite.rawValue != 0, r.remaining > 8 {
      nextClosestSiteName = try Self.name(&r, "NextClosestSiteName")
    }
    ntVersion = try r.u32("NtVersion")
    _ = try r.u16("LmNtToken")
    _ = try r.u16("Lm20Token")
  }

  /// The response inside an LDAP ping's reply datagram (a SearchResultEntry for `messageID` with
  /// the `Netlogon` attribute, then SearchResultDone); nil when the datagram has no such entry.
  ///
  /// - Throws: `ERROR_INVALID_DATA` for malformed BER or a malformed response.
  public init?(ldapPingReply datagram: [UInt8], messageID: Int, requestedVersion: UInt32) throws {
    guard let value = try LDAPPing.netlogonValue(in: datagram, messageID: messageID) else { return nil }
    try self.init(bytes: value, requestedVersion: requestedVersion)
  }

  /// One RFC 1035 name at the reader's position: labels joined with dots, the reader left after
  /// the first compression pointer or the terminating zero.
  static func name(_ r: inout ByteReader, _ what: StaticString) throws -> String {
    let (text, next) = try DNSName.read(r.bytes, at: r.position, what: what)
    r.position = next
    return text
  }
}

/// An IPv4 address and port (the DcSockAddr of a netlogon response).
public struct SocketAddress: Sendable, Hashable {
  /// The dotted IPv4 address.
  public var address: String
  /// The port (0 when the DC leaves it out).
  public var port: UInt16
  /// An address and port.
  public init(address: String, port: UInt16) {
    self.address = address
    self.port = port
  }
}

/// NETLOGON_NT_VERSION_* (MS-ADTS 6.3.1.1): the NtVer of an LDAP ping.
public struct NetlogonVersion: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  public static let v1 = Self(rawValue: 0x1)
  public static let v5 = Self(rawValue: 0x2)
  public static let v5ex = Self(rawValue: 0x4)
  public static let v5exWithIP = Self(rawValue: 0x8)
  public static let withClosestSite = Self(rawValue: 0x10)
  public static let avoidNT4Emulation = Self(rawValue: 0x0100_0000)
  public static let pdc = Self(rawValue: 0x1000_0000)
  public static let ip = Self(rawValue: 0x2000_0000)
  public static let local = Self(rawValue: 0x4000_0000)
  public static let gc = Self(rawValue: 0x8000_0000)
}

/// DNS names in wire form (RFC 1035 4.1.4), with compression pointers, as the LDAP ping's reply and
/// DNS messages carry them.
enum DNSName {
  /// The name starting at `offset` of `bytes` (pointers are offsets into `bytes`) and the offset
  /// just after it in the original position.
  static func read(_ bytes: [UInt8], at offset: Int, what: StaticString) throws -> (String, Int) {
    var labels: [String] = []
    var position = offset
    var resume: Int?
    var jumps = 0
    var length = 0
    while true {
      guard position < bytes.count else {
        throw NTSecurityError(.invalidData, "truncated \(what)", offset: position)
      }
      let b = bytes[position]
      switch b & 0xC0 {
      case 0xC0:
        guard position + 1 < bytes.count else {
          throw NTSecurityError(.invalidData, "truncated compression pointer in \(what)", offset: position)
        }
        let target = Int(b & 0x3F) << 8 | Int(bytes[position + 1])
        jumps += 1
        // A pointer must point backwards into what came before; a loop never ends.
        guard target < position, jumps <= 64 else {
          throw NTSecurityError(.invalidData, "bad compression pointer in \(what)", offset: position)
        }
        if resume == nil { resume = position + 2 }
        position = target
      case 0x00:
        if b == 0 {
          return (labels.joined(separator: "."), resume ?? position + 1)
        }
        let end = position + 1 + Int(b)
        guard end <= bytes.count else {
          throw NTSecurityError(.invalidData, "truncated label in \(what)", offset: position)
        }
        length += Int(b) + 1
        guard length <= 255 else {
          throw NTSecurityError(.invalidData, "\(what) is longer than 255 bytes", offset: position)
        }
        labels.append(String(decoding: bytes[position + 1..<end], as: UTF8.self))
        position = end
      default:
        throw NTSecurityError(.invalidData, "reserved label type in \(what)", offset: position)
      }
    }
  }

  /// `name` in wire form, uncompressed; nil when a label is empty or over 63 bytes.
  static func encode(_ name: String) -> [UInt8]? {
    var out: [UInt8] = []
    let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
    if !trimmed.isEmpty {
      for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
        let u = Array(label.utf8)
        guard !u.isEmpty, u.count <= 63 else { return nil }
        out.append(UInt8(u.count))
        out += u
      }
    }
    out.append(0)
    return out.count <= 255 ? out : nil
  }
}
