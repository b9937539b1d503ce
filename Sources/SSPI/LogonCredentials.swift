import GSSAPI

extension SSPI {
  /// Kerberos outbound credentials for `principal` (`user@REALM`) from its password: the AS
  /// exchange happens now (gss_acquire_cred_with_password), the TGT stays in memory. The
  /// password is taken as bytes so that the caller can wipe them; a wrong password or an unknown
  /// principal is SEC_E_UNKNOWN_CREDENTIALS (or SEC_E_LOGON_DENIED, as the KDC answers), an
  /// unreachable KDC SEC_E_NO_AUTHENTICATING_AUTHORITY. LogonUser's Kerberos logon uses it.
  public static func acquireKerberosCredentials(principal: String, password: [UInt8]) throws(SSPIError)
    -> CredentialsHandle
  {
    do {
      let name = try GSSAPI.importName(principal, type: GSSAPI.NameType.kerberosPrincipal)
      let r = try GSSAPI.acquireCredentials(
        name: name, password: password, mechanisms: [Package.kerberos.mechanism], usage: .initiate)
      return CredentialsHandle(
        package: .kerberos, use: .outbound, principal: principal,
        expiry: TimeStamp(secondsFromNow: r.lifetime),
        gss: r.credentials)
    } catch {
      throw acquireError(error, package: .kerberos, principal: principal)
    }
  }

  /// Kerberos inbound credentials from the keytab `keytab` (gss_acquire_cred_from with the
  /// `keytab` store key; nil: the default keytab, `KRB5_KTNAME` or `/etc/krb5.keytab`), for
  /// `principal` or, when nil, for any key in it. A keytab the caller may not read is
  /// SEC_E_NOT_OWNER; no key SEC_E_NO_CREDENTIALS.
  public static func acquireKerberosCredentials(keytab: String?, principal: String?) throws(SSPIError)
    -> CredentialsHandle
  {
    do {
      let name = try principal.map { text throws(GSSError) in try importPrincipal(text) }
      let r = try GSSAPI.acquireCredentials(
        from: keytab.map { ["keytab": $0] }, name: name, mechanisms: [Package.kerberos.mechanism],
        usage: .accept)
      return CredentialsHandle(
        package: .kerberos, use: .inbound, principal: principal,
        expiry: TimeStamp(secondsFromNow: r.lifetime),
        gss: r.credentials)
    } catch {
      throw acquireError(error, package: .kerberos, principal: principal)
    }
  }
}
