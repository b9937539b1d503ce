internal import CGSSAPI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Windows' EncryptMessage/DecryptMessage layout (SECBUFFER_TOKEN + SECBUFFER_DATA [+ PADDING]) on
// gss_wrap/gss_unwrap, for the SSPI module: on small messages these cost less than gss_wrap_iov
// and gss_unwrap_iov, which do the same split.
extension GSSAPI {
  /// gss_wrap, the RFC 4121 token rotated right by RRC bytes (RFC 4121 4.2.5) so that the message
  /// comes last, split in two: `header` and `data`, the message's own bytes of the token
  /// (encrypted, or as they were when only signed). `header + data` is a wrap token any RFC 4121
  /// peer unwraps, split where gss_wrap_iov with a header and no trailer buffer splits it. Only
  /// for contexts whose wrap tokens are RFC 4121 ones; another token is GSS_S_FAILURE (and has
  /// used up a sequence number).
  package static func wrapRotated(_ context: SecurityContext, message: [UInt8], confidential: Bool = true)
    throws(GSSError) -> (header: [UInt8], data: [UInt8], encrypted: Bool)
  {
    let handle = try context.live("gss_wrap")
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var output = gss_buffer_desc()
    let major = withBuffer(message) { gss_wrap(&minor, handle, confidential ? 1 : 0, 0, $0, &state, &output) }
    defer { gss_release_buffer(&minor, &output) }
    try check(major, minor, "gss_wrap")
    let token = UnsafeRawBufferPointer(start: output.value, count: output.length)
    // RFC 4121 4.2.6.2: TOK_ID 05 04, Flags, Filler FF, EC (2), RRC (2), SND_SEQ (8); then, when
    // encrypted, the confounder: one cipher block, 16 bytes for every RFC 4121 enctype.
    let count = message.count
    let start = state != 0 ? 32 : 16
    let trailer = token.count - start - count
    guard trailer >= 0, trailer <= 0xFFFF, token[0] == 0x05, token[1] == 0x04, token[6] == 0, token[7] == 0
    else {
      throw GSSError(
        major: GSSError.Routine.failure.rawValue << 16, minor: 0, mechanism: nil,
        context: "gss_wrap: not an RFC 4121 wrap token")
    }
    // The header (with RRC set), then the trailer, then the confounder.
    var header = [UInt8](UnsafeRawBufferPointer(rebasing: token[0..<(token.count - count)]))
    header.withUnsafeMutableBytes { h in
      h[6] = UInt8(trailer >> 8)
      h[7] = UInt8(trailer & 0xFF)
      UnsafeMutableRawBufferPointer(rebasing: h[16..<(16 + trailer)])
        .copyMemory(from: UnsafeRawBufferPointer(rebasing: token[(start + count)...]))
      UnsafeMutableRawBufferPointer(rebasing: h[(16 + trailer)...])
        .copyMemory(from: UnsafeRawBufferPointer(rebasing: token[16..<start]))
    }
    let data = [UInt8](UnsafeRawBufferPointer(rebasing: token[start..<(start + count)]))
    return (header, data, state != 0)
  }

  /// gss_unwrap of the token `header + data + padding` (SECBUFFER_TOKEN‖DATA‖PADDING); the message
  /// replaces `data`, in its storage. Returns whether it was encrypted. On failure `data` keeps
  /// its contents. An RFC 4121 token is handed over with its rotation undone (RRC 0, as RFC 4121
  /// 4.2.5 allows), which spares the library a copy.
  @discardableResult
  package static func unwrap(
    _ context: SecurityContext, header: [UInt8], data: inout [UInt8], padding: [UInt8]
  ) throws(GSSError) -> Bool {
    let handle = try context.live("gss_unwrap")
    let length = header.count + data.count + padding.count
    // RFC 4121 4.2.6.2: TOK_ID 05 04, ..., RRC in bytes 6-7. The body after the 16-byte header is
    // rotated right by RRC; in Windows' layout the RRC bytes moved to the front all lie in TOKEN.
    var rrc = 0
    if header.count >= 16, header[0] == 0x05, header[1] == 0x04 {
      rrc = Int(header[6]) << 8 | Int(header[7])
      if rrc > header.count - 16 { rrc = 0 }  // another split: the library undoes the rotation
    }
    var minor: OM_uint32 = 0
    var state: Int32 = 0
    var output = gss_buffer_desc()
    let major = withUnsafeTemporaryAllocation(byteCount: max(length, 1), alignment: 1) { joined in
      func put(_ part: UnsafeRawBufferPointer, at offset: Int) {
        UnsafeMutableRawBufferPointer(rebasing: joined[offset..<(offset + part.count)]).copyMemory(from: part)
      }
      header.withUnsafeBytes { h in
        if rrc == 0 {
          put(h, at: 0)
        } else {
          // header, the rest of TOKEN, DATA, PADDING, then the RRC bytes that followed the header
          put(UnsafeRawBufferPointer(rebasing: h[0..<16]), at: 0)
          put(UnsafeRawBufferPointer(rebasing: h[(16 + rrc)...]), at: 16)
          put(UnsafeRawBufferPointer(rebasing: h[16..<(16 + rrc)]), at: length - rrc)
          joined[6] = 0
          joined[7] = 0
        }
      }
      let dataStart = header.count - rrc
      data.withUnsafeBytes { put($0, at: dataStart) }
      padding.withUnsafeBytes { put($0, at: dataStart + data.count) }
      var input = gss_buffer_desc(length: length, value: joined.baseAddress)
      return gss_unwrap(&minor, handle, &input, &output, &state, nil)
    }
    if _slowPath(major != 0) {
      var ignored: OM_uint32 = 0
      gss_release_buffer(&ignored, &output)
      try checkPerMessage(major, minor, "gss_unwrap")
    }
    replaceContents(of: &data, with: &output)
    return state != 0
  }
}
