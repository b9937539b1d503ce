/// How a SID of the token takes part in one pass of the access check.
struct SIDMembership: OptionSet {
  let rawValue: UInt8
  /// Enabled (and not deny-only): the SID matches allow ACEs (and deny ACEs).
  static let allow = SIDMembership(rawValue: 1)
  /// Enabled or deny-only: the SID matches deny ACEs.
  static let deny = SIDMembership(rawValue: 2)

  /// A group's (or restricting SID's) attributes: `SE_GROUP_USE_FOR_DENY_ONLY` counts for deny
  /// ACEs only, `SE_GROUP_ENABLED` for both, anything else (disabled, the integrity label) for
  /// neither.
  @inline(__always)
  init(_ attributes: GroupAttributes) {
    // Raw bit tests (SE_GROUP_USE_FOR_DENY_ONLY, SE_GROUP_ENABLED): this runs for every SID each
    // time a token's SIDs change, and OptionSet's generic `contains` is slow in debug builds.
    let raw = attributes.rawValue
    if raw & GroupAttributes.useForDenyOnly.rawValue != 0 {
      rawValue = 2
    } else if raw & GroupAttributes.enabled.rawValue != 0 {
      rawValue = 3
    } else {
      rawValue = 0
    }
  }

  @inline(__always) init(rawValue: UInt8) { self.rawValue = rawValue }
}

/// The SIDs one pass matches ACE trustees against: the user and the groups in the normal pass,
/// the restricting SIDs in the restricted pass.
///
/// It reads the token's precomputed ``SIDKeyList`` (one 64-bit key per SID, so most comparisons
/// are one integer compare; a filter that turns most misses away at once; a hash table), so a
/// check neither computes nor allocates anything for it.
struct TokenSIDIndex {
  let user: UnsafePointer<SID>?
  let userKey: UInt64
  let entries: UnsafeBufferPointer<SIDAndAttributes>
  /// One key per entry; entries that match nothing (disabled groups) have membership 0.
  let keys: UnsafeBufferPointer<UInt64>
  /// Slots holding entry index + 1 (0 = empty), a power of two long.
  let table: UnsafeBufferPointer<UInt32>
  let filter: SIMD4<UInt64>

  /// Calls `body` with the index of `token`'s normal pass (user and groups) or, when `restricted`,
  /// of its restricted pass (restricting SIDs).
  static func with<R>(
    token: borrowing AccessToken, restricted: Bool, _ body: (TokenSIDIndex) -> R
  ) -> R {
    let list = restricted ? token.sidKeys.restricted : token.sidKeys.normal
    let entries = restricted ? token.restrictingSIDs : token.groups
    return entries.withUnsafeBufferPointer { entries in
      list.keys.withUnsafeBufferPointer { keys in
        list.table.withUnsafeBufferPointer { table in
          let index = { (user: UnsafePointer<SID>?) in
            TokenSIDIndex(
              user: user, userKey: list.userKey, entries: entries, keys: keys, table: table,
              filter: list.filter)
          }
          if restricted { return body(index(nil)) }
          return withUnsafePointer(to: token.user.sid) { body(index($0)) }
        }
      }
    }
  }

  /// How `sid` takes part in this pass.
  @inline(__always)
  func membership(of sid: SID) -> SIDMembership {
    membership(key: TokenSIDIndex.key(sid), sid)
  }

  /// How `sid`, whose ``key(_:)`` is `target`, takes part in this pass.
  @inline(__always)
  func membership(key target: UInt64, _ sid: SID) -> SIDMembership {
    var result: UInt64 = 0
    if userKey & ~3 == target, let user, user.pointee == sid { result = userKey & 3 }
    let bit = TokenSIDIndex.filterBit(target)
    guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else {
      return SIDMembership(rawValue: UInt8(truncatingIfNeeded: result))
    }
    let mask = table.count - 1
    var slot = TokenSIDIndex.slotOf(target) & mask
    while table[slot] != 0 {
      let i = Int(table[slot]) - 1
      if keys[i] & ~3 == target, entries[i].sid == sid { result |= keys[i] & 3 }
      slot = (slot + 1) & mask
    }
    return SIDMembership(rawValue: UInt8(truncatingIfNeeded: result))
  }

  /// RID in the high 32 bits, then 24 bits of authority, 4 bits of count, 2 free bits, and 2
  /// zero bits for the membership.
  @inline(__always)
  static func key(_ sid: SID) -> UInt64 {
    UInt64(sid.lastSubAuthority) << 32 | (sid.identifierAuthority & 0xFF_FFFF) << 8 | UInt64(sid.count) << 4
  }

  /// The bit of ``SIDKeyList/filter`` (0..<256) for a key (membership bits ignored).
  @inline(__always)
  static func filterBit(_ key: UInt64) -> Int {
    let h = (key >> 4) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: h >> 56)
  }

  @inline(__always)
  static func slotOf(_ key: UInt64) -> Int {
    let h = (key >> 4) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: h >> 40)
  }
}

extension SID {
  /// The last sub-authority (0 without any), read without copying the sub-authority storage.
  @inline(__always)
  var lastSubAuthority: UInt32 {
    let raw: UInt32
    switch count {
    case 1: raw = slots.0
    case 2: raw = slots.1
    case 3: raw = slots.2
    case 4: raw = slots.3
    case 5: raw = slots.4
    case 6: raw = slots.5
    case 7: raw = slots.6
    case 8: raw = slots.7
    case 9: raw = slots.8
    case 10: raw = slots.9
    case 11: raw = slots.10
    case 12: raw = slots.11
    case 13: raw = slots.12
    case 14: raw = slots.13
    case 15: raw = slots.14
    default: return 0
    }
    // The slots hold the wire form: little-endian words.
    return UInt32(littleEndian: raw)
  }

  /// Equality that rejects on the count, the last sub-authority and the authority first: SIDs of
  /// one token mostly differ only in their RID.
  @inline(__always)
  func quickEquals(_ other: SID) -> Bool {
    TokenSIDIndex.key(self) == TokenSIDIndex.key(other) && self == other
  }
}
