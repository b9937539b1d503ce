import CredentialManager
import Foundation
import GSSAPI
import NTSecurity
import Synchronization

extension SSPI {
  /// A security context handle (CtxtHandle / PyCtxtHandle): one side of an authenticated
  /// connection. Use one context from one thread at a time, as on Windows.
  public final class SecurityContext: Sendable {
    /// The package the context was made with (Negotiate stays Negotiate; see
    /// ``negotiatedPackage``).
    public let package: Package
    /// Whether this is the client (InitializeSecurityContext) side.
    public let isClient: Bool
    /// When the context was created.
    public let created = Date()
    let gss: GSSAPI.SecurityContext
    /// What the handshake and the first messages change.
    let state: Mutex<State>

    struct State {
      var isEstablished = false
      var negotiatedPackage: Package?
      var expiry = TimeStamp.never
      var target: TargetName?
      var targetName: GSSAPI.Name?
      var gssFlags: GSSAPI.RequirementFlags = []
      var initializeRequirements: InitializeRequirements = []
      var acceptRequirements: AcceptRequirements = []
      /// Server side: the authenticated client.
      var clientName: GSSAPI.Name?
      /// Server side: the client's delegated credentials.
      var delegatedCredentials: GSSAPI.Credentials?
      var cachedToken: (AccessToken, TokenRule)?
      /// Client side: the credentials the context authenticates with when they are not the
      /// handle passed to InitializeSecurityContext (a domain credential from the caller's vault).
      var storedCredentials: CredentialsHandle?
      /// Client side: what InitializeSecurityContext knows of the target, recorded for
      /// CredGetTargetInfo once the context is established.
      var targetInformation: CredentialTargetInformation?
      /// Whether the context's wrap tokens are RFC 4121 ones (TOK_ID 05 04), as the first
      /// EncryptMessage shows; EncryptMessage then uses ``encryptRotated(_:_:confidential:)``.
      var wrapsRFC4121Tokens: Bool?
      var deleted = false
      var started = false
    }

    /// One field of `state`, read or written under the lock.
    subscript<Value: Sendable>(locked field: WritableKeyPath<State, Value>) -> Value {
      get { state.withLock { $0[keyPath: field] } }
      set { state.withLock { $0[keyPath: field] = newValue } }
    }

    /// Whether authentication has finished (SEC_E_OK was returned).
    public internal(set) var isEstablished: Bool {
      get { self[locked: \.isEstablished] }
      set { self[locked: \.isEstablished] = newValue }
    }
    /// The package that actually authenticated (Kerberos or NTLM), once known.
    public internal(set) var negotiatedPackage: Package? {
      get { self[locked: \.negotiatedPackage] }
      set { self[locked: \.negotiatedPackage] = newValue }
    }
    /// When the context expires.
    public internal(set) var expiry: TimeStamp {
      get { self[locked: \.expiry] }
      set { self[locked: \.expiry] = newValue }
    }
    var target: TargetName? {
      get { self[locked: \.target] }
      set { self[locked: \.target] = newValue }
    }
    var targetName: GSSAPI.Name? {
      get { self[locked: \.targetName] }
      set { self[locked: \.targetName] = newValue }
    }
    var gssFlags: GSSAPI.RequirementFlags {
      get { self[locked: \.gssFlags] }
      set { self[locked: \.gssFlags] = newValue }
    }
    var initializeRequirements: InitializeRequirements {
      get { self[locked: \.initializeRequirements] }
      set { self[locked: \.initializeRequirements] = newValue }
    }
    var acceptRequirements: AcceptRequirements {
      get { self[locked: \.acceptRequirements] }
      set { self[locked: \.acceptRequirements] = newValue }
    }
    var clientName: GSSAPI.Name? {
      get { self[locked: \.clientName] }
      set { self[locked: \.clientName] = newValue }
    }
    var delegatedCredentials: GSSAPI.Credentials? {
      get { self[locked: \.delegatedCredentials] }
      set { self[locked: \.delegatedCredentials] = newValue }
    }
    var cachedToken: (AccessToken, TokenRule)? {
      get { self[locked: \.cachedToken] }
      set { self[locked: \.cachedToken] = newValue }
    }
    var storedCredentials: CredentialsHandle? {
      get { self[locked: \.storedCredentials] }
      set { self[locked: \.storedCredentials] = newValue }
    }
    var targetInformation: CredentialTargetInformation? {
      get { self[locked: \.targetInformation] }
      set { self[locked: \.targetInformation] = newValue }
    }
    var wrapsRFC4121Tokens: Bool? {
      get { self[locked: \.wrapsRFC4121Tokens] }
      set { self[locked: \.wrapsRFC4121Tokens] = newValue }
    }
    var deleted: Bool {
      get { self[locked: \.deleted] }
      set { self[locked: \.deleted] = newValue }
    }
    var started: Bool {
      get { self[locked: \.started] }
      set { self[locked: \.started] = newValue }
    }

    init(package: Package, isClient: Bool, gss: GSSAPI.SecurityContext = GSSAPI.SecurityContext()) {
      self.package = package
      self.isClient = isClient
      self.gss = gss
      self.state = Mutex(State())
    }

    /// The context's ISC_RET_* flags (client side).
    public var initializeAttributes: InitializeAttributes {
      state.withLock { InitializeAttributes(gss: $0.gssFlags, requested: $0.initializeRequirements) }
    }

    /// The context's ASC_RET_* flags (server side).
    public var acceptAttributes: AcceptAttributes {
      state.withLock { AcceptAttributes(gss: $0.gssFlags, requested: $0.acceptRequirements) }
    }

    /// The ISC_RET_* or ASC_RET_* bits, whichever side this is.
    public var attributeFlags: UInt32 { isClient ? initializeAttributes.rawValue : acceptAttributes.rawValue }

    /// DeleteSecurityContext: ends the context locally. Using it again is SEC_E_INVALID_HANDLE.
    public func delete() {
      // released before the context, as a GSS-API caller does: it costs less
      state.withLock { ($0.clientName, $0.delegatedCredentials) = (nil, nil) }
      _ = try? GSSAPI.deleteSecurityContext(gss)
      state.withLock {
        $0.isEstablished = false
        $0.deleted = true
      }
    }

    /// SEC_E_INVALID_HANDLE after ``delete()``.
    func checkLive(_ what: String) throws(SSPIError) {
      if deleted { throw SSPIError(.invalidHandle, "\(what): the context was deleted") }
    }

    /// The package that carries messages: the negotiated one, or the package itself.
    var messagePackage: Package { negotiatedPackage ?? package }
  }

  /// Result of ``initializeSecurityContext(credentials:context:target:requirements:dataRepresentation:input:)``
  /// (pywin32's `(return code, attribute flags, expiration time)` plus the output buffers).
  public struct InitializeResult: Sendable {
    /// SEC_E_OK or SEC_I_CONTINUE_NEEDED.
    public let status: Status
    /// The context (the one passed in, or a new one on the first call).
    public let context: SecurityContext
    /// The output buffers: one SECBUFFER_TOKEN (empty when there is nothing to send).
    public let output: SecurityBufferDescriptor
    /// ISC_RET_* flags.
    public let attributes: InitializeAttributes
    /// When the context expires (local time).
    public let expiry: TimeStamp
    /// The output token's bytes.
    public var token: [UInt8] { output.first(.token)?.bytes ?? [] }
  }

  /// Result of ``acceptSecurityContext(credentials:context:input:requirements:dataRepresentation:)``.
  public struct AcceptResult: Sendable {
    /// SEC_E_OK or SEC_I_CONTINUE_NEEDED.
    public let status: Status
    public let context: SecurityContext
    /// One SECBUFFER_TOKEN for the client (empty when there is nothing to send).
    public let output: SecurityBufferDescriptor
    /// ASC_RET_* flags.
    public let attributes: AcceptAttributes
    public let expiry: TimeStamp
    public var token: [UInt8] { output.first(.token)?.bytes ?? [] }
  }

  /// InitializeSecurityContext: one client step. Pass nil `context` and no input on the first
  /// call, then the returned context with the server's token (a SECBUFFER_TOKEN in `input`) while
  /// the status is SEC_I_CONTINUE_NEEDED. A SECBUFFER_CHANNEL_BINDINGS input buffer binds the
  /// context to a channel (SEC_E_BAD_BINDINGS at the server when they differ).
  ///
  /// `target` is required except for NTLM (see ``TargetName`` for the forms). For Negotiate, a
  /// target whose host is an IP address is authenticated with NTLM, as on Windows.
  public static func initializeSecurityContext(
    credentials: CredentialsHandle, context: SecurityContext? = nil, target: String?,
    requirements: InitializeRequirements = [], dataRepresentation: DataRepresentation = .native,
    input: SecurityBufferDescriptor? = nil
  ) throws(SSPIError) -> InitializeResult {
    let creds = try credentials.live()
    guard credentials.use != .inbound else {
      throw SSPIError(
        .noCredentials, "InitializeSecurityContext needs outbound credentials (SECPKG_CRED_OUTBOUND or BOTH)")
    }
    var ctx: SecurityContext
    if let context {
      guard context.isClient, context.package == credentials.package else {
        throw SSPIError(.invalidHandle, "the context is not a \(credentials.package) client context")
      }
      guard !context.isEstablished else {
        throw SSPIError(.invalidHandle, "the context is already established")
      }
      ctx = context
    } else {
      ctx = SecurityContext(package: credentials.package, isClient: true)
      ctx.initializeRequirements = requirements
      let name = target ?? (credentials.package == .ntlm ? "host/localhost" : nil)
      guard let name else {
        throw SSPIError(
          .targetUnknown, "\(credentials.package) needs a target name (for example HTTP/host.example.com)")
      }
      (ctx.target, ctx.targetName) = try credentials.importTarget(name)
      if credentials.isDefault, let target = ctx.target {
        ctx.targetInformation = StoredCredentials.targetInformation(for: target, package: credentials.package)
      }
      if credentials.needsStoredCredentials {
        ctx.storedCredentials = try credentials.storedCredentials(for: ctx.targetInformation)
        if ctx.storedCredentials == nil && creds == nil {
          throw SSPIError(
            .noCredentials,
            "InitializeSecurityContext(\(credentials.package), \(name)): no usable ticket and no domain credential for the target in Credential Manager"
          )
        }
      }
    }
    let inputToken = input?.first(.token)?.bytes
    if context != nil && (inputToken ?? []).isEmpty {
      throw SSPIError(
        .invalidToken,
        "InitializeSecurityContext: the continuation call has no SECBUFFER_TOKEN from the server")
    }
    try ctx.checkLive("InitializeSecurityContext")
    let bindings = try input?.first(.channelBindings).map { b throws(SSPIError) in
      try ChannelBindings(bytes: b.bytes).gss
    }
    let result: GSSAPI.InitSecContextResult
    do {
      result = try initializeStep(ctx, credentials, creds, bindings: bindings, inputToken: inputToken)
    } catch {
      // Default credentials that cannot get a ticket (the TGT expired since
      // AcquireCredentialsHandle): the target's domain credential from the vault, once.
      guard context == nil, credentials.isDefault, ctx.storedCredentials == nil,
        error.status == .noCredentials || error.status == .unknownCredentials,
        let stored = try credentials.storedCredentials(for: ctx.targetInformation)
      else { throw error }
      let fresh = SecurityContext(package: credentials.package, isClient: true)
      (fresh.initializeRequirements, fresh.target, fresh.targetName) =
        (ctx.initializeRequirements, ctx.target, ctx.targetName)
      (fresh.targetInformation, fresh.storedCredentials) = (ctx.targetInformation, stored)
      ctx = fresh
      result = try initializeStep(ctx, credentials, creds, bindings: bindings, inputToken: inputToken)
    }
    ctx.gssFlags = result.flags
    if let p = Package(mechanism: result.mechanism), p != .negotiate { ctx.negotiatedPackage = p }
    ctx.expiry = TimeStamp(secondsFromNow: result.lifetime)
    ctx.isEstablished = !result.moreSteps
    if credentials.package == .kerberos || credentials.package == .ntlm {
      ctx.negotiatedPackage = credentials.package
    }
    if ctx.isEstablished, var info = ctx.targetInformation {
      info.packageName = ctx.negotiatedPackage?.rawValue ?? info.packageName
      StoredCredentials.record(info, vault: nil)
    }
    return InitializeResult(
      status: result.moreSteps ? .continueNeeded : .ok, context: ctx, output: .token(result.token ?? []),
      attributes: ctx.initializeAttributes, expiry: ctx.expiry)
  }

  /// One GSS-API step of InitializeSecurityContext, with the context's stored credentials when it
  /// has them, else the handle's.
  static func initializeStep(
    _ ctx: SecurityContext, _ handle: CredentialsHandle, _ handleCreds: GSSAPI.Credentials?,
    bindings: GSSAPI.ChannelBindings?, inputToken: [UInt8]?
  ) throws(SSPIError) -> GSSAPI.InitSecContextResult {
    let credentials = ctx.storedCredentials ?? handle
    let creds = ctx.storedCredentials == nil ? handleCreds : try credentials.live()
    let restrictToNTLM = credentials.package == .negotiate && !ctx.started && ctx.target?.isIPAddress == true
    if restrictToNTLM && !credentials.negotiablePackages.contains(.ntlm) {
      throw SSPIError(
        .targetUnknown,
        "Negotiate to the IP address \(ctx.target!.host!) needs NTLM credentials (Kerberos has no principal for an address)"
      )
    }
    ctx.started = true
    do {
      return try withNegotiationPolicy(credentials, creds, restrictToNTLM: restrictToNTLM) {
        () throws(GSSError) in
        try GSSAPI.initSecurityContext(
          target: ctx.targetName!, credentials: creds, context: ctx.gss,
          mechanism: credentials.package.mechanism,
          flags: ctx.initializeRequirements.gssFlags, channelBindings: bindings, inputToken: inputToken)
      }
    } catch {
      throw SSPIError(
        error, during: .initialize,
        "InitializeSecurityContext(\(credentials.package), \(ctx.target?.text ?? "-")) failed")
    }
  }

  /// Negotiate to an IP address: NTLM only for this context's first step (Windows has no SPN to
  /// ask a KDC for); SEC_E_TARGET_UNKNOWN when NTLM cannot be used.
  static func withNegotiationPolicy<R: Sendable>(
    _ handle: CredentialsHandle, _ creds: GSSAPI.Credentials?, restrictToNTLM: Bool,
    _ body: () throws(GSSError) -> R
  ) throws(GSSError) -> R {
    guard restrictToNTLM, let creds else { return try body() }
    // the handle's lock held: no other context of the handle negotiates meanwhile
    return try handle.state.withLock { _ throws(GSSError) -> R in
      try GSSAPI.setNegotiationMechanisms([GSSAPI.MechanismType.ntlmssp], for: creds)
      defer { try? GSSAPI.setNegotiationMechanisms(handle.negotiablePackages.map(\.mechanism), for: creds) }
      return try body()
    }
  }

  /// AcceptSecurityContext: one server step with the client's token (a SECBUFFER_TOKEN in
  /// `input`, plus an optional SECBUFFER_CHANNEL_BINDINGS). Pass nil `context` on the first call.
  /// SEC_E_OK may come with a final token for the client (Kerberos mutual authentication).
  public static func acceptSecurityContext(
    credentials: CredentialsHandle?, context: SecurityContext? = nil, input: SecurityBufferDescriptor,
    requirements: AcceptRequirements = [], dataRepresentation: DataRepresentation = .native
  ) throws(SSPIError) -> AcceptResult {
    let creds = try credentials?.live()
    if let credentials, credentials.use == .outbound {
      throw SSPIError(
        .noCredentials, "AcceptSecurityContext needs inbound credentials (SECPKG_CRED_INBOUND or BOTH)")
    }
    let package = credentials?.package ?? context?.package ?? .negotiate
    let ctx: SecurityContext
    if let context {
      guard !context.isClient, !context.isEstablished else {
        throw SSPIError(.invalidHandle, "the context is not an unfinished server context")
      }
      ctx = context
    } else {
      ctx = SecurityContext(package: package, isClient: false)
      ctx.acceptRequirements = requirements
    }
    guard let token = input.first(.token)?.bytes, !token.isEmpty else {
      throw SSPIError(
        .invalidToken, "AcceptSecurityContext: the input has no SECBUFFER_TOKEN from the client")
    }
    try ctx.checkLive("AcceptSecurityContext")
    if !ctx.started && token.first != 0x60 && !token.starts(with: Array("NTLMSSP\0".utf8)) {
      // RFC 2743 3.1: an initial context token is an [APPLICATION 0] (0x60) structure; raw NTLM
      // starts with its signature. Anything else is not a token of any package here.
      throw SSPIError(
        .invalidToken, "AcceptSecurityContext: the first token is not a GSS-API initial context token")
    }
    let bindings = try input.first(.channelBindings).map { b throws(SSPIError) in
      try ChannelBindings(bytes: b.bytes).gss
    }
    ctx.started = true
    let result: GSSAPI.AcceptSecContextResult
    do {
      result = try GSSAPI.acceptSecurityContext(
        inputToken: token, credentials: creds, context: ctx.gss, channelBindings: bindings)
    } catch {
      throw SSPIError(error, during: .accept, "AcceptSecurityContext(\(package)) failed")
    }
    if let mech = Package(mechanism: result.mechanism) {
      if package != .negotiate && mech != package {
        throw SSPIError(.invalidToken, "AcceptSecurityContext(\(package)): the client used \(mech)")
      }
      if mech != .negotiate { ctx.negotiatedPackage = mech }
    }
    ctx.gssFlags = result.flags
    ctx.expiry = TimeStamp(secondsFromNow: result.lifetime)
    ctx.isEstablished = !result.moreSteps
    if ctx.isEstablished {
      ctx.clientName = result.initiatorName
      ctx.delegatedCredentials = result.delegatedCredentials
    }
    return AcceptResult(
      status: result.moreSteps ? .continueNeeded : .ok, context: ctx, output: .token(result.token ?? []),
      attributes: ctx.acceptAttributes, expiry: ctx.expiry)
  }

  /// CompleteAuthToken: nothing to do for Kerberos, Negotiate and NTLM, which never return
  /// SEC_I_COMPLETE_NEEDED; SEC_E_INVALID_HANDLE for a deleted context.
  public static func completeAuthToken(_ context: SecurityContext, _ buffers: SecurityBufferDescriptor)
    throws(SSPIError)
  {
    try context.checkLive("CompleteAuthToken")
  }
}
