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
    if attributes.contains(.useForDenyOnly) {
      self = .deny
    } else if attributes.contains(.enabled) {
      self = [.allow, .deny]
    } else {
      self = []
    }
  }

  @inline(__always) init(rawValue: UInt8) { self.rawValue = rawValue }
}

/// The SIDs one pass matches ACE trustees against: the user and the groups in the normal pass,
/// the restricting SIDs in the restricted pass. Small lists are scanned; large ones get an
/// open-addressing table in temporary (stack) storage, so a check allocates nothing for it.
struct TokenSIDIndex {
  /// The user SID and its membership (the user is enabled unless deny-only, whatever its other
  /// attribute bits say), or nil in the restricted pass.
  let user: SID?
  let userMembership: SIDMembership
  /// The user's ``SID/quickKey``, or a value no SID has when there is no user: comparing it
  /// first spares copying the user SID out of its optional on every lookup.
  let userKey: UInt64
  let entries: UnsafeBufferPointer<SIDAndAttributes>
  /// Each entry's ``SID/quickKey``, so a mismatch costs one comparison.
  let keys: UnsafeMutableBufferPointer<UInt64>
  /// Slots holding entry index + 1 (0 = empty); empty for a linear scan.
  let table: UnsafeMutableBufferPointer<UInt32>

  /// Calls `body` with an index over `entries` (plus `user`). `lookups` estimates how many
  /// lookups will follow, to choose between scanning and hashing.
  static func with<R>(
    user: SIDAndAttributes?, entries: [SIDAndAttributes], lookups: Int, _ body: (TokenSIDIndex) -> R
  ) -> R {
    let userSID = user?.sid
    let userKey = userSID?.quickKey ?? .max
    let userMembership: SIDMembership =
      user.map { $0.attributes.contains(.useForDenyOnly) ? .deny : [.allow, .deny] } ?? []
    return entries.withUnsafeBufferPointer { buffer in
      withUnsafeTemporaryAllocation(of: UInt64.self, capacity: buffer.count) { keys in
        for i in buffer.indices { keys.initializeElement(at: i, to: buffer[i].sid.quickKey) }
        guard buffer.count > 8, buffer.count * lookups > 64, buffer.count < Int(UInt32.max) else {
          return body(
            TokenSIDIndex(
              user: userSID, userMembership: userMembership, userKey: userKey, entries: buffer, keys: keys,
              table: UnsafeMutableBufferPointer(start: nil, count: 0)))
        }
        var capacity = 64
        while capacity < buffer.count * 2 { capacity <<= 1 }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { table in
          table.initialize(repeating: 0)
          let mask = capacity - 1
          for i in buffer.indices where !SIDMembership(buffer[i].attributes).isEmpty {
            var slot = TokenSIDIndex.hash(buffer[i].sid, key: keys[i]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = UInt32(i + 1)
          }
          return body(
            TokenSIDIndex(
              user: userSID, userMembership: userMembership, userKey: userKey, entries: buffer, keys: keys,
              table: table))
        }
      }
    }
  }

  /// How `sid` takes part in this pass.
  @inline(__always)
  func membership(of sid: SID) -> SIDMembership {
    membership(of: sid, key: sid.quickKey)
  }

  /// How `sid`, whose ``SID/quickKey`` is `key`, takes part in this pass.
  @inline(__always)
  func membership(of sid: SID, key: UInt64) -> SIDMembership {
    var result: SIDMembership = []
    if userKey == key, let user, user == sid { result = userMembership }
    if table.isEmpty {
      for i in entries.indices where keys[i] == key && entries[i].sid == sid {
        result.formUnion(SIDMembership(entries[i].attributes))
      }
    } else {
      let mask = table.count - 1
      var slot = TokenSIDIndex.hash(sid, key: key) & mask
      while table[slot] != 0 {
        let i = Int(table[slot]) - 1
        if keys[i] == key, entries[i].sid == sid { result.formUnion(SIDMembership(entries[i].attributes)) }
        slot = (slot + 1) & mask
      }
    }
    return result
  }

  /// Where to start probing for `sid`, whose ``SID/quickKey`` is `key`: mixes the key, the
  /// authority and the first sub-authority (the domain's), all read without copying the SID.
  @inline(__always)
  static func hash(_ sid: SID, key: UInt64) -> Int {
    var h = sid.identifierAuthority &* 0x9E37_79B9_7F4A_7C15 ^ key &* 0xFF51_AFD7_ED55_8CCD
    h ^= UInt64(sid.slots.0) << 29
    h ^= h >> 31
    return Int(truncatingIfNeeded: h &* 0xC4CE_B9FE_1A85_EC53 >> 17)
  }
}

extension SID {
  /// The sub-authority count and the last sub-authority (the RID) in one word: equal SIDs have
  /// equal keys, and SIDs of one token mostly differ in it.
  @inline(__always)
  var quickKey: UInt64 {
    UInt64(count) << 32 | UInt64(UInt32(littleEndian: lastSlot))
  }

  /// The last used sub-authority slot (0 for none), read without copying the slots.
  @inline(__always)
  private var lastSlot: UInt32 {
    switch count {
    case 1: slots.0
    case 2: slots.1
    case 3: slots.2
    case 4: slots.3
    case 5: slots.4
    case 6: slots.5
    case 7: slots.6
    case 8: slots.7
    case 9: slots.8
    case 10: slots.9
    case 11: slots.10
    case 12: slots.11
    case 13: slots.12
    case 14: slots.13
    case 15: slots.14
    default: 0
    }
  }
}
