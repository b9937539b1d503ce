/// The `SEF_*` flags of CreatePrivateObjectSecurityEx, SetPrivateObjectSecurityEx and
/// CreatePrivateObjectSecurityWithMultipleInheritance (winnt.h values).
///
/// They are distinct from the similarly named control bits of a descriptor
/// (``SecurityDescriptorControl/daclAutoInherited`` and friends).
public struct AutoInheritFlags: OptionSet, Hashable, Sendable {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// SEF_DACL_AUTO_INHERIT (0x01): the new DACL holds the parent's inheritable ACEs as well as
  /// the creator's explicit ones, and gets `SE_DACL_AUTO_INHERITED`.
  public static let daclAutoInherit = Self(rawValue: 0x01)
  /// SEF_SACL_AUTO_INHERIT (0x02): the same for the SACL.
  public static let saclAutoInherit = Self(rawValue: 0x02)
  /// SEF_DEFAULT_DESCRIPTOR_FOR_OBJECT (0x04): the creator descriptor is only a default for the
  /// object type; its ACLs are ignored when the parent passes on ACEs meant for that type.
  public static let defaultDescriptorForObject = Self(rawValue: 0x04)
  /// SEF_AVOID_PRIVILEGE_CHECK (0x08): no SeSecurityPrivilege check for a creator SACL (in
  /// SetPrivateObjectSecurityEx it also skips the owner check).
  public static let avoidPrivilegeCheck = Self(rawValue: 0x08)
  /// SEF_AVOID_OWNER_CHECK (0x10): the owner is not checked against the token.
  public static let avoidOwnerCheck = Self(rawValue: 0x10)
  /// SEF_DEFAULT_OWNER_FROM_PARENT (0x20): without a creator owner, take the parent's owner
  /// rather than the token's.
  public static let defaultOwnerFromParent = Self(rawValue: 0x20)
  /// SEF_DEFAULT_GROUP_FROM_PARENT (0x40): without a creator group, take the parent's group
  /// rather than the token's primary group.
  public static let defaultGroupFromParent = Self(rawValue: 0x40)
  /// SEF_MACL_NO_WRITE_UP (0x100): label the new object with the token's integrity level and
  /// the no-write-up policy instead of using the creator's label ACE.
  public static let maclNoWriteUp = Self(rawValue: 0x100)
  /// SEF_MACL_NO_READ_UP (0x200): as ``maclNoWriteUp``, with the no-read-up policy.
  public static let maclNoReadUp = Self(rawValue: 0x200)
  /// SEF_MACL_NO_EXECUTE_UP (0x400): as ``maclNoWriteUp``, with the no-execute-up policy.
  public static let maclNoExecuteUp = Self(rawValue: 0x400)
  /// SEF_AI_USE_EXTRA_PARAMS (0x800): kernel-mode only; accepted and ignored.
  public static let aiUseExtraParams = Self(rawValue: 0x800)
  /// SEF_AVOID_OWNER_RESTRICTION (0x1000): ignore parent restrictions (OWNER RIGHTS ACEs) on
  /// the caller's ability to supply a DACL. Accepted; the restriction itself is not modelled.
  public static let avoidOwnerRestriction = Self(rawValue: 0x1000)
  /// SEF_FORCE_USER_MODE (0x2000): kernel-mode only; accepted and ignored.
  public static let forceUserMode = Self(rawValue: 0x2000)
  /// SEF_NORMALIZE_OUTPUT_DESCRIPTOR (0x4000): accepted and ignored (the output is always a
  /// normal self-relative descriptor).
  public static let normalizeOutputDescriptor = Self(rawValue: 0x4000)

  /// SEF_MACL_VALID_FLAGS: the three label policy flags.
  public static let maclValidFlags: Self = [.maclNoWriteUp, .maclNoReadUp, .maclNoExecuteUp]

  /// Every flag winnt.h defines.
  public static let all = Self(rawValue: 0x7F7F)
}
