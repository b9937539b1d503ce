import Foundation
import GSSAPI
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

extension SSPI {
  /// Where the access token of ``SecurityContext/querySecurityContextToken()`` came from.
  public enum TokenRule: Sendable, Hashable, CustomStringConvertible {
    /// The Kerberos ticket's PAC (`urn:mspac:logon-info` via RFC 6680 name attributes), built
    /// into a network logon token the way Windows builds it (MS-PAC; `AccessToken(networkLogonFrom:)`).
    case pac
    /// No PAC: the principal was mapped to this local account (the Kerberos default
    /// `auth_to_local` rule: `name@DEFAULT.REALM` → `name`; an NTLM user `DOMAIN\name` → `name`)
    /// and the token holds Samba's Unix SIDs for it: user S-1-22-1-uid, groups S-1-22-2-gid for
    /// the primary and supplementary groups, plus Everyone, BUILTIN\Users, NETWORK, Authenticated
    /// Users, This Organization, NTLM Authentication for NTLM, and Medium integrity.
    case localAccount(String)

    public var description: String {
      switch self {
      case .pac: "PAC (urn:mspac:logon-info)"
      case .localAccount(let name): "local account \(name) (no PAC; Unix SIDs S-1-22-1-uid / S-1-22-2-gid)"
      }
    }
  }
}

extension SSPI.SecurityContext {
  /// QuerySecurityContextToken: the client's access token (server side, once established), an
  /// impersonation token as Windows returns (identification level when the client asked for
  /// ISC_REQ_IDENTIFY). See ``SSPI/TokenRule`` for how it is built; ``tokenRule`` says which rule
  /// was used. A client with neither a PAC nor a local account is SEC_E_LOGON_DENIED.
  public func querySecurityContextToken() throws(SSPIError) -> AccessToken {
    try token().0
  }

  /// Which rule built the token of ``querySecurityContextToken()``.
  public var tokenRule: SSPI.TokenRule? { try? token().1 }

  func token() throws(SSPIError) -> (AccessToken, SSPI.TokenRule) {
    try checkLive("QuerySecurityContextToken")
    if let cachedToken { return cachedToken }
    guard !isClient else {
      throw SSPIError(.unsupportedFunction, "QuerySecurityContextToken is for server contexts")
    }
    guard isEstablished, let clientName else {
      throw SSPIError(.invalidHandle, "QuerySecurityContextToken: the context is not established yet")
    }
    let package: NetworkLogonOptions.Package = messagePackage == .ntlm ? .ntlm : .kerberos
    var token: AccessToken
    let rule: SSPI.TokenRule
    if let pac = try pac(of: clientName) {
      do { token = try AccessToken(networkLogonFrom: pac, options: NetworkLogonOptions(package: package)) } catch {
        throw SSPIError(.logonDenied, "QuerySecurityContextToken: the client's PAC cannot make a token: \(error)")
      }
      rule = .pac
    } else {
      let account = try localAccount(for: clientName)
      token = try SSPI.localAccountToken(account, package: package)
      rule = .localAccount(account.name)
    }
    token.type = .impersonation
    token.impersonationLevel = gssFlags.contains(.identify) ? .identification : .impersonation
    cachedToken = (token, rule)
    return (token, rule)
  }

  /// The client's PAC, when its name carries one (RFC 6680 attribute `urn:mspac:logon-info`;
  /// the whole PAC is the attribute `urn:mspac:`).
  func pac(of name: GSSAPI.Name) throws(SSPIError) -> PAC? {
    guard let attributes = try? GSSAPI.inquireName(name).attributes, attributes.contains("urn:mspac:logon-info")
    else { return nil }
    let bytes: [UInt8]
    do { bytes = try GSSAPI.getNameAttribute(name, "urn:mspac:").values.first ?? [] } catch {
      throw SSPIError(error, during: .query, "QuerySecurityContextToken: reading the PAC")
    }
    do { return try PAC(bytes: bytes) } catch {
      throw SSPIError(.invalidToken, "QuerySecurityContextToken: the client's PAC does not decode: \(error)")
    }
  }

  struct LocalAccount {
    let name: String
    let uid: UInt32
    let gid: UInt32
    let groups: [UInt32]
  }

  /// The local account a PAC-less client maps to (see ``SSPI/TokenRule/localAccount(_:)``).
  func localAccount(for name: GSSAPI.Name) throws(SSPIError) -> LocalAccount {
    let principal = name.description
    var local: String?
    if messagePackage == .ntlm {
      local = String(principal.split(separator: "\\").last ?? Substring(principal))
    } else if let at = principal.lastIndex(of: "@") {
      let realm = String(principal[principal.index(after: at)...])
      let user = String(principal[..<at])
      if realm == SSPI.defaultRealm, !user.contains("/") { local = user }
    }
    guard let local, !local.isEmpty, let pw = getpwnam(local) else {
      throw SSPIError(
        .logonDenied,
        "QuerySecurityContextToken: \(principal) has no PAC and maps to no local account (rule: name@default-realm → name)")
    }
    let uid = pw.pointee.pw_uid
    let gid = pw.pointee.pw_gid
    var count: Int32 = 64
    var groups = [gid_t](repeating: 0, count: Int(count))
    if getgrouplist(local, gid, &groups, &count) < 0 {
      groups = [gid_t](repeating: 0, count: Int(count))
      _ = getgrouplist(local, gid, &groups, &count)
    }
    return LocalAccount(name: local, uid: uid, gid: gid, groups: Array(groups.prefix(Int(max(count, 0)))))
  }
}

extension SSPI {
  /// The Kerberos default realm (krb5.conf's `default_realm`), found by displaying a bare name.
  static var defaultRealm: String? {
    guard let name = try? GSSAPI.importName("x", type: GSSAPI.NameType.kerberosPrincipal),
      let canonical = try? GSSAPI.canonicalizeName(name, mechanism: GSSAPI.MechanismType.kerberos)
    else { return nil }
    let text = canonical.description
    guard let at = text.lastIndex(of: "@") else { return nil }
    return String(text[text.index(after: at)...])
  }

  /// A network logon token for a local account under the rule of ``TokenRule/localAccount(_:)``.
  static func localAccountToken(_ account: SecurityContext.LocalAccount, package: NetworkLogonOptions.Package)
    throws(SSPIError) -> AccessToken
  {
    do {
      let user = try SID(authority: 22, [1, account.uid])
      let primary = try SID(authority: 22, [2, account.gid])
      let on: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]
      var groups = [SIDAndAttributes(.everyone, on), SIDAndAttributes(.builtinUsers, on)]
      groups.append(SIDAndAttributes(try SID(authority: 5, [2]), on))  // NETWORK
      groups.append(SIDAndAttributes(.authenticatedUsers, on))
      groups.append(SIDAndAttributes(try SID(authority: 5, [15]), on))  // This Organization
      var seen = Set<UInt32>()
      for gid in [account.gid] + account.groups where seen.insert(gid).inserted {
        groups.append(SIDAndAttributes(try SID(authority: 22, [2, gid]), on))
      }
      if package == .ntlm { groups.append(SIDAndAttributes(try SID(authority: 5, [64, 10]), on)) }
      var token = AccessToken(user: user, groups: groups, primaryGroup: primary)
      token.source = TokenSource(name: package.tokenSourceName)
      return token
    } catch {
      throw SSPIError(.internalError, "building the token for \(account.name): \(error)")
    }
  }
}
