import Foundation

/// An `Authorization: Negotiate <token>` (or `NTLM <token>`) header, RFC 4559 section 4.2.
public struct NegotiateAuthorization: Sendable, Hashable {
  /// IIS's default limit for one request header (MaxFieldLength, 64 KiB): larger tokens are refused.
  public static let defaultMaximumTokenSize = 65_536

  public var scheme: NegotiateScheme
  /// The GSS-API (SPNEGO or NTLM) token, decoded.
  public var token: [UInt8]

  public init(scheme: NegotiateScheme, token: [UInt8]) {
    self.scheme = scheme
    self.token = token
  }

  /// Parses an Authorization header value. nil when it names another scheme (Basic, Bearer: not
  /// this authenticator's); ``NegotiateError/Kind/malformedHeader`` for a Negotiate or NTLM
  /// header without a single valid base64 token, ``NegotiateError/Kind/tokenTooLarge`` (checked
  /// before decoding) for one larger than `maximumTokenSize`.
  public static func parse(_ value: some StringProtocol, maximumTokenSize: Int = defaultMaximumTokenSize)
    throws(NegotiateError) -> NegotiateAuthorization?
  {
    let text = value.drop { $0 == " " || $0 == "\t" }
    let schemeEnd = text.firstIndex { $0 == " " || $0 == "\t" } ?? text.endIndex
    guard let scheme = NegotiateScheme(named: text[..<schemeEnd]) else { return nil }
    let encoded = text[schemeEnd...].trimmingCharacters(in: [" ", "\t"])
    guard !encoded.isEmpty else {
      throw NegotiateError(.malformedHeader, "\(scheme.rawValue) Authorization header without a token")
    }
    // 4 base64 characters per 3 bytes: anything longer cannot decode to an allowed token.
    guard encoded.utf8.count <= (maximumTokenSize + 2) / 3 * 4 else {
      throw NegotiateError(
        .tokenTooLarge,
        "\(scheme.rawValue) token of \(encoded.utf8.count) base64 characters exceeds \(maximumTokenSize) bytes"
      )
    }
    guard let token = decodeBase64(encoded), !token.isEmpty else {
      throw NegotiateError(.malformedHeader, "\(scheme.rawValue) token is not valid base64")
    }
    guard token.count <= maximumTokenSize else {
      throw NegotiateError(
        .tokenTooLarge, "\(scheme.rawValue) token of \(token.count) bytes exceeds \(maximumTokenSize)")
    }
    return NegotiateAuthorization(scheme: scheme, token: token)
  }

  /// The header value: `Negotiate <base64>`.
  public var headerValue: String { "\(scheme.rawValue) \(Data(token).base64EncodedString())" }

  /// Standard base64 with padding (RFC 4648 section 4), nothing else: no line breaks, no
  /// URL-safe alphabet, no missing padding.
  static func decodeBase64(_ text: String) -> [UInt8]? {
    guard text.utf8.count % 4 == 0,
      text.utf8.allSatisfy({ c in
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2B
          || c == 0x2F || c == 0x3D
      }),
      let data = Data(base64Encoded: text)
    else { return nil }
    return [UInt8](data)
  }
}

/// One challenge of a `WWW-Authenticate` header (RFC 9110 section 11.6.1): a scheme, with a
/// token68 (Negotiate's base64 token) or auth-params.
public struct AuthenticationChallenge: Sendable, Hashable {
  public var scheme: String
  public var token68: String?
  public var parameters: [String: String]

  public init(scheme: String, token68: String? = nil, parameters: [String: String] = [:]) {
    self.scheme = scheme
    self.token68 = token68
    self.parameters = parameters
  }

  /// The Negotiate or NTLM scheme this challenge names, if any.
  public var negotiateScheme: NegotiateScheme? { NegotiateScheme(named: scheme) }

  /// The decoded token of a Negotiate/NTLM challenge (the server's continuation or mutual
  /// authentication token); nil when the challenge has none or it is not base64.
  public var token: [UInt8]? { token68.flatMap(NegotiateAuthorization.decodeBase64) }

  /// The header value: `Negotiate` or `Negotiate <base64>`.
  public var headerValue: String {
    if let token68 { return "\(scheme) \(token68)" }
    if parameters.isEmpty { return scheme }
    return scheme + " "
      + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ")
  }

  /// A Negotiate/NTLM challenge, with the server's token when there is one.
  public static func negotiate(_ scheme: NegotiateScheme = .negotiate, token: [UInt8]? = nil) -> Self {
    AuthenticationChallenge(
      scheme: scheme.rawValue, token68: token.flatMap { $0.isEmpty ? nil : Data($0).base64EncodedString() })
  }

  /// Parses the challenges of one or more `WWW-Authenticate` header values (comma-separated
  /// lists; quoted strings may hold commas). Unparsable pieces are skipped, never fatal.
  public static func parse(_ values: [String]) -> [AuthenticationChallenge] {
    var challenges: [AuthenticationChallenge] = []
    for value in values {
      for piece in splitOutsideQuotes(value) {
        let item = piece.trimmingCharacters(in: [" ", "\t"])
        if item.isEmpty { continue }
        // `name=value` (the first word ends at "="): a parameter of the challenge before it.
        let firstWord = item.prefix { $0 != " " && $0 != "\t" && $0 != "=" }
        let afterWord = item.dropFirst(firstWord.count).drop { $0 == " " || $0 == "\t" }
        if afterWord.first == "=", !challenges.isEmpty, let (name, paramValue) = authParam(item) {
          challenges[challenges.count - 1].parameters[name.lowercased()] = paramValue
          continue
        }
        let end = item.firstIndex(of: " ") ?? item.endIndex
        let scheme = String(item[..<end])
        guard isToken(scheme) else { continue }
        var challenge = AuthenticationChallenge(scheme: scheme)
        let rest = item[end...].trimmingCharacters(in: [" ", "\t"])
        if isToken68(rest) {
          challenge.token68 = rest
        } else if let (name, paramValue) = authParam(rest) {
          challenge.parameters[name.lowercased()] = paramValue
        }
        challenges.append(challenge)
      }
    }
    return challenges
  }

  static func splitOutsideQuotes(_ text: String) -> [Substring] {
    var pieces: [Substring] = []
    var start = text.startIndex
    var quoted = false
    var escaped = false
    for i in text.indices {
      let c = text[i]
      if escaped {
        escaped = false
      } else if quoted && c == "\\" {
        escaped = true
      } else if c == "\"" {
        quoted.toggle()
      } else if c == "," && !quoted {
        pieces.append(text[start..<i])
        start = text.index(after: i)
      }
    }
    pieces.append(text[start...])
    return pieces
  }

  static func isToken(_ s: some StringProtocol) -> Bool {
    !s.isEmpty
      && s.utf8.allSatisfy { c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
          || "!#$%&'*+-.^_`|~".utf8.contains(c)
      }
  }

  static func isToken68(_ s: String) -> Bool {
    let body = s.utf8.prefix { $0 != 0x3D }
    guard !body.isEmpty, s.utf8.dropFirst(body.count).allSatisfy({ $0 == 0x3D }) else { return false }
    return body.allSatisfy { c in
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        || "-._~+/".utf8.contains(c)
    }
  }

  /// `name=value` or `name="quoted value"`.
  static func authParam(_ s: String) -> (String, String)? {
    guard let eq = s.firstIndex(of: "=") else { return nil }
    let name = s[..<eq].trimmingCharacters(in: [" ", "\t"])
    guard isToken(name) else { return nil }
    var value = s[s.index(after: eq)...].trimmingCharacters(in: [" ", "\t"])
    if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
      value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
    } else if value.isEmpty || !isToken(value) {
      return nil
    }
    return (name, value)
  }
}
