extension ConditionEvaluator {
  /// The claims an attribute prefix reads.
  @inline(__always)
  func claims(_ source: ConditionClaimSource) -> [ClaimSecurityAttribute] {
    switch source {
    case .user: context.pointee.token.userClaims
    case .device: context.pointee.token.deviceClaims
    case .resource: context.pointee.resourceAttributes
    }
  }

  /// Resolves the attribute token at `offset` (validated) to the first claim whose name matches
  /// case-insensitively. Disabled claims are skipped, deny-only claims count for deny ACEs only,
  /// and a claim without values, or a resource attribute holding one value twice (which Windows
  /// treats as not existing), is NULL.
  func lookup(_ source: ConditionClaimSource, nameAt offset: Int) -> ConditionOperand {
    let start = offset + 5
    let stop = start + u32(offset + 1)
    let list = claims(source)
    for index in list.indices {
      let claim = list[index]
      guard nameMatches(claim.name, start, stop) else { continue }
      if claim.flags.contains(.disabled) { continue }
      if claim.flags.contains(.useForDenyOnly) && !forDenyACE { continue }
      if claim.values.count == 0 { return .missing }
      if source == .resource && claim.values.count > 1 && hasDuplicates(claim) { return .missing }
      return .claim(source, index)
    }
    return .missing
  }

  /// Whether `name` equals the UTF-16LE text `bytes[start..<stop]`, ignoring case.
  func nameMatches(_ name: String, _ start: Int, _ stop: Int) -> Bool {
    // Quick reject on length: UTF-8 is never shorter than UTF-16 in code units.
    guard name.utf8.count >= (stop - start) / 2 else { return false }
    return ConditionText.compare(literalUnits(start, stop), name, caseSensitive: false) == 0
  }

  /// Whether two values of the claim are equal (strings compare as the claim's flags say).
  func hasDuplicates(_ claim: ClaimSecurityAttribute) -> Bool {
    let caseSensitive = claim.flags.contains(.valueCaseSensitive)
    switch claim.values {
    case .int64(let v): return Set(v).count != v.count
    case .uint64(let v), .boolean(let v): return Set(v).count != v.count
    case .octetString(let v): return Set(v).count != v.count
    case .sid(let v): return Set(v.map(ClaimValues.decodeSIDPayload)).count != v.count
    case .string(let v):
      for a in 0..<v.count {
        for b in (a + 1)..<v.count
        where ConditionText.compare(v[a].utf16, v[b].utf16, caseSensitive: caseSensitive) == 0 {
          return true
        }
      }
      return false
    }
  }

  // MARK: Member_of and its relatives (MS-DTYP 2.4.4.17.6, unary relational operators)

  /// `Member_of`, `Device_Member_of`, `Member_of_Any`, `Device_Member_of_Any` and their `Not_`
  /// inverses. The operand must be a SID literal or a non-empty composite of SID literals.
  func membership(_ code: UInt8, _ operand: ConditionOperand) throws(ConditionFault)
    -> ConditionOperand
  {
    guard ConditionalOperator.isMembership(code: code), case .literal(let at) = operand else {
      throw ConditionFault()
    }
    let device = code == 0x8A || code == 0x8C || code == 0x91 || code == 0x93
    let any = code == 0x8B || code == 0x8C || code == 0x92 || code == 0x93
    let inverse = code >= 0x90
    let list = device ? context.pointee.token.deviceGroups : context.pointee.sids
    var holds: Bool
    switch bytes[at] {
    case 0x51:
      holds = contains(list, sidLiteral(at: at), device: device)
    case 0x50:
      var k = at + 5
      let stop = k + u32(at + 1)
      guard k < stop else { throw ConditionFault() }
      var all = true
      var some = false
      while k < stop {
        guard bytes[k] == 0x51 else { throw ConditionFault() }
        let found = contains(list, sidLiteral(at: k), device: device)
        all = all && found
        some = some || found
        k += 5 + u32(k + 1)
      }
      holds = any ? some : all
    default:
      throw ConditionFault()
    }
    return .result(holds != inverse ? .true : .false)
  }

  /// Whether `list` holds `sid` in a state that counts: enabled, or deny-only when the ACE is a
  /// deny ACE. The token's user counts unless deny-only: TOKEN_USER carries no SE_GROUP_ENABLED.
  func contains(_ list: [SIDAndAttributes], _ sid: SID, device: Bool) -> Bool {
    list.withUnsafeBufferPointer { entries in
      for k in entries.indices where ConditionEvaluator.sid(at: entries.baseAddress! + k, equals: sid) {
        let attributes = entries[k].attributes
        if attributes.contains(.useForDenyOnly) {
          if forDenyACE { return true }
          continue
        }
        if attributes.contains(.enabled) { return true }
        if !device && sid == context.pointee.token.user.sid { return true }
      }
      return false
    }
  }

  /// Whether the SID of the entry at `entry` equals `sid`, comparing the stored words in place
  /// (the last sub-authority first: it differs most often).
  @inline(__always)
  static func sid(at entry: UnsafePointer<SIDAndAttributes>, equals sid: SID) -> Bool {
    let n = Int(sid.count)
    guard entry.pointee.sid.count == sid.count,
      entry.pointee.sid.identifierAuthority == sid.identifierAuthority
    else { return false }
    guard n > 0 else { return true }
    let words = UnsafeRawPointer(entry) + slotsOffset
    return withUnsafeBytes(of: sid.slots) { target in
      var k = n - 1
      while k >= 0 {
        if words.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)
          != target.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)
        {
          return false
        }
        k -= 1
      }
      return true
    }
  }

  /// Where a `SIDAndAttributes` keeps its SID's sub-authority words.
  static let slotsOffset =
    MemoryLayout<SIDAndAttributes>.offset(of: \SIDAndAttributes.sid)!
    + MemoryLayout<SID>.offset(of: \SID.slots)!
}
