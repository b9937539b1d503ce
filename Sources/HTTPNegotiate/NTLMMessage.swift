/// Just enough of MS-NLMP's messages to refuse before AcceptSecurityContext: which message a
/// token carries (raw or inside SPNEGO) and whether an AUTHENTICATE message is anonymous.
enum NTLMMessage {
  static let signature: [UInt8] = Array("NTLMSSP\0".utf8)

  /// The offset of the NTLM message in `token` (0 for raw NTLM; SPNEGO wraps it in DER).
  static func offset(in token: [UInt8]) -> Int? {
    guard token.count >= signature.count + 4 else { return nil }
    if token.starts(with: signature) { return 0 }
    // Inside SPNEGO the message is the mechToken OCTET STRING; look for the signature.
    let limit = token.count - signature.count - 4
    var i = 0
    while i <= limit {
      if token[i] == 0x4E && token[i..<(i + signature.count)].elementsEqual(signature) { return i }
      i += 1
    }
    return nil
  }

  /// MessageType (1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE), if the token holds an NTLM message.
  static func type(in token: [UInt8]) -> UInt32? {
    guard let at = offset(in: token) else { return nil }
    return read32(token, at + 8)
  }

  /// An AUTHENTICATE message with no user name and no NT response: the anonymous logon
  /// (MS-NLMP 3.2.5.1.2), which a server with Windows Authentication refuses.
  static func isAnonymousAuthenticate(_ token: [UInt8]) -> Bool {
    guard let at = offset(in: token), type(in: token) == 3, token.count >= at + 44 else { return false }
    let ntLength = UInt16(token[at + 20]) | UInt16(token[at + 21]) << 8
    let userLength = UInt16(token[at + 36]) | UInt16(token[at + 37]) << 8
    return ntLength == 0 && userLength == 0
  }

  /// A raw NEGOTIATE message without the optional 8-byte Version field (curl's 32-byte one), with
  /// that field added as zeros: gss-ntlmssp refuses the short form as a defective token, Windows
  /// accepts it. The field is read only when NTLMSSP_NEGOTIATE_VERSION is set, so the message
  /// means the same. Anything else is returned as it is.
  static func normalizedNegotiate(_ token: [UInt8]) -> [UInt8] {
    guard token.count >= 32, token.count < 40, token.starts(with: signature), read32(token, 8) == 1 else {
      return token
    }
    return token + [UInt8](repeating: 0, count: 40 - token.count)
  }

  static func read32(_ b: [UInt8], _ i: Int) -> UInt32 {
    guard i + 4 <= b.count else { return 0 }
    return UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
  }
}
