import GSSAPI

extension SSPI {
  /// SEC_CHANNEL_BINDINGS: the structure a SECBUFFER_CHANNEL_BINDINGS buffer holds (the same
  /// fields as GSS-API's channel bindings, RFC 2744 3.11), laid out as Windows does: eight
  /// little-endian ULONGs (initiator address type, length, offset; acceptor address type, length,
  /// offset; application data length, offset), then the data; offsets count from the start.
  public struct ChannelBindings: Sendable, Hashable {
    public var initiatorAddressType: UInt32
    public var initiatorAddress: [UInt8]
    public var acceptorAddressType: UInt32
    public var acceptorAddress: [UInt8]
    public var applicationData: [UInt8]

    public init(
      initiatorAddressType: UInt32 = 0, initiatorAddress: [UInt8] = [], acceptorAddressType: UInt32 = 0,
      acceptorAddress: [UInt8] = [], applicationData: [UInt8] = []
    ) {
      self.initiatorAddressType = initiatorAddressType
      self.initiatorAddress = initiatorAddress
      self.acceptorAddressType = acceptorAddressType
      self.acceptorAddress = acceptorAddress
      self.applicationData = applicationData
    }

    /// TLS channel bindings of type tls-server-end-point (RFC 5929): application data
    /// "tls-server-end-point:" followed by the hash of the server's certificate (SHA-256 when its
    /// signature uses MD5 or SHA-1, else the signature's hash), as Windows' HTTP stack builds it.
    public static func tlsServerEndPoint(certificateHash: [UInt8]) -> ChannelBindings {
      ChannelBindings(applicationData: Array("tls-server-end-point:".utf8) + certificateHash)
    }

    /// The structure's size without data (8 ULONGs).
    public static let headerSize = 32

    /// The SEC_CHANNEL_BINDINGS bytes: header, then initiator address, acceptor address and
    /// application data in that order.
    public var bytes: [UInt8] {
      var out = [UInt8]()
      out.reserveCapacity(
        Self.headerSize + initiatorAddress.count + acceptorAddress.count + applicationData.count)
      func put(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> shift)) }
      }
      var offset = UInt32(Self.headerSize)
      put(initiatorAddressType)
      put(UInt32(initiatorAddress.count))
      put(initiatorAddress.isEmpty ? 0 : offset)
      offset += UInt32(initiatorAddress.count)
      put(acceptorAddressType)
      put(UInt32(acceptorAddress.count))
      put(acceptorAddress.isEmpty ? 0 : offset)
      offset += UInt32(acceptorAddress.count)
      put(UInt32(applicationData.count))
      put(applicationData.isEmpty ? 0 : offset)
      out += initiatorAddress
      out += acceptorAddress
      out += applicationData
      return out
    }

    /// Reads a SEC_CHANNEL_BINDINGS structure. Each field's offset and length must lie inside
    /// `bytes`; otherwise SEC_E_INVALID_TOKEN naming the field.
    public init(bytes: [UInt8]) throws(SSPIError) {
      guard bytes.count >= Self.headerSize else {
        throw SSPIError(
          .invalidToken, "SEC_CHANNEL_BINDINGS: \(bytes.count) bytes, the header alone is \(Self.headerSize)")
      }
      func word(_ i: Int) -> UInt32 {
        let p = i * 4
        return UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(
          bytes[p + 3]) << 24
      }
      func field(_ name: String, length: UInt32, offset: UInt32) throws(SSPIError) -> [UInt8] {
        if length == 0 { return [] }
        let start = Int(offset)
        let (end, overflow) = start.addingReportingOverflow(Int(length))
        guard !overflow, start >= Self.headerSize, end <= bytes.count else {
          throw SSPIError(
            .invalidToken,
            "SEC_CHANNEL_BINDINGS: \(name) (offset \(offset), length \(length)) lies outside the \(bytes.count) bytes"
          )
        }
        return Array(bytes[start..<end])
      }
      initiatorAddressType = word(0)
      initiatorAddress = try field("initiator address", length: word(1), offset: word(2))
      acceptorAddressType = word(3)
      acceptorAddress = try field("acceptor address", length: word(4), offset: word(5))
      applicationData = try field("application data", length: word(6), offset: word(7))
    }

    /// The same bindings for GSS-API.
    var gss: GSSAPI.ChannelBindings {
      GSSAPI.ChannelBindings(
        initiatorAddressType: GSSAPI.AddressType(rawValue: initiatorAddressType),
        initiatorAddress: initiatorAddress.isEmpty ? nil : initiatorAddress,
        acceptorAddressType: GSSAPI.AddressType(rawValue: acceptorAddressType),
        acceptorAddress: acceptorAddress.isEmpty ? nil : acceptorAddress,
        applicationData: applicationData.isEmpty ? nil : applicationData)
    }
  }
}
