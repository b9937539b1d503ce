import NTSecurity

/// CRED_MARSHAL_TYPE and its payloads: what CredMarshalCredential turns into an `@@…` string
/// that can stand in for a user name.
public enum MarshaledCredential: Hashable, Sendable {
  /// CertCredential (1): the SHA-1 hash of a certificate (CERT_CREDENTIAL_INFO.rgbHashOfCert).
  case certificate(sha1: [UInt8])
  /// UsernameTargetCredential (2): the user name of a CRED_FLAGS_USERNAME_TARGET credential.
  case usernameTarget(String)
  /// BinaryBlobCredential (3): opaque bytes (BINARY_BLOB_CREDENTIAL_INFO).
  case binaryBlob([UInt8])

  /// The CRED_MARSHAL_TYPE value.
  public var marshalType: UInt32 {
    switch self {
    case .certificate: 1
    case .usernameTarget: 2
    case .binaryBlob: 3
    }
  }
}

/// Windows' marshaled-credential text form: `@@`, the letter `A` + CRED_MARSHAL_TYPE, then the
/// payload in Windows' own base-64 variant. That variant uses the alphabet `A–Z a–z 0–9 # -` and
/// packs bits least-significant first: each 3 bytes b0 b1 b2 become the 6-bit values
/// b0 & 63, (b0 >> 6) | (b1 & 15) << 2, (b1 >> 4) | (b2 & 3) << 4, b2 >> 2; a trailing 1 or
/// 2 bytes give 2 or 3 characters; there is no padding.
///
/// Layouts: a certificate is its 20 hash bytes (27 characters); a user name and a binary blob are
/// a 4-byte little-endian byte count (6 characters) followed by the UTF-16LE name or the bytes.
enum CredentialMarshaling {
  static let alphabet: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789#-".utf8)
  static let certificateHashLength = 20

  static func encode(_ bytes: [UInt8], into out: inout [UInt8]) {
    var i = 0
    while i < bytes.count {
      let b0 = bytes[i]
      out.append(alphabet[Int(b0 & 0x3F)])
      guard i + 1 < bytes.count else {
        out.append(alphabet[Int(b0 >> 6)])
        return
      }
      let b1 = bytes[i + 1]
      out.append(alphabet[Int((b0 >> 6) | (b1 & 0x0F) << 2)])
      guard i + 2 < bytes.count else {
        out.append(alphabet[Int(b1 >> 4)])
        return
      }
      let b2 = bytes[i + 2]
      out.append(alphabet[Int((b1 >> 4) | (b2 & 0x03) << 4)])
      out.append(alphabet[Int(b2 >> 2)])
      i += 3
    }
  }

  static func value(of c: UInt16) -> UInt8? {
    switch c {
    case 0x41...0x5A: UInt8(c - 0x41)
    case 0x61...0x7A: UInt8(c - 0x61 + 26)
    case 0x30...0x39: UInt8(c - 0x30 + 52)
    case 0x23: 62
    case 0x2D: 63
    default: nil
    }
  }

  /// Decodes `count` characters; nil when one is outside the alphabet or the count cannot be a
  /// whole number of bytes (count % 4 == 1).
  static func decode(_ chars: ArraySlice<UInt16>) -> [UInt8]? {
    var values: [UInt8] = []
    values.reserveCapacity(chars.count)
    for c in chars {
      guard let v = value(of: c) else { return nil }
      values.append(v)
    }
    if values.count % 4 == 1 { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(values.count * 3 / 4)
    var i = 0
    while i < values.count {
      let v0 = values[i]
      let v1 = values[i + 1]
      out.append(v0 | (v1 & 0x03) << 6)
      guard i + 2 < values.count else { break }
      let v2 = values[i + 2]
      out.append(v1 >> 2 | (v2 & 0x0F) << 4)
      guard i + 3 < values.count else { break }
      let v3 = values[i + 3]
      out.append(v2 >> 4 | v3 << 2)
      i += 4
    }
    return out
  }

  static func encodedLength(byteCount n: Int) -> Int { (n * 4 + 2) / 3 }

  static func marshal(_ credential: MarshaledCredential) throws(NTSecurityError) -> String {
    var out: [UInt8] = Array("@@".utf8)
    out.append(UInt8(ascii: "A") + UInt8(credential.marshalType))
    switch credential {
    case .certificate(let hash):
      guard hash.count == certificateHashLength else {
        throw NTSecurityError(
          .invalidParameter, "a certificate credential is the 20-byte SHA-1 hash of the certificate")
      }
      encode(hash, into: &out)
    case .usernameTarget(let name):
      guard !name.isEmpty else {
        throw NTSecurityError(.invalidParameter, "a username target credential needs a user name")
      }
      let bytes = SecretBytes.utf16LE(name)
      encode(littleEndian(UInt32(bytes.count)), into: &out)
      encode(bytes, into: &out)
    case .binaryBlob(let blob):
      encode(littleEndian(UInt32(blob.count)), into: &out)
      encode(blob, into: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func littleEndian(_ v: UInt32) -> [UInt8] {
    [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
  }

  static func unmarshal(_ text: String) throws(NTSecurityError) -> MarshaledCredential {
    let bad = NTSecurityError(.invalidParameter, "not a marshaled credential")
    let units = Array(text.utf16)
    guard units.count >= 4, units[0] == 0x40, units[1] == 0x40 else { throw bad }
    let payload = units[3...]
    let length = payload.count
    switch Int(units[2]) - 0x41 {
    case 1:
      guard length == encodedLength(byteCount: certificateHashLength), let hash = decode(payload) else {
        throw bad
      }
      return .certificate(sha1: hash)
    case 2, 3:
      guard length >= 9, let sizeBytes = decode(payload.prefix(6)), sizeBytes.count == 4 else { throw bad }
      let size =
        Int(sizeBytes[0]) | Int(sizeBytes[1]) << 8 | Int(sizeBytes[2]) << 16 | Int(sizeBytes[3]) << 24
      guard length - 6 == encodedLength(byteCount: size), let bytes = decode(payload.dropFirst(6)),
        bytes.count == size
      else { throw bad }
      if units[2] == 0x43 {
        guard size % 2 == 0, size > 0 else { throw bad }
        var codeUnits: [UInt16] = []
        for i in stride(from: 0, to: size, by: 2) {
          codeUnits.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
        }
        return .usernameTarget(String(decoding: codeUnits, as: UTF16.self))
      }
      return .binaryBlob(bytes)
    default:
      throw bad
    }
  }
}
