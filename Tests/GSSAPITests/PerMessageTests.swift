import GSSAPI
import TestPeers
import Testing

extension GSS {
  @Suite struct PerMessage {
    @Test func wrapUnwrapBothWays() throws {
      let (i, a) = try establish()
      let message = Array("attack at dawn".utf8)
      let wrapped = try GSSAPI.wrap(i.context, message: message)
      #expect(wrapped.encrypted)
      #expect(wrapped.message != message)
      let plain = try GSSAPI.unwrap(a.context, message: wrapped.message)
      #expect(plain.message == message)
      #expect(plain.encrypted)
      #expect(plain.qop == 0)
      let back = try GSSAPI.wrap(a.context, message: message, confidential: false)
      #expect(!back.encrypted)
      let unwrapped = try GSSAPI.unwrap(i.context, message: back.message)
      #expect(unwrapped.message == message && !unwrapped.encrypted)
      let big = [UInt8](repeating: 0x5a, count: 65536)
      #expect(
        try GSSAPI.unwrap(a.context, message: GSSAPI.wrap(i.context, message: big).message).message == big)
      #expect(
        try GSSAPI.unwrap(a.context, message: GSSAPI.wrap(i.context, message: []).message).message == [])
    }

    /// MIC tokens, from the allocating call and from the one that reuses the caller's array, are
    /// RFC 4121 MIC tokens the peer verifies.
    @Test func repeatedMICsVerify() throws {
      let (i, a) = try establish()
      var sizes: Set<Int> = []
      for n in 0..<5 {
        let message = [UInt8](repeating: UInt8(n), count: 10 + n)
        let mic = try GSSAPI.getMIC(i.context, message: message)
        sizes.insert(mic.count)
        #expect(Array(mic.prefix(2)) == [0x04, 0x04])  // RFC 4121 4.2.6.1 MIC token ID
        try GSSAPI.verifyMIC(a.context, message: message, token: mic)
      }
      #expect(sizes == [28])  // 16-byte header + 12-byte HMAC-SHA1-96
      var reused: [UInt8] = []
      for n in 0..<3 {
        try GSSAPI.getMIC(i.context, message: [UInt8(n)], into: &reused)
        #expect(reused.count == 28)
        try GSSAPI.verifyMIC(a.context, message: [UInt8(n)], token: reused)
      }
      var token: [UInt8] = [9, 9, 9]
      var plain: [UInt8] = [7]
      #expect(try GSSAPI.wrap(i.context, message: Array("reuse".utf8), into: &token))
      #expect(try GSSAPI.unwrap(a.context, message: token, into: &plain))
      #expect(plain == Array("reuse".utf8))
      // A token that fails to unwrap leaves the caller's array as it was.
      token[token.count - 1] ^= 1
      #expect(throws: GSSError.self) { try GSSAPI.unwrap(a.context, message: token, into: &plain) }
      #expect(plain == Array("reuse".utf8))
      let mic = try GSSAPI.getMIC(i.context, message: [1])
      #expect(throws: GSSError.self) { try GSSAPI.verifyMIC(a.context, message: [2], token: mic) }
    }

    @Test func micsAndTheirErrors() throws {
      let (i, a) = try establish()
      let message = Array("signed".utf8)
      let mic = try GSSAPI.getMIC(i.context, message: message)
      #expect(try GSSAPI.verifyMIC(a.context, message: message, token: mic) == 0)
      do {
        try GSSAPI.verifyMIC(
          a.context, message: Array("signeD".utf8), token: try GSSAPI.getMIC(i.context, message: message))
        Issue.record("a MIC over other bytes verified")
      } catch {
        #expect(error.routine == .badMIC)
        #expect(error.pythonName == "BadMICError")
      }
      // replaying the first token: duplicate
      do {
        try GSSAPI.verifyMIC(a.context, message: message, token: mic)
        Issue.record("a replayed MIC verified")
      } catch {
        #expect(error.supplementary.contains(.duplicateToken))
        #expect(error.pythonName == "DuplicateTokenError")
      }
    }

    /// From 1 KiB on, the plain calls wrap and unwrap in place (gss_wrap_iov, gss_unwrap_iov), and
    /// `wrap(into:)` wraps in the caller's array (grown or shrunk to the token): their tokens are
    /// gss_wrap's (`unwrap(into:)`, which goes through gss_unwrap, reads them), and a changed,
    /// early or late token fails as it does through gss_unwrap.
    @Test func largeMessagesInPlace() throws {
      let (i, a) = try establish()
      for count in [1023, 1024, 1025, 16384, 65537] {
        let message = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for confidential in [true, false] {
          let wrapped = try GSSAPI.wrap(i.context, message: message, confidential: confidential)
          #expect(wrapped.encrypted == confidential)
          var reused: [UInt8] = []
          #expect(try GSSAPI.unwrap(a.context, message: wrapped.message, into: &reused) == confidential)
          #expect(reused == message, "\(count) bytes, confidential \(confidential)")
          var token: [UInt8] = []
          try GSSAPI.wrap(a.context, message: message, into: &token, confidential: confidential)
          #expect(token.count == wrapped.message.count)
          let plain = try GSSAPI.unwrap(i.context, message: token)
          #expect(plain.message == message && plain.encrypted == confidential && plain.qop == 0)
          // an array longer than the token, holding other bytes, is cut to the token
          var longer = [UInt8](repeating: 0xEE, count: 70_000)
          #expect(
            try GSSAPI.wrap(a.context, message: message, into: &longer, confidential: confidential)
              == confidential)
          #expect(longer.count == wrapped.message.count)
          #expect(try GSSAPI.unwrap(i.context, message: longer).message == message)
        }
      }
      let big = [UInt8](repeating: 0x33, count: 4096)
      var token = try GSSAPI.wrap(i.context, message: big).message
      token[token.count / 2] ^= 1
      do {
        _ = try GSSAPI.unwrap(a.context, message: token)
        Issue.record("a changed token was accepted")
      } catch { #expect(error.routine == .badMIC) }
      let first = try GSSAPI.wrap(i.context, message: big).message
      let second = try GSSAPI.wrap(i.context, message: big).message
      do {
        _ = try GSSAPI.unwrap(a.context, message: second)
        Issue.record("a gap went unreported")
      } catch { #expect(error.supplementary == .gapToken && error.routine == nil) }
      do {
        _ = try GSSAPI.unwrap(a.context, message: first)
        Issue.record("an out-of-sequence token was accepted silently")
      } catch { #expect(error.supplementary == .unsequencedToken && error.routine == nil) }
    }

    @Test func tamperedAndOutOfSequenceTokens() throws {
      let (i, a) = try establish()
      var token = try GSSAPI.wrap(i.context, message: Array("x".utf8)).message
      token[token.count - 1] ^= 1
      #expect(throws: GSSError.self) { try GSSAPI.unwrap(a.context, message: token) }
      do { _ = try GSSAPI.unwrap(a.context, message: token) } catch { #expect(error.routine == .badMIC) }
      do { _ = try GSSAPI.unwrap(a.context, message: [0x60, 0x01]) } catch {
        #expect(error.routine == .defectiveToken)
        #expect(error.pythonName == "InvalidTokenError")
      }
      // the tampered token (sequence number 0) never arrived intact: number 2 comes too early
      let first = try GSSAPI.wrap(i.context, message: [1]).message
      let second = try GSSAPI.wrap(i.context, message: [2]).message
      do {
        _ = try GSSAPI.unwrap(a.context, message: second)
        Issue.record("a gap went unreported")
      } catch {
        #expect(error.supplementary == .gapToken && error.routine == nil)
        #expect(error.pythonName == "TokenTooEarlyError")
      }
      // and number 1, after 2, comes too late
      do {
        _ = try GSSAPI.unwrap(a.context, message: first)
        Issue.record("an out-of-sequence token was accepted silently")
      } catch {
        #expect(error.supplementary == .unsequencedToken && error.routine == nil)
        #expect(error.pythonName == "TokenTooLateError")
      }
    }

    @Test func wrapSizeLimit() throws {
      let (i, _) = try establish()
      let limit = try GSSAPI.wrapSizeLimit(i.context, outputSize: 1024)
      #expect(limit > 900 && limit < 1024)
      #expect(
        try GSSAPI.wrap(i.context, message: [UInt8](repeating: 1, count: Int(limit))).message.count <= 1024)
      let integrityOnly = try GSSAPI.wrapSizeLimit(i.context, outputSize: 1024, confidential: false)
      #expect(integrityOnly >= limit)
    }
  }

  @Suite struct ContextLifecycle {
    @Test func inquireContextTimeExportImportDelete() throws {
      let (i, a) = try establish()
      let info = try GSSAPI.inquireContext(i.context)
      #expect(info.initiatorName?.description == "user@NTSEC.TEST")
      #expect(info.targetName?.description == "host/localhost@NTSEC.TEST")
      #expect(info.mechanism == GSSAPI.MechanismType.kerberos)
      #expect(info.locallyInitiated == true)
      #expect(info.complete == true)
      #expect(info.flags?.contains(.mutualAuthentication) == true)
      let acceptorView = try GSSAPI.inquireContext(a.context, targetName: false, lifetime: false)
      #expect(acceptorView.locallyInitiated == false)
      #expect(acceptorView.targetName == nil && acceptorView.lifetime == nil)
      #expect(try GSSAPI.contextTime(i.context) > 0)

      let token = try GSSAPI.exportSecurityContext(a.context)
      #expect(throws: GSSError.self) { try GSSAPI.contextTime(a.context) }
      let imported = try GSSAPI.importSecurityContext(token)
      let wrapped = try GSSAPI.wrap(i.context, message: [9, 9])
      #expect(try GSSAPI.unwrap(imported, message: wrapped.message).message == [9, 9])
      #expect(throws: GSSError.self) { try GSSAPI.importSecurityContext([0, 1, 2]) }

      let deletion = try GSSAPI.deleteSecurityContext(i.context, localOnly: false)
      #expect(deletion.isEmpty)  // Kerberos (RFC 4121) has no deletion token
      do { _ = try GSSAPI.wrap(i.context, message: [1]) } catch {
        #expect(error.routine == .noContext)
        #expect(error.pythonName == "MissingContextError")
      }
      try GSSAPI.deleteSecurityContext(imported)
    }

    @Test func processContextTokenRejectsGarbage() throws {
      let (_, a) = try establish()
      #expect(throws: GSSError.self) {
        try GSSAPI.processContextToken(a.context, token: [0x60, 0x03, 0x01, 0x02, 0x03])
      }
    }

    @Test func wrongServiceAndNoTicketAreTypedErrors() throws {
      _ = try Realm.get()
      let missing = try GSSAPI.importName("nosuch@localhost", type: GSSAPI.NameType.hostbasedService)
      do {
        _ = try GSSAPI.initSecurityContext(target: missing, mechanism: GSSAPI.MechanismType.kerberos)
        Issue.record("got a ticket for a principal the KDC does not have")
      } catch {
        #expect(error.routine == .failure)
        #expect(error.minorMessages.joined().contains("not found"))
      }
      // an HTTP/ ticket offered to host/ credentials only
      let http = try GSSAPI.importName("HTTP@localhost", type: GSSAPI.NameType.hostbasedService)
      let first = try GSSAPI.initSecurityContext(target: http, mechanism: GSSAPI.MechanismType.kerberos)
      let hostOnly = try GSSAPI.acquireCredentials(name: hostTarget(), usage: .accept)
      #expect(throws: GSSError.self) {
        try GSSAPI.acceptSecurityContext(inputToken: first.token ?? [], credentials: hostOnly.credentials)
      }
      do { _ = try GSSAPI.acceptSecurityContext(inputToken: [1, 2, 3]) } catch {
        #expect(error.routine == .defectiveToken)
      }
    }
  }
}
