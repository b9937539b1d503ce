import HTTPNegotiate

/// The HTTP Negotiate headers that come from outside: `Authorization` values (server side) and
/// `WWW-Authenticate` values (client side). Nothing crashes or traps; an Authorization header
/// either names another scheme (nil), is refused as malformed or oversized (400, never 401 or
/// 403), or yields a token within the limit that round-trips through the header's text.
///
/// The first byte chooses the token limit (1 to 256 bytes, or the default 64 KiB when 0); the
/// rest is the header text (UTF-8), given to both parsers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let first = bytes.first else { return 0 }
  let limit = first == 0 ? NegotiateAuthorization.defaultMaximumTokenSize : Int(first)
  let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
  do {
    if let authorization = try NegotiateAuthorization.parse(text, maximumTokenSize: limit) {
      precondition(!authorization.token.isEmpty && authorization.token.count <= limit, "token size")
      let again = try? NegotiateAuthorization.parse(authorization.headerValue, maximumTokenSize: limit)
      precondition(again == authorization, "the header does not round-trip")
    }
  } catch {
    precondition(error.httpStatus == 400, "a header refused with \(error.httpStatus)")
    precondition(error.kind == .malformedHeader || error.kind == .tokenTooLarge, "kind \(error.kind)")
  }
  for challenge in AuthenticationChallenge.parse([text]) {
    precondition(!challenge.scheme.isEmpty, "an empty scheme")
    if challenge.negotiateScheme != nil, let token = challenge.token {
      precondition(
        AuthenticationChallenge.negotiate(challenge.negotiateScheme!, token: token).token == token,
        "a challenge token does not round-trip")
    }
  }
  return 0
}
