extension GSSAPI {
  /// The mechanisms (python-gssapi's `MechType`). Which are usable here is what
  /// ``GSSAPI/indicateMechanisms()`` says; NTLM needs gss-ntlmssp.
  public enum MechanismType {
    /// Kerberos V5 (RFC 4121), 1.2.840.113554.1.2.2.
    public static let kerberos = OID.known("1.2.840.113554.1.2.2")
    /// The pre-RFC Kerberos OID, 1.3.5.1.5.2.
    public static let kerberosOld = OID.known("1.3.5.1.5.2")
    /// The Kerberos OID Windows 2000 sent by mistake, 1.2.840.48018.1.2.2.
    public static let kerberosWrong = OID.known("1.2.840.48018.1.2.2")
    /// IAKERB, 1.3.6.1.5.2.5.
    public static let iakerb = OID.known("1.3.6.1.5.2.5")
    /// SPNEGO (RFC 4178), 1.3.6.1.5.5.2.
    public static let spnego = OID.known("1.3.6.1.5.5.2")
    /// NTLMSSP (gss-ntlmssp), 1.3.6.1.4.1.311.2.2.10.
    public static let ntlmssp = OID.known("1.3.6.1.4.1.311.2.2.10")
    /// NegoEx, 1.3.6.1.4.1.311.2.2.30.
    public static let negoex = OID.known("1.3.6.1.4.1.311.2.2.30")
  }

  /// Name types (GSS_C_NT_*; python-gssapi's `NameType`).
  public enum NameType {
    /// GSS_C_NT_HOSTBASED_SERVICE, "service@host".
    public static let hostbasedService = OID.known("1.2.840.113554.1.2.1.4")
    /// GSS_C_NT_USER_NAME, a local user name.
    public static let user = OID.known("1.2.840.113554.1.2.1.1")
    /// GSS_C_NT_MACHINE_UID_NAME, a uid in host byte order.
    public static let machineUID = OID.known("1.2.840.113554.1.2.1.2")
    /// GSS_C_NT_STRING_UID_NAME, a uid as decimal text.
    public static let stringUID = OID.known("1.2.840.113554.1.2.1.3")
    /// GSS_C_NT_ANONYMOUS.
    public static let anonymous = OID.known("1.3.6.1.5.6.3")
    /// GSS_C_NT_EXPORT_NAME, the output of `exportName`.
    public static let export = OID.known("1.3.6.1.5.6.4")
    /// GSS_C_NT_COMPOSITE_EXPORT (RFC 6680), the output of `exportNameComposite`.
    public static let compositeExport = OID.known("1.3.6.1.5.6.6")
    /// GSS_KRB5_NT_PRINCIPAL_NAME, "primary/instance@REALM" (also python-gssapi's
    /// `krb5_nt_principal_name`).
    public static let kerberosPrincipal = OID.known("1.2.840.113554.1.2.2.1")
    /// GSS_KRB5_NT_ENTERPRISE_NAME, "user@upn.suffix@REALM".
    public static let kerberosEnterprise = OID.known("1.2.840.113554.1.2.2.6")
  }
}

extension GSSAPI.OID {
  /// GSS_C_INQ_SSPI_SESSION_KEY: the session key, then its enctype OID, from
  /// `inquireSecurityContext(_:byOID:)` (what SMB signing uses).
  public static let krb5InquireSSPISessionKey = GSSAPI.OID.known("1.2.840.113554.1.2.2.5.5")
  /// GSS_KRB5_CRED_NO_CI_FLAGS_X: don't send the channel-binding and integrity flags (Windows interop).
  public static let krb5CredNoCIFlags = GSSAPI.OID.known("1.2.752.43.13.29")
  /// GSS_KRB5_GET_CRED_IMPERSONATOR: the impersonator of an S4U2Self credential.
  public static let krb5GetCredImpersonator = GSSAPI.OID.known("1.2.840.113554.1.2.2.5.14")
  /// GSS_C_SEC_CONTEXT_SASL_SSF: the context's SASL security strength factor.
  public static let secContextSASLSSF = GSSAPI.OID.known("1.2.840.113554.1.2.2.5.15")
  /// gss-ntlmssp's "reset crypto" context option (set_sec_context_option).
  public static let ntlmsspResetCrypto = GSSAPI.OID.known("1.3.6.1.4.1.7165.655.1.3")

  static let knownNames: [GSSAPI.OID: String] = [
    GSSAPI.MechanismType.kerberos: "krb5", GSSAPI.MechanismType.kerberosOld: "krb5-old",
    GSSAPI.MechanismType.kerberosWrong: "krb5-wrong", GSSAPI.MechanismType.iakerb: "iakerb",
    GSSAPI.MechanismType.spnego: "spnego", GSSAPI.MechanismType.ntlmssp: "ntlm",
    GSSAPI.MechanismType.negoex: "negoex",
    GSSAPI.NameType.hostbasedService: "hostbased_service", GSSAPI.NameType.user: "user",
    GSSAPI.NameType.machineUID: "machine_uid", GSSAPI.NameType.stringUID: "string_uid",
    GSSAPI.NameType.anonymous: "anonymous", GSSAPI.NameType.export: "export",
    GSSAPI.NameType.compositeExport: "composite_export",
    GSSAPI.NameType.kerberosPrincipal: "kerberos_principal",
    GSSAPI.NameType.kerberosEnterprise: "kerberos_enterprise",
  ]
}
