import GSSAPI

extension SSPI {
  /// ISC_REQ_* flags: what the client asks of the context in InitializeSecurityContext.
  public struct InitializeRequirements: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let delegate = Self(rawValue: 0x1)
    public static let mutualAuth = Self(rawValue: 0x2)
    public static let replayDetect = Self(rawValue: 0x4)
    public static let sequenceDetect = Self(rawValue: 0x8)
    public static let confidentiality = Self(rawValue: 0x10)
    public static let useSessionKey = Self(rawValue: 0x20)
    public static let promptForCreds = Self(rawValue: 0x40)
    public static let useSuppliedCreds = Self(rawValue: 0x80)
    public static let allocateMemory = Self(rawValue: 0x100)
    public static let useDCEStyle = Self(rawValue: 0x200)
    public static let datagram = Self(rawValue: 0x400)
    public static let connection = Self(rawValue: 0x800)
    public static let callLevel = Self(rawValue: 0x1000)
    public static let fragmentSupplied = Self(rawValue: 0x2000)
    public static let extendedError = Self(rawValue: 0x4000)
    public static let stream = Self(rawValue: 0x8000)
    public static let integrity = Self(rawValue: 0x10000)
    public static let identify = Self(rawValue: 0x20000)
    public static let nullSession = Self(rawValue: 0x40000)
    public static let manualCredValidation = Self(rawValue: 0x80000)
    public static let fragmentToFit = Self(rawValue: 0x200000)
    public static let forwardCredentials = Self(rawValue: 0x400000)
    public static let noIntegrity = Self(rawValue: 0x800000)
    public static let useHTTPStyle = Self(rawValue: 0x100_0000)
    public static let unverifiedTargetName = Self(rawValue: 0x2000_0000)
    public static let confidentialityOnly = Self(rawValue: 0x4000_0000)

    /// The GSS-API request flags these ask for.
    var gssFlags: GSSAPI.RequirementFlags {
      var f = gssServices
      if contains(.confidentiality) { f.insert(.integrity) }
      let extras: [(Self, GSSAPI.RequirementFlags)] = [
        (.useDCEStyle, .dceStyle), (.identify, .identify), (.extendedError, .extendedError),
        (.nullSession, .anonymity),
      ]
      for (bit, flag) in extras where contains(bit) { f.insert(flag) }
      return f
    }
  }

  /// ISC_RET_* flags: what the client's context provides.
  public struct InitializeAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let delegate = Self(rawValue: 0x1)
    public static let mutualAuth = Self(rawValue: 0x2)
    public static let replayDetect = Self(rawValue: 0x4)
    public static let sequenceDetect = Self(rawValue: 0x8)
    public static let confidentiality = Self(rawValue: 0x10)
    public static let useSessionKey = Self(rawValue: 0x20)
    public static let usedCollectedCreds = Self(rawValue: 0x40)
    public static let usedSuppliedCreds = Self(rawValue: 0x80)
    public static let allocatedMemory = Self(rawValue: 0x100)
    public static let usedDCEStyle = Self(rawValue: 0x200)
    public static let datagram = Self(rawValue: 0x400)
    public static let connection = Self(rawValue: 0x800)
    public static let intermediateReturn = Self(rawValue: 0x1000)
    public static let callLevel = Self(rawValue: 0x2000)
    public static let extendedError = Self(rawValue: 0x4000)
    public static let stream = Self(rawValue: 0x8000)
    public static let integrity = Self(rawValue: 0x10000)
    public static let identify = Self(rawValue: 0x20000)
    public static let nullSession = Self(rawValue: 0x40000)
    public static let manualCredValidation = Self(rawValue: 0x80000)
    public static let fragmentOnly = Self(rawValue: 0x200000)
    public static let forwardCredentials = Self(rawValue: 0x400000)
    public static let usedHTTPStyle = Self(rawValue: 0x100_0000)
    public static let noAdditionalToken = Self(rawValue: 0x200_0000)
    public static let reauthentication = Self(rawValue: 0x800_0000)
    public static let confidentialityOnly = Self(rawValue: 0x4000_0000)

    /// The attributes Windows reports for a context with these GSS flags, asked for with
    /// `requested`: the security services the context has (as GSS-API reports them; MIT's
    /// Kerberos always provides confidentiality and integrity), plus the bookkeeping bits of the
    /// request (connection, allocated memory, datagram, extended error).
    init(gss f: GSSAPI.RequirementFlags, requested: InitializeRequirements) {
      self.init(
        gss: f, allocateMemory: requested.contains(.allocateMemory), datagram: requested.contains(.datagram),
        extendedError: requested.contains(.extendedError))
      if requested.contains(.useSuppliedCreds) { insert(.usedSuppliedCreds) }
    }
  }

  /// ASC_REQ_* flags: what the server asks of the context in AcceptSecurityContext.
  public struct AcceptRequirements: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let delegate = Self(rawValue: 0x1)
    public static let mutualAuth = Self(rawValue: 0x2)
    public static let replayDetect = Self(rawValue: 0x4)
    public static let sequenceDetect = Self(rawValue: 0x8)
    public static let confidentiality = Self(rawValue: 0x10)
    public static let useSessionKey = Self(rawValue: 0x20)
    public static let sessionTicket = Self(rawValue: 0x40)
    public static let allocateMemory = Self(rawValue: 0x100)
    public static let useDCEStyle = Self(rawValue: 0x200)
    public static let datagram = Self(rawValue: 0x400)
    public static let connection = Self(rawValue: 0x800)
    public static let callLevel = Self(rawValue: 0x1000)
    public static let fragmentSupplied = Self(rawValue: 0x2000)
    public static let extendedError = Self(rawValue: 0x8000)
    public static let stream = Self(rawValue: 0x10000)
    public static let integrity = Self(rawValue: 0x20000)
    public static let licensing = Self(rawValue: 0x40000)
    public static let identify = Self(rawValue: 0x80000)
    public static let allowNullSession = Self(rawValue: 0x100000)
    public static let allowNonUserLogons = Self(rawValue: 0x200000)
    public static let allowContextReplay = Self(rawValue: 0x400000)
    public static let fragmentToFit = Self(rawValue: 0x800000)
    public static let noToken = Self(rawValue: 0x100_0000)
    public static let proxyBindings = Self(rawValue: 0x400_0000)
    public static let allowMissingBindings = Self(rawValue: 0x1000_0000)
  }

  /// ASC_RET_* flags: what the server's context provides.
  public struct AcceptAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let delegate = Self(rawValue: 0x1)
    public static let mutualAuth = Self(rawValue: 0x2)
    public static let replayDetect = Self(rawValue: 0x4)
    public static let sequenceDetect = Self(rawValue: 0x8)
    public static let confidentiality = Self(rawValue: 0x10)
    public static let useSessionKey = Self(rawValue: 0x20)
    public static let sessionTicket = Self(rawValue: 0x40)
    public static let allocatedMemory = Self(rawValue: 0x100)
    public static let usedDCEStyle = Self(rawValue: 0x200)
    public static let datagram = Self(rawValue: 0x400)
    public static let connection = Self(rawValue: 0x800)
    public static let callLevel = Self(rawValue: 0x2000)
    public static let thirdLegFailed = Self(rawValue: 0x4000)
    public static let extendedError = Self(rawValue: 0x8000)
    public static let stream = Self(rawValue: 0x10000)
    public static let integrity = Self(rawValue: 0x20000)
    public static let licensing = Self(rawValue: 0x40000)
    public static let identify = Self(rawValue: 0x80000)
    public static let nullSession = Self(rawValue: 0x100000)
    public static let allowNonUserLogons = Self(rawValue: 0x200000)
    public static let allowContextReplay = Self(rawValue: 0x400000)
    public static let fragmentOnly = Self(rawValue: 0x800000)
    public static let noToken = Self(rawValue: 0x100_0000)
    public static let noAdditionalToken = Self(rawValue: 0x200_0000)

    /// The attributes for a server context with these GSS flags (see
    /// ``InitializeAttributes``). A client's identify-only request (GSS_C_IDENTIFY_FLAG) shows as
    /// ASC_RET_IDENTIFY: the server may query the token but not impersonate.
    init(gss f: GSSAPI.RequirementFlags, requested: AcceptRequirements) {
      self.init(
        gss: f, allocateMemory: requested.contains(.allocateMemory), datagram: requested.contains(.datagram),
        extendedError: requested.contains(.extendedError))
    }
  }
}

extension SSPI.AcceptRequirements {
  /// The GSS flags an acceptor asking for these expects the client to have set (GSS-API has no
  /// acceptor-side requests: the server checks the result instead).
  var gssFlags: GSSAPI.RequirementFlags { gssServices }
}

/// The security-service bits of ISC_REQ_*, ASC_REQ_*, ISC_RET_* and ASC_RET_*: the same names,
/// mapped to and from GSS flags the same way (their values differ).
protocol ContextServiceBits: OptionSet where Element == Self {
  static var delegate: Self { get }
  static var mutualAuth: Self { get }
  static var replayDetect: Self { get }
  static var sequenceDetect: Self { get }
  static var confidentiality: Self { get }
  static var integrity: Self { get }
}

extension ContextServiceBits {
  /// The GSS request flags for the security services these ask for.
  var gssServices: GSSAPI.RequirementFlags {
    let services: [(Self, GSSAPI.RequirementFlags)] = [
      (.delegate, .delegateToPeer), (.mutualAuth, .mutualAuthentication), (.replayDetect, .replayDetection),
      (.sequenceDetect, .outOfSequenceDetection), (.confidentiality, .confidentiality),
      (.integrity, .integrity),
    ]
    var f: GSSAPI.RequirementFlags = []
    for (bit, flag) in services where contains(bit) { f.insert(flag) }
    return f
  }
}

extension SSPI.InitializeRequirements: ContextServiceBits {}
extension SSPI.AcceptRequirements: ContextServiceBits {}

/// The ISC_RET_* and ASC_RET_* bits both sides derive the same way (their values differ).
protocol ContextAttributeBits: ContextServiceBits {
  static var usedDCEStyle: Self { get }
  static var identify: Self { get }
  static var nullSession: Self { get }
  static var allocatedMemory: Self { get }
  static var datagram: Self { get }
  static var connection: Self { get }
  static var extendedError: Self { get }
}

extension ContextAttributeBits {
  /// The security services a context with these GSS flags has (as GSS-API reports them; MIT's
  /// Kerberos always provides confidentiality and integrity), plus the bookkeeping bits of the
  /// request (allocated memory, datagram or connection, extended error).
  init(gss f: GSSAPI.RequirementFlags, allocateMemory: Bool, datagram: Bool, extendedError: Bool) {
    self.init()
    let services: [(GSSAPI.RequirementFlags, Self)] = [
      (.delegateToPeer, .delegate), (.mutualAuthentication, .mutualAuth), (.replayDetection, .replayDetect),
      (.outOfSequenceDetection, .sequenceDetect), (.confidentiality, .confidentiality),
      (.integrity, .integrity),
      (.dceStyle, .usedDCEStyle), (.identify, .identify), (.anonymity, .nullSession),
    ]
    for (flag, bit) in services where f.contains(flag) { insert(bit) }
    if allocateMemory { insert(.allocatedMemory) }
    insert(datagram ? .datagram : .connection)
    if extendedError { insert(.extendedError) }
  }
}

extension SSPI.InitializeAttributes: ContextAttributeBits {}
extension SSPI.AcceptAttributes: ContextAttributeBits {}
