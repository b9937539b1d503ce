/// The lookup keys of the SIDs one pass of the access check matches ACE trustees against (the user
/// and the groups, or the restricting SIDs), computed when those SIDs change so that a check only
/// reads them.
///
/// Each SID gets a 64-bit key (see ``TokenSIDIndex/key(_:)``) with its ``SIDMembership`` in the two
/// low bits, and a slot in an open-addressing table at most half full. A 256-bit filter over the
/// keys that match something lets most lookups of a SID the token lacks stop after one bit test.
struct SIDKeyList: Sendable {
  /// The user's key with its membership; 0 without a user (the restricted pass).
  let userKey: UInt64
  /// One key per SID.
  let keys: [UInt64]
  /// Slots holding SID index + 1 (0 = empty); a power of two long, at least twice the SIDs
  /// (empty without SIDs).
  let table: [UInt32]
  /// Bit ``TokenSIDIndex/filterBit(_:)`` set for every key whose membership is not empty.
  let filter: SIMD4<UInt64>

  init(user: SIDAndAttributes?, entries: [SIDAndAttributes]) {
    if let user {
      let membership: SIDMembership = user.attributes.contains(.useForDenyOnly) ? .deny : [.allow, .deny]
      userKey = TokenSIDIndex.key(user.sid) | UInt64(membership.rawValue)
    } else {
      userKey = 0
    }
    var keys = [UInt64](repeating: 0, count: entries.count)
    var filter = SIMD4<UInt64>(repeating: 0)
    for i in entries.indices {
      let key = TokenSIDIndex.key(entries[i].sid)
      keys[i] = key | UInt64(SIDMembership(entries[i].attributes).rawValue)
      if keys[i] & 3 != 0 {
        let bit = TokenSIDIndex.filterBit(key)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
      }
    }
    self.keys = keys
    self.filter = filter
    guard !entries.isEmpty else {
      // No SIDs (most tokens have no restricting SIDs): the filter turns every lookup away.
      table = []
      return
    }
    // A token holds far fewer than 2^31 SIDs (Windows caps it at 1024 groups).
    var capacity = 8
    while capacity < entries.count * 2 { capacity <<= 1 }
    var table = [UInt32](repeating: 0, count: capacity)
    let mask = capacity - 1
    for i in entries.indices where keys[i] & 3 != 0 {
      var slot = TokenSIDIndex.slotOf(keys[i]) & mask
      while table[slot] != 0 { slot = (slot + 1) & mask }
      table[slot] = UInt32(truncatingIfNeeded: i + 1)
    }
    self.table = table
  }
}

/// The ``SIDKeyList``s of a token's two passes, kept in ``AccessToken``, and the RID of its
/// integrity label. They are derived from the user, the groups and the restricting SIDs, so they
/// take no part in the token's equality or hash.
struct TokenSIDKeys: Hashable, Sendable {
  /// The user and the groups.
  let normal: SIDKeyList
  /// The restricting SIDs.
  let restricted: SIDKeyList
  /// The RID of the lowest integrity label among the groups (a token holds one; should it hold
  /// more, the lowest counts), nil without one.
  let labelRID: UInt32?

  init(user: SIDAndAttributes, groups: [SIDAndAttributes], restrictingSIDs: [SIDAndAttributes]) {
    normal = SIDKeyList(user: user, entries: groups)
    restricted = SIDKeyList(user: nil, entries: restrictingSIDs)
    var lowest: UInt32?
    for group in groups where group.attributes.contains(.integrity) {
      let rid = group.sid.lastSubAuthority
      if lowest.map({ rid < $0 }) ?? true { lowest = rid }
    }
    labelRID = lowest
  }

  static func == (a: TokenSIDKeys, b: TokenSIDKeys) -> Bool { true }
  func hash(into hasher: inout Hasher) {}
}
