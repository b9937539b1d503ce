import TestPeers

@testable import NTSecurity

/// Generates random security descriptors that SDDL can express.
struct DescriptorGenerator {
  var rng: SplitMix64
  let domain: SID
  /// SDDL cannot express an object ACE with neither GUID (Windows turns it into the plain type),
  /// so generators for SDDL round trips give every object ACE at least one.
  var sddlExpressible = true

  init(seed: UInt64, domain: SID) {
    rng = SplitMix64(seed: seed)
    self.domain = domain
  }

  mutating func sid() -> SID {
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: return SDDLAlias.all.filter { $0.fixed != nil }.randomElement(using: &rng)!.fixed!
    case 1: return try! domain.appending(UInt32.random(in: 498...1200, using: &rng))
    case 2:
      let count = Int.random(in: 0...SID.maxSubAuthorities, using: &rng)
      let authority: UInt64 =
        Bool.random(using: &rng)
        ? UInt64.random(in: 0...32, using: &rng) : UInt64.random(in: 0..<(1 << 48), using: &rng)
      return try! SID(
        authority: authority, (0..<count).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) })
    default:
      return try! SID(
        authority: 5, [21] + (0..<4).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) })
    }
  }

  mutating func guid() -> GUID? {
    guard Bool.random(using: &rng) else { return nil }
    return GUID(wireBytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
  }

  mutating func mask() -> AccessMask {
    switch Int.random(in: 0..<4, using: &rng) {
    case 0:
      return [AccessMask.fileAllAccess, .fileGenericRead, .keyAllAccess, .genericAll, []].randomElement(
        using: &rng)!
    case 1:
      return AccessMask(
        rawValue: UInt32.random(in: 0...0x1FF, using: &rng) | 0xF0000
          & UInt32.random(in: 0...UInt32.max, using: &rng))
    default: return AccessMask(rawValue: UInt32.random(in: 0...UInt32.max, using: &rng))
    }
  }

  mutating func ace(sacl: Bool) -> ACE {
    let types: [ACEType] =
      sacl
      ? [.systemAudit, .systemAuditObject, .systemMandatoryLabel, .systemAlarm]
      : [.accessAllowed, .accessDenied, .accessAllowedObject, .accessDeniedObject]
    let type = types.randomElement(using: &rng)!
    var flags = ACEFlags(rawValue: UInt8.random(in: 0...0x1F, using: &rng))
    if sacl, type != .systemMandatoryLabel {
      flags.formUnion(ACEFlags(rawValue: UInt8.random(in: 0...3, using: &rng) << 6))
    }
    var mask = self.mask()
    if type == .systemMandatoryLabel { mask = AccessMask(rawValue: mask.rawValue & 7) }
    var objectType = type.isObject ? guid() : nil
    let inheritedObjectType = type.isObject ? guid() : nil
    if type.isObject, sddlExpressible, objectType == nil, inheritedObjectType == nil {
      objectType = GUID(wireBytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }
    return ACE(
      type: type, flags: flags, mask: mask, sid: sid(), objectType: objectType,
      inheritedObjectType: inheritedObjectType)
  }

  mutating func acl(sacl: Bool) -> ACL {
    ACL(aces: (0..<Int.random(in: 0..<6, using: &rng)).map { _ in ace(sacl: sacl) })
  }

  mutating func descriptor() -> SecurityDescriptor {
    var sd = SecurityDescriptor(
      owner: Bool.random(using: &rng) ? sid() : nil, group: Bool.random(using: &rng) ? sid() : nil)
    let dacl = Int.random(in: 0..<4, using: &rng)
    if dacl > 0 { sd.setDACL(present: true, dacl == 1 ? nil : acl(sacl: false)) }
    let sacl = Int.random(in: 0..<4, using: &rng)
    if sacl > 0 { sd.setSACL(present: true, sacl == 1 ? nil : acl(sacl: true)) }
    let extra = UInt16.random(in: 0...UInt16.max, using: &rng) & 0x3F00
    if dacl > 0 { sd.control.formUnion(SecurityDescriptorControl(rawValue: extra & 0x1500)) }
    if sacl > 0 { sd.control.formUnion(SecurityDescriptorControl(rawValue: extra & 0x2A00)) }
    return sd
  }
}
