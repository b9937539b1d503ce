extension SSPI {
  /// SecBuffer types (SECBUFFER_*).
  public struct BufferType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// SECBUFFER_EMPTY.
    public static let empty = BufferType(rawValue: 0)
    /// SECBUFFER_DATA.
    public static let data = BufferType(rawValue: 1)
    /// SECBUFFER_TOKEN.
    public static let token = BufferType(rawValue: 2)
    /// SECBUFFER_PKG_PARAMS.
    public static let packageParameters = BufferType(rawValue: 3)
    /// SECBUFFER_MISSING: how many more bytes a partial message needs.
    public static let missing = BufferType(rawValue: 4)
    /// SECBUFFER_EXTRA: input bytes the call did not use.
    public static let extra = BufferType(rawValue: 5)
    /// SECBUFFER_STREAM_TRAILER.
    public static let streamTrailer = BufferType(rawValue: 6)
    /// SECBUFFER_STREAM_HEADER.
    public static let streamHeader = BufferType(rawValue: 7)
    /// SECBUFFER_NEGOTIATION_INFO.
    public static let negotiationInfo = BufferType(rawValue: 8)
    /// SECBUFFER_PADDING.
    public static let padding = BufferType(rawValue: 9)
    /// SECBUFFER_STREAM: a whole wrapped message (DecryptMessage).
    public static let stream = BufferType(rawValue: 10)
    /// SECBUFFER_MECHLIST.
    public static let mechanismList = BufferType(rawValue: 11)
    /// SECBUFFER_MECHLIST_SIGNATURE.
    public static let mechanismListSignature = BufferType(rawValue: 12)
    /// SECBUFFER_TARGET.
    public static let target = BufferType(rawValue: 13)
    /// SECBUFFER_CHANNEL_BINDINGS: a SEC_CHANNEL_BINDINGS structure.
    public static let channelBindings = BufferType(rawValue: 14)
    /// SECBUFFER_CHANGE_PASS_RESPONSE.
    public static let changePasswordResponse = BufferType(rawValue: 15)
    /// SECBUFFER_TARGET_HOST.
    public static let targetHost = BufferType(rawValue: 16)
    /// SECBUFFER_ALERT.
    public static let alert = BufferType(rawValue: 17)
    /// SECBUFFER_APPLICATION_PROTOCOLS.
    public static let applicationProtocols = BufferType(rawValue: 18)

    static let names: [UInt32: String] = [
      0: "SECBUFFER_EMPTY", 1: "SECBUFFER_DATA", 2: "SECBUFFER_TOKEN", 3: "SECBUFFER_PKG_PARAMS",
      4: "SECBUFFER_MISSING", 5: "SECBUFFER_EXTRA", 6: "SECBUFFER_STREAM_TRAILER",
      7: "SECBUFFER_STREAM_HEADER",
      8: "SECBUFFER_NEGOTIATION_INFO", 9: "SECBUFFER_PADDING", 10: "SECBUFFER_STREAM",
      11: "SECBUFFER_MECHLIST",
      12: "SECBUFFER_MECHLIST_SIGNATURE", 13: "SECBUFFER_TARGET", 14: "SECBUFFER_CHANNEL_BINDINGS",
      15: "SECBUFFER_CHANGE_PASS_RESPONSE", 16: "SECBUFFER_TARGET_HOST", 17: "SECBUFFER_ALERT",
      18: "SECBUFFER_APPLICATION_PROTOCOLS",
    ]

    public var description: String { Self.names[rawValue] ?? "SECBUFFER_\(rawValue)" }
  }

  /// SecBuffer attribute flags, kept in the top bits of the buffer type.
  public struct BufferFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// SECBUFFER_READONLY: signed or sent as is, never changed.
    public static let readOnly = BufferFlags(rawValue: 0x8000_0000)
    /// SECBUFFER_READONLY_WITH_CHECKSUM: not encrypted but covered by the checksum.
    public static let readOnlyWithChecksum = BufferFlags(rawValue: 0x1000_0000)
  }

  /// A SecBuffer (PySecBuffer): a typed byte buffer. `size` is `cbBuffer` for an output buffer
  /// the caller provides without ISC_REQ_ALLOCATE_MEMORY (the room available); for other
  /// buffers it is `bytes.count`.
  public struct SecurityBuffer: Sendable, Hashable {
    public var type: BufferType
    public var flags: BufferFlags
    public var bytes: [UInt8]
    /// For SECBUFFER_MISSING and output buffers: a size without bytes.
    public var size: Int

    public init(_ type: BufferType, _ bytes: [UInt8] = [], flags: BufferFlags = []) {
      self.type = type
      self.flags = flags
      self.bytes = bytes
      self.size = bytes.count
    }

    /// An output buffer with room for `size` bytes (and no bytes yet).
    public init(_ type: BufferType, size: Int) {
      self.type = type
      flags = []
      bytes = []
      self.size = size
    }

    /// The ULONG Windows stores in `BufferType`: the type with its flags.
    public var rawType: UInt32 { type.rawValue | flags.rawValue }
  }

  /// SecBufferDesc (PySecBufferDesc): the buffers of one call, version SECBUFFER_VERSION (0).
  public struct SecurityBufferDescriptor: Sendable, Hashable, RandomAccessCollection, MutableCollection,
    ExpressibleByArrayLiteral
  {
    /// `ulVersion`: SECBUFFER_VERSION.
    public var version: UInt32 = 0
    public var buffers: [SecurityBuffer]

    public init(_ buffers: [SecurityBuffer]) { self.buffers = buffers }
    public init(arrayLiteral elements: SecurityBuffer...) { buffers = elements }

    public var startIndex: Int { buffers.startIndex }
    public var endIndex: Int { buffers.endIndex }
    public subscript(position: Int) -> SecurityBuffer {
      get { buffers[position] }
      set { buffers[position] = newValue }
    }

    /// The index of the first buffer of `type`.
    public func firstIndex(of type: BufferType) -> Int? { buffers.firstIndex { $0.type == type } }

    /// The first buffer of `type`.
    public func first(_ type: BufferType) -> SecurityBuffer? { buffers.first { $0.type == type } }

    /// A descriptor holding one SECBUFFER_TOKEN.
    public static func token(_ bytes: [UInt8]) -> SecurityBufferDescriptor { [SecurityBuffer(.token, bytes)] }
  }
}
