import GSSAPI
import SSPI
import Testing

extension SSPISuite {
  /// EncryptMessage's TOKEN+DATA+PADDING layout for every message of a context: the first goes
  /// through gss_wrap_iov, later ones through gss_wrap and a rotation; both must give Windows'
  /// layout (RFC 4121 token, trailer rotated into TOKEN) and round-trip.
  @Suite struct MessageLayout {
    /// (TOKEN, DATA, PADDING) for `plain` with the sizes QueryContextAttributes(SIZES) gives.
    func encrypt(_ context: SSPI.SecurityContext, _ plain: [UInt8], qop: UInt32 = 0) throws
      -> SSPI.SecurityBufferDescriptor
    {
      let sizes = try context.sizes()
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token, size: Int(sizes.securityTrailer)), SSPI.SecurityBuffer(.data, plain),
        SSPI.SecurityBuffer(.padding, size: Int(sizes.blockSize)),
      ]
      try context.encryptMessage(&m, qop: qop)
      return m
    }

    /// RFC 4121 4.2.6.2 header fields of a TOKEN buffer: (flags, EC, RRC).
    func fields(_ token: [UInt8]) -> (flags: UInt8, ec: Int, rrc: Int) {
      (token[2], Int(token[4]) << 8 | Int(token[5]), Int(token[6]) << 8 | Int(token[7]))
    }

    @Test(arguments: [UInt32(0), SSPI.qopWrapNoEncrypt])
    func everyMessageHasTheSameLayout(qop: UInt32) throws {
      let x = try exchange()
      let (c, s) = (x.client.context, x.server.context)
      let sizes = try c.sizes()
      var first: (flags: UInt8, ec: Int, rrc: Int)?
      for (n, count) in [33, 0, 1, 15, 16, 17, 64, 1000, 16384].enumerated() {
        let plain = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ n) }
        let m = try encrypt(c, plain, qop: qop)
        #expect(Array(m[0].bytes.prefix(2)) == [0x05, 0x04], "RFC 4121 wrap token")
        let f = fields(m[0].bytes)
        if let first {
          #expect(f == first, "message \(n) has the first message's header fields")
        } else {
          first = f
        }
        if qop == 0 {
          #expect(m[0].bytes.count == Int(sizes.securityTrailer))
          #expect(f.rrc == m[0].bytes.count - 32)  // header, confounder, then the rotated trailer
          #expect(m[1].bytes.count == count && (count < 8 || m[1].bytes != plain))
        } else {
          #expect(f.rrc == f.ec && m[0].bytes.count == 16 + f.ec)  // the checksum, rotated
          #expect(m[1].bytes == plain)
        }
        #expect(m[2].bytes.isEmpty && m[2].size == 0)  // no padding with RFC 4121 enctypes
        var received = m
        #expect(try s.decryptMessage(&received) == qop)
        #expect(received[1].bytes == plain)
      }
    }

    /// Later messages are still GSS-API wrap tokens (TOKEN‖DATA‖PADDING) for a plain peer.
    @Test func laterMessagesUnwrapInGSSAPI() throws {
      let x = try exchange()
      for n in 0..<3 {
        let m = try encrypt(x.client.context, Array("message \(n)".utf8))
        var received = m
        try x.server.context.decryptMessage(&received)
      }
      let gss = try GSSAPI.importSecurityContext(try x.server.context.export().packedContext)
      for n in 3..<5 {
        let m = try encrypt(x.client.context, Array("message \(n)".utf8))
        let r = try GSSAPI.unwrap(gss, message: m[0].bytes + m[1].bytes + m[2].bytes)
        #expect(r.message == Array("message \(n)".utf8) && r.encrypted)
      }
    }

    /// A changed or replayed later message fails, and the DATA buffer keeps what it held.
    @Test func alteredAndReplayedLaterMessages() throws {
      let x = try exchange()
      var first = try encrypt(x.client.context, [1])
      try x.server.context.decryptMessage(&first)
      let m = try encrypt(x.client.context, Array("second".utf8))
      var altered = m
      altered[1].bytes[0] ^= 0x01
      let sent = altered[1].bytes
      expectStatus(.messageAltered) { try x.server.context.decryptMessage(&altered) }
      #expect(altered[1].bytes == sent)
      var once = m
      try x.server.context.decryptMessage(&once)
      var twice = m
      expectStatus(.outOfSequence) { try x.server.context.decryptMessage(&twice) }
      #expect(twice[1].bytes == m[1].bytes)
    }

    /// A TOKEN buffer too small for a later message is SEC_E_BUFFER_TOO_SMALL, and the DATA
    /// buffer keeps the plaintext.
    @Test func smallTokenBufferLater() throws {
      let x = try exchange()
      _ = try encrypt(x.client.context, [1])
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token, size: 10), SSPI.SecurityBuffer(.data, [1, 2, 3]),
      ]
      expectStatus(.bufferTooSmall) { try x.client.context.encryptMessage(&m) }
      #expect(m[1].bytes == [1, 2, 3])
    }
  }
}
