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
/// the restricting SIDs in the restricted pass.
///
/// Each SID gets a 64-bit key (its RID, sub-authority count and low authority bits, with the
/// membership in the two low bits), so most comparisons are one integer compare. Small lists are
/// scanned; large ones also get an open-addressing table. Both live in temporary (stack) storage,
/// so a check allocates nothing for them.
struct TokenSIDIndex {
  let user: SID?
  let userKey: UInt64
  let entries: UnsafeBufferPointer<SIDAndAttributes>
  /// One key per entry; entries that match nothing (disabled groups) have membership 0.
  let keys: UnsafeMutableBufferPointer<UInt64>
  /// Slots holding entry index + 1 (0 = empty); empty for a linear scan.
  let table: UnsafeMutableBufferPointer<UInt32>

  /// Calls `body` with an index over `entries` (plus `user`). `lookups` estimates how many
  /// lookups will follow, to choose between scanning and hashing.
  static func with<R>(
    user: SIDAndAttributes?, entries: [SIDAndAttributes], lookups: Int, _ body: (TokenSIDIndex) -> R
  ) -> R {
    var userKey: UInt64 = 0
    if let user {
      let membership: SIDMembership = user.attributes.contains(.useForDenyOnly) ? .deny : [.allow, .deny]
      userKey = key(user.sid) | UInt64(membership.rawValue)
    }
    return entries.withUnsafeBufferPointer { buffer in
      // Padded to a multiple of four with keys that match nothing (bit 2 set), for the SIMD scan.
      let padded = (buffer.count + 3) & ~3
      return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(padded, 4)) { keys in
        for i in buffer.indices {
          keys[i] = key(buffer[i].sid) | UInt64(SIDMembership(buffer[i].attributes).rawValue)
        }
        for i in buffer.count..<keys.count { keys[i] = 4 }
        guard buffer.count > 32, buffer.count * lookups > 512, buffer.count < Int(UInt32.max) else {
          return body(
            TokenSIDIndex(
              user: user?.sid, userKey: userKey, entries: buffer, keys: keys,
              table: UnsafeMutableBufferPointer(start: nil, count: 0)))
        }
        var capacity = 64
        while capacity < buffer.count * 2 { capacity <<= 1 }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { table in
          table.initialize(repeating: 0)
          let mask = capacity - 1
          for i in buffer.indices where keys[i] & 3 != 0 {
            var slot = slotOf(keys[i]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = UInt32(i + 1)
          }
          return body(
            TokenSIDIndex(user: user?.sid, userKey: userKey, entries: buffer, keys: keys, table: table))
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
    if userKey & ~3 == target, let user, user == sid { result = userKey & 3 }
    if table.isEmpty {
      // Four keys at a time; the lanes that match (rarely more than one) are then checked in full.
      let wanted = SIMD4<UInt64>(repeating: target)
      let clear = SIMD4<UInt64>(repeating: ~3)
      let base = UnsafeRawPointer(keys.baseAddress!)
      var i = 0
      while i < keys.count {
        let lanes = base.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<UInt64>.self)
        if any(lanes & clear .== wanted) {
          for k in i..<i + 4 where keys[k] & ~3 == target && entries[k].sid == sid {
            result |= keys[k] & 3
          }
        }
        i += 4
      }
    } else {
      let mask = table.count - 1
      var slot = TokenSIDIndex.slotOf(target) & mask
      while table[slot] != 0 {
        let i = Int(table[slot]) - 1
        if keys[i] & ~3 == target, entries[i].sid == sid { result |= keys[i] & 3 }
        slot = (slot + 1) & mask
      }
    }
    return SIDMembership(rawValue: UInt8(truncatingIfNeeded: result))
  }

  /// RID in the high 32 bits, then 24 bits of authority, 4 bits of count, 2 free bits, and 2
  /// zero bits for the membership.
  @inline(__always)
  static func key(_ sid: SID) -> UInt64 {
    UInt64(sid.lastSubAuthority) << 32 | (sid.identifierAuthority & 0xFF_FFFF) << 8 | UInt64(sid.count) << 4
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
