internal import CGSSAPI
import Synchronization

extension GSSAPI {
  /// A security context (`gss_ctx_id_t`), deleted (locally) when the value goes away. Use one
  /// context from one thread at a time: the handle itself is guarded, but MIT krb5's per-message
  /// calls on one context (its sequence numbers) are not meant to run concurrently.
  public final class SecurityContext: Sendable {
    /// The C handle; nil before the first init/accept step and after export or delete.
    let state: Mutex<ContextHandle>

    var handle: gss_ctx_id_t? { state.withLock { $0.raw } }

    init(taking handle: gss_ctx_id_t?) { state = Mutex(ContextHandle(raw: handle)) }

    /// An empty context, to pass to the first call of init/accept (like passing None).
    public convenience init() { self.init(taking: nil) }

    deinit {
      state.withLock {
        if $0.raw != nil {
          var minor: OM_uint32 = 0
          gss_delete_sec_context(&minor, &$0.raw, nil)
        }
      }
    }

    /// The handle, or a GSS_S_NO_CONTEXT error.
    @inline(__always)
    func live(_ what: @autoclosure () -> String) throws(GSSError) -> gss_ctx_id_t {
      guard let handle = state.withLock({ $0.raw }) else {
        throw GSSError(.noContext, "\(what()): the context was deleted or exported")
      }
      return handle
    }

    /// Runs a call that replaces the handle (init, accept, export, delete) with the lock held.
    func updating<R>(_ body: (inout gss_ctx_id_t?) -> R) -> R {
      state.withLock { body(&$0.raw) }
    }
  }

  /// A `gss_ctx_id_t` as a value the context's mutex can hold: the pointer is only an address;
  /// what it points to is reached through ``SecurityContext``, which guards it.
  struct ContextHandle: @unchecked Sendable {
    var raw: gss_ctx_id_t?
  }

  /// Result of ``initSecurityContext(target:credentials:context:mechanism:flags:lifetime:channelBindings:inputToken:)``.
  public struct InitSecContextResult: Sendable {
    /// The context (the one passed in, or a new one).
    public let context: SecurityContext
    /// The actual mechanism.
    public let mechanism: OID?
    /// The flags the context has (so far).
    public let flags: RequirementFlags
    /// The token to send to the acceptor, if any.
    public let token: [UInt8]?
    /// Seconds the context stays valid (nil: indefinite).
    public let lifetime: UInt32?
    /// Whether another token from the acceptor is needed (GSS_S_CONTINUE_NEEDED).
    public let moreSteps: Bool
  }

  /// Result of ``acceptSecurityContext(inputToken:credentials:context:channelBindings:)``.
  public struct AcceptSecContextResult: Sendable {
    public let context: SecurityContext
    /// The authenticated initiator.
    public let initiatorName: Name?
    public let mechanism: OID?
    /// The token to send back, if any.
    public let token: [UInt8]?
    public let flags: RequirementFlags
    public let lifetime: UInt32?
    /// The initiator's delegated credentials (only with `.delegateToPeer` in `flags`).
    public let delegatedCredentials: Credentials?
    public let moreSteps: Bool
  }

  /// Result of ``inquireContext(_:initiatorName:targetName:lifetime:mechanism:flags:locallyInitiated:complete:)``.
  public struct InquireContextResult: Sendable {
    public let initiatorName: Name?
    /// nil for GSS_C_NO_NAME (e.g. an acceptor that used no name) or when not asked for.
    public let targetName: Name?
    public let lifetime: UInt32?
    public let mechanism: OID?
    public let flags: RequirementFlags?
    public let locallyInitiated: Bool?
    public let complete: Bool?
  }

  /// gss_init_sec_context: one initiator step. Pass nil `context` on the first call, then the
  /// result's context with the acceptor's token until `moreSteps` is false.
  public static func initSecurityContext(
    target: Name, credentials: Credentials? = nil, context: SecurityContext? = nil, mechanism: OID? = nil,
    flags: RequirementFlags = .defaultInitiate, lifetime: UInt32? = nil,
    channelBindings: ChannelBindings? = nil, inputToken: [UInt8]? = nil
  ) throws(GSSError) -> InitSecContextResult {
    cgss_keep_profile_cached()
    let context = context ?? SecurityContext()
    var minor: OM_uint32 = 0
    var actualMech: gss_OID?
    var output = gss_buffer_desc()
    var retFlags: OM_uint32 = 0
    var time: OM_uint32 = 0
    let credentialHandle = credentials?.handle
    let major = context.updating { handle in
      withOptionalOID(mechanism) { mech in
        withOptionalBindings(channelBindings) { cb in
          withOptionalBuffer(inputToken) { input in
            gss_init_sec_context(
              &minor, credentialHandle, &handle, target.handle, mech, flags.rawValue,
              lifetime ?? 0, cb, input, &actualMech, &output, &retFlags,
              &time)
          }
        }
      }
    }
    let token =
      output.length > 0
      ? takeBuffer(&output)
      : { () -> [UInt8]? in
        _ = takeBuffer(&output); return nil
      }()
    try check(
      major, minor, "gss_init_sec_context(\(target))", mechanism: copyOID(actualMech) ?? mechanism,
      token: token)
    return InitSecContextResult(
      context: context, mechanism: copyOID(actualMech), flags: RequirementFlags(rawValue: retFlags),
      token: token,
      lifetime: lifetimeOut(time), moreSteps: major & GSSAPI.continueNeeded != 0)
  }

  /// gss_accept_sec_context: one acceptor step (nil credentials: GSS_C_NO_CREDENTIAL, any key in
  /// the default keytab).
  public static func acceptSecurityContext(
    inputToken: [UInt8], credentials: Credentials? = nil, context: SecurityContext? = nil,
    channelBindings: ChannelBindings? = nil
  ) throws(GSSError) -> AcceptSecContextResult {
    cgss_keep_profile_cached()
    let context = context ?? SecurityContext()
    var minor: OM_uint32 = 0
    var source: gss_name_t?
    var actualMech: gss_OID?
    var output = gss_buffer_desc()
    var retFlags: OM_uint32 = 0
    var time: OM_uint32 = 0
    var delegated: gss_cred_id_t?
    let credentialHandle = credentials?.handle
    let major = context.updating { handle in
      withBuffer(inputToken) { input in
        withOptionalBindings(channelBindings) { cb in
          gss_accept_sec_context(
            &minor, &handle, credentialHandle, input, cb, &source, &actualMech,
            &output, &retFlags,
            &time,
            &delegated)
        }
      }
    }
    let token =
      output.length > 0
      ? takeBuffer(&output)
      : { () -> [UInt8]? in
        _ = takeBuffer(&output); return nil
      }()
    let sourceName = source.map { Name(taking: $0) }
    let delegatedCreds = delegated.map { Credentials(taking: $0) }
    try check(major, minor, "gss_accept_sec_context", mechanism: copyOID(actualMech), token: token)
    let f = RequirementFlags(rawValue: retFlags)
    return AcceptSecContextResult(
      context: context, initiatorName: sourceName, mechanism: copyOID(actualMech), token: token, flags: f,
      lifetime: lifetimeOut(time), delegatedCredentials: delegatedCreds,
      moreSteps: major & GSSAPI.continueNeeded != 0)
  }

  /// gss_inquire_context; fields not asked for are nil.
  public static func inquireContext(
    _ context: SecurityContext, initiatorName: Bool = true, targetName: Bool = true, lifetime: Bool = true,
    mechanism: Bool = true, flags: Bool = true, locallyInitiated: Bool = true, complete: Bool = true
  ) throws(GSSError) -> InquireContextResult {
    let handle = try context.live("gss_inquire_context")
    var minor: OM_uint32 = 0
    var source: gss_name_t?
    var target: gss_name_t?
    var time: OM_uint32 = 0
    var mech: gss_OID?
    var f: OM_uint32 = 0
    var local: Int32 = 0
    var open: Int32 = 0
    let major = gss_inquire_context(
      &minor, handle, &source, &target, &time,
      &mech, &f, &local, &open)
    let s = initiatorName ? source.map { Name(taking: $0) } : source.flatMap { releaseName($0) }
    let t = targetName ? target.map { Name(taking: $0) } : target.flatMap { releaseName($0) }
    try check(major, minor, "gss_inquire_context")
    return InquireContextResult(
      initiatorName: s, targetName: t, lifetime: lifetime ? lifetimeOut(time) : nil,
      mechanism: mechanism ? copyOID(mech) : nil, flags: flags ? RequirementFlags(rawValue: f) : nil,
      locallyInitiated: locallyInitiated ? local != 0 : nil, complete: complete ? open != 0 : nil)
  }

  /// gss_context_time: seconds the context stays valid.
  public static func contextTime(_ context: SecurityContext) throws(GSSError) -> UInt32 {
    let handle = try context.live("gss_context_time")
    var minor: OM_uint32 = 0
    var time: OM_uint32 = 0
    try check(gss_context_time(&minor, handle, &time), minor, "gss_context_time")
    return time
  }

  /// gss_process_context_token: a token from the peer outside the init/accept exchange (e.g. a
  /// deletion token).
  public static func processContextToken(_ context: SecurityContext, token: [UInt8]) throws(GSSError) {
    let handle = try context.live("gss_process_context_token")
    var minor: OM_uint32 = 0
    let major = withBuffer(token) { gss_process_context_token(&minor, handle, $0) }
    try check(major, minor, "gss_process_context_token")
  }

  /// gss_export_sec_context: an interprocess token; the context is no longer usable here.
  public static func exportSecurityContext(_ context: SecurityContext) throws(GSSError) -> [UInt8] {
    _ = try context.live("gss_export_sec_context")
    var minor: OM_uint32 = 0
    var buffer = gss_buffer_desc()
    try check(
      context.updating { gss_export_sec_context(&minor, &$0, &buffer) }, minor, "gss_export_sec_context")
    return takeBuffer(&buffer)
  }

  /// gss_import_sec_context.
  public static func importSecurityContext(_ token: [UInt8]) throws(GSSError) -> SecurityContext {
    var minor: OM_uint32 = 0
    var handle: gss_ctx_id_t?
    let major = withBuffer(token) { gss_import_sec_context(&minor, $0, &handle) }
    try check(major, minor, "gss_import_sec_context")
    return SecurityContext(taking: handle)
  }

  /// gss_delete_sec_context: deletes the context; unless `localOnly`, returns the (legacy)
  /// deletion token for the peer (empty for mechanisms that have none, like Kerberos).
  @discardableResult
  public static func deleteSecurityContext(_ context: SecurityContext, localOnly: Bool = true)
    throws(GSSError) -> [UInt8]
  {
    _ = try context.live("gss_delete_sec_context")
    var minor: OM_uint32 = 0
    if localOnly {
      try check(
        context.updating { gss_delete_sec_context(&minor, &$0, nil) }, minor, "gss_delete_sec_context")
      return []
    }
    var buffer = gss_buffer_desc()
    try check(
      context.updating { gss_delete_sec_context(&minor, &$0, &buffer) }, minor, "gss_delete_sec_context")
    return takeBuffer(&buffer)
  }
}
