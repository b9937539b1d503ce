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
  let entries: UnsafeBufferPointer<SIDAndAttributes>
  /// Slots holding entry index + 1 (0 = empty); empty for a linear scan.
  let table: UnsafeMutableBufferPointer<UInt32>

  /// Calls `body` with an index over `entries` (plus `user`). `lookups` estimates how many
  /// lookups will follow, to choose between scanning and hashing.
  static func with<R>(
    user: SIDAndAttributes?, entries: [SIDAndAttributes], lookups: Int, _ body: (TokenSIDIndex) -> R
  ) -> R {
    let userSID = user?.sid
    let userMembership: SIDMembership =
      user.map { $0.attributes.contains(.useForDenyOnly) ? .deny : [.allow, .deny] } ?? []
    return entries.withUnsafeBufferPointer { buffer in
      guard buffer.count > 24, buffer.count * lookups > 256, buffer.count < Int(UInt32.max) else {
        return body(
          TokenSIDIndex(
            user: userSID, userMembership: userMembership, entries: buffer,
            table: UnsafeMutableBufferPointer(start: nil, count: 0)))
      }
      var capacity = 64
      while capacity < buffer.count * 2 { capacity <<= 1 }
      return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { table in
        table.initialize(repeating: 0)
        let mask = capacity - 1
        for i in buffer.indices where !SIDMembership(buffer[i].attributes).isEmpty {
          var slot = TokenSIDIndex.hash(buffer[i].sid) & mask
          while table[slot] != 0 { slot = (slot + 1) & mask }
          table[slot] = UInt32(i + 1)
        }
        return body(
          TokenSIDIndex(user: userSID, userMembership: userMembership, entries: buffer, table: table))
      }
    }
  }

  /// How `sid` takes part in this pass.
  @inline(__always)
  func membership(of sid: SID) -> SIDMembership {
    var result: SIDMembership = []
    if let user, user.quickEquals(sid) { result = userMembership }
    if table.isEmpty {
      for i in entries.indices where entries[i].sid.quickEquals(sid) {
        result.formUnion(SIDMembership(entries[i].attributes))
      }
    } else {
      let mask = table.count - 1
      var slot = TokenSIDIndex.hash(sid) & mask
      while table[slot] != 0 {
        let entry = entries[Int(table[slot]) - 1]
        if entry.sid.quickEquals(sid) { result.formUnion(SIDMembership(entry.attributes)) }
        slot = (slot + 1) & mask
      }
    }
    return result
  }

  @inline(__always)
  static func hash(_ sid: SID) -> Int {
    var h = sid.identifierAuthority &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(sid.count)
    if sid.count > 0 {
      h ^= UInt64(sid[subAuthority: sid.subAuthorityCount - 1]) &* 0xFF51_AFD7_ED55_8CCD
      h ^= UInt64(sid[subAuthority: 0]) << 29
    }
    h ^= h >> 31
    return Int(truncatingIfNeeded: h &* 0xC4CE_B9FE_1A85_EC53 >> 17)
  }
}

extension SID {
  /// Equality that rejects on the count and the last sub-authority first: SIDs of one token mostly
  /// differ only in their RID.
  @inline(__always)
  func quickEquals(_ other: SID) -> Bool {
    guard count == other.count else { return false }
    if count > 0, self[subAuthority: Int(count) - 1] != other[subAuthority: Int(count) - 1] { return false }
    return self == other
  }
}
