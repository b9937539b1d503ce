internal import CGSSAPI

extension GSSAPI {
  /// Result of the store calls: the mechanisms stored and the usage.
  public struct StoreCredResult: Sendable {
    public let mechanisms: [OID]
    public let usage: CredentialUsage?
  }

  /// gss_acquire_cred_with_password: get initiator credentials for `name` from the KDC (Kerberos)
  /// or keep the password (NTLM).
  public static func acquireCredentials(
    name: Name, password: [UInt8], lifetime: UInt32? = nil, mechanisms: [OID]? = nil,
    usage: CredentialUsage = .initiate
  ) throws(GSSError) -> AcquireCredResult {
    try acquiring("gss_acquire_cred_with_password", mechanism: mechanisms?.first) {
      minor, cred, actual, time in
      withPasswordBuffer(password) { pw in
        withOIDSet(mechanisms) {
          gss_acquire_cred_with_password(
            &minor, name.handle, pw, lifetimeIn(lifetime), $0, usage.rawValue, &cred, &actual, &time)
        }
      }
    }
  }

  /// gss_add_cred_with_password.
  public static func addCredentials(
    to input: Credentials?, name: Name, mechanism: OID, password: [UInt8], usage: CredentialUsage = .initiate,
    initiatorLifetime: UInt32? = nil, acceptorLifetime: UInt32? = nil
  ) throws(GSSError) -> AddCredResult {
    try adding("gss_add_cred_with_password(\(mechanism.name))", mechanism: mechanism) {
      minor, cred, actual, initTime, acceptTime in
      withPasswordBuffer(password) { pw in
        withOID(mechanism) {
          gss_add_cred_with_password(
            &minor, input?.handle, name.handle, $0, pw, usage.rawValue, lifetimeIn(initiatorLifetime),
            lifetimeIn(acceptorLifetime), &cred, &actual, &initTime, &acceptTime)
        }
      }
    }
  }

  /// gss_acquire_cred_impersonate_name (S4U2Self): credentials for `name`, obtained by the service
  /// whose initiator credentials are `impersonator`.
  public static func acquireCredentials(
    impersonating name: Name, with impersonator: Credentials, lifetime: UInt32? = nil,
    mechanisms: [OID]? = nil, usage: CredentialUsage = .initiate
  ) throws(GSSError) -> AcquireCredResult {
    try acquiring("gss_acquire_cred_impersonate_name", mechanism: mechanisms?.first) {
      minor, cred, actual, time in
      withOIDSet(mechanisms) {
        gss_acquire_cred_impersonate_name(
          &minor, impersonator.handle, name.handle, lifetimeIn(lifetime), $0, usage.rawValue, &cred, &actual,
          &time)
      }
    }
  }

  /// gss_add_cred_impersonate_name (S4U2Self).
  public static func addCredentials(
    to input: Credentials?, impersonating name: Name, with impersonator: Credentials, mechanism: OID,
    usage: CredentialUsage = .initiate, initiatorLifetime: UInt32? = nil, acceptorLifetime: UInt32? = nil
  ) throws(GSSError) -> AddCredResult {
    try adding("gss_add_cred_impersonate_name(\(mechanism.name))", mechanism: mechanism) {
      minor, cred, actual, initTime, acceptTime in
      withOID(mechanism) {
        gss_add_cred_impersonate_name(
          &minor, input?.handle, impersonator.handle, name.handle, $0, usage.rawValue,
          lifetimeIn(initiatorLifetime), lifetimeIn(acceptorLifetime), &cred, &actual, &initTime, &acceptTime)
      }
    }
  }

  /// gss_acquire_cred_from: like acquire, from a credential store (keys as MIT krb5 defines them:
  /// "ccache", "client_keytab", "keytab", "rcache", "password", "verify").
  public static func acquireCredentials(
    from store: [String: String]?, name: Name? = nil, lifetime: UInt32? = nil, mechanisms: [OID]? = nil,
    usage: CredentialUsage = .both
  ) throws(GSSError) -> AcquireCredResult {
    try acquiring("gss_acquire_cred_from", mechanism: mechanisms?.first) { minor, cred, actual, time in
      withCredentialStore(store) { s in
        withOIDSet(mechanisms) {
          gss_acquire_cred_from(
            &minor, name?.handle, lifetimeIn(lifetime), $0, usage.rawValue, s, &cred, &actual, &time)
        }
      }
    }
  }

  /// gss_add_cred_from.
  public static func addCredentials(
    from store: [String: String]?, to input: Credentials?, name: Name?, mechanism: OID,
    usage: CredentialUsage = .both, initiatorLifetime: UInt32? = nil, acceptorLifetime: UInt32? = nil
  ) throws(GSSError) -> AddCredResult {
    try adding("gss_add_cred_from(\(mechanism.name))", mechanism: mechanism) {
      minor, cred, actual, initTime, acceptTime in
      withCredentialStore(store) { s in
        withOID(mechanism) {
          gss_add_cred_from(
            &minor, input?.handle, name?.handle, $0, usage.rawValue, lifetimeIn(initiatorLifetime),
            lifetimeIn(acceptorLifetime), s, &cred, &actual, &initTime, &acceptTime)
        }
      }
    }
  }

  /// gss_store_cred (RFC 5588): stores credentials (e.g. delegated ones) in the default store.
  public static func storeCredentials(
    _ credentials: Credentials, usage: CredentialUsage = .both, mechanism: OID? = nil,
    overwrite: Bool = false, setDefault: Bool = false
  ) throws(GSSError) -> StoreCredResult {
    var minor: OM_uint32 = 0
    var stored: gss_OID_set?
    var outUsage: gss_cred_usage_t = 0
    let major = withOptionalOID(mechanism) {
      gss_store_cred(
        &minor, credentials.handle, usage.rawValue, $0, overwrite ? 1 : 0, setDefault ? 1 : 0, &stored,
        &outUsage)
    }
    try check(major, minor, "gss_store_cred", mechanism: mechanism)
    return StoreCredResult(mechanisms: takeOIDList(&stored), usage: CredentialUsage(rawValue: outUsage))
  }

  /// gss_store_cred_into: stores credentials into a credential store, e.g. `["ccache": "FILE:/tmp/x"]`.
  public static func storeCredentials(
    _ credentials: Credentials, into store: [String: String]?, usage: CredentialUsage = .both,
    mechanism: OID? = nil, overwrite: Bool = false, setDefault: Bool = false
  ) throws(GSSError) -> StoreCredResult {
    var minor: OM_uint32 = 0
    var stored: gss_OID_set?
    var outUsage: gss_cred_usage_t = 0
    let major = withCredentialStore(store) { s in
      withOptionalOID(mechanism) {
        gss_store_cred_into(
          &minor, credentials.handle, usage.rawValue, $0, overwrite ? 1 : 0, setDefault ? 1 : 0, s, &stored,
          &outUsage)
      }
    }
    try check(major, minor, "gss_store_cred_into", mechanism: mechanism)
    return StoreCredResult(mechanisms: takeOIDList(&stored), usage: CredentialUsage(rawValue: outUsage))
  }

  /// gss_export_cred: a token other processes can import with ``importCredentials(_:)``.
  public static func exportCredentials(_ credentials: Credentials) throws(GSSError) -> [UInt8] {
    var minor: OM_uint32 = 0
    var buffer = gss_buffer_desc()
    try check(gss_export_cred(&minor, credentials.handle, &buffer), minor, "gss_export_cred")
    return takeBuffer(&buffer)
  }

  /// gss_import_cred.
  public static func importCredentials(_ token: [UInt8]) throws(GSSError) -> Credentials {
    var minor: OM_uint32 = 0
    var cred: gss_cred_id_t?
    let major = withBuffer(token) { gss_import_cred(&minor, $0, &cred) }
    try check(major, minor, "gss_import_cred")
    return Credentials(taking: cred!)
  }

  /// gss_set_neg_mechs (RFC 4178): the mechanisms SPNEGO may negotiate with these credentials.
  public static func setNegotiationMechanisms(_ mechanisms: [OID], for credentials: Credentials)
    throws(GSSError)
  {
    var minor: OM_uint32 = 0
    let major = withOIDSet(mechanisms) { gss_set_neg_mechs(&minor, credentials.handle, $0) }
    try check(major, minor, "gss_set_neg_mechs")
  }

  /// gss_inquire_cred_by_oid (GGF): mechanism-specific data about credentials.
  public static func inquireCredentials(_ credentials: Credentials, byOID aspect: OID) throws(GSSError)
    -> [[UInt8]]
  {
    var minor: OM_uint32 = 0
    var set: gss_buffer_set_t?
    let major = withOID(aspect) { gss_inquire_cred_by_oid(&minor, credentials.handle, $0, &set) }
    try check(major, minor, "gss_inquire_cred_by_oid(\(aspect))")
    return takeBufferSet(&set)
  }

  /// gss_set_cred_option: sets a mechanism-specific option (e.g. `OID.krb5CredNoCIFlags`). With
  /// nil credentials the library may create them; the (possibly new) credentials are returned.
  public static func setCredentialOption(
    _ aspect: OID, credentials: Credentials?, value: [UInt8]? = nil
  ) throws(GSSError) -> Credentials {
    var minor: OM_uint32 = 0
    var handle: gss_cred_id_t? = credentials?.handle
    let major = withOID(aspect) { oid in
      withOptionalBuffer(value) { buf in
        if let buf { return gss_set_cred_option(&minor, &handle, oid, buf) }
        var empty = gss_buffer_desc()
        return gss_set_cred_option(&minor, &handle, oid, &empty)
      }
    }
    try check(major, minor, "gss_set_cred_option(\(aspect))")
    if let credentials {
      credentials.handle = handle!
      return credentials
    }
    return Credentials(taking: handle!)
  }
}

/// Lends a password with a NUL byte after its last byte (not counted in the length): gss-ntlmssp
/// reads the buffer as a C string, as python-gssapi's bytes objects (always NUL-terminated) allow.
func withPasswordBuffer<R>(_ password: [UInt8], _ body: (gss_buffer_t) -> R) -> R {
  (password + [0]).withUnsafeBytes { raw in
    var desc = gss_buffer_desc(
      length: password.count, value: UnsafeMutableRawPointer(mutating: raw.baseAddress))
    return body(&desc)
  }
}
