/// SECURITY_DESCRIPTOR_CONTROL (MS-DTYP 2.4.6): the `SE_*` flags of a security descriptor.
public struct SecurityDescriptorControl: OptionSet, Hashable, Sendable {
  public var rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  public static let ownerDefaulted = Self(rawValue: 0x0001)
  public static let groupDefaulted = Self(rawValue: 0x0002)
  public static let daclPresent = Self(rawValue: 0x0004)
  public static let daclDefaulted = Self(rawValue: 0x0008)
  public static let saclPresent = Self(rawValue: 0x0010)
  public static let saclDefaulted = Self(rawValue: 0x0020)
  public static let daclTrusted = Self(rawValue: 0x0040)
  public static let serverSecurity = Self(rawValue: 0x0080)
  public static let daclAutoInheritRequired = Self(rawValue: 0x0100)
  public static let saclAutoInheritRequired = Self(rawValue: 0x0200)
  public static let daclAutoInherited = Self(rawValue: 0x0400)
  public static let saclAutoInherited = Self(rawValue: 0x0800)
  public static let daclProtected = Self(rawValue: 0x1000)
  public static let saclProtected = Self(rawValue: 0x2000)
  public static let rmControlValid = Self(rawValue: 0x4000)
  public static let selfRelative = Self(rawValue: 0x8000)
}

/// SECURITY_INFORMATION: which parts of a security descriptor to read, write or print.
public struct SecurityInformation: OptionSet, Hashable, Sendable {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let owner = Self(rawValue: 0x0000_0001)
  public static let group = Self(rawValue: 0x0000_0002)
  public static let dacl = Self(rawValue: 0x0000_0004)
  public static let sacl = Self(rawValue: 0x0000_0008)
  public static let label = Self(rawValue: 0x0000_0010)
  public static let attribute = Self(rawValue: 0x0000_0020)
  public static let scope = Self(rawValue: 0x0000_0040)
  public static let processTrustLabel = Self(rawValue: 0x0000_0080)
  public static let accessFilter = Self(rawValue: 0x0000_0100)
  public static let backup = Self(rawValue: 0x0001_0000)
  public static let unprotectedSacl = Self(rawValue: 0x1000_0000)
  public static let unprotectedDacl = Self(rawValue: 0x2000_0000)
  public static let protectedSacl = Self(rawValue: 0x4000_0000)
  public static let protectedDacl = Self(rawValue: 0x8000_0000)

  /// Owner, group, DACL and SACL: everything SDDL can show.
  public static let all: Self = [
    .owner, .group, .dacl, .sacl, .label, .attribute, .scope, .processTrustLabel, .accessFilter,
  ]

  /// The SACL ACE types each partial SACL flag selects.
  func selects(_ type: ACEType) -> Bool {
    if contains(.sacl) { return true }
    switch type {
    case .systemMandatoryLabel: return contains(.label)
    case .systemResourceAttribute: return contains(.attribute)
    case .systemScopedPolicyID: return contains(.scope)
    case .systemProcessTrustLabel: return contains(.processTrustLabel)
    case .systemAccessFilter: return contains(.accessFilter)
    default: return false
    }
  }

  /// Whether any part of the SACL is selected.
  var selectsSACL: Bool {
    !isDisjoint(with: [.sacl, .label, .attribute, .scope, .processTrustLabel, .accessFilter])
  }
}
