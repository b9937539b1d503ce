internal import CGSSAPI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension GSSAPI {
  /// IOV buffer types (GSS_IOV_BUFFER_TYPE_*; python-gssapi's `IOVBufferType`).
  public enum IOVBufferType: UInt32, Sendable, CaseIterable {
    case empty = 0, data = 1, header = 2, mechanismParameters = 3, trailer = 7, padding = 9, stream = 10,
      signOnly = 11, micToken = 12
  }

  /// One buffer of an ``IOV``: its type, whether GSS should allocate it, and its bytes.
  public struct IOVBuffer: Sendable, Hashable {
    public var type: IOVBufferType
    /// Ask the library to allocate this buffer (header, padding, trailer, MIC token).
    public var allocate: Bool
    /// The bytes (input for data and sign-only buffers; output after wrap/unwrap).
    public var value: [UInt8]?

    public init(_ type: IOVBufferType, allocate: Bool = false, value: [UInt8]? = nil) {
      self.type = type
      self.allocate = allocate
      self.value = value
    }
  }

  /// A list of IOV buffers for the DCE-style calls (python-gssapi's `IOV`). With `standardLayout`,
  /// a header goes first and padding and a trailer go last; `autoAllocate` lets the library size them.
  public struct IOV: Sendable, Hashable {
    public var buffers: [IOVBuffer]

    public init(_ buffers: [IOVBuffer], standardLayout: Bool = true, autoAllocate: Bool = true) {
      if standardLayout {
        self.buffers =
          [IOVBuffer(.header, allocate: autoAllocate)] + buffers
          + [IOVBuffer(.padding, allocate: autoAllocate), IOVBuffer(.trailer, allocate: autoAllocate)]
      } else {
        self.buffers = buffers
      }
    }

    /// Data buffers from plain messages (python-gssapi's `IOV(b"a", b"b")`).
    public init(data messages: [UInt8]..., standardLayout: Bool = true, autoAllocate: Bool = true) {
      self.init(
        messages.map { IOVBuffer(.data, value: $0) }, standardLayout: standardLayout,
        autoAllocate: autoAllocate)
    }

    public subscript(index: Int) -> IOVBuffer {
      get { buffers[index] }
      set { buffers[index] = newValue }
    }

    /// Lends the buffers to the library as copies it may change in place, then copies every
    /// buffer back and releases what the library allocated.
    mutating func withC(_ body: (UnsafeMutablePointer<gss_iov_buffer_desc>, Int32) -> OM_uint32) -> OM_uint32
    {
      let count = buffers.count
      let iov = UnsafeMutablePointer<gss_iov_buffer_desc>.allocate(capacity: max(count, 1))
      var owned: [UnsafeMutableRawPointer?] = Array(repeating: nil, count: count)
      defer {
        owned.forEach { free($0) }
        iov.deallocate()
      }
      for (i, b) in buffers.enumerated() {
        var type = b.type.rawValue
        var desc = gss_buffer_desc()
        if let value = b.value, !value.isEmpty {
          let memory = malloc(value.count)!
          value.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: value.count) }
          owned[i] = memory
          desc = gss_buffer_desc(length: value.count, value: memory)
        } else if b.allocate {
          type |= UInt32(GSS_IOV_BUFFER_FLAG_ALLOCATE)
        }
        iov[i] = gss_iov_buffer_desc(type: type, buffer: desc)
      }
      let major = body(iov, Int32(count))
      for i in 0..<count {
        let desc = iov[i].buffer
        if let value = desc.value, desc.length > 0 {
          buffers[i].value = [UInt8](UnsafeRawBufferPointer(start: value, count: desc.length))
        } else if desc.length == 0 && buffers[i].value != nil {
          buffers[i].value = []
        } else if desc.length > 0 {
          buffers[i].value = [UInt8](repeating: 0, count: desc.length)  // a length-only call
        }
      }
      var minor: OM_uint32 = 0
      gss_release_iov_buffer(&minor, iov, Int32(count))
      return major
    }
  }

  /// Result of ``unwrapIOV(_:message:)``.
  public struct IOVUnwrapResult: Sendable {
    public let encrypted: Bool
    public let qop: UInt32
  }

  /// gss_wrap_iov: wraps the IOV in place; returns whether it was encrypted.
  @discardableResult
  public static func wrapIOV(
    _ context: SecurityContext, message: inout IOV, confidential: Bool = true, qop: UInt32? = nil
  )
    throws(GSSError) -> Bool
  {
    let handle = try context.live("gss_wrap_iov")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    let major = message.withC { gss_wrap_iov(&minor, handle, confidential ? 1 : 0, qop ?? 0, &state, $0, $1) }
    try check(major, minor, "gss_wrap_iov")
    return state != 0
  }

  /// gss_unwrap_iov: unwraps in place (a stream buffer plus an empty data buffer also works).
  public static func unwrapIOV(_ context: SecurityContext, message: inout IOV) throws(GSSError)
    -> IOVUnwrapResult
  {
    let handle = try context.live("gss_unwrap_iov")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var qop: gss_qop_t = 0
    let major = message.withC { gss_unwrap_iov(&minor, handle, &state, &qop, $0, $1) }
    try checkPerMessage(major, minor, "gss_unwrap_iov")
    return IOVUnwrapResult(encrypted: state != 0, qop: qop)
  }

  /// gss_wrap_iov_length: sizes the header, padding and trailer buffers (filled with zeros of that
  /// length), so a later ``wrapIOV(_:message:confidential:qop:)`` needs no allocation. Returns
  /// whether confidentiality would be applied.
  @discardableResult
  public static func wrapIOVLength(
    _ context: SecurityContext, message: inout IOV, confidential: Bool = true, qop: UInt32? = nil
  )
    throws(GSSError) -> Bool
  {
    let handle = try context.live("gss_wrap_iov_length")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    for i in message.buffers.indices
    where message.buffers[i].type != .data && message.buffers[i].type != .signOnly {
      message.buffers[i].value = nil
      message.buffers[i].allocate = false
    }
    let major = message.withC {
      gss_wrap_iov_length(&minor, handle, confidential ? 1 : 0, qop ?? 0, &state, $0, $1)
    }
    try check(major, minor, "gss_wrap_iov_length")
    return state != 0
  }

  /// gss_get_mic_iov: computes a MIC over the data and sign-only buffers into the MIC token buffer.
  public static func getMICIOV(_ context: SecurityContext, message: inout IOV, qop: UInt32? = nil)
    throws(GSSError)
  {
    let handle = try context.live("gss_get_mic_iov")
    var minor: OM_uint32 = 0
    let major = message.withC { gss_get_mic_iov(&minor, handle, qop ?? 0, $0, $1) }
    try check(major, minor, "gss_get_mic_iov")
  }

  /// gss_get_mic_iov_length: sizes the MIC token buffer (filled with zeros of that length).
  public static func getMICIOVLength(_ context: SecurityContext, message: inout IOV, qop: UInt32? = nil)
    throws(GSSError)
  {
    let handle = try context.live("gss_get_mic_iov_length")
    var minor: OM_uint32 = 0
    for i in message.buffers.indices where message.buffers[i].type == .micToken {
      message.buffers[i].value = nil
      message.buffers[i].allocate = false
    }
    let major = message.withC { gss_get_mic_iov_length(&minor, handle, qop ?? 0, $0, $1) }
    try check(major, minor, "gss_get_mic_iov_length")
  }

  /// gss_verify_mic_iov: checks the MIC token buffer against the data; returns the QoP.
  @discardableResult
  public static func verifyMICIOV(_ context: SecurityContext, message: IOV) throws(GSSError) -> UInt32 {
    let handle = try context.live("gss_verify_mic_iov")
    var minor: OM_uint32 = 0
    var qop: gss_qop_t = 0
    var copy = message
    let major = copy.withC { gss_verify_mic_iov(&minor, handle, &qop, $0, $1) }
    try checkPerMessage(major, minor, "gss_verify_mic_iov")
    return qop
  }

  /// gss_wrap_aead: wraps `message`, also protecting (not encrypting) `associated`.
  public static func wrapAEAD(
    _ context: SecurityContext, message: [UInt8], associated: [UInt8]? = nil, confidential: Bool = true,
    qop: UInt32? = nil
  ) throws(GSSError) -> WrapResult {
    let handle = try context.live("gss_wrap_aead")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var output = gss_buffer_desc()
    let major = withOptionalBuffer(associated) { a in
      withBuffer(message) {
        gss_wrap_aead(&minor, handle, confidential ? 1 : 0, qop ?? 0, a, $0, &state, &output)
      }
    }
    try check(major, minor, "gss_wrap_aead")
    return WrapResult(message: takeBuffer(&output), encrypted: state != 0)
  }

  /// gss_unwrap_aead: the message of an AEAD token made with the same `associated` data.
  public static func unwrapAEAD(_ context: SecurityContext, message: [UInt8], associated: [UInt8]? = nil)
    throws(GSSError) -> UnwrapResult
  {
    let handle = try context.live("gss_unwrap_aead")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var qop: gss_qop_t = 0
    var output = gss_buffer_desc()
    let major = withOptionalBuffer(associated) { a in
      withBuffer(message) { gss_unwrap_aead(&minor, handle, $0, a, &output, &state, &qop) }
    }
    let plain = takeBuffer(&output)
    try checkPerMessage(major, minor, "gss_unwrap_aead")
    return UnwrapResult(message: plain, encrypted: state != 0, qop: qop)
  }
}
