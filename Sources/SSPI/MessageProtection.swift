import GSSAPI

extension SSPI {
  /// SECQOP_WRAP_NO_ENCRYPT (KERB_WRAP_NO_ENCRYPT): EncryptMessage signs without encrypting;
  /// DecryptMessage reports it for such a message.
  public static let qopWrapNoEncrypt: UInt32 = 0x8000_0001
}

extension SSPI.SecurityContext {
  /// MakeSignature: a signature over the SECBUFFER_DATA buffers (in order, including read-only
  /// ones), written into the SECBUFFER_TOKEN buffer. The sequence number is the context's own
  /// (Kerberos and NTLM connection contexts ignore `sequenceNumber`, as on Windows).
  public func makeSignature(
    _ message: inout SSPI.SecurityBufferDescriptor, qop: UInt32 = 0, sequenceNumber: UInt32 = 0
  )
    throws(SSPIError)
  {
    try checkEstablished("MakeSignature")
    guard let tokenIndex = message.firstIndex(of: .token) else {
      throw SSPIError(.invalidToken, "MakeSignature: the message has no SECBUFFER_TOKEN for the signature")
    }
    let data = Self.signedBytes(message)
    do {
      let mic = try GSSAPI.getMIC(gss, message: data)
      try place(mic, in: &message.buffers[tokenIndex], "MakeSignature")
    } catch let error as SSPIError {
      throw error
    } catch let error as GSSError {
      throw SSPIError(error, during: .message, "MakeSignature")
    } catch { throw SSPIError(.internalError, "\(error)") }
  }

  /// VerifySignature: checks the SECBUFFER_TOKEN signature over the SECBUFFER_DATA buffers;
  /// returns the QoP. SEC_E_MESSAGE_ALTERED for a wrong signature, SEC_E_OUT_OF_SEQUENCE for a
  /// replayed or reordered one (when the context detects those).
  @discardableResult
  public func verifySignature(_ message: SSPI.SecurityBufferDescriptor, sequenceNumber: UInt32 = 0)
    throws(SSPIError) -> UInt32
  {
    try checkEstablished("VerifySignature")
    guard let token = message.first(.token)?.bytes else {
      throw SSPIError(.invalidToken, "VerifySignature: the message has no SECBUFFER_TOKEN")
    }
    let data = Self.signedBytes(message)
    do { return try GSSAPI.verifyMIC(gss, message: data, token: token) } catch {
      throw SSPIError(error, during: .message, "VerifySignature")
    }
  }

  /// EncryptMessage with Windows' layout: SECBUFFER_TOKEN (room for `cbSecurityTrailer` bytes),
  /// SECBUFFER_DATA (encrypted in place; several are allowed for Kerberos, and
  /// SECBUFFER_READONLY_WITH_CHECKSUM data is signed but not encrypted), and an optional
  /// SECBUFFER_PADDING. `qop` ``SSPI/qopWrapNoEncrypt`` signs without encrypting.
  ///
  /// Kerberos produces the RFC 4121 wrap token with the trailer in the header (RRC), as Windows
  /// does, so TOKEN‖DATA‖PADDING is a GSS-API wrap token any peer can unwrap. NTLM puts the
  /// 16-byte MS-NLMP signature in TOKEN.
  public func encryptMessage(
    _ message: inout SSPI.SecurityBufferDescriptor, qop: UInt32 = 0, sequenceNumber: UInt32 = 0
  )
    throws(SSPIError)
  {
    let (wraps, messagePackage) = try checkEstablished("EncryptMessage")
    guard qop == 0 || qop == SSPI.qopWrapNoEncrypt else {
      throw SSPIError(
        .qopNotSupported, "EncryptMessage: QoP 0x\(String(qop, radix: 16)) (known: 0, SECQOP_WRAP_NO_ENCRYPT)"
      )
    }
    let confidential = qop != SSPI.qopWrapNoEncrypt
    guard let tokenIndex = message.firstIndex(of: .token) else {
      throw SSPIError(.invalidToken, "EncryptMessage: the message has no SECBUFFER_TOKEN")
    }
    guard message.firstIndex(of: .data) != nil else {
      throw SSPIError(.invalidToken, "EncryptMessage: the message has no SECBUFFER_DATA")
    }
    do {
      if wraps == true, let layout = Self.standardLayout(message) {
        try encryptRotated(&message, layout, confidential: confidential)
        return
      }
      let dataIndices = message.indices.filter { message.buffers[$0].type == .data }
      if messagePackage == .ntlm {
        guard dataIndices.count == 1 else {
          throw SSPIError(
            .unsupportedFunction, "EncryptMessage (NTLM): one SECBUFFER_DATA buffer, not \(dataIndices.count)"
          )
        }
        let wrapped = try GSSAPI.wrap(gss, message: message[dataIndices[0]].bytes, confidential: confidential)
          .message
        guard wrapped.count >= 16 else {
          throw SSPIError(.internalError, "EncryptMessage (NTLM): a short wrap token")
        }
        try place(Array(wrapped.prefix(16)), in: &message[tokenIndex], "EncryptMessage")
        message[dataIndices[0]].bytes = Array(wrapped.dropFirst(16))
        if let p = message.firstIndex(of: .padding) { message[p].bytes = []; message[p].size = 0 }
        return
      }
      var iovIndex: [Int] = []  // descriptor index of each IOV buffer
      var buffers: [GSSAPI.IOVBuffer] = []
      for (i, b) in message.enumerated() {
        switch b.type {
        case .token:
          buffers.append(.init(.header, allocate: true))
        case .data:
          buffers.append(
            .init(
              b.flags.contains(.readOnlyWithChecksum) || b.flags.contains(.readOnly) ? .signOnly : .data,
              value: b.bytes))
        case .padding:
          buffers.append(.init(.padding, allocate: true))
        default: continue
        }
        iovIndex.append(i)
      }
      var iov = GSSAPI.IOV(buffers, standardLayout: false)
      try GSSAPI.wrapIOV(gss, message: &iov, confidential: confidential)
      if wraps == nil, let k = iovIndex.firstIndex(of: tokenIndex), let header = iov[k].value {
        wrapsRFC4121Tokens = header.starts(with: [0x05, 0x04])  // RFC 4121 4.2.6.2 TOK_ID
      }
      for (k, i) in iovIndex.enumerated() {
        let value = iov[k].value ?? []
        switch message[i].type {
        case .token: try place(value, in: &message[i], "EncryptMessage")
        case .padding:
          message[i].bytes = value
          message[i].size = value.count
        default:
          if !message[i].flags.contains(.readOnly) && !message[i].flags.contains(.readOnlyWithChecksum) {
            message[i].bytes = value
            message[i].size = value.count
          }
        }
      }
    } catch let error as SSPIError {
      throw error
    } catch let error as GSSError {
      throw SSPIError(error, during: .message, "EncryptMessage")
    } catch { throw SSPIError(.internalError, "\(error)") }
  }

  /// DecryptMessage with either of Windows' layouts: SECBUFFER_TOKEN + SECBUFFER_DATA (+ PADDING),
  /// decrypted in place; or SECBUFFER_STREAM (the whole wrapped message) + an empty SECBUFFER_DATA
  /// that receives the plaintext. Returns the QoP: ``SSPI/qopWrapNoEncrypt`` when the message was
  /// only signed. SEC_E_MESSAGE_ALTERED when it was changed, SEC_E_OUT_OF_SEQUENCE for a replay.
  @discardableResult
  public func decryptMessage(_ message: inout SSPI.SecurityBufferDescriptor, sequenceNumber: UInt32 = 0)
    throws(SSPIError) -> UInt32
  {
    let messagePackage = try checkEstablished("DecryptMessage").package
    do {
      if let layout = Self.standardLayout(message) {
        // TOKEN‖DATA‖PADDING is a complete wrap token.
        let padding = layout.padding.map { message.buffers[$0].bytes } ?? []
        var bytes: [UInt8] = []
        swap(&bytes, &message.buffers[layout.data].bytes)  // `bytes` alone holds it: decrypted in place
        defer {
          message.buffers[layout.data].size = bytes.count
          swap(&bytes, &message.buffers[layout.data].bytes)
        }
        let encrypted = try GSSAPI.unwrap(
          gss, header: message.buffers[layout.token].bytes, data: &bytes, padding: padding)
        return encrypted ? 0 : SSPI.qopWrapNoEncrypt
      }
      if let streamIndex = message.firstIndex(of: .stream) {
        guard let dataIndex = message.firstIndex(of: .data) else {
          throw SSPIError(
            .invalidToken, "DecryptMessage: a SECBUFFER_STREAM needs a SECBUFFER_DATA for the plaintext")
        }
        let r = try GSSAPI.unwrap(gss, message: message[streamIndex].bytes)
        message[dataIndex].bytes = r.message
        message[dataIndex].size = r.message.count
        return r.encrypted ? 0 : SSPI.qopWrapNoEncrypt
      }
      guard let tokenIndex = message.firstIndex(of: .token), let dataIndex = message.firstIndex(of: .data)
      else {
        throw SSPIError(
          .invalidToken, "DecryptMessage: needs SECBUFFER_TOKEN and SECBUFFER_DATA, or SECBUFFER_STREAM")
      }
      let padding = message.first(.padding)?.bytes ?? []
      let dataIndices = message.indices.filter { message[$0].type == .data }
      if messagePackage == .ntlm
        || dataIndices.count == 1 && !message[dataIndex].flags.contains(.readOnlyWithChecksum)
      {
        // One data buffer: TOKEN‖DATA‖PADDING is a complete wrap token.
        let r = try GSSAPI.unwrap(
          gss, message: message[tokenIndex].bytes + message[dataIndex].bytes + padding)
        message[dataIndex].bytes = r.message
        message[dataIndex].size = r.message.count
        return r.encrypted ? 0 : SSPI.qopWrapNoEncrypt
      }
      var iovIndex: [Int] = []
      var buffers: [GSSAPI.IOVBuffer] = []
      for (i, b) in message.enumerated() {
        switch b.type {
        case .token: buffers.append(.init(.header, value: b.bytes))
        case .data:
          buffers.append(
            .init(
              b.flags.contains(.readOnlyWithChecksum) || b.flags.contains(.readOnly) ? .signOnly : .data,
              value: b.bytes))
        case .padding: buffers.append(.init(.padding, value: b.bytes))
        default: continue
        }
        iovIndex.append(i)
      }
      var iov = GSSAPI.IOV(buffers, standardLayout: false)
      let r = try GSSAPI.unwrapIOV(gss, message: &iov)
      for (k, i) in iovIndex.enumerated() where message[i].type == .data && iov[k].type == .data {
        message[i].bytes = iov[k].value ?? []
        message[i].size = message[i].bytes.count
      }
      return r.encrypted ? 0 : SSPI.qopWrapNoEncrypt
    } catch let error as SSPIError {
      throw error
    } catch let error as GSSError {
      throw SSPIError(error, during: .message, "DecryptMessage")
    } catch { throw SSPIError(.internalError, "\(error)") }
  }

  /// EncryptMessage for a context whose wrap tokens are RFC 4121 ones, with one TOKEN, one DATA
  /// and at most one PADDING buffer: gss_wrap, the token split as gss_wrap_iov would split it
  /// (`GSSAPI.wrapRotated`); RFC 4121 enctypes need no padding.
  func encryptRotated(
    _ message: inout SSPI.SecurityBufferDescriptor, _ layout: StandardLayout, confidential: Bool
  ) throws {
    let (header, data, _) = try GSSAPI.wrapRotated(
      gss, message: message.buffers[layout.data].bytes, confidential: confidential)
    try place(header, in: &message.buffers[layout.token], "EncryptMessage")
    message.buffers[layout.data].size = data.count
    message.buffers[layout.data].bytes = data
    if let p = layout.padding {
      message.buffers[p].bytes = []
      message.buffers[p].size = 0
    }
  }

  /// Indices of Windows' usual message layout: one SECBUFFER_TOKEN, one SECBUFFER_DATA without
  /// flags, at most one SECBUFFER_PADDING (other buffer types take no part).
  struct StandardLayout {
    let token: Int
    let data: Int
    let padding: Int?
  }

  /// The message's ``StandardLayout``; nil for any other layout (or a SECBUFFER_STREAM).
  static func standardLayout(_ message: SSPI.SecurityBufferDescriptor) -> StandardLayout? {
    let b = message.buffers
    if b.count == 3, b[0].type == .token, b[1].type == .data, b[1].flags.isEmpty, b[2].type == .padding {
      return StandardLayout(token: 0, data: 1, padding: 2)  // the layout nearly everyone uses
    }
    var token = -1
    var data = -1
    var padding = -1
    for i in message.buffers.indices {
      switch message.buffers[i].type.rawValue {
      case SSPI.BufferType.token.rawValue:
        guard token < 0 else { return nil }
        token = i
      case SSPI.BufferType.data.rawValue:
        guard data < 0, message.buffers[i].flags.isEmpty else { return nil }
        data = i
      case SSPI.BufferType.padding.rawValue:
        guard padding < 0 else { return nil }
        padding = i
      case SSPI.BufferType.stream.rawValue: return nil
      default: continue
      }
    }
    guard token >= 0, data >= 0 else { return nil }
    return StandardLayout(token: token, data: data, padding: padding >= 0 ? padding : nil)
  }

  /// The SECBUFFER_DATA buffers a signature covers, in order (the buffer itself when there is one).
  static func signedBytes(_ message: SSPI.SecurityBufferDescriptor) -> [UInt8] {
    var bytes: [UInt8] = []
    var first = true
    for i in message.buffers.indices where message.buffers[i].type == .data {
      if first { bytes = message.buffers[i].bytes } else { bytes += message.buffers[i].bytes }
      first = false
    }
    return bytes
  }

  /// What a per-message call reads of the context, in one lock: whether its wrap tokens are
  /// RFC 4121 ones, and the package that carries messages. SEC_E_INVALID_HANDLE unless established.
  @discardableResult
  func checkEstablished(_ what: String) throws(SSPIError) -> (
    wrapsRFC4121Tokens: Bool?, package: SSPI.Package
  ) {
    let (established, wraps, negotiated) = state.withLock {
      ($0.isEstablished, $0.wrapsRFC4121Tokens, $0.negotiatedPackage)
    }
    // deleting or exporting a context also ends it
    if _fastPath(established) { return (wraps, negotiated ?? package) }
    try checkLive(what)
    throw SSPIError(.invalidHandle, "\(what): the context is not established yet")
  }

  /// Puts output bytes into a caller's buffer: SEC_E_BUFFER_TOO_SMALL when the caller gave a
  /// size (cbBuffer) smaller than the bytes.
  func place(_ bytes: consuming [UInt8], in buffer: inout SSPI.SecurityBuffer, _ what: String)
    throws(SSPIError)
  {
    if buffer.size > 0 && buffer.size < bytes.count {
      throw SSPIError(
        .bufferTooSmall,
        "\(what): the \(buffer.type) buffer has room for \(buffer.size) bytes, \(bytes.count) needed")
    }
    buffer.size = bytes.count
    buffer.bytes = bytes
  }
}
