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
    /// NTLM through a domain controller (gss-ntlmssp's winbind path): the SIDs the DC returned
    /// for the logon (gss-ntlmssp's name attribute `urn:gssntlmssp:sids`: the user, the primary
    /// group, then the groups), built into a network logon token with Windows' well-known groups
    /// (Everyone, BUILTIN\Users, NETWORK, Authenticated Users, This Organization, NTLM
    /// Authentication, Medium integrity).
    case ntlmLogonSIDs

    public var description: String {
      switch self {
      case .pac: "PAC (urn:mspac:logon-info)"
      case .localAccount(let name): "local account \(name) (no PAC; Unix SIDs S-1-22-1-uid / S-1-22-2-gid)"
      case .ntlmLogonSIDs: "the domain controller's NTLM logon SIDs (urn:gssntlmssp:sids)"
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
      do {
        token = try AccessToken(networkLogonFrom: pac, options: NetworkLogonOptions(package: package))
      } catch {
        throw SSPIError(
          .logonDenied, "QuerySecurityContextToken: the client's PAC cannot make a token: \(error)")
      }
      rule = .pac
    } else if let sids = ntlmLogonSIDs(of: clientName), sids.count >= 2 {
      token = try SSPI.networkToken(
        user: sids[0], primaryGroup: sids[1], groups: Array(sids.dropFirst()), package: package)
      rule = .ntlmLogonSIDs
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
    guard let attributes = try? GSSAPI.inquireName(name).attributes,
      attributes.contains("urn:mspac:logon-info")
    else { return nil }
    let attribute: GSSAPI.GetNameAttributeResult
    do { attribute = try GSSAPI.getNameAttribute(name, "urn:mspac:") } catch {
      throw SSPIError(error, during: .query, "QuerySecurityContextToken: reading the PAC")
    }
    // MIT keeps a PAC whose server checksum is missing or wrong (a PAC passed on by a KDC that did
    // not sign it), only unmarked: its groups are the client's word, so no token is made from it.
    guard attribute.authenticated else {
      throw SSPIError(
        .logonDenied,
        "QuerySecurityContextToken: the client's PAC is not signed for this service (not verified)")
    }
    let bytes = attribute.values.first ?? []
    do { return try PAC(bytes: bytes) } catch {
      throw SSPIError(.invalidToken, "QuerySecurityContextToken: the client's PAC does not decode: \(error)")
    }
  }

  /// The SIDs gss-ntlmssp got from winbind for an NTLM logon. gss-ntlmssp 1.2.0 lists the
  /// attribute as `urn:gssntlmssp:sids=S-…,S-…` (value inside the name), so both that form and a
  /// plain `urn:gssntlmssp:sids` attribute are read.
  func ntlmLogonSIDs(of name: GSSAPI.Name) -> [SID]? {
    guard messagePackage == .ntlm, let attributes = try? GSSAPI.inquireName(name).attributes else {
      return nil
    }
    for attribute in attributes where attribute.hasPrefix("urn:gssntlmssp:sids") {
      var list = ""
      if let eq = attribute.firstIndex(of: "=") {
        list = String(attribute[attribute.index(after: eq)...])
      } else if let value = try? GSSAPI.getNameAttribute(name, attribute).values.first {
        list = String(decoding: value, as: UTF8.self)
      }
      let sids = list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\0" }).compactMap {
        SID(String($0))
      }
      if !sids.isEmpty { return sids }
    }
    return nil
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
      let attributes = (try? GSSAPI.inquireName(name).attributes) ?? []
      throw SSPIError(
        .logonDenied,
        "QuerySecurityContextToken: \(principal) has no PAC and maps to no local account (rule: name@default-realm → name; "
          + "name attributes: \(attributes.isEmpty ? "none" : attributes.joined(separator: " ")))")
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
      var groups: [SID] = []
      for gid in [account.gid] + account.groups { groups.append(try SID(authority: 22, [2, gid])) }
      return try networkToken(user: user, primaryGroup: primary, groups: groups, package: package)
    } catch let error as SSPIError {
      throw error
    } catch {
      throw SSPIError(.internalError, "building the token for \(account.name): \(error)")
    }
  }

  /// A network logon token as Windows builds one: Everyone, BUILTIN\Users, NETWORK,
  /// Authenticated Users, This Organization, then `groups` (each once, mandatory and enabled),
  /// the package SID for NTLM, Medium integrity.
  static func networkToken(
    user: SID, primaryGroup: SID, groups extra: [SID], package: NetworkLogonOptions.Package
  )
    throws(SSPIError) -> AccessToken
  {
    do {
      let on: GroupAttributes = [.mandatory, .enabledByDefault, .enabled]
      var sids: [SID] = [
        .everyone, .builtinUsers, try SID(authority: 5, [2]), .authenticatedUsers,
        try SID(authority: 5, [15]),
      ]
      for sid in extra where !sids.contains(sid) && sid != user { sids.append(sid) }
      if package == .ntlm { sids.append(try SID(authority: 5, [64, 10])) }
      var token = AccessToken(
        user: user, groups: sids.map { SIDAndAttributes($0, on) }, primaryGroup: primaryGroup)
      token.source = TokenSource(name: package.tokenSourceName)
      return token
    } catch {
      throw SSPIError(.internalError, "building a network logon token for \(user): \(error)")
    }
  }
}
