import NTSecurity
import SSPI

/// The client a Negotiate exchange authenticated, as IIS's Windows Authentication hands it to the
/// application (`LOGON_USER`, the impersonation token): its names and its access token.
public struct NegotiateIdentity: Sendable, Hashable {
  /// SECPKG_ATTR_NAMES: `DOMAIN\user` when a PAC or the DC named the domain, else `user@REALM`
  /// (Kerberos without a PAC) or the NTLM name.
  public let name: String
  /// The package's own name for the client (the Kerberos principal `user@REALM`, or the NTLM
  /// `DOMAIN\user`).
  public let principal: String
  /// The service principal the client authenticated to (empty for NTLM).
  public let servicePrincipal: String
  /// The package that authenticated the client: Kerberos or NTLM.
  public let package: SSPI.Package
  /// The client's network logon token: the PAC's groups (Kerberos), the DC's logon SIDs (NTLM
  /// through a DC), or the local-account rule (see `SSPI.TokenRule`).
  public let token: AccessToken
  /// Which rule built ``token``.
  public let tokenRule: SSPI.TokenRule?
  /// Whether the client delegated its credentials (a forwarded TGT).
  public let isDelegated: Bool

  public init(
    name: String, principal: String, servicePrincipal: String, package: SSPI.Package, token: AccessToken,
    tokenRule: SSPI.TokenRule?, isDelegated: Bool
  ) {
    self.name = name
    self.principal = principal
    self.servicePrincipal = servicePrincipal
    self.package = package
    self.token = token
    self.tokenRule = tokenRule
    self.isDelegated = isDelegated
  }

  /// The user's SID.
  public var sid: SID { token.user.sid }
  /// The token's group SIDs that are enabled (what an allow ACE can match), in token order.
  public var groups: [SID] { token.groups.filter(\.isEnabled).map(\.sid) }
  /// The user's claims (conditional ACEs of route guards read them).
  public var claims: [ClaimSecurityAttribute] { token.userClaims }

  /// The user name without its domain or realm.
  public var userName: String {
    if let slash = name.lastIndex(of: "\\") { return String(name[name.index(after: slash)...]) }
    if let at = name.lastIndex(of: "@") { return String(name[..<at]) }
    return name
  }

  /// The domain (`DOMAIN\user`) or realm (`user@REALM`) part of ``name``, if any.
  public var domain: String? {
    if let slash = name.lastIndex(of: "\\") { return String(name[..<slash]) }
    if let at = name.lastIndex(of: "@") { return String(name[name.index(after: at)...]) }
    return nil
  }

  /// Whether the token has `sid` as an enabled SID (CheckTokenMembership).
  public func isMember(of sid: SID) -> Bool { token.isMember(sid) }
}
