import NTSecurity

/// The LSA policy object's access rights (POLICY_*, MS-LSAD 2.2.1.1.2).
extension AccessMask {
  /// POLICY_VIEW_LOCAL_INFORMATION (0x1): read the domain, server role and account information.
  public static let policyViewLocalInformation = AccessMask(rawValue: 0x1)
  /// POLICY_VIEW_AUDIT_INFORMATION (0x2): read the audit policy.
  public static let policyViewAuditInformation = AccessMask(rawValue: 0x2)
  /// POLICY_GET_PRIVATE_INFORMATION (0x4): LsaRetrievePrivateData.
  public static let policyGetPrivateInformation = AccessMask(rawValue: 0x4)
  /// POLICY_TRUST_ADMIN (0x8): change the account or primary domain information.
  public static let policyTrustAdmin = AccessMask(rawValue: 0x8)
  /// POLICY_CREATE_ACCOUNT (0x10): create account entries (LsaAddAccountRights).
  public static let policyCreateAccount = AccessMask(rawValue: 0x10)
  /// POLICY_CREATE_SECRET (0x20): LsaStorePrivateData.
  public static let policyCreateSecret = AccessMask(rawValue: 0x20)
  /// POLICY_CREATE_PRIVILEGE (0x40): unused by Windows, as here.
  public static let policyCreatePrivilege = AccessMask(rawValue: 0x40)
  /// POLICY_SET_DEFAULT_QUOTA_LIMITS (0x80).
  public static let policySetDefaultQuotaLimits = AccessMask(rawValue: 0x80)
  /// POLICY_SET_AUDIT_REQUIREMENTS (0x100): set PolicyAuditEventsInformation.
  public static let policySetAuditRequirements = AccessMask(rawValue: 0x100)
  /// POLICY_AUDIT_LOG_ADMIN (0x200).
  public static let policyAuditLogAdmin = AccessMask(rawValue: 0x200)
  /// POLICY_SERVER_ADMIN (0x400).
  public static let policyServerAdmin = AccessMask(rawValue: 0x400)
  /// POLICY_LOOKUP_NAMES (0x800): translate names and SIDs, enumerate an account's rights.
  public static let policyLookupNames = AccessMask(rawValue: 0x800)
  /// POLICY_NOTIFICATION (0x1000): LsaRegisterPolicyChangeNotification.
  public static let policyNotification = AccessMask(rawValue: 0x1000)
  /// POLICY_ALL_ACCESS (0xF0FFF): the standard required rights and 0x1 … 0x800.
  public static let policyAllAccess = AccessMask(rawValue: 0x000F_0FFF)
  /// POLICY_READ (0x20006).
  public static let policyRead = AccessMask(rawValue: 0x0002_0006)
  /// POLICY_WRITE (0x207F8).
  public static let policyWrite = AccessMask(rawValue: 0x0002_07F8)
  /// POLICY_EXECUTE (0x20801).
  public static let policyExecute = AccessMask(rawValue: 0x0002_0801)
}

extension LocalSecurityAuthority.Policy {
  /// The generic mapping of the policy object: POLICY_READ, POLICY_WRITE, POLICY_EXECUTE,
  /// POLICY_ALL_ACCESS.
  public static let mapping = GenericMapping(
    read: .policyRead, write: .policyWrite, execute: .policyExecute, all: .policyAllAccess)

  /// The policy object's security descriptor, Windows' default: owner `BUILTIN\Administrators`,
  /// group SYSTEM; first a deny of POLICY_LOOKUP_NAMES to Anonymous (Windows' default refuses
  /// anonymous SID/name translation), then Administrators POLICY_ALL_ACCESS and
  /// POLICY_NOTIFICATION, Everyone POLICY_EXECUTE (view local information, look up names, read
  /// control), Anonymous view local information and look up names (the deny wins for the
  /// latter), LOCAL SERVICE and NETWORK SERVICE POLICY_NOTIFICATION.
  public static let descriptorSDDL =
    "O:BAG:SYD:(D;;0x800;;;AN)(A;;0xf1fff;;;BA)(A;;0x20801;;;WD)(A;;0x801;;;AN)(A;;0x1000;;;LS)(A;;0x1000;;;NS)"

  static let descriptor: SecurityDescriptor = try! SecurityDescriptor(sddl: descriptorSDDL)
}
