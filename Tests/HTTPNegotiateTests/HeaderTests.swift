import Foundation
import Testing

@testable import HTTPNegotiate

@Suite struct HeaderTests {
  @Test func parsesNegotiateAndNTLM() throws {
    let a = try #require(try NegotiateAuthorization.parse("Negotiate YWJj"))
    #expect(a.scheme == .negotiate && a.token == Array("abc".utf8))
    let b = try #require(try NegotiateAuthorization.parse("  ntlm   YWI= "))
    #expect(b.scheme == .ntlm && b.token == Array("ab".utf8))
    #expect(a.headerValue == "Negotiate YWJj")
  }

  @Test func otherSchemesAreNotOurs() throws {
    #expect(try NegotiateAuthorization.parse("Basic dXNlcjpwdw==") == nil)
    #expect(try NegotiateAuthorization.parse("Bearer abc") == nil)
    #expect(try NegotiateAuthorization.parse("NegotiateX YWJj") == nil)
    #expect(try NegotiateAuthorization.parse("") == nil)
  }

  @Test(arguments: [
    "Negotiate", "Negotiate ", "Negotiate YWJ", "Negotiate YW\nJj", "NTLM ****", "Negotiate YW Jj",
    "Negotiate YWJj=", "Negotiate -_-_",
  ])
  func malformedIsRefused(_ header: String) {
    #expect(throws: NegotiateError.self) { try NegotiateAuthorization.parse(header) }
    do {
      _ = try NegotiateAuthorization.parse(header)
    } catch {
      #expect(error.kind == .malformedHeader && error.httpStatus == 400)
    }
  }

  @Test func tokenSizeLimit() throws {
    let max = 300
    let fits = Data(repeating: 7, count: max).base64EncodedString()
    #expect(try NegotiateAuthorization.parse("Negotiate " + fits, maximumTokenSize: max)?.token.count == max)
    let over = Data(repeating: 7, count: max + 1).base64EncodedString()
    do {
      _ = try NegotiateAuthorization.parse("Negotiate " + over, maximumTokenSize: max)
      Issue.record("a token over the limit was accepted")
    } catch {
      #expect(error.kind == .tokenTooLarge && error.httpStatus == 400)
    }
    // Far over the limit: refused before decoding (no base64 check needed).
    let huge = String(repeating: "A", count: 1_000_000)
    do {
      _ = try NegotiateAuthorization.parse("Negotiate " + huge)
      Issue.record("a 1 MB header was accepted")
    } catch {
      #expect(error.kind == .tokenTooLarge)
    }
    #expect(NegotiateAuthorization.defaultMaximumTokenSize == 65_536)
  }

  @Test func challengesAreParsed() {
    let c = AuthenticationChallenge.parse([
      "Negotiate, NTLM", #"Basic realm="a, b", charset="UTF-8""#, "Negotiate YWJj",
    ])
    #expect(c.map(\.scheme) == ["Negotiate", "NTLM", "Basic", "Negotiate"])
    #expect(c[0].token68 == nil && c[0].negotiateScheme == .negotiate)
    #expect(c[1].negotiateScheme == .ntlm)
    #expect(c[2].parameters == ["realm": "a, b", "charset": "UTF-8"])
    #expect(c[3].token == Array("abc".utf8))
    #expect(AuthenticationChallenge.negotiate(token: Array("abc".utf8)).headerValue == "Negotiate YWJj")
    #expect(AuthenticationChallenge.negotiate(.ntlm).headerValue == "NTLM")
    #expect(AuthenticationChallenge.parse([",,, =x, \"\""]).isEmpty)
  }

  @Test func ntlmMessagesAreRecognized() {
    var authenticate = Array("NTLMSSP\0".utf8) + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 56)
    #expect(NTLMMessage.type(in: authenticate) == 3)
    #expect(NTLMMessage.isAnonymousAuthenticate(authenticate))
    authenticate[20] = 24  // an NT response
    #expect(!NTLMMessage.isAnonymousAuthenticate(authenticate))
    let wrapped = [0xA1, 0x40, 0x30, 0x3E, 0xA2, 0x3C, 0x04, 0x3A] + authenticate
    #expect(NTLMMessage.type(in: wrapped) == 3)
    #expect(NTLMMessage.type(in: [0x60, 0x82, 0x01]) == nil)
    // curl's 32-byte NEGOTIATE (no Version field) gets the field as zeros; others stay as they are.
    let short = Array("NTLMSSP\0".utf8) + [1, 0, 0, 0, 6, 0x82, 8, 0] + [UInt8](repeating: 0, count: 16)
    #expect(NTLMMessage.normalizedNegotiate(short) == short + [UInt8](repeating: 0, count: 8))
    #expect(NTLMMessage.normalizedNegotiate(authenticate) == authenticate)
    #expect(NTLMMessage.normalizedNegotiate(wrapped) == wrapped)
  }
}
