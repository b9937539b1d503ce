/// String and octet-string comparison for conditional expressions.
enum ConditionText {
  /// The upper-case form of a UTF-16 code unit, as Windows compares strings without regard to
  /// case (one code unit to one; surrogates and characters whose upper case is longer stay).
  @inline(__always)
  static func upcase(_ u: UInt16) -> UInt16 {
    if u < 0x80 { return u &- 0x61 < 26 ? u &- 0x20 : u }
    return upcaseBeyondASCII(u)
  }

  static func upcaseBeyondASCII(_ u: UInt16) -> UInt16 {
    guard let scalar = Unicode.Scalar(u) else { return u }
    let upper = scalar.properties.uppercaseMapping.utf16
    guard upper.count == 1, let first = upper.first else { return u }
    return first
  }

  /// Compares two sequences element by element, equal elements as they are and others by their
  /// `key`; a sequence that is a prefix of the other sorts first. Returns <0, 0 or >0.
  @inline(__always)
  static func lexicographic<A: Sequence, B: Sequence<A.Element>>(
    _ a: A, _ b: B, by key: (A.Element) -> A.Element
  ) -> Int where A.Element: Comparable {
    var i = a.makeIterator()
    var j = b.makeIterator()
    while true {
      switch (i.next(), j.next()) {
      case (nil, nil): return 0
      case (nil, _): return -1
      case (_, nil): return 1
      case (let x?, let y?):
        if x == y { continue }
        let p = key(x)
        let q = key(y)
        if p != q { return p < q ? -1 : 1 }
      }
    }
  }

  /// Compares two UTF-16 texts code unit by code unit, after upper-casing both unless
  /// `caseSensitive`; a text that is a prefix of the other sorts first. Returns <0, 0 or >0.
  static func compare<A: Sequence<UInt16>, B: Sequence<UInt16>>(
    _ a: A, _ b: B, caseSensitive: Bool
  ) -> Int {
    caseSensitive ? lexicographic(a, b) { $0 } : lexicographic(a, b, by: upcase)
  }

  /// Compares UTF-16 literal text with a Swift string as ``compare(_:_:caseSensitive:)`` does,
  /// reading the string's UTF-8 directly while both sides are ASCII.
  static func compare(_ a: LiteralUnits, _ b: String, caseSensitive: Bool) -> Int {
    let fast = b.utf8.withContiguousStorageIfAvailable { utf8 -> Int? in
      var units = a
      for byte in utf8 {
        guard byte < 0x80 else { return nil }
        guard let u = units.next() else { return -1 }
        guard u < 0x80 else { return nil }
        let x = UInt16(byte)
        if u == x { continue }
        let p = caseSensitive ? u : upcase(u)
        let q = caseSensitive ? x : upcase(x)
        if p != q { return p < q ? -1 : 1 }
      }
      guard let u = units.next() else { return 0 }
      return u < 0x80 ? 1 : nil
    }
    if let fast, let result = fast { return result }
    return compare(a, b.utf16, caseSensitive: caseSensitive)
  }

  /// Compares byte strings lexicographically; a prefix sorts first. Returns <0, 0 or >0.
  static func compareBytes<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Int {
    lexicographic(a, b) { $0 }
  }
}
