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
    guard domain.subAuthorities.count < SID.maxSubAuthorities else {
      throw NTSecurityError(.invalidSid, "domain SID too long for alias \(code)", offset: offset)
    }
    return SID(unchecked: domain.identifierAuthority, domain.subAuthorities + [rid])
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

  /// Two-letter code → alias, indexed by the two ASCII bytes.
  private static let byCode: [UInt16: SDDLAlias] = {
    var d = [UInt16: SDDLAlias]()
    for a in all {
      let u = Array(a.code.utf8)
      d[UInt16(u[0]) << 8 | UInt16(u[1])] = a
    }
    return d
  }()

  /// Well-known SID → alias code bytes.
  private static let byFixedSID: [SID: [UInt8]] = {
    var d = [SID: [UInt8]]()
    for a in all { if let s = a.fixed { d[s] = Array(a.code.utf8) } }
    return d
  }()

  /// RID → alias code bytes, for domain-relative aliases.
  private static let byRID: [UInt32: [UInt8]] = {
    var d = [UInt32: [UInt8]]()
    for a in all { if let r = a.domainRID { d[r] = Array(a.code.utf8) } }
    return d
  }()

  /// The alias for two uppercase ASCII letters, if any. (The SDDL parser folds case first:
  /// Windows takes `lg` for `LG`.)
  public static func lookup(_ a: UInt8, _ b: UInt8) -> SDDLAlias? {
    byCode[UInt16(a) << 8 | UInt16(b)]
  }

  /// The alias for a code such as `"BA"`.
  public static func lookup(_ code: String) -> SDDLAlias? {
    let u = Array(code.utf8)
    return u.count == 2 ? lookup(u[0], u[1]) : nil
  }

  /// The alias code Windows writes for `sid`, given the domain SID in effect.
  static func code(for sid: SID, domain: SID?) -> [UInt8]? {
    if let c = byFixedSID[sid] { return c }
    if let domain, let rid = sid.rid, sid.isInDomain(domain) { return byRID[rid] }
    return nil
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
    if let code = SDDLAlias.code(for: self, domain: domain) {
      out.append(contentsOf: code)
    } else {
      appendString(to: &out)
    }
  }
}
