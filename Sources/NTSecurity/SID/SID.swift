/// A security identifier (MS-DTYP 2.4.2): revision 1, a 48-bit identifier authority and up to
/// fifteen 32-bit sub-authorities.
public struct SID: Hashable, Sendable {
  /// The most sub-authorities a SID may hold (`SID_MAX_SUB_AUTHORITIES`).
  public static let maxSubAuthorities = 15

  /// The 48-bit identifier authority (`SID_IDENTIFIER_AUTHORITY`), e.g. 5 for NT AUTHORITY.
  public var identifierAuthority: UInt64
  /// The sub-authorities, most significant first; the last is the relative identifier (RID).
  public var subAuthorities: [UInt32]

  /// Creates a SID; throws `ERROR_INVALID_SID` for more than 15 sub-authorities or an authority
  /// wider than 48 bits.
  public init(authority: UInt64, _ subAuthorities: [UInt32]) throws(NTSecurityError) {
    guard authority < 1 << 48 else {
      throw NTSecurityError(.invalidSid, "identifier authority \(authority) exceeds 48 bits")
    }
    guard subAuthorities.count <= SID.maxSubAuthorities else {
      throw NTSecurityError(.invalidSid, "\(subAuthorities.count) sub-authorities (at most 15)")
    }
    self.identifierAuthority = authority
    self.subAuthorities = subAuthorities
  }

  /// Internal initializer for values already known to be valid.
  @usableFromInline
  init(unchecked authority: UInt64, _ subAuthorities: [UInt32]) {
    self.identifierAuthority = authority
    self.subAuthorities = subAuthorities
  }

  /// The revision; always `SID_REVISION` (1).
  public var revision: UInt8 { 1 }

  /// The relative identifier: the last sub-authority, if any.
  public var rid: UInt32? { subAuthorities.last }

  /// The length of the binary form (`GetLengthSid`).
  public var length: Int { 8 + 4 * subAuthorities.count }

  /// This SID with `rid` appended (the SID of an account in this domain).
  public func appending(_ rid: UInt32) throws(NTSecurityError) -> SID {
    try SID(authority: identifierAuthority, subAuthorities + [rid])
  }

  /// The SID without its last sub-authority: the domain of an account SID.
  public var domain: SID? {
    subAuthorities.isEmpty
      ? nil : SID(unchecked: identifierAuthority, Array(subAuthorities.dropLast()))
  }

  /// Whether `self` is `domain` plus exactly one RID (`EqualDomainSid`-style membership).
  public func isInDomain(_ domain: SID) -> Bool {
    identifierAuthority == domain.identifierAuthority
      && subAuthorities.count == domain.subAuthorities.count + 1
      && subAuthorities.starts(with: domain.subAuthorities)
  }

  /// Whether the two SIDs share a prefix with the same number of sub-authorities
  /// (`EqualPrefixSid`).
  public func hasEqualPrefix(_ other: SID) -> Bool {
    identifierAuthority == other.identifierAuthority
      && subAuthorities.count == other.subAuthorities.count
      && subAuthorities.dropLast() == other.subAuthorities.dropLast()
  }
}

extension SID {
  /// Decodes the binary form (MS-DTYP 2.4.2.2) from the start of `bytes`.
  public init(bytes: [UInt8]) throws(NTSecurityError) {
    var reader = ByteReader(bytes, error: .invalidSid)
    self = try SID.read(&reader)
  }

  static func read(_ reader: inout ByteReader) throws(NTSecurityError) -> SID {
    let start = reader.position
    let revision = try reader.u8("SID revision")
    guard revision == 1 else {
      throw NTSecurityError(reader.error, "SID revision \(revision) (must be 1)", offset: start)
    }
    let count = Int(try reader.u8("SID sub-authority count"))
    guard count <= SID.maxSubAuthorities else {
      throw NTSecurityError(reader.error, "SID with \(count) sub-authorities", offset: start + 1)
    }
    try reader.need(6 + 4 * count, "SID")
    var authority: UInt64 = 0
    for i in 0..<6 { authority = authority << 8 | UInt64(reader.bytes[reader.position + i]) }
    reader.position += 6
    var subs = [UInt32]()
    subs.reserveCapacity(count)
    for _ in 0..<count { subs.append(try reader.u32()) }
    return SID(unchecked: authority, subs)
  }

  /// The binary form (MS-DTYP 2.4.2.2).
  public var bytes: [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(length)
    write(to: &out)
    return out
  }

  func write(to out: inout [UInt8]) {
    out.append(1)
    out.append(UInt8(subAuthorities.count))
    for shift in stride(from: 40, through: 0, by: -8) {
      out.append(UInt8(truncatingIfNeeded: identifierAuthority >> UInt64(shift)))
    }
    for s in subAuthorities { out.appendLE(s) }
  }
}

extension SID: Comparable {
  /// Orders by authority, then sub-authorities.
  public static func < (a: SID, b: SID) -> Bool {
    if a.identifierAuthority != b.identifierAuthority {
      return a.identifierAuthority < b.identifierAuthority
    }
    return a.subAuthorities.lexicographicallyPrecedes(b.subAuthorities)
  }
}
