internal import CGSSAPI

extension GSSAPI {
  /// gss_inquire_sec_context_by_oid (GGF): mechanism-specific data about a context, e.g.
  /// `OID.krb5InquireSSPISessionKey` gives the session key and then its enctype OID.
  public static func inquireSecurityContext(_ context: SecurityContext, byOID aspect: OID) throws(GSSError)
    -> [[UInt8]]
  {
    let handle = try context.live("gss_inquire_sec_context_by_oid")
    var minor: OM_uint32 = 0
    var set: gss_buffer_set_t?
    let major = withOID(aspect) { gss_inquire_sec_context_by_oid(&minor, handle, $0, &set) }
    let values = takeBufferSet(&set)
    try check(major, minor, "gss_inquire_sec_context_by_oid(\(aspect))")
    return values
  }

  /// gss_set_sec_context_option (GGF): sets a mechanism-specific option on a context (e.g.
  /// `OID.ntlmsspResetCrypto` for gss-ntlmssp).
  public static func setSecurityContextOption(_ aspect: OID, context: SecurityContext, value: [UInt8]? = nil)
    throws(GSSError)
  {
    var minor: OM_uint32 = 0
    let major = withOID(aspect) { oid in
      context.updating { handle in
        withBuffer(value ?? []) { gss_set_sec_context_option(&minor, &handle, oid, $0) }
      }
    }
    try check(major, minor, "gss_set_sec_context_option(\(aspect))")
  }
}
