/// `PAC_DEVICE_INFO` (MS-PAC 2.12, buffer type 0xE): the groups of the device the user signed
/// in from (compound identity, FAST armor).
public struct PACDeviceInfo: Hashable, Sendable {
  /// The RID of the device's account.
  public var userID: UInt32
  public var primaryGroupID: UInt32
  public var accountDomainID: SID?
  /// Groups in the device account's domain.
  public var accountGroupIDs: [GroupMembership]
  public var extraSIDs: [SIDAndAttributes]
  /// Domain-local groups of other domains, by domain.
  public var domainGroups: [DomainGroupMembership]

  /// The device groups as a token holds them (`TokenDeviceGroups`): the device account SID,
  /// its account-domain groups, the extra SIDs, then each domain's groups — with only the
  /// attribute bits MS-PAC 2.2.1 defines (the others are ignored on receipt).
  public var deviceGroups: [SIDAndAttributes] {
    let defined: GroupAttributes = [.mandatory, .enabledByDefault, .enabled, .owner, .resource]
    return rawDeviceGroups.map { SIDAndAttributes($0.sid, $0.attributes.intersection(defined)) }
  }

  private var rawDeviceGroups: [SIDAndAttributes] {
    var result = [SIDAndAttributes]()
    let on: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]
    if let domain = accountDomainID {
      if userID != 0, let sid = try? domain.appending(userID) { result.append(SIDAndAttributes(sid, on)) }
      for g in accountGroupIDs {
        if let sid = try? domain.appending(g.relativeID) {
          result.append(SIDAndAttributes(sid, g.attributes))
        }
      }
    }
    result += extraSIDs
    for d in domainGroups {
      for g in d.groupIDs {
        if let sid = try? d.domainID.appending(g.relativeID) {
          result.append(SIDAndAttributes(sid, g.attributes))
        }
      }
    }
    return result
  }
}

/// `DOMAIN_GROUP_MEMBERSHIP` (MS-PAC 2.2.3).
public struct DomainGroupMembership: Hashable, Sendable {
  public var domainID: SID
  public var groupIDs: [GroupMembership]
}

extension PACDeviceInfo {
  init(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError) {
    var r = try NDRReader(topLevel: bytes, from: start, to: end, what: "PAC_DEVICE_INFO")
    userID = try r.u32("UserId")
    primaryGroupID = try r.u32("PrimaryGroupId")
    let hasDomain = try r.pointer("AccountDomainId pointer")
    let groupCount = Int(try r.u32("AccountGroupCount"))
    let hasGroups = try r.pointer("AccountGroupIds pointer")
    let sidCount = Int(try r.u32("SidCount"))
    let hasSIDs = try r.pointer("ExtraSids pointer")
    let domainCount = Int(try r.u32("DomainGroupCount"))
    let hasDomainGroups = try r.pointer("DomainGroup pointer")
    accountDomainID = hasDomain ? try r.sid("AccountDomainId") : nil
    accountGroupIDs = try KerbValidationInfo.memberships(
      &r, "AccountGroupIds", count: groupCount, present: hasGroups)
    if hasSIDs {
      extraSIDs = try r.sidsAndAttributes("ExtraSids", count: sidCount)
    } else {
      guard sidCount == 0 else { throw r.fail("ExtraSids: count \(sidCount) with a null pointer") }
      extraSIDs = []
    }
    domainGroups = []
    if hasDomainGroups {
      let n = try r.conformance("DomainGroup", elementSize: 12, expected: domainCount)
      var headers = [(Bool, Int, Bool)]()
      for _ in 0..<n {
        let hasID = try r.pointer("DomainId pointer")
        let count = Int(try r.u32("GroupCount"))
        headers.append((hasID, count, try r.pointer("GroupIds pointer")))
      }
      for (i, (hasID, count, present)) in headers.enumerated() {
        guard hasID else { throw r.fail("DomainGroup[\(i)]: null DomainId") }
        let domain = try r.sid("DomainGroup[\(i)].DomainId")
        let groups = try KerbValidationInfo.memberships(
          &r, "DomainGroup[\(i)].GroupIds", count: count, present: present)
        domainGroups.append(DomainGroupMembership(domainID: domain, groupIDs: groups))
      }
    } else if domainCount != 0 {
      throw r.fail("DomainGroup: count \(domainCount) with a null pointer")
    }
  }
}
