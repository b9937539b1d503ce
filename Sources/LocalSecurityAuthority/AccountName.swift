import NTSecurity

/// One answer of LookupAccountName or LookupAccountSid: the SID, the account's name, the domain
/// it was found in and its SID_NAME_USE.
///
/// Domainless well-known SIDs (`Everyone`, `LOCAL`, `CREATOR OWNER`, …) have an empty ``domain``;
/// a domain itself (`BUILTIN`, the machine) has its own name as both ``name`` and ``domain``.
public struct AccountName: Hashable, Sendable, CustomStringConvertible {
  /// The account's SID.
  public var sid: SID
  /// The account name, without its domain.
  public var name: String
  /// The domain the account was found in (`NT AUTHORITY`, `BUILTIN`, the machine's NetBIOS name,
  /// `Unix User`, …), or empty.
  public var domain: String
  /// What kind of account this is.
  public var use: SIDNameUse

  public init(sid: SID, name: String, domain: String, use: SIDNameUse) {
    self.sid = sid
    self.name = name
    self.domain = domain
    self.use = use
  }

  /// `DOMAIN\name`, or `name` alone when the domain is empty or the SID names the domain itself.
  public var qualifiedName: String {
    domain.isEmpty || use == .domain ? name : domain + "\\" + name
  }

  public var description: String { "\(sid)\t\(use)\t\(qualifiedName)" }
}
