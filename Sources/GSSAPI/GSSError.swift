internal import CGSSAPI

/// A failed GSS-API call: the major status (its calling, routine and supplementary parts decoded),
/// the minor (mechanism) status, the mechanism, and every message `gss_display_status` gives.
///
/// `routine` (and `calling`) name python-gssapi's exception classes: `BadMICError` is
/// `routine == .badMIC`, `ParameterReadError` is `calling == .inaccessibleRead`, and
/// `DuplicateTokenError` is `supplementary.contains(.duplicateToken)`.
public struct GSSError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The major status word.
  public let major: UInt32
  /// The mechanism-specific minor status (a krb5 `KRB5_*` / `KRB5KRB_AP_ERR_*` code for Kerberos).
  public let minor: UInt32
  /// The mechanism the minor status belongs to, when known.
  public let mechanism: GSSAPI.OID?
  /// What `gss_display_status(GSS_C_GSS_CODE)` says about `major`, one message a line.
  public let majorMessages: [String]
  /// What `gss_display_status(GSS_C_MECH_CODE)` says about `minor`.
  public let minorMessages: [String]
  /// Which call failed, and (for errors found before calling the library) what was wrong.
  public let context: String
  /// An output token the failing call produced (an error token for the peer), if any.
  public let token: [UInt8]?

  /// The calling error (RFC 2744: GSS_S_CALL_*), python-gssapi's ParameterReadError,
  /// ParameterWriteError and MalformedParameterError.
  public enum Calling: UInt32, Sendable, CaseIterable {
    case inaccessibleRead = 1, inaccessibleWrite = 2, badStructure = 3

    /// The python-gssapi exception class this corresponds to.
    public var pythonName: String {
      switch self {
      case .inaccessibleRead: "ParameterReadError"
      case .inaccessibleWrite: "ParameterWriteError"
      case .badStructure: "MalformedParameterError"
      }
    }
  }

  /// The routine error (GSS_S_BAD_MECH … GSS_S_BAD_MECH_ATTR), one case per python-gssapi class.
  public enum Routine: UInt32, Sendable, CaseIterable {
    case badMechanism = 1, badName, badNameType, badBindings, badStatus, badMIC, noCredentials,
      noContext, defectiveToken, defectiveCredential, credentialsExpired, contextExpired, failure,
      badQoP, unauthorized, unavailable, duplicateElement, nameNotMN, badMechanismAttribute

    /// The python-gssapi exception class this corresponds to.
    public var pythonName: String {
      switch self {
      case .badMechanism: "BadMechanismError"
      case .badName: "BadNameError"
      case .badNameType: "BadNameTypeError"
      case .badBindings: "BadChannelBindingsError"
      case .badStatus: "BadStatusError"
      case .badMIC: "BadMICError"
      case .noCredentials: "MissingCredentialsError"
      case .noContext: "MissingContextError"
      case .defectiveToken: "InvalidTokenError"
      case .defectiveCredential: "InvalidCredentialsError"
      case .credentialsExpired: "ExpiredCredentialsError"
      case .contextExpired: "ExpiredContextError"
      case .failure: "GSSError"
      case .badQoP: "BadQoPError"
      case .unauthorized: "UnauthorizedError"
      case .unavailable: "OperationUnavailableError"
      case .duplicateElement: "DuplicateCredentialsElementError"
      case .nameNotMN: "MechanismNameRequiredError"
      case .badMechanismAttribute: "GSSError"
      }
    }

    /// The RFC 2744 name, e.g. GSS_S_BAD_MIC.
    public var statusName: String {
      switch self {
      case .badMechanism: "GSS_S_BAD_MECH"
      case .badName: "GSS_S_BAD_NAME"
      case .badNameType: "GSS_S_BAD_NAMETYPE"
      case .badBindings: "GSS_S_BAD_BINDINGS"
      case .badStatus: "GSS_S_BAD_STATUS"
      case .badMIC: "GSS_S_BAD_MIC"
      case .noCredentials: "GSS_S_NO_CRED"
      case .noContext: "GSS_S_NO_CONTEXT"
      case .defectiveToken: "GSS_S_DEFECTIVE_TOKEN"
      case .defectiveCredential: "GSS_S_DEFECTIVE_CREDENTIAL"
      case .credentialsExpired: "GSS_S_CREDENTIALS_EXPIRED"
      case .contextExpired: "GSS_S_CONTEXT_EXPIRED"
      case .failure: "GSS_S_FAILURE"
      case .badQoP: "GSS_S_BAD_QOP"
      case .unauthorized: "GSS_S_UNAUTHORIZED"
      case .unavailable: "GSS_S_UNAVAILABLE"
      case .duplicateElement: "GSS_S_DUPLICATE_ELEMENT"
      case .nameNotMN: "GSS_S_NAME_NOT_MN"
      case .badMechanismAttribute: "GSS_S_BAD_MECH_ATTR"
      }
    }
  }

  /// Supplementary information bits (python-gssapi's SupplementaryError subclasses).
  public struct Supplementary: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// GSS_S_CONTINUE_NEEDED.
    public static let continueNeeded = Supplementary(rawValue: 1 << 0)
    /// GSS_S_DUPLICATE_TOKEN (DuplicateTokenError).
    public static let duplicateToken = Supplementary(rawValue: 1 << 1)
    /// GSS_S_OLD_TOKEN (ExpiredTokenError).
    public static let oldToken = Supplementary(rawValue: 1 << 2)
    /// GSS_S_UNSEQ_TOKEN: a later token already arrived (TokenTooLateError, a TokenOutOfSequenceError).
    public static let unsequencedToken = Supplementary(rawValue: 1 << 3)
    /// GSS_S_GAP_TOKEN: an earlier token is missing (TokenTooEarlyError, a TokenOutOfSequenceError).
    public static let gapToken = Supplementary(rawValue: 1 << 4)
  }

  /// The calling error in `major`, if any.
  public var calling: Calling? { Calling(rawValue: cgss_calling_error(major) >> 24) }
  /// The routine error in `major`, if any.
  public var routine: Routine? { Routine(rawValue: cgss_routine_error(major) >> 16) }
  /// The supplementary bits of `major`.
  public var supplementary: Supplementary { Supplementary(rawValue: cgss_supplementary_info(major)) }

  /// The python-gssapi class name for this error (`GSSError` when there is no more specific one).
  /// Combined statuses name the combined class (e.g. TokenReadError).
  public var pythonName: String {
    switch (calling, routine) {
    case (.inaccessibleRead?, .badName?): return "NameReadError"
    case (.inaccessibleRead?, .badNameType?): return "NameTypeReadError"
    case (.inaccessibleRead?, .defectiveToken?): return "TokenReadError"
    case (let c?, nil): return c.pythonName
    case (_, let r?): return r.pythonName
    default:
      if supplementary.contains(.duplicateToken) { return "DuplicateTokenError" }
      if supplementary.contains(.oldToken) { return "ExpiredTokenError" }
      if supplementary.contains(.unsequencedToken) { return "TokenTooLateError" }
      if supplementary.contains(.gapToken) { return "TokenTooEarlyError" }
      return "GSSError"
    }
  }

  public var description: String {
    var text = "\(context): "
    if let routine {
      text += routine.statusName
    } else if let calling {
      text += "\(calling)"
    } else {
      text += "major 0x\(String(major, radix: 16))"
    }
    let messages = (majorMessages + minorMessages).filter { !$0.isEmpty }
    if !messages.isEmpty { text += " (" + messages.joined(separator: "; ") + ")" }
    if minor != 0 { text += " [minor \(minor)]" }
    return text
  }

  /// An error returned by the library; the messages are looked up with `gss_display_status`.
  init(major: UInt32, minor: UInt32, mechanism: GSSAPI.OID?, context: String, token: [UInt8]? = nil) {
    self.major = major
    self.minor = minor
    self.mechanism = mechanism
    self.context = context
    self.token = token
    majorMessages = GSSError.statusMessages(major, isMajor: true, mechanism: nil)
    minorMessages = minor == 0 ? [] : GSSError.statusMessages(minor, isMajor: false, mechanism: mechanism)
  }

  /// An error found before calling the library (bad input): a GSS status with an explanation.
  init(_ routine: Routine, _ explanation: String) {
    major = routine.rawValue << 16
    minor = 0
    mechanism = nil
    context = explanation
    token = nil
    majorMessages = GSSError.statusMessages(major, isMajor: true, mechanism: nil)
    minorMessages = []
  }

  /// Every message `gss_display_status` gives for a status code (python-gssapi's
  /// `GSSError.get_all_statuses`).
  public static func statusMessages(_ code: UInt32, isMajor: Bool, mechanism: GSSAPI.OID? = nil)
    -> [String]
  {
    var messages: [String] = []
    var messageContext: OM_uint32 = 0
    repeat {
      var minor: OM_uint32 = 0
      var buffer = gss_buffer_desc()
      let status = withOptionalOID(mechanism) { mech in
        gss_display_status(
          &minor, code, Int32(isMajor ? GSS_C_GSS_CODE : GSS_C_MECH_CODE), mech, &messageContext,
          &buffer)
      }
      guard status == GSS_S_COMPLETE else { break }
      messages.append(String(decoding: takeBuffer(&buffer), as: UTF8.self))
    } while messageContext != 0 && messages.count < 16
    return messages
  }

  public static func == (a: GSSError, b: GSSError) -> Bool {
    a.major == b.major && a.minor == b.minor && a.mechanism == b.mechanism && a.context == b.context
  }
}

/// Throws a ``GSSError`` when `major` has a calling or routine error.
@inline(__always)
func check(
  _ major: OM_uint32, _ minor: OM_uint32, _ what: @autoclosure () -> String,
  mechanism: GSSAPI.OID? = nil, token: [UInt8]? = nil
) throws(GSSError) {
  if _fastPath(cgss_error(major) == 0) { return }
  throw GSSError(major: major, minor: minor, mechanism: mechanism, context: what(), token: token)
}
