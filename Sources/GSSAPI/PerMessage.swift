internal import CGSSAPI

extension GSSAPI {
  /// Result of ``wrap(_:message:confidential:qop:)`` and the AEAD/IOV length calls.
  public struct WrapResult: Sendable {
    /// The wrap token (or, for ``wrapIOVLength(_:message:confidential:qop:)``, nothing).
    public let message: [UInt8]
    /// Whether confidentiality was applied.
    public let encrypted: Bool
  }

  /// Result of ``unwrap(_:message:)``.
  public struct UnwrapResult: Sendable {
    public let message: [UInt8]
    public let encrypted: Bool
    /// The quality of protection the sender used.
    public let qop: UInt32
  }

  /// gss_get_mic: a MIC token over `message`.
  public static func getMIC(_ context: SecurityContext, message: [UInt8], qop: UInt32? = nil) throws(GSSError)
    -> [UInt8]
  {
    let handle = try context.live("gss_get_mic")
    var minor: OM_uint32 = 0
    var token = gss_buffer_desc()
    let major = withBuffer(message) { gss_get_mic(&minor, handle, qop ?? 0, $0, &token) }
    try check(major, minor, "gss_get_mic")
    return takeBuffer(&token)
  }

  /// gss_get_mic into a caller's array, reusing its storage: for loops that sign many messages
  /// without allocating (the token replaces `token`'s contents).
  public static func getMIC(_ context: SecurityContext, message: [UInt8], into token: inout [UInt8])
    throws(GSSError)
  {
    let handle = try context.live("gss_get_mic")
    var minor: OM_uint32 = 0
    var output = gss_buffer_desc()
    let major = withBuffer(message) { gss_get_mic(&minor, handle, 0, $0, &output) }
    try check(major, minor, "gss_get_mic")
    replaceContents(of: &token, with: &output)
  }

  /// gss_wrap into a caller's array, reusing its storage; returns whether it was encrypted.
  @discardableResult
  public static func wrap(
    _ context: SecurityContext, message: [UInt8], into token: inout [UInt8], confidential: Bool = true
  ) throws(GSSError) -> Bool {
    let handle = try context.live("gss_wrap")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var output = gss_buffer_desc()
    let major = withBuffer(message) { gss_wrap(&minor, handle, confidential ? 1 : 0, 0, $0, &state, &output) }
    try check(major, minor, "gss_wrap")
    replaceContents(of: &token, with: &output)
    return state != 0
  }

  /// gss_unwrap into a caller's array, reusing its storage; returns whether it was encrypted.
  /// On failure `plain` keeps its contents.
  @discardableResult
  public static func unwrap(_ context: SecurityContext, message: [UInt8], into plain: inout [UInt8])
    throws(GSSError)
    -> Bool
  {
    let handle = try context.live("gss_unwrap")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var output = gss_buffer_desc()
    let major = withBuffer(message) { gss_unwrap(&minor, handle, $0, &output, &state, nil) }
    if _slowPath(major != 0) {
      var ignored: OM_uint32 = 0
      gss_release_buffer(&ignored, &output)
      try checkPerMessage(major, minor, "gss_unwrap")
    }
    replaceContents(of: &plain, with: &output)
    return state != 0
  }

  /// Copies a library buffer into `array` (keeping its capacity) and releases the buffer.
  @inline(__always)
  static func replaceContents(of array: inout [UInt8], with buffer: inout gss_buffer_desc) {
    let bytes = UnsafeRawBufferPointer(start: buffer.value, count: buffer.value == nil ? 0 : buffer.length)
    if array.count == bytes.count {
      array.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }  // same length: overwritten in place
    } else {
      array.removeAll(keepingCapacity: true)
      array.append(contentsOf: bytes)
    }
    var minor: OM_uint32 = 0
    gss_release_buffer(&minor, &buffer)
  }

  /// gss_verify_mic: checks a MIC token; returns the QoP. Throws `.badMIC`, or a supplementary
  /// error (duplicate, old, unsequenced or gap token) as the context's flags ask.
  @discardableResult
  public static func verifyMIC(_ context: SecurityContext, message: [UInt8], token: [UInt8]) throws(GSSError)
    -> UInt32
  {
    let handle = try context.live("gss_verify_mic")
    var minor: OM_uint32 = 0
    var qop: gss_qop_t = 0
    let major = withBuffer(message) { m in withBuffer(token) { gss_verify_mic(&minor, handle, m, $0, &qop) } }
    try checkPerMessage(major, minor, "gss_verify_mic")
    return qop
  }

  /// gss_wrap_size_limit: the largest message whose wrap token fits in `outputSize` bytes.
  public static func wrapSizeLimit(
    _ context: SecurityContext, outputSize: UInt32, confidential: Bool = true, qop: UInt32? = nil
  ) throws(GSSError) -> UInt32 {
    let handle = try context.live("gss_wrap_size_limit")
    var minor: OM_uint32 = 0
    var max: OM_uint32 = 0
    let major = gss_wrap_size_limit(&minor, handle, confidential ? 1 : 0, qop ?? 0, outputSize, &max)
    try check(major, minor, "gss_wrap_size_limit")
    return max
  }

  /// gss_wrap: a wrap token holding `message`, encrypted unless `confidential` is false.
  public static func wrap(
    _ context: SecurityContext, message: [UInt8], confidential: Bool = true, qop: UInt32? = nil
  ) throws(GSSError) -> WrapResult {
    let handle = try context.live("gss_wrap")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var output = gss_buffer_desc()
    let major = withBuffer(message) {
      gss_wrap(&minor, handle, confidential ? 1 : 0, qop ?? 0, $0, &state, &output)
    }
    try check(major, minor, "gss_wrap")
    return WrapResult(message: takeBuffer(&output), encrypted: state != 0)
  }

  /// gss_unwrap: the message in a wrap token, whether it was encrypted, and the QoP.
  public static func unwrap(_ context: SecurityContext, message: [UInt8]) throws(GSSError) -> UnwrapResult {
    let handle = try context.live("gss_unwrap")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var qop: gss_qop_t = 0
    var output = gss_buffer_desc()
    let major = withBuffer(message) { gss_unwrap(&minor, handle, $0, &output, &state, &qop) }
    let plain = takeBuffer(&output)
    try checkPerMessage(major, minor, "gss_unwrap")
    return UnwrapResult(message: plain, encrypted: state != 0, qop: qop)
  }

  /// Like `check`, but supplementary bits alone (a replayed or out-of-order token) also throw,
  /// as python-gssapi does.
  @inline(__always)
  static func checkPerMessage(_ major: OM_uint32, _ minor: OM_uint32, _ what: String) throws(GSSError) {
    if _fastPath(major == 0) { return }
    throw GSSError(major: major, minor: minor, mechanism: nil, context: what)
  }
}
