import GSSAPI
import SSPI
import TestPeers
import Testing

extension SSPISuite {
  @Suite struct Messages {
    @Test func signaturesBothWays() throws {
      let x = try exchange()
      let (c, s) = (x.client.context, x.server.context)
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, Array("part one ".utf8)),
        SSPI.SecurityBuffer(.data, Array("part two".utf8)),
        SSPI.SecurityBuffer(.token, size: 28),
      ]
      try c.makeSignature(&m)
      #expect(m[2].bytes.count == 28)
      #expect(try s.verifySignature(m) == 0)
      var back: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, [1, 2, 3]), SSPI.SecurityBuffer(.token),
      ]
      try s.makeSignature(&back)
      try c.verifySignature(back)
      // A signature is a GSS-API MIC over the data buffers together.
      var third: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, Array("abc".utf8)), SSPI.SecurityBuffer(.token),
      ]
      try c.makeSignature(&third)
      var changed = third
      changed[0].bytes[0] ^= 1
      expectStatus(.messageAltered) { try s.verifySignature(changed) }
    }

    @Test func replayIsOutOfSequence() throws {
      let x = try exchange()
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.data, [9, 9]), SSPI.SecurityBuffer(.token),
      ]
      try x.client.context.makeSignature(&m)
      try x.server.context.verifySignature(m)
      expectStatus(.outOfSequence) { try x.server.context.verifySignature(m) }
    }

    @Test func smallTokenBufferIsBufferTooSmall() throws {
      let x = try exchange()
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token, size: 10), SSPI.SecurityBuffer(.data, [1]),
      ]
      expectStatus(.bufferTooSmall) { try x.client.context.encryptMessage(&m) }
    }

    /// TOKEN (cbSecurityTrailer) + DATA + PADDING, encrypted in place, decrypted in place.
    @Test func encryptTokenDataPadding() throws {
      let x = try exchange()
      let sizes = try x.client.context.sizes()
      let plain = Array("attack at dawn, bring coffee".utf8)
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token, size: Int(sizes.securityTrailer)), SSPI.SecurityBuffer(.data, plain),
        SSPI.SecurityBuffer(.padding, size: Int(sizes.blockSize)),
      ]
      try x.client.context.encryptMessage(&m)
      #expect(m[0].bytes.count == Int(sizes.securityTrailer))
      #expect(m[1].bytes.count == plain.count && m[1].bytes != plain)
      // (encryptOutputIsAGSSWrapToken checks that TOKEN‖DATA is a GSS-API wrap token.)
      var copy = m
      #expect(try x.server.context.decryptMessage(&copy) == 0)
      #expect(copy[1].bytes == plain)
    }

    @Test func encryptOutputIsAGSSWrapToken() throws {
      let x = try exchange()
      let plain = Array("to a GSS-API peer".utf8)
      var m: SSPI.SecurityBufferDescriptor = [SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, plain)]
      try x.client.context.encryptMessage(&m)
      // The server side exported to raw GSS-API unwraps the concatenation.
      let exported = try x.server.context.export()
      let gss = try GSSAPI.importSecurityContext(exported.packedContext)
      let r = try GSSAPI.unwrap(gss, message: m[0].bytes + m[1].bytes)
      #expect(r.message == plain && r.encrypted)
    }

    /// SECBUFFER_STREAM + empty SECBUFFER_DATA: the whole message in, the plaintext out.
    @Test func decryptStream() throws {
      let x = try exchange()
      let plain = Array("streamed".utf8)
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, plain), SSPI.SecurityBuffer(.padding),
      ]
      try x.client.context.encryptMessage(&m)
      var stream: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.stream, m[0].bytes + m[1].bytes + m[2].bytes), SSPI.SecurityBuffer(.data),
      ]
      try x.server.context.decryptMessage(&stream)
      #expect(stream[1].bytes == plain)
      // And from a GSS-API peer: a gss_wrap token is a stream.
      let fromGSS = try GSSAPI.wrap(try exportClientKeepingServer(x), message: Array("from gss".utf8)).message
      var s2: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.stream, fromGSS), SSPI.SecurityBuffer(.data),
      ]
      try x.server.context.decryptMessage(&s2)
      #expect(s2[1].bytes == Array("from gss".utf8))
    }

    @Test func signOnlyAndReadOnlyBuffers() throws {
      let x = try exchange()
      let header = Array("header, signed only".utf8)
      let body = Array("body, encrypted".utf8)
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, header, flags: .readOnlyWithChecksum),
        SSPI.SecurityBuffer(.data, body), SSPI.SecurityBuffer(.padding),
      ]
      try x.client.context.encryptMessage(&m)
      #expect(m[1].bytes == header && m[2].bytes != body)
      var tampered = m
      tampered[1].bytes[0] ^= 1
      var good = m
      try x.server.context.decryptMessage(&good)
      #expect(good[2].bytes == body)
      var m2: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, header, flags: .readOnlyWithChecksum),
        SSPI.SecurityBuffer(.data, body), SSPI.SecurityBuffer(.padding),
      ]
      try x.client.context.encryptMessage(&m2)
      m2[1].bytes[0] ^= 1
      expectStatus(.messageAltered) { try x.server.context.decryptMessage(&m2) }
      _ = tampered
    }

    @Test func noEncryptQoP() throws {
      let x = try exchange()
      let plain = Array("visible".utf8)
      var m: SSPI.SecurityBufferDescriptor = [SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, plain)]
      try x.client.context.encryptMessage(&m, qop: SSPI.qopWrapNoEncrypt)
      #expect(m[1].bytes == plain)
      #expect(try x.server.context.decryptMessage(&m) == SSPI.qopWrapNoEncrypt)
      expectStatus(.qopNotSupported) { try x.client.context.encryptMessage(&m, qop: 7) }
    }

    @Test func alteredCiphertextIsMessageAltered() throws {
      let x = try exchange()
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, Array("x".utf8)),
      ]
      try x.client.context.encryptMessage(&m)
      m[1].bytes[0] ^= 0x40
      expectStatus(.messageAltered) { try x.server.context.decryptMessage(&m) }
    }
  }
}

/// A GSS-API context for the client side of `x` that the server's SSPI context accepts messages
/// from: the SSPI client context, exported to raw GSS-API.
func exportClientKeepingServer(_ x: Exchange) throws -> GSSAPI.SecurityContext {
  let exported = try x.client.context.export()
  return try GSSAPI.importSecurityContext(exported.packedContext)
}
