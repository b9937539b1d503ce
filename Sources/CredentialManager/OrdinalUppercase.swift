/// The case-insensitive identity of target names, as Windows' credential manager compares them:
/// CompareStringOrdinal with bIgnoreCase (RtlUpcaseUnicodeChar per UTF-16 code unit).
///
/// Source: [MS-UCODEREF] 3.1.5.5.1 (CompareStringOrdinal upper-cases both strings, then compares
/// code units) and 3.1.5.3.2 (UpperCaseMapping: one table lookup per UTF-16 code point, a 1:1
/// mapping; no entry means the character is kept). The table is Unicode's simple uppercase
/// mapping of the BMP except that Windows keeps U+0131 LATIN SMALL LETTER DOTLESS I and U+017F
/// LATIN SMALL LETTER LONG S unchanged (its table has no Turkic or long-s entry; .NET's
/// `OrdinalIgnoreCase`, built to match Windows, removes exactly these two from ICU's mapping).
/// So `ı`, `ſ`, `K` (U+212A KELVIN SIGN) and `Å` (U+212B ANGSTROM SIGN) never match an ASCII
/// letter, and no character maps to more than one.
///
/// Here: a BMP scalar whose full uppercase mapping is one BMP scalar maps to it; every other
/// scalar (multi-character mappings such as `ß` → `SS`, supplementary-plane letters, which
/// RtlUpcaseUnicodeChar sees as unpaired surrogates) is kept. Deviation: the few BMP letters
/// whose simple mapping differs from a one-character full mapping (Greek letters with
/// ypogegrammeni, U+1F80–U+1FFC, whose full mapping is two characters) are kept, so they match
/// fewer names than on Windows, never more. The mapping data is the Swift runtime's Unicode
/// version rather than the Windows release's.
enum Normalized {
  /// The uppercase form used as the vault's key for `s`.
  static func key(_ s: String) -> String {
    let utf8 = s.utf8
    if utf8.allSatisfy({ $0 < 0x80 }) {
      // ASCII: uppercase in place in the new string's storage (no allocation for short names).
      return String(unsafeUninitializedCapacity: utf8.count) { out in
        var i = 0
        for b in utf8 {
          out[i] = b >= 0x61 && b <= 0x7A ? b - 0x20 : b
          i += 1
        }
        return i
      }
    }
    var out = String.UnicodeScalarView()
    for scalar in s.unicodeScalars { out.append(upcase(scalar)) }
    return String(out)
  }

  /// Ordinal equality of two keys: their bytes. Swift's `==` on `String` treats canonically
  /// equivalent text as equal (`K` U+212A and `K`, `é` and `e` + U+0301), which Windows' ordinal
  /// comparison does not.
  static func equal(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

  /// Hashes a key's bytes, consistently with `equal`.
  static func hash(_ key: String, into hasher: inout Hasher) {
    var key = key
    key.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    hasher.combine(key.utf8.count)
  }

  /// Ordinal prefix test (bytes, not canonical equivalence).
  static func hasPrefix(_ s: String, _ prefix: String) -> Bool { s.utf8.starts(with: prefix.utf8) }

  /// RtlUpcaseUnicodeChar for one scalar (see the type's documentation).
  static func upcase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    let v = scalar.value
    if v < 0x80 { return v >= 0x61 && v <= 0x7A ? Unicode.Scalar(v - 0x20)! : scalar }
    if v > 0xFFFF || v == 0x0131 || v == 0x017F { return scalar }
    let upper = scalar.properties.uppercaseMapping.unicodeScalars
    guard upper.count == 1, let u = upper.first, u.value <= 0xFFFF else { return scalar }
    return u
  }
}
