/// A security identifier (MS-DTYP 2.4.2): revision 1, a 48-bit identifier authority and up to
/// fifteen 32-bit sub-authorities.
public struct SID: Sendable {
  /// The most sub-authorities a SID may hold (`SID_MAX_SUB_AUTHORITIES`).
  public static let maxSubAuthorities = 15

  /// Fifteen sub-authority slots kept inline, so a SID never allocates.
  @usableFromInline
  typealias Slots = (
    UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
    UInt32, UInt32, UInt32
  )

  /// The 48-bit identifier authority (`SID_IDENTIFIER_AUTHORITY`), e.g. 5 for NT AUTHORITY.
  public private(set) var identifierAuthority: UInt64
  @usableFromInline var count: UInt8
  @usableFromInline var slots: Slots = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

  /// Creates a SID; throws `ERROR_INVALID_SID` for more than 15 sub-authorities or an authority
  /// wider than 48 bits.
  public init(authority: UInt64, _ subAuthorities: [UInt32]) throws(NTSecurityError) {
    guard authority < 1 << 48 else {
      throw NTSecurityError(.invalidSid, "identifier authority \(authority) exceeds 48 bits")
    }
    guard subAuthorities.count <= SID.maxSubAuthorities else {
      throw NTSecurityError(.invalidSid, "\(subAuthorities.count) sub-authorities (at most 15)")
    }
    self.init(unchecked: authority, subAuthorities)
  }

  /// Internal initializer for values already known to be valid.
  @usableFromInline
  init(unchecked authority: UInt64, _ subAuthorities: [UInt32]) {
    self.identifierAuthority = authority
    self.count = 0
    for s in subAuthorities { appendUnchecked(s) }
  }

  /// A SID with no sub-authorities yet.
  @usableFromInline
  init(unchecked authority: UInt64) {
    self.identifierAuthority = authority
    self.count = 0
  }

  /// Appends a sub-authority; the caller makes sure there is room.
  @inlinable
  mutating func appendUnchecked(_ value: UInt32) {
    storeSlot(value, at: Int(count))
    count += 1
  }

  /// The number of sub-authorities (`GetSidSubAuthorityCount`).
  @inlinable public var subAuthorityCount: Int { Int(count) }

  /// The sub-authority at `index` (`GetSidSubAuthority`).
  @inlinable
  public subscript(subAuthority index: Int) -> UInt32 {
    precondition(index >= 0 && index < Int(count), "sub-authority index out of range")
    return slot(index)
  }

  /// The sub-authorities, most significant first; the last is the relative identifier (RID).
  public var subAuthorities: [UInt32] {
    (0..<Int(count)).map { self[subAuthority: $0] }
  }

  /// The revision; always `SID_REVISION` (1).
  public var revision: UInt8 { 1 }

  /// The relative identifier: the last sub-authority, if any.
  @inlinable public var rid: UInt32? { count == 0 ? nil : self[subAuthority: Int(count) - 1] }

  /// The length of the binary form (`GetLengthSid`).
  @inlinable public var length: Int { 8 + 4 * Int(count) }

  /// This SID with `rid` appended (the SID of an account in this domain).
  public func appending(_ rid: UInt32) throws(NTSecurityError) -> SID {
    guard count < SID.maxSubAuthorities else {
      throw NTSecurityError(.invalidSid, "no room for another sub-authority")
    }
    var s = self
    s.appendUnchecked(rid)
    return s
  }

  /// The SID without its last sub-authority: the domain of an account SID.
  public var domain: SID? {
    guard count > 0 else { return nil }
    var s = self
    s.count -= 1
    s.storeSlot(0, at: Int(s.count))
    return s
  }

  /// Whether `self` is `domain` plus exactly one RID (`EqualDomainSid`-style membership).
  public func isInDomain(_ domain: SID) -> Bool {
    identifierAuthority == domain.identifierAuthority && count == domain.count + 1
      && samePrefix(domain, Int(domain.count))
  }

  /// Whether the two SIDs share a prefix with the same number of sub-authorities
  /// (`EqualPrefixSid`).
  public func hasEqualPrefix(_ other: SID) -> Bool {
    identifierAuthority == other.identifierAuthority && count == other.count
      && samePrefix(other, max(0, Int(count) - 1))
  }
}

extension SID: Hashable {
  /// Unused slots are always zero, so whole-value comparison is exact.
  @inlinable
  public static func == (a: SID, b: SID) -> Bool {
    a.identifierAuthority == b.identifierAuthority && a.count == b.count
      && a.samePrefix(b, Int(a.count))
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(identifierAuthority)
    hasher.combine(count)
    hashSlots(into: &hasher)
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
    let p = reader.position
    let authority =
      UInt64(reader.load(p, as: UInt16.self).byteSwapped) << 32
      | UInt64(reader.load(p + 2, as: UInt32.self).byteSwapped)
    var sid = SID(unchecked: authority)
    sid.copySlots(from: reader.bytes, at: p + 6, count: count)
    sid.count = UInt8(count)
    reader.position = p + 6 + 4 * count
    return sid
  }

  /// The binary form (MS-DTYP 2.4.2.2).
  public var bytes: [UInt8] { [UInt8](exactly: length) { write(to: &$0) } }

  /// Appends the binary form.
  func write(to out: inout [UInt8]) {
    out.append(upTo: 68) { write(to: &$0) }
  }

  @inlinable
  func write(to out: inout RawWriter) {
    // Revision, count, then the 48-bit authority big-endian.
    out.u8(1)
    out.u8(count)
    out.u16(UInt16(truncatingIfNeeded: identifierAuthority >> 32).byteSwapped)
    out.u32(UInt32(truncatingIfNeeded: identifierAuthority).byteSwapped)
    writeSlots(to: &out)
  }
}

extension SID: Comparable {
  /// Orders by authority, then sub-authorities.
  public static func < (a: SID, b: SID) -> Bool {
    if a.identifierAuthority != b.identifierAuthority {
      return a.identifierAuthority < b.identifierAuthority
    }
    for i in 0..<min(a.subAuthorityCount, b.subAuthorityCount)
    where a[subAuthority: i] != b[subAuthority: i] {
      return a[subAuthority: i] < b[subAuthority: i]
    }
    return a.count < b.count
  }
}
