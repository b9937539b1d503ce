import Foundation
import NTSecurity
import Testing

@testable import CredentialManager

/// CredRead's case-insensitive identity (Windows' ordinal upper-casing) and the git helper's
/// host names (IDNA ASCII form, RFC 3492 Punycode).
@Suite struct TargetNameTests {
  /// Every BMP character other than ASCII whose case mappings reach ASCII letters: upper case
  /// (ı → I, ſ → S), lower case (K → k) or folding (ß → ss, ﬀ → ff). None may compare equal to
  /// the ASCII spelling: Windows' table upper-cases one UTF-16 unit to one, and has no entry
  /// for ı or ſ.
  static let asciiLookalikes: [(Unicode.Scalar, String)] = {
    var out: [(Unicode.Scalar, String)] = []
    for v in UInt32(0x80)...0xFFFF {
      guard let s = Unicode.Scalar(v) else { continue }
      let p = s.properties
      for mapped in [p.uppercaseMapping, p.lowercaseMapping, p.titlecaseMapping, String(s).lowercased()]
      where !mapped.isEmpty && mapped.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
      {
        out.append((s, mapped))
      }
    }
    return out
  }()

  @Test func noNonASCIICharacterUpcasesToASCII() {
    var mapped = 0
    for v in UInt32(0x80)...0xFFFF {
      guard let s = Unicode.Scalar(v) else { continue }
      let u = Normalized.upcase(s)
      #expect(!u.isASCII, "U+\(String(v, radix: 16)) upcases to ASCII \(u)")
      if u != s { mapped += 1 }
    }
    // Latin-1, Greek, Cyrillic, Armenian, Georgian, … are upper-cased: about a thousand letters.
    #expect(mapped > 900)
  }

  @Test func asciiLookalikesDoNotMatchTheASCIITarget() {
    let expected: Set<UInt32> = [0x0131, 0x017F, 0x212A, 0x00DF, 0xFB00]
    #expect(expected.isSubset(of: Set(Self.asciiLookalikes.map(\.0.value))))
    for (scalar, ascii) in Self.asciiLookalikes {
      let target = "host-" + String(scalar) + ".example"
      for spelling in [ascii, ascii.uppercased(), ascii.lowercased()] {
        #expect(
          !Normalized.equal(Normalized.key(target), Normalized.key("host-" + spelling + ".example")),
          "U+\(String(scalar.value, radix: 16)) matches \(spelling)")
      }
    }
    // U+212B ANGSTROM SIGN is not Å (U+00C5) either: upper-casing maps neither to the other.
    // Compared as Windows does, by code units: Swift's String == would call them equal
    // (canonical equivalence), so the vault never compares keys with it.
    #expect(!Normalized.equal(Normalized.key("\u{212B}"), Normalized.key("\u{00C5}")))
    #expect(!Normalized.equal(Normalized.key("\u{212B}"), Normalized.key("\u{00E5}")))
    #expect(!Normalized.equal(Normalized.key("e\u{301}"), Normalized.key("\u{E9}")))
  }

  @Test func windowsUpcasingStillMatchesCaseVariants() {
    #expect(Normalized.key("München") == Normalized.key("MÜNCHEN"))
    #expect(Normalized.key("ǆ") == Normalized.key("Ǆ"))
    #expect(Normalized.key("σ") == Normalized.key("Σ") && Normalized.key("ς") == Normalized.key("Σ"))
    #expect(Normalized.key("straße") == Normalized.key("STRAßE"))
    #expect(Normalized.key("straße") != Normalized.key("STRASSE"))
    // Supplementary-plane letters are two UTF-16 units that RtlUpcaseUnicodeChar leaves alone.
    #expect(Normalized.key("\u{10428}") != Normalized.key("\u{10400}"))
  }

  @Test func credReadDoesNotServeLookalikeTargets() throws {
    let t = try TemporaryVault()
    try t.vault.write(Credential(type: .generic, targetName: "sso.example.com", userName: "a", password: "1"))
    try t.vault.write(Credential(type: .generic, targetName: "github.com", userName: "b", password: "2"))
    expectCode(.notFound) { try t.vault.read(target: "ſſo.example.com", type: .generic) }
    expectCode(.notFound) { try t.vault.read(target: "gıthub.com", type: .generic) }
    // Kelvin sign and e + combining acute: canonically equivalent to ASCII K and é, but other
    // targets for Windows' ordinal comparison — also after the cache has seen the ASCII one.
    try t.vault.write(Credential(type: .generic, targetName: "K", userName: "k", password: "3"))
    try t.vault.write(Credential(type: .generic, targetName: "\u{E9}", userName: "e", password: "4"))
    #expect(try t.vault.read(target: "k", type: .generic).userName == "k")
    #expect(try t.vault.read(target: "\u{C9}", type: .generic).userName == "e")
    expectCode(.notFound) { try t.vault.read(target: "\u{212A}", type: .generic) }
    expectCode(.notFound) { try t.vault.read(target: "e\u{301}", type: .generic) }
    #expect(try t.vault.read(target: "SSO.EXAMPLE.COM", type: .generic).userName == "a")
    expectCode(.notFound) { try t.vault.enumerate(filter: "ſſo*") }
  }

  // MARK: Punycode and IDNA

  @Test func punycodeMatchesRFC3492() {
    let samples: [([UInt32], String)] = [
      // RFC 3492 7.1 (B) Chinese (simplified)
      ([0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587], "ihqwcrb4cv8a8dqg056pqjye"),
      // RFC 3492 7.1 (L) 3<nen>B<gumi><kinpachi><sensei>
      ([0x33, 0x5E74, 0x42, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F], "3B-ww4c5e180e575a65lsy2b"),
      ([0x62, 0xFC, 0x63, 0x68, 0x65, 0x72], "bcher-kva"),
      ([0x6D, 0xFC, 0x6E, 0x63, 0x68, 0x65, 0x6E], "mnchen-3ya"),
    ]
    for (points, encoded) in samples {
      let scalars = points.map { Unicode.Scalar($0)! }
      #expect(Punycode.encode(scalars) == encoded.lowercased() || Punycode.encode(scalars) == encoded)
      #expect(Punycode.decode(encoded) == scalars)
    }
    for bad in ["", "-", "9999999999a", "a-\u{E9}", "zzzzzzzzzzzzzzzzzzzzzzzzzz", "99999999"] {
      #expect(Punycode.decode(bad).map { Punycode.encode($0) == bad } ?? true)
    }
    #expect(Punycode.decode("ü") == nil)
  }

  @Test func idnaGivesTheASCIIFormOrRefuses() throws {
    #expect(try IDNA.toASCII("GitHub.COM") == "github.com")
    #expect(try IDNA.toASCII("Bücher.example") == "xn--bcher-kva.example")
    #expect(try IDNA.toASCII("BÜCHER.example") == "xn--bcher-kva.example")
    #expect(try IDNA.toASCII("xn--bcher-kva.example") == "xn--bcher-kva.example")
    #expect(try IDNA.toASCII("XN--BCHER-KVA.example") == "xn--bcher-kva.example")
    #expect(try IDNA.toASCII("例え.jp") == "xn--r8jz45g.jp")
    #expect(try IDNA.toASCII("example.com.") == "example.com.")
    let dotless = try IDNA.toASCII("gıthub.com")
    #expect(dotless.hasPrefix("xn--") && dotless != "github.com")
    // Mapped by compatibility or folding, lower-cased to ASCII, or not a letter: refused.
    for refused in [
      "ſſo.example.com", "\u{212A}elvin.example", "İstanbul.example", "straße.example", "ｇｉｔｈｕｂ.com",
      "a\u{200D}b.example", "e\u{301}.example", "x\u{3002}example", "a..b", "", ".", "a b.example",
      "xn--a.example", "xn--bcher-kva-.example", "\u{301}a.example", String(repeating: "ü", count: 60),
    ] {
      #expect(throws: NTSecurityError.self, "\(refused)") { try IDNA.toASCII(refused) }
    }
  }
}
