import Foundation
import NTSecIO
import NTSecurity

/// The documented batch request read straight from the line's bytes: `{"sd": "…", "token": {…},
/// "desired": N or "…", …}` with plain strings (no escapes, ASCII), plain unsigned numbers and
/// the literals true and false. The descriptor and the token are looked up by their bytes and
/// only parsed when new. Anything else (an escape, an unknown or repeated key, a value of an
/// unexpected type, a value that does not parse) makes ``request(_:)`` return nil, and the caller
/// reads the line with the general JSON parser, which gives the same result for a line read here
/// and its error message for the rest.
struct AccessCheckBatchReader {
  var descriptors = ByteKeyedCache<SecurityDescriptor>()
  var tokens = ByteKeyedCache<AccessToken>()

  /// The request of `line`, or nil when the line is not in the plain shape this reader handles.
  mutating func request(_ line: UnsafeBufferPointer<UInt8>) -> AccessCheckRequest? {
    var s = JSONByteScanner(line)
    s.skipSpace()
    guard s.take(UInt8(ascii: "{")) else { return nil }
    var descriptor: SecurityDescriptor?
    var token: AccessToken?
    var desired: AccessMask?
    var mapping: GenericMapping?
    var objectTypes: [ObjectTypeEntry]?
    var principalSelf: SID?
    var backupIntent: Bool?
    repeat {
      s.skipSpace()
      guard let key = s.plainString() else { return nil }
      s.skipSpace()
      guard s.take(UInt8(ascii: ":")) else { return nil }
      s.skipSpace()
      switch Key(line, key) {
      case .sd?:
        guard descriptor == nil, let value = descriptorValue(&s) else { return nil }
        descriptor = value
      case .token?:
        guard token == nil, let value = tokenValue(&s) else { return nil }
        token = value
      case .desired?:
        guard desired == nil else { return nil }
        if let number = s.unsignedNumber() {
          desired = AccessMask(rawValue: number)
        } else if let text = s.plainString() {
          guard let mask = try? AccessCheckRequest.mask(s.text(text)) else { return nil }
          desired = mask
        } else {
          return nil
        }
      case .mapping?:
        guard mapping == nil, let text = s.plainString(),
          let value = try? AccessCheckRequest.mapping(s.text(text))
        else { return nil }
        mapping = value
      case .objectTypes?:
        guard objectTypes == nil, let span = s.nestedValue(open: UInt8(ascii: "["), close: UInt8(ascii: "]")),
          let value = try? JSONSerialization.jsonObject(with: Data(line[span])),
          let entries = try? AccessCheckRequest.objectTypes(value)
        else { return nil }
        objectTypes = entries
      case .principalSelf?:
        guard principalSelf == nil, let text = s.plainString(),
          let sid = try? AccessCheckRequest.sid(s.text(text), "principal_self")
        else { return nil }
        principalSelf = sid
      case .backupIntent?:
        guard backupIntent == nil else { return nil }
        if s.take(literal: "true") {
          backupIntent = true
        } else if s.take(literal: "false") {
          backupIntent = false
        } else {
          return nil
        }
      case nil:
        return nil
      }
      s.skipSpace()
    } while s.take(UInt8(ascii: ","))
    guard s.take(UInt8(ascii: "}")) else { return nil }
    s.skipSpace()
    guard s.atEnd, let descriptor, let token, let desired else { return nil }
    return AccessCheckRequest(
      descriptor: descriptor, token: token, desired: desired, mapping: mapping ?? .file,
      objectTypes: objectTypes ?? [], principalSelf: principalSelf, backupIntent: backupIntent ?? false)
  }

  /// The keys of a request.
  enum Key {
    case sd, token, desired, mapping, objectTypes, principalSelf, backupIntent

    init?(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
      let name = UnsafeBufferPointer(rebasing: line[range])
      func equals(_ text: StaticString) -> Bool {
        text.utf8CodeUnitCount == name.count && memcmp(text.utf8Start, name.baseAddress!, name.count) == 0
      }
      guard let match = Self.names.first(where: { equals($0.name) }) else { return nil }
      self = match.key
    }

    static let names: [(name: StaticString, key: Key)] = [
      ("sd", .sd), ("token", .token), ("desired", .desired), ("mapping", .mapping),
      ("object_types", .objectTypes), ("principal_self", .principalSelf), ("backup_intent", .backupIntent),
    ]
  }

  /// The descriptor of an `"sd"` string seen before (its bytes, quotes included, compared), or
  /// parsed now as `access-check` parses `--sd` (no domain).
  private mutating func descriptorValue(_ s: inout JSONByteScanner) -> SecurityDescriptor? {
    if let (value, end) = descriptors.match(s.bytes, at: s.i) {
      s.i = end
      return value
    }
    let start = s.i
    guard let text = s.plainString() else { return nil }
    let quoted = UnsafeBufferPointer(rebasing: s.bytes[start..<s.i])
    if let value = descriptors.find(quoted) { return value }
    guard let value = try? SecurityDescriptor(sddl: s.text(text)) else { return nil }
    descriptors.insert(quoted, value)
    return value
  }

  /// The token of a `"token"` object seen before (its bytes compared), or read now through the
  /// token format's general reader.
  private mutating func tokenValue(_ s: inout JSONByteScanner) -> AccessToken? {
    if let (value, end) = tokens.match(s.bytes, at: s.i) {
      s.i = end
      return value
    }
    guard let span = s.nestedValue(open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) else { return nil }
    let bytes = UnsafeBufferPointer(rebasing: s.bytes[span])
    if let value = tokens.find(bytes) { return value }
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
      let value = try? AccessToken(jsonObject: object)
    else { return nil }
    tokens.insert(bytes, value)
    return value
  }
}

/// A forward reader of JSON on bytes, for the few value forms the batch reader takes itself.
struct JSONByteScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var i = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  var atEnd: Bool { i == bytes.count }

  /// Skips JSON whitespace.
  mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      default: return
      }
    }
  }

  mutating func take(_ byte: UInt8) -> Bool {
    guard i < bytes.count, bytes[i] == byte else { return false }
    i += 1
    return true
  }

  mutating func take(literal: StaticString) -> Bool {
    let n = literal.utf8CodeUnitCount
    guard bytes.count - i >= n, memcmp(bytes.baseAddress! + i, literal.utf8Start, n) == 0 else {
      return false
    }
    // A literal runs into no further letters or digits ("truex" is not JSON).
    if i + n < bytes.count, bytes[i + n] >= 0x30, bytes[i + n] != UInt8(ascii: "}"),
      bytes[i + n] != UInt8(ascii: "]")
    {
      return false
    }
    i += n
    return true
  }

  /// The content of a string with no escapes, ASCII only and no control characters; the reader
  /// moves past its closing quote. Nil (the reader unmoved) for any other string.
  mutating func plainString() -> Range<Int>? {
    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
    let start = i + 1
    var j = start
    while j < bytes.count {
      let c = bytes[j]
      if c == UInt8(ascii: "\"") {
        i = j + 1
        return start..<j
      }
      // control characters, non-ASCII bytes and backslashes are left to the general parser
      if c < 0x20 || c >= 0x80 || c == UInt8(ascii: "\\") { return nil }
      j += 1
    }
    return nil
  }

  /// The text of a range `plainString()` returned.
  func text(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  /// A plain unsigned decimal number that fits 32 bits (no sign, fraction, exponent or leading
  /// zero); nil (the reader unmoved) otherwise.
  mutating func unsignedNumber() -> UInt32? {
    var j = i
    var value: UInt64 = 0
    while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9"), j - i < 11 {
      value = value * 10 + UInt64(bytes[j] - UInt8(ascii: "0"))
      j += 1
    }
    guard j > i, j - i <= 10, value <= UInt64(UInt32.max), bytes[i] != UInt8(ascii: "0") || j - i == 1
    else { return nil }
    if j < bytes.count {
      switch bytes[j] {
      case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
      default: break
      }
    }
    i = j
    return UInt32(value)
  }

  /// The span of an object or array (`open` … `close`, brackets included) that holds ASCII
  /// only, found by matching brackets outside strings; the reader moves past it. Whether it is
  /// valid JSON is for the parser it goes to.
  mutating func nestedValue(open: UInt8, close: UInt8) -> Range<Int>? {
    guard i < bytes.count, bytes[i] == open else { return nil }
    let start = i
    var depth = 0
    var inString = false
    var j = i
    while j < bytes.count {
      let c = bytes[j]
      if c >= 0x80 { return nil }
      if inString {
        if c == UInt8(ascii: "\\") {
          j += 1
        } else if c == UInt8(ascii: "\"") {
          inString = false
        }
      } else if c == UInt8(ascii: "\"") {
        inString = true
      } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
        depth += 1
      } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
        depth -= 1
        if depth == 0 {
          guard c == close else { return nil }
          i = j + 1
          return start..<i
        }
      }
      j += 1
    }
    return nil
  }
}
