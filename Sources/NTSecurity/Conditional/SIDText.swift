/// Writes the SDDL form of a SID straight from its binary form, with the same result as
/// `SID.appendSDDL(to:domain:)` but without building a `SID` in the common cases.
enum SIDText {
  /// An open-addressing table of the aliases of fixed SIDs with at most two sub-authorities,
  /// keyed by `shortKey`; the value is the alias's two letters.
  static let shortAliases: (keys: [UInt64], codes: [UInt16]) = {
    var keys = [UInt64](repeating: 0, count: tableSize)
    var codes = [UInt16](repeating: 0, count: tableSize)
    for alias in SDDLAlias.all {
      guard let sid = alias.fixed, sid.subAuthorities.count <= 2,
        let key = shortKey(sid.identifierAuthority, sid.subAuthorities)
      else { continue }
      var slot = index(key)
      while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & (tableSize - 1) }
      // Later entries win, as in `SDDLAlias`.
      keys[slot] = key
      codes[slot] = twoLetters(alias.code)
    }
    return (keys, codes)
  }()

  static let tableSize = 256

  /// Packs a short SID into 64 bits, or nil when a part is too large to belong to an alias.
  @inline(__always)
  static func shortKey(_ authority: UInt64, _ subs: [UInt32]) -> UInt64? {
    shortKey(authority, subs.count, subs.first ?? 0, subs.count > 1 ? subs[1] : 0)
  }

  @inline(__always)
  static func shortKey(_ authority: UInt64, _ count: Int, _ first: UInt32, _ second: UInt32)
    -> UInt64?
  {
    guard authority < 0x80, first < 1 << 24, second < 1 << 24 else { return nil }
    // Bit 63 keeps every key non-zero, so zero marks an empty slot.
    return 1 << 63 | authority << 50 | UInt64(count) << 48 | UInt64(first) << 24 | UInt64(second)
  }

  @inline(__always)
  static func index(_ key: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56)
  }

  static func twoLetters(_ code: String) -> UInt16 {
    let u = Array(code.utf8)
    return UInt16(u[0]) | UInt16(u[1]) << 8
  }

  /// Sub-authority counts of fixed aliases with more than two sub-authorities.
  static let longAliasCounts: Set<Int> = Set(
    SDDLAlias.all.compactMap { $0.fixed?.subAuthorities.count }.filter { $0 > 2 })

  /// Domain-relative aliases, indexed by RID (0 where none).
  static let ridAliases: [UInt16] = {
    let rids = SDDLAlias.all.compactMap(\.domainRID)
    var table = [UInt16](repeating: 0, count: Int(rids.max() ?? 0) + 1)
    for alias in SDDLAlias.all {
      if let rid = alias.domainRID { table[Int(rid)] = twoLetters(alias.code) }
    }
    return table
  }()

  @inline(__always)
  static func appendCode(_ code: UInt16, to out: inout ByteBuffer) {
    out.append(UInt8(truncatingIfNeeded: code))
    out.append(UInt8(truncatingIfNeeded: code >> 8))
  }

  /// Appends the SDDL for the valid binary SID at `bytes[start...]`.
  static func append(
    _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, domain: SID?, to out: inout ByteBuffer
  ) {
    let count = Int(bytes[start + 1])
    var authority: UInt64 = 0
    for k in 2..<8 { authority = authority << 8 | UInt64(bytes[start + k]) }
    @inline(__always) func sub(_ n: Int) -> UInt32 {
      let at = start + 8 + 4 * n
      return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
        | UInt32(bytes[at + 3]) << 24
    }
    if count <= 2 {
      if let key = shortKey(authority, count, count > 0 ? sub(0) : 0, count > 1 ? sub(1) : 0) {
        let table = shortAliases
        var slot = index(key)
        while table.keys[slot] != 0 {
          if table.keys[slot] == key {
            appendCode(table.codes[slot], to: &out)
            return
          }
          slot = (slot + 1) & (tableSize - 1)
        }
      }
    }
    if longAliasCounts.contains(count) || authority >= 1 << 32 {
      // Rare: long fixed aliases and wide authorities go through `SID` itself.
      let sid = SID(unchecked: authority, (0..<count).map(sub))
      var text = [UInt8]()
      sid.appendSDDL(to: &text, domain: domain)
      out.append(text)
      return
    }
    if let domain, authority == domain.identifierAuthority,
      count == domain.subAuthorities.count + 1,
      domain.subAuthorities.indices.allSatisfy({ domain.subAuthorities[$0] == sub($0) })
    {
      let rid = Int(sub(count - 1))
      let table = ridAliases
      if rid < table.count, table[rid] != 0 {
        appendCode(table[rid], to: &out)
        return
      }
    }
    // The S-1-… form (the authority fits in 32 bits here, so it is decimal).
    out.append(UInt8(ascii: "S"))
    out.append(UInt8(ascii: "-"))
    out.append(UInt8(ascii: "1"))
    out.append(UInt8(ascii: "-"))
    appendDecimal(authority, to: &out)
    for n in 0..<count {
      out.append(UInt8(ascii: "-"))
      appendDecimal(UInt64(sub(n)), to: &out)
    }
  }

  static func appendDecimal(_ value: UInt64, to out: inout ByteBuffer) {
    ConditionalExpression.appendInteger(
      Int64(bitPattern: value), sign: .none, base: .decimal, to: &out)
  }
}
