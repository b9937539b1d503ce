import Foundation
import NTSecurity

/// The ASCII (IDNA) form of a host name, for matching hosts exactly as DNS does: a Unicode
/// label is mapped as UTS #46 maps it (lower case, NFC) and written as `xn--` Punycode
/// (RFC 3492); an ASCII label is lower-cased (DNS compares ASCII case-insensitively).
///
/// Without ICU's UTS #46 table only the part of the mapping that can be done exactly is done:
/// a character is accepted when it is already in its UTS #46 form (NFKC_Casefold leaves it
/// unchanged) or its lower case is, and the result is a letter, mark or decimal digit that is not
/// ASCII. Everything else — characters UTS #46 maps by compatibility or folding (`ſ` → `s`,
/// `K` → `k`, full-width letters, `ß` and `ς`), characters whose lower case is ASCII (`İ`),
/// joiners, symbols, unnormalized text — is refused (`ERROR_INVALID_PARAMETER`) rather than
/// guessed, so two names DNS tells apart never get the same ASCII form.
public enum IDNA {
  /// The ASCII form of `host` (labels separated by `.`, an optional trailing dot kept).
  public static func toASCII(_ host: String) throws(NTSecurityError) -> String {
    func bad(_ why: String) -> NTSecurityError {
      NTSecurityError(.invalidParameter, "host name \"\(host)\" \(why)")
    }
    guard !host.isEmpty else { throw bad("is empty") }
    var labels = host.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let trailingDot = labels.count > 1 && labels.last == ""
    if trailingDot { labels.removeLast() }
    var out: [String] = []
    for label in labels {
      guard !label.isEmpty else { throw bad("has an empty label") }
      out.append(try asciiLabel(label, bad))
    }
    let result = out.joined(separator: ".")
    guard result.utf8.count <= 253 else { throw bad("is longer than 253 characters in ASCII form") }
    return trailingDot ? result + "." : result
  }

  /// A lower-case letter, digit, `-` or `_`: the ASCII characters a host label may hold here.
  public static func isASCIIHostCharacter(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
  }

  static func asciiLabel(_ label: String, _ bad: (String) -> NTSecurityError) throws(NTSecurityError)
    -> String
  {
    if label.utf8.allSatisfy({ $0 < 0x80 }) {
      let lower = String(
        decoding: label.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
      guard lower.utf8.allSatisfy(isASCIIHostCharacter) else {
        throw bad("has a character other than a letter, digit, '-' or '_'")
      }
      guard lower.utf8.count <= 63 else { throw bad("has a label longer than 63 characters") }
      if lower.hasPrefix("xn--") {
        // An A-label: it must decode to a label already in mapped form that encodes back to it.
        guard let decoded = Punycode.decode(String(lower.dropFirst(4))),
          decoded.contains(where: { $0.value >= 0x80 }),
          (try? mapped(decoded)) == decoded, Punycode.encode(decoded) == String(lower.dropFirst(4))
        else { throw bad("has an invalid xn-- label \"\(lower)\"") }
      }
      return lower
    }
    let scalars: [Unicode.Scalar]
    do { scalars = try mapped(Array(label.unicodeScalars)) } catch { throw bad(error.reason) }
    guard let encoded = Punycode.encode(scalars) else { throw bad("cannot be encoded") }
    let ascii = "xn--" + encoded
    guard ascii.utf8.count <= 63 else { throw bad("has a label longer than 63 characters in ASCII form") }
    return ascii
  }

  struct Refusal: Error {
    let reason: String
  }

  /// The UTS #46 mapping of one label, where it is exact; `Refusal` otherwise.
  static func mapped(_ label: [Unicode.Scalar]) throws(Refusal) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    for scalar in label {
      if scalar.value < 0x80 {
        let b = UInt8(scalar.value)
        let lower = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
        guard isASCIIHostCharacter(lower) else {
          throw Refusal(reason: "has a character other than a letter, digit, '-' or '_'")
        }
        out.append(Unicode.Scalar(lower))
        continue
      }
      let lowered = Array(scalar.properties.lowercaseMapping.unicodeScalars)
      for s in lowered {
        let hex = "U+" + String(s.value, radix: 16, uppercase: true)
        guard s.value >= 0x80 else {
          throw Refusal(reason: "has \(hex)'s ASCII lower case, which IDNA would not map the same way")
        }
        guard !s.properties.changesWhenNFKCCaseFolded, !s.properties.isDefaultIgnorableCodePoint else {
          throw Refusal(reason: "has \(hex), which IDNA maps to another character or removes")
        }
        switch s.properties.generalCategory {
        case .lowercaseLetter, .otherLetter, .modifierLetter, .nonspacingMark, .spacingMark, .decimalNumber:
          out.append(s)
        default:
          throw Refusal(reason: "has \(hex), which is not a letter, mark or digit")
        }
      }
    }
    if let first = out.first,
      [.nonspacingMark, .spacingMark, .enclosingMark].contains(first.properties.generalCategory)
    {
      throw Refusal(reason: "begins with a combining mark")
    }
    if out.count >= 4, out[2] == "-", out[3] == "-" {
      throw Refusal(reason: "has '--' in the third and fourth positions")
    }
    var text = String.UnicodeScalarView()
    text.append(contentsOf: out)
    let string = String(text)
    guard Array(string.precomposedStringWithCanonicalMapping.unicodeScalars) == out else {
      throw Refusal(reason: "is not in Unicode normalization form C")
    }
    return out
  }
}
