internal import CGSSAPI
import Foundation
import GSSAPI
import NTSecurity
import SSPI

extension LocalSecurityAuthority {
  /// A domain name as LogonUser is given it: `user@REALM`, or `DOMAIN\user` for a domain that is
  /// not this machine's, and a name NSS does not know as written (a name winbind or sssd resolve
  /// goes through PAM as before). Nil for a local name.
  static func kerberosPrincipal(_ name: String, database: AccountDatabase, configuration: Configuration)
    -> String?
  {
    guard HostSystem.user(named: name) == nil else { return nil }
    if let at = name.lastIndex(of: "@") {
      let user = name[..<at]
      let realm = name[name.index(after: at)...]
      guard !user.isEmpty, !realm.isEmpty, !user.contains("\\") else { return nil }
      return "\(user)@\(realm.uppercased())"
    }
    guard unixName(name, database: database) == name, let slash = name.firstIndex(of: "\\") else {
      return nil
    }
    let domain = String(name[..<slash])
    let user = name[name.index(after: slash)...]
    guard !domain.isEmpty, !user.isEmpty else { return nil }
    return "\(user)@\(realm(ofDomain: domain, configuration: configuration))"
  }

  /// The Kerberos realm of a domain name: a DNS name upper-cased; a NetBIOS name is smb.conf's
  /// `realm` when its `workgroup` is that name, else the default realm when that realm's first
  /// label is the name (`NTSEC` → `NTSEC.EXAMPLE`), else the name upper-cased.
  static func realm(ofDomain domain: String, configuration: Configuration) -> String {
    if domain.contains(".") { return domain.uppercased() }
    if let samba = configuration.sambaConfigurationPath.flatMap({ SambaConfiguration(path: $0) }),
      let realm = samba.realm, samba.workgroup?.caseInsensitiveCompare(domain) == .orderedSame
    {
      return realm
    }
    var context: krb5_context?
    guard krb5_init_context(&context) == 0, let context else { return domain.uppercased() }
    defer { krb5_free_context(context) }
    var realm: UnsafeMutablePointer<CChar>?
    guard krb5_get_default_realm(context, &realm) == 0, let realm else { return domain.uppercased() }
    defer { krb5_free_default_realm(context, realm) }
    let text = String(cString: realm)
    let first = text.split(separator: ".").first.map(String.init) ?? text
    return first.caseInsensitiveCompare(domain) == .orderedSame ? text : domain.uppercased()
  }

  /// The first principal of `keytab` (nil: the default keytab): the host's own service.
  static func keytabPrincipal(_ keytab: String?) throws(NTSecurityError) -> String {
    var context: krb5_context?
    guard krb5_init_context(&context) == 0, let context else {
      throw NTSecurityError(.noSuchDomain, "Kerberos logon: krb5_init_context failed")
    }
    defer { krb5_free_context(context) }
    var table: krb5_keytab?
    let resolved = keytab.map { krb5_kt_resolve(context, $0, &table) } ?? krb5_kt_default(context, &table)
    guard resolved == 0, let table else {
      throw NTSecurityError(.noSuchDomain, "Kerberos logon: no keytab \(keytab ?? "(default)")")
    }
    defer { krb5_kt_close(context, table) }
    var cursor: krb5_kt_cursor?
    guard krb5_kt_start_seq_get(context, table, &cursor) == 0 else {
      throw NTSecurityError(
        .noSuchDomain, "Kerberos logon: the keytab \(keytab ?? "(default)") cannot be read")
    }
    defer { krb5_kt_end_seq_get(context, table, &cursor) }
    var entry = krb5_keytab_entry()
    guard krb5_kt_next_entry(context, table, &entry, &cursor) == 0 else {
      throw NTSecurityError(.noSuchDomain, "Kerberos logon: the keytab \(keytab ?? "(default)") is empty")
    }
    defer { krb5_free_keytab_entry_contents(context, &entry) }
    var text: UnsafeMutablePointer<CChar>?
    guard krb5_unparse_name(context, entry.principal, &text) == 0, let text else {
      throw NTSecurityError(.invalidParameter, "Kerberos logon: a keytab principal does not print")
    }
    defer { krb5_free_unparsed_name(context, text) }
    return String(cString: text)
  }

  /// The Kerberos logon of a domain user: the AS exchange with the password, a service ticket to
  /// this host's own principal (``Configuration/logonServicePrincipal``, else the keytab's first
  /// principal), accepted with the keytab (``Configuration/logonKeytab``), and the token SSPI's
  /// QuerySecurityContextToken builds from the ticket's PAC, given the logon type's groups and a
  /// logon session. The KDC's refusal of the password is `ERROR_LOGON_FAILURE`.
  static func kerberosLogon(
    principal: String, password: [UInt8], type: LogonType, configuration: Configuration
  ) throws(NTSecurityError) -> AccessToken {
    // The host's principal first: no keytab fails the same whether the password is right or not.
    let service: String
    if let configured = configuration.logonServicePrincipal {
      service = configured
    } else {
      service = try keytabPrincipal(configuration.logonKeytab)
    }
    let server: SSPI.CredentialsHandle
    do {
      server = try SSPI.acquireKerberosCredentials(keytab: configuration.logonKeytab, principal: service)
    } catch {
      throw NTSecurityError(
        .noSuchDomain, "this host has no key for \(service) to verify a domain logon: \(error)")
    }
    defer { server.free() }
    let client: SSPI.CredentialsHandle
    do { client = try SSPI.acquireKerberosCredentials(principal: principal, password: password) } catch {
      switch error.status {
      case .noAuthenticatingAuthority:
        throw NTSecurityError(.noSuchDomain, "no KDC of \(principal)'s realm answers: \(error)")
      default: throw NTSecurityError(.logonFailure, "unknown user name or bad password")
      }
    }
    defer { client.free() }
    var token: AccessToken
    do throws(SSPIError) {
      var step = try SSPI.initializeSecurityContext(credentials: client, target: service, requirements: [])
      defer { step.context.delete() }
      var accepted: SSPI.AcceptResult?
      defer { accepted?.context.delete() }
      for _ in 0..<4 {
        let reply = try SSPI.acceptSecurityContext(
          credentials: server, context: accepted?.context, input: .token(step.token))
        accepted = reply
        if reply.status == .ok { break }
        step = try SSPI.initializeSecurityContext(
          credentials: client, context: step.context, target: service, input: .token(reply.token))
      }
      guard let accepted, accepted.status == .ok else {
        throw SSPIError(.logonDenied, "the Kerberos exchange with \(service) did not finish")
      }
      token = try accepted.context.querySecurityContextToken()
      // Without a PAC the token would be a local account's, and PAM's account checks (locked,
      // expired, hours, nologin) would be skipped: such a user logs on by its local name.
      if case .localAccount = accepted.context.tokenRule {
        throw SSPIError(
          .logonDenied, "the ticket carries no PAC; a local account logs on by its local name, through PAM")
      }
    } catch {
      throw NTSecurityError(
        .logonFailure, "Kerberos logon of \(principal) at \(service) failed: \(error)")
    }
    try shapeDomainLogon(&token, type: type, configuration: configuration)
    return token
  }

  /// The network token of a domain logon as LogonUser returns it: the logon type's groups in
  /// place of NETWORK (and `LOCAL` for the logon types that have it), a new logon session, a
  /// primary token except for a network logon.
  static func shapeDomainLogon(_ token: inout AccessToken, type: LogonType, configuration: Configuration)
    throws(NTSecurityError)
  {
    if type != .network && type != .networkCleartext {
      token.groups.removeAll { $0.sid == WellKnownAccounts.sid(5, 2) }
      if type != .newCredentials {
        let at = token.groups.firstIndex { $0.sid == .authenticatedUsers } ?? token.groups.count
        token.groups.insert(
          SIDAndAttributes(WellKnownAccounts.sid(2, 0), [.mandatory, .enabledByDefault, .enabled]), at: at)
      }
      token.type = .primary
      addLogonTypeGroups(&token, type: type)
    }
    // The policy's logon rights bind domain users as local ones (a deny right held by a domain
    // group refuses the type; an unreadable store refuses every logon).
    try applyAccountRights(&token, type: type, configuration: configuration)
    try setLogonSession(&token, configuration: configuration)
  }

  /// LOGON32_LOGON_NEW_CREDENTIALS with a domain user's credentials: the caller's token in a new
  /// logon session, whose outbound Kerberos credentials are the user's TGT (AS exchange now),
  /// kept in the in-memory cache `MEMORY:ntsec-logon-HIGH-LOW` of this process.
  static func newCredentialsDomainLogon(
    principal: String, password: [UInt8], database: AccountDatabase, configuration: Configuration
  ) throws(NTSecurityError) -> AccessToken {
    let credentials: GSSAPI.Credentials
    do {
      let name = try GSSAPI.importName(principal, type: GSSAPI.NameType.kerberosPrincipal)
      credentials = try GSSAPI.acquireCredentials(
        name: name, password: password, mechanisms: [GSSAPI.MechanismType.kerberos], usage: .initiate
      ).credentials
    } catch {
      if error.minor == UInt32(bitPattern: Int32(KRB5_KDC_UNREACH)) {
        throw NTSecurityError(.noSuchDomain, "no KDC of \(principal)'s realm answers")
      }
      throw NTSecurityError(.logonFailure, "unknown user name or bad password")
    }
    var token = try newCredentialsToken(database, configuration: configuration)
    let luid = token.statistics.authenticationID
    let cache =
      "MEMORY:ntsec-logon-\(String(UInt32(bitPattern: luid.highPart), radix: 16))-\(String(luid.lowPart, radix: 16))"
    do {
      _ = try GSSAPI.storeCredentials(
        credentials, into: ["ccache": cache], usage: .initiate, mechanism: GSSAPI.MechanismType.kerberos,
        overwrite: true)
    } catch {
      throw NTSecurityError(.invalidParameter, "the credentials of \(principal) cannot be kept: \(error)")
    }
    SSPI.setLogonSessionCredentials(cache, for: luid)
    return token
  }
}
