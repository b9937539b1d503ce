internal import CGSSAPI

extension GSSAPI {
  /// A Kerberos context exported for use outside GSS-API (gss_krb5_export_lucid_sec_context,
  /// version 1): for kernel NFS or SMB code that does its own per-message crypto.
  public struct Krb5LucidContext: Sendable, Hashable {
    /// An RFC 1964 (DES/RC4-era) context key.
    public struct RFC1964KeyData: Sendable, Hashable {
      public let signAlgorithm: UInt32
      public let sealAlgorithm: UInt32
      public let keyType: UInt32
      public let key: [UInt8]
    }
    /// An RFC 4121 (CFX) context key and, if the acceptor sent one, its subkey.
    public struct CFXKeyData: Sendable, Hashable {
      public let keyType: UInt32
      public let key: [UInt8]
      public let acceptorSubkeyType: UInt32?
      public let acceptorSubkey: [UInt8]?
    }
    public let version: UInt32
    public let isInitiator: Bool
    /// Expiry, in seconds since the epoch.
    public let endTime: UInt32
    public let sendSequence: UInt64
    public let receiveSequence: UInt64
    /// 0: RFC 1964 (`rfc1964KeyData`), 1: CFX (`cfxKeyData`).
    public let protocolNumber: UInt32
    public let rfc1964KeyData: RFC1964KeyData?
    public let cfxKeyData: CFXKeyData?
  }

  /// gss_krb5_ccache_name: sets the credential cache GSS-API uses in this process (nil: back to
  /// the default) and returns the previous name. Process-wide.
  @discardableResult
  public static func krb5CCacheName(_ name: String?) throws(GSSError) -> String? {
    var minor: OM_uint32 = 0
    var old: UnsafePointer<CChar>?
    let major: OM_uint32
    if let name {
      major = name.withCString { gss_krb5_ccache_name(&minor, $0, &old) }
    } else {
      major = gss_krb5_ccache_name(&minor, nil, &old)
    }
    let previous = old.map { String(cString: $0) }
    try check(major, minor, "gss_krb5_ccache_name", mechanism: MechanismType.kerberos)
    return previous
  }

  /// gss_krb5_export_lucid_sec_context: the context's keys and sequence numbers. The context is
  /// consumed (no longer usable through GSS-API). Only version 1 exists.
  public static func krb5ExportLucidSecurityContext(_ context: SecurityContext, version: UInt32 = 1)
    throws(GSSError)
    -> Krb5LucidContext
  {
    _ = try context.live("gss_krb5_export_lucid_sec_context")
    guard version == 1 else {
      throw GSSError(.unavailable, "gss_krb5_export_lucid_sec_context: version \(version) (only 1 exists)")
    }
    var minor: OM_uint32 = 0
    var raw: UnsafeMutableRawPointer?
    let major = context.updating { gss_krb5_export_lucid_sec_context(&minor, &$0, version, &raw) }
    try check(major, minor, "gss_krb5_export_lucid_sec_context", mechanism: MechanismType.kerberos)
    defer { gss_krb5_free_lucid_sec_context(&minor, raw) }
    let l = raw!.assumingMemoryBound(to: gss_krb5_lucid_context_v1_t.self).pointee
    func bytes(_ k: gss_krb5_lucid_key_t) -> [UInt8] {
      guard k.length > 0, let d = k.data else { return [] }
      return [UInt8](UnsafeRawBufferPointer(start: d, count: Int(k.length)))
    }
    let r = l.rfc1964_kd
    let c = l.cfx_kd
    return Krb5LucidContext(
      version: l.version, isInitiator: l.initiate != 0, endTime: l.endtime, sendSequence: l.send_seq,
      receiveSequence: l.recv_seq, protocolNumber: l.protocol,
      rfc1964KeyData: l.protocol == 0
        ? .init(
          signAlgorithm: r.sign_alg, sealAlgorithm: r.seal_alg, keyType: r.ctx_key.type, key: bytes(r.ctx_key)
        ) : nil,
      cfxKeyData: l.protocol == 1
        ? .init(
          keyType: c.ctx_key.type, key: bytes(c.ctx_key),
          acceptorSubkeyType: c.have_acceptor_subkey != 0 ? c.acceptor_subkey.type : nil,
          acceptorSubkey: c.have_acceptor_subkey != 0 ? bytes(c.acceptor_subkey) : nil) : nil)
  }

  /// gsskrb5_extract_authtime_from_sec_context: when the client authenticated to the KDC
  /// (seconds since the epoch).
  public static func krb5AuthTime(of context: SecurityContext) throws(GSSError) -> Int32 {
    let handle = try context.live("gsskrb5_extract_authtime_from_sec_context")
    var minor: OM_uint32 = 0
    var time: krb5_timestamp = 0
    let major = gsskrb5_extract_authtime_from_sec_context(&minor, handle, &time)
    try check(major, minor, "gsskrb5_extract_authtime_from_sec_context", mechanism: MechanismType.kerberos)
    return time
  }

  /// gsskrb5_extract_authz_data_from_sec_context: the ticket's authorization data of one type
  /// (acceptor contexts). Only top-level elements are found: the Windows PAC (128), which MIT's
  /// KDC issues too, sits inside AD-IF-RELEVANT (type 1), as RFC 4120 5.2.6 and MS-PAC require.
  public static func krb5AuthorizationData(of context: SecurityContext, type: Int32) throws(GSSError)
    -> [UInt8]
  {
    let handle = try context.live("gsskrb5_extract_authz_data_from_sec_context")
    var minor: OM_uint32 = 0
    var buffer = gss_buffer_desc()
    let major = gsskrb5_extract_authz_data_from_sec_context(&minor, handle, type, &buffer)
    let data = takeBuffer(&buffer)
    try check(
      major, minor, "gsskrb5_extract_authz_data_from_sec_context(\(type))", mechanism: MechanismType.kerberos)
    return data
  }

  /// gss_krb5_get_tkt_flags: the service ticket's flags (TKT_FLG_FORWARDABLE 0x40000000, …).
  public static func krb5TicketFlags(of context: SecurityContext) throws(GSSError) -> UInt32 {
    let handle = try context.live("gss_krb5_get_tkt_flags")
    var minor: OM_uint32 = 0
    var flags: krb5_flags = 0
    try check(
      gss_krb5_get_tkt_flags(&minor, handle, &flags), minor, "gss_krb5_get_tkt_flags",
      mechanism: MechanismType.kerberos)
    return UInt32(bitPattern: flags)
  }

  /// gss_krb5_set_allowable_enctypes: limits the session key types contexts made with these
  /// credentials may use (e.g. [18] for aes256-cts-hmac-sha1-96).
  public static func krb5SetAllowableEnctypes(_ enctypes: [Int32], for credentials: Credentials)
    throws(GSSError)
  {
    var minor: OM_uint32 = 0
    var types = enctypes
    let major = types.withUnsafeMutableBufferPointer {
      gss_krb5_set_allowable_enctypes(&minor, credentials.handle, OM_uint32($0.count), $0.baseAddress)
    }
    try check(major, minor, "gss_krb5_set_allowable_enctypes", mechanism: MechanismType.kerberos)
  }

  /// gss_krb5_import_cred: credentials from a Kerberos ccache and/or keytab, named as libkrb5
  /// names them ("FILE:/tmp/krb5cc", "FILE:/etc/krb5.keytab", "HTTP/host@REALM"). Python passes
  /// libkrb5 handles; the names are resolved here, so no C handle crosses the API.
  public static func krb5ImportCredentials(
    cache: String? = nil, keytabPrincipal: String? = nil, keytab: String? = nil
  )
    throws(GSSError) -> Credentials
  {
    var kctx: krb5_context?
    var code = krb5_init_context(&kctx)
    guard code == 0, let kctx else { throw GSSError(.failure, "krb5_init_context failed (\(code))") }
    defer { krb5_free_context(kctx) }
    var ccache: krb5_ccache?
    var principal: krb5_principal?
    var kt: krb5_keytab?
    defer {
      if let ccache { krb5_cc_close(kctx, ccache) }
      if let principal { krb5_free_principal(kctx, principal) }
      if let kt { krb5_kt_close(kctx, kt) }
    }
    func fail(_ what: String) -> GSSError {
      let message = krb5_get_error_message(kctx, code)
      defer { krb5_free_error_message(kctx, message) }
      return GSSError(
        .failure, "gss_krb5_import_cred: \(what): \(message.map { String(cString: $0) } ?? "error \(code)")")
    }
    if let cache {
      code = krb5_cc_resolve(kctx, cache, &ccache)
      if code != 0 { throw fail("ccache \(cache)") }
    }
    if let keytabPrincipal {
      code = krb5_parse_name(kctx, keytabPrincipal, &principal)
      if code != 0 { throw fail("principal \(keytabPrincipal)") }
    }
    if let keytab {
      code = krb5_kt_resolve(kctx, keytab, &kt)
      if code != 0 { throw fail("keytab \(keytab)") }
    }
    var minor: OM_uint32 = 0
    var cred: gss_cred_id_t?
    let major = gss_krb5_import_cred(&minor, ccache, principal, kt, &cred)
    try check(major, minor, "gss_krb5_import_cred", mechanism: MechanismType.kerberos)
    return Credentials(taking: cred!)
  }
}
