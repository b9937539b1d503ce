/// The two-letter SID aliases of SDDL (MS-DTYP 2.5.1.1, `SDDL_*` in sddl.h).
///
/// Most stand for a fixed well-known SID; the domain-relative ones (`DA`, `DU`, `EA`, …) are a RID in
/// the domain (or forest root domain) and need a domain SID. This library uses the one domain SID it
/// is given for the machine, the domain and the forest root alike.
public struct SDDLAlias: Hashable, Sendable {
  /// The two letters, e.g. `BA`.
  public let code: String
  /// The fixed SID, for aliases that are not domain-relative.
  public let fixed: SID?
  /// The RID within the domain, for domain-relative aliases.
  public let domainRID: UInt32?

  init(_ code: String, _ authority: UInt64, _ subs: [UInt32]) {
    self.code = code
    self.fixed = SID(unchecked: authority, subs)
    self.domainRID = nil
  }

  init(_ code: String, rid: UInt32) {
    self.code = code
    self.fixed = nil
    self.domainRID = rid
  }

  /// Resolves the alias; domain-relative aliases without a domain SID give `ERROR_NONE_MAPPED`.
  public func sid(domain: SID?, offset: Int? = nil) throws(NTSecurityError) -> SID {
    if let fixed { return fixed }
    guard let domain, let rid = domainRID else {
      throw NTSecurityError(
        .noneMapped, "SID alias \(code) is domain-relative and needs a domain SID", offset: offset)
    }
    guard domain.subAuthorityCount < SID.maxSubAuthorities else {
      throw NTSecurityError(.invalidSid, "domain SID too long for alias \(code)", offset: offset)
    }
    var sid = domain
    sid.appendUnchecked(rid)
    return sid
  }

  /// Every alias Windows knows, in the order Windows prefers them when writing SDDL.
  public static let all: [SDDLAlias] = [
    SDDLAlias("WD", 1, [0]),
    SDDLAlias("CO", 3, [0]),
    SDDLAlias("CG", 3, [1]),
    SDDLAlias("OW", 3, [4]),
    SDDLAlias("NU", 5, [2]),
    SDDLAlias("IU", 5, [4]),
    SDDLAlias("SU", 5, [6]),
    SDDLAlias("AN", 5, [7]),
    SDDLAlias("ED", 5, [9]),
    SDDLAlias("PS", 5, [10]),
    SDDLAlias("AU", 5, [11]),
    SDDLAlias("RC", 5, [12]),
    SDDLAlias("SY", 5, [18]),
    SDDLAlias("LS", 5, [19]),
    SDDLAlias("NS", 5, [20]),
    SDDLAlias("WR", 5, [33]),
    SDDLAlias("BA", 5, [32, 544]),
    SDDLAlias("BU", 5, [32, 545]),
    SDDLAlias("BG", 5, [32, 546]),
    SDDLAlias("PU", 5, [32, 547]),
    SDDLAlias("AO", 5, [32, 548]),
    SDDLAlias("SO", 5, [32, 549]),
    SDDLAlias("PO", 5, [32, 550]),
    SDDLAlias("BO", 5, [32, 551]),
    SDDLAlias("RE", 5, [32, 552]),
    SDDLAlias("RU", 5, [32, 554]),
    SDDLAlias("RD", 5, [32, 555]),
    SDDLAlias("NO", 5, [32, 556]),
    SDDLAlias("MU", 5, [32, 558]),
    SDDLAlias("LU", 5, [32, 559]),
    SDDLAlias("IS", 5, [32, 568]),
    SDDLAlias("CY", 5, [32, 569]),
    SDDLAlias("ER", 5, [32, 573]),
    SDDLAlias("CD", 5, [32, 574]),
    SDDLAlias("RA", 5, [32, 575]),
    SDDLAlias("ES", 5, [32, 576]),
    SDDLAlias("MS", 5, [32, 577]),
    SDDLAlias("HA", 5, [32, 578]),
    SDDLAlias("AA", 5, [32, 579]),
    SDDLAlias("RM", 5, [32, 580]),
    SDDLAlias("UD", 5, [84, 0, 0, 0, 0, 0]),
    SDDLAlias("AC", 15, [2, 1]),
    SDDLAlias("LW", 16, [4096]),
    SDDLAlias("ME", 16, [8192]),
    SDDLAlias("MP", 16, [8448]),
    SDDLAlias("HI", 16, [12288]),
    SDDLAlias("SI", 16, [16384]),
    SDDLAlias("AS", 18, [1]),
    SDDLAlias("SS", 18, [2]),
    SDDLAlias("RO", rid: 498),
    SDDLAlias("LA", rid: 500),
    SDDLAlias("LG", rid: 501),
    SDDLAlias("DA", rid: 512),
    SDDLAlias("DU", rid: 513),
    SDDLAlias("DG", rid: 514),
    SDDLAlias("DC", rid: 515),
    SDDLAlias("DD", rid: 516),
    SDDLAlias("CA", rid: 517),
    SDDLAlias("SA", rid: 518),
    SDDLAlias("EA", rid: 519),
    SDDLAlias("PA", rid: 520),
    SDDLAlias("CN", rid: 522),
    SDDLAlias("AP", rid: 525),
    SDDLAlias("KA", rid: 526),
    SDDLAlias("EK", rid: 527),
    SDDLAlias("RS", rid: 553),
  ]

  /// Index into `all` for each pair of uppercase letters (-1 = none).
  private static let indexByLetters: [Int8] = {
    var table = [Int8](repeating: -1, count: 26 * 26)
    for (i, a) in all.enumerated() {
      let u = Array(a.code.utf8)
      table[SDDLTables.letterIndex(u[0], u[1])!] = Int8(i)
    }
    return table
  }()

  /// The fixed SID and domain RID of each alias, parallel to `all` (kept apart so a lookup copies
  /// no strings).
  private static let fixedSIDs: [SID?] = all.map(\.fixed)
  private static let domainRIDs: [UInt32] = all.map { $0.domainRID ?? 0 }

  /// Alias code (two ASCII letters packed) of S-1-5-X, by X < 64.
  private static let ntAuthorityCodes = codeTable {
    $0.identifierAuthority == 5 && $0.subAuthorityCount == 1 ? Int($0[subAuthority: 0]) : nil
  }
  /// Alias code of S-1-5-32-X (BUILTIN), by X - 544 < 64.
  private static let builtinCodes = codeTable {
    $0.identifierAuthority == 5 && $0.subAuthorityCount == 2 && $0[subAuthority: 0] == 32
      ? Int($0[subAuthority: 1]) - 544 : nil
  }
  /// Every other fixed alias, searched in order.
  private static let otherFixed: [(SID, UInt16)] = all.compactMap { a in
    guard let sid = a.fixed,
      !(sid.identifierAuthority == 5 && sid.subAuthorityCount <= 2
        && (sid.subAuthorityCount == 1 || sid[subAuthority: 0] == 32))
    else { return nil }
    return (sid, packed(a.code))
  }
  /// Alias code of domain RID X, by X - 498 < 64.
  private static let ridCodes: [UInt16] = {
    var table = [UInt16](repeating: 0, count: 64)
    for a in all { if let r = a.domainRID { table[Int(r) - 498] = packed(a.code) } }
    return table
  }()

  private static func packed(_ code: String) -> UInt16 {
    let u = Array(code.utf8)
    return UInt16(u[0]) << 8 | UInt16(u[1])
  }

  private static func codeTable(_ slot: (SID) -> Int?) -> [UInt16] {
    var table = [UInt16](repeating: 0, count: 64)
    for a in all {
      if let sid = a.fixed, let k = slot(sid), (0..<64).contains(k) { table[k] = packed(a.code) }
    }
    return table
  }

  /// The alias for two uppercase ASCII letters, if any. (The SDDL parser folds case first:
  /// Windows takes `lg` for `LG`.)
  package static func lookup(_ a: UInt8, _ b: UInt8) -> SDDLAlias? {
    guard let k = SDDLTables.letterIndex(a, b), case let i = indexByLetters[k], i >= 0 else { return nil }
    return all[Int(i)]
  }

  /// The alias for a code such as `"BA"`.
  public static func lookup(_ code: String) -> SDDLAlias? {
    let u = Array(code.utf8)
    return u.count == 2 ? lookup(u[0], u[1]) : nil
  }

  /// Resolves the alias spelled by two uppercase letters: nil when there is no such alias.
  static func resolve(_ a: UInt8, _ b: UInt8, domain: SID?, offset: Int) throws(NTSecurityError) -> SID? {
    guard let k = SDDLTables.letterIndex(a, b), case let i = Int(indexByLetters[k]), i >= 0 else {
      return nil
    }
    if let sid = fixedSIDs[i] { return sid }
    return try all[i].sid(domain: domain, offset: offset)
  }

  /// The alias code Windows writes for `sid` (two ASCII letters packed), given the domain SID in
  /// effect; 0 when none applies.
  static func code(for sid: SID, domain: SID?) -> UInt16 {
    let authority = sid.identifierAuthority
    let n = sid.subAuthorityCount
    if authority == 5, n == 1 {
      let x = sid[subAuthority: 0]
      if x < 64, case let c = ntAuthorityCodes[Int(x)], c != 0 { return c }
    } else if authority == 5, n == 2, sid[subAuthority: 0] == 32 {
      let x = sid[subAuthority: 1] &- 544
      if x < 64, case let c = builtinCodes[Int(x)], c != 0 { return c }
    } else if n <= 6 {
      for (fixed, c) in otherFixed where fixed == sid { return c }
    }
    if let domain, let rid = sid.rid, rid &- 498 < 64, sid.isInDomain(domain) {
      return ridCodes[Int(rid - 498)]
    }
    return 0
  }
}

extension SID {
  /// The SDDL form: the alias when one applies (domain-relative ones only with `domain`),
  /// otherwise `S-1-…`.
  public func sddl(domain: SID? = nil) -> String {
    var out = [UInt8]()
    appendSDDL(to: &out, domain: domain)
    return String(decoding: out, as: UTF8.self)
  }

  func appendSDDL(to out: inout [UInt8], domain: SID?) {
    out.append(upTo: SID.maxStringLength) { writeSDDL(to: &$0, domain: domain) }
  }

  /// Writes the alias or the string form (at most `maxStringLength` bytes).
  func writeSDDL(to w: inout RawWriter, domain: SID?) {
    let code = SDDLAlias.code(for: self, domain: domain)
    if code != 0 {
      w.u8(UInt8(code >> 8))
      w.u8(UInt8(code & 0xff))
    } else {
      writeString(to: &w)
    }
  }
}
