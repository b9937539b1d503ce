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
    let data = message.buffers.filter { $0.type == .data }.flatMap(\.bytes)
    do {
      let mic = try GSSAPI.getMIC(gss, message: data)
      try place(mic, in: &message[tokenIndex], "MakeSignature")
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
    let data = message.buffers.filter { $0.type == .data }.flatMap(\.bytes)
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
    try checkEstablished("EncryptMessage")
    guard qop == 0 || qop == SSPI.qopWrapNoEncrypt else {
      throw SSPIError(
        .qopNotSupported, "EncryptMessage: QoP 0x\(String(qop, radix: 16)) (known: 0, SECQOP_WRAP_NO_ENCRYPT)"
      )
    }
    let confidential = qop != SSPI.qopWrapNoEncrypt
    guard let tokenIndex = message.firstIndex(of: .token) else {
      throw SSPIError(.invalidToken, "EncryptMessage: the message has no SECBUFFER_TOKEN")
    }
    let dataIndices = message.indices.filter { message[$0].type == .data }
    guard !dataIndices.isEmpty else {
      throw SSPIError(.invalidToken, "EncryptMessage: the message has no SECBUFFER_DATA")
    }
    do {
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
    try checkEstablished("DecryptMessage")
    do {
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

  func checkEstablished(_ what: String) throws(SSPIError) {
    try checkLive(what)
    guard isEstablished else {
      throw SSPIError(.invalidHandle, "\(what): the context is not established yet")
    }
  }

  /// Puts output bytes into a caller's buffer: SEC_E_BUFFER_TOO_SMALL when the caller gave a
  /// size (cbBuffer) smaller than the bytes.
  func place(_ bytes: [UInt8], in buffer: inout SSPI.SecurityBuffer, _ what: String) throws(SSPIError) {
    if buffer.size > 0 && buffer.size < bytes.count {
      throw SSPIError(
        .bufferTooSmall,
        "\(what): the \(buffer.type) buffer has room for \(buffer.size) bytes, \(bytes.count) needed")
    }
    buffer.bytes = bytes
    buffer.size = bytes.count
  }
}
