import GSSAPI

extension SSPI {
  /// Inbound credentials from a given keytab (nil: the process's default one), as
  /// mod_auth_gssapi's GssapiCredStore configures them, for this package's HTTP integrations.
  /// `package` is Kerberos or Negotiate; Negotiate accepts NTLM too when `allowsNTLM` and
  /// gss-ntlmssp is installed, else SPNEGO with Kerberos only. `principal` limits the keys to one
  /// service principal.
  package static func acquireInboundCredentials(
    package packageName: String, keytab: String?, principal: String? = nil, allowsNTLM: Bool = true
  ) throws(SSPIError) -> CredentialsHandle {
    let package = try package(named: packageName)
    guard package != .ntlm else {
      throw SSPIError(.unsupportedFunction, "NTLM has no keytab: acquire its inbound credentials without one")
    }
    let store = keytab.map { ["keytab": $0] }
    do throws(GSSError) {
      let name = try principal.map { text throws(GSSError) in try importPrincipal(text) }
      // The keytab must hold a usable key: acquire Kerberos from it first, so a wrong path fails here.
      let kerberos = try GSSAPI.acquireCredentials(
        from: store, name: name, mechanisms: [Package.kerberos.mechanism], usage: .accept)
      if package == .kerberos {
        return CredentialsHandle(
          package: .kerberos, use: .inbound, principal: principal, expiry: .never, gss: kerberos.credentials)
      }
      let spnego = try GSSAPI.acquireCredentials(
        from: store, name: name, mechanisms: [GSSAPI.MechanismType.spnego], usage: .accept)
      var usable: [Package] = [.kerberos]
      if allowsNTLM && isAvailable(.ntlm) { usable.append(.ntlm) }
      do {
        try GSSAPI.setNegotiationMechanisms(usable.map(\.mechanism), for: spnego.credentials)
      } catch {
        usable = [.kerberos]
        try GSSAPI.setNegotiationMechanisms(usable.map(\.mechanism), for: spnego.credentials)
      }
      return CredentialsHandle(
        package: .negotiate, use: .inbound, principal: principal, expiry: .never, gss: spnego.credentials,
        negotiablePackages: usable)
    } catch {
      throw acquireError(error, package: package, principal: principal ?? keytab ?? "the default keytab")
    }
  }
}
