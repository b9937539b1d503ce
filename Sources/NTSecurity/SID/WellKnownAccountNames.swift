/// The account names Windows shows for well-known SIDs (what LookupAccountSid returns for them on
/// an English system), used by `ntsec sddl explain` and other readable listings.
extension SID {
  /// `DOMAIN\name` (or just `name` for domainless SIDs) for well-known SIDs and, when `domain` is
  /// given, for the well-known RIDs of that domain. Nil for any other SID.
  public func wellKnownAccountName(domain: SID? = nil) -> String? {
    if let name = SID.fixedNames[self] { return name }
    if let domain, let rid, isInDomain(domain), let name = SID.domainRIDNames[rid] { return name }
    return nil
  }

  private static func s(_ authority: UInt64, _ subs: UInt32...) -> SID { SID(unchecked: authority, subs) }

  private static let fixedNames: [SID: String] = [
    s(0, 0): "NULL SID",
    s(1, 0): "Everyone",
    s(2, 0): "LOCAL",
    s(2, 1): "CONSOLE LOGON",
    s(3, 0): "CREATOR OWNER",
    s(3, 1): "CREATOR GROUP",
    s(3, 2): "CREATOR OWNER SERVER",
    s(3, 3): "CREATOR GROUP SERVER",
    s(3, 4): "OWNER RIGHTS",
    s(5, 1): "NT AUTHORITY\\DIALUP",
    s(5, 2): "NT AUTHORITY\\NETWORK",
    s(5, 3): "NT AUTHORITY\\BATCH",
    s(5, 4): "NT AUTHORITY\\INTERACTIVE",
    s(5, 6): "NT AUTHORITY\\SERVICE",
    s(5, 7): "NT AUTHORITY\\ANONYMOUS LOGON",
    s(5, 8): "NT AUTHORITY\\PROXY",
    s(5, 9): "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS",
    s(5, 10): "NT AUTHORITY\\SELF",
    s(5, 11): "NT AUTHORITY\\Authenticated Users",
    s(5, 12): "NT AUTHORITY\\RESTRICTED",
    s(5, 13): "NT AUTHORITY\\TERMINAL SERVER USER",
    s(5, 14): "NT AUTHORITY\\REMOTE INTERACTIVE LOGON",
    s(5, 15): "NT AUTHORITY\\This Organization",
    s(5, 17): "NT AUTHORITY\\IUSR",
    s(5, 18): "NT AUTHORITY\\SYSTEM",
    s(5, 19): "NT AUTHORITY\\LOCAL SERVICE",
    s(5, 20): "NT AUTHORITY\\NETWORK SERVICE",
    s(5, 33): "NT AUTHORITY\\WRITE RESTRICTED",
    s(5, 1000): "NT AUTHORITY\\Other Organization",
    s(5, 64, 10): "NT AUTHORITY\\NTLM Authentication",
    s(5, 64, 14): "NT AUTHORITY\\SChannel Authentication",
    s(5, 64, 21): "NT AUTHORITY\\Digest Authentication",
    s(5, 32, 544): "BUILTIN\\Administrators",
    s(5, 32, 545): "BUILTIN\\Users",
    s(5, 32, 546): "BUILTIN\\Guests",
    s(5, 32, 547): "BUILTIN\\Power Users",
    s(5, 32, 548): "BUILTIN\\Account Operators",
    s(5, 32, 549): "BUILTIN\\Server Operators",
    s(5, 32, 550): "BUILTIN\\Print Operators",
    s(5, 32, 551): "BUILTIN\\Backup Operators",
    s(5, 32, 552): "BUILTIN\\Replicator",
    s(5, 32, 554): "BUILTIN\\Pre-Windows 2000 Compatible Access",
    s(5, 32, 555): "BUILTIN\\Remote Desktop Users",
    s(5, 32, 556): "BUILTIN\\Network Configuration Operators",
    s(5, 32, 557): "BUILTIN\\Incoming Forest Trust Builders",
    s(5, 32, 558): "BUILTIN\\Performance Monitor Users",
    s(5, 32, 559): "BUILTIN\\Performance Log Users",
    s(5, 32, 560): "BUILTIN\\Windows Authorization Access Group",
    s(5, 32, 561): "BUILTIN\\Terminal Server License Servers",
    s(5, 32, 562): "BUILTIN\\Distributed COM Users",
    s(5, 32, 568): "BUILTIN\\IIS_IUSRS",
    s(5, 32, 569): "BUILTIN\\Cryptographic Operators",
    s(5, 32, 573): "BUILTIN\\Event Log Readers",
    s(5, 32, 574): "BUILTIN\\Certificate Service DCOM Access",
    s(5, 32, 575): "BUILTIN\\RDS Remote Access Servers",
    s(5, 32, 576): "BUILTIN\\RDS Endpoint Servers",
    s(5, 32, 577): "BUILTIN\\RDS Management Servers",
    s(5, 32, 578): "BUILTIN\\Hyper-V Administrators",
    s(5, 32, 579): "BUILTIN\\Access Control Assistance Operators",
    s(5, 32, 580): "BUILTIN\\Remote Management Users",
    s(5, 84, 0, 0, 0, 0, 0): "NT AUTHORITY\\USER MODE DRIVERS",
    s(15, 2, 1): "APPLICATION PACKAGE AUTHORITY\\ALL APPLICATION PACKAGES",
    s(15, 2, 2): "APPLICATION PACKAGE AUTHORITY\\ALL RESTRICTED APPLICATION PACKAGES",
    s(16, 0): "Mandatory Label\\Untrusted Mandatory Level",
    s(16, 4096): "Mandatory Label\\Low Mandatory Level",
    s(16, 8192): "Mandatory Label\\Medium Mandatory Level",
    s(16, 8448): "Mandatory Label\\Medium Plus Mandatory Level",
    s(16, 12288): "Mandatory Label\\High Mandatory Level",
    s(16, 16384): "Mandatory Label\\System Mandatory Level",
    s(16, 20480): "Mandatory Label\\Protected Process Mandatory Level",
    s(18, 1): "Authentication authority asserted identity",
    s(18, 2): "Service asserted identity",
  ]

  private static let domainRIDNames: [UInt32: String] = [
    498: "Enterprise Read-only Domain Controllers", 500: "Administrator", 501: "Guest",
    502: "krbtgt", 512: "Domain Admins", 513: "Domain Users", 514: "Domain Guests",
    515: "Domain Computers", 516: "Domain Controllers", 517: "Cert Publishers",
    518: "Schema Admins", 519: "Enterprise Admins", 520: "Group Policy Creator Owners",
    521: "Read-only Domain Controllers", 522: "Cloneable Domain Controllers",
    525: "Protected Users", 526: "Key Admins", 527: "Enterprise Key Admins",
    553: "RAS and IAS Servers", 571: "Allowed RODC Password Replication Group",
    572: "Denied RODC Password Replication Group",
  ]
}
