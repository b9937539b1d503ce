import GSSAPI

/// A failed SSPI call: the SECURITY_STATUS Windows would return, what went wrong, the GSS-API
/// error it came from (if any), and an output token for the peer when the package made one (a
/// Kerberos KRB-ERROR, for instance).
public struct SSPIError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The SEC_E_* code.
  public let status: SSPI.Status
  /// What failed and why.
  public let message: String
  /// The GSS-API failure behind this error, if there was one.
  public let gssError: GSSError?
  /// A token to send to the peer despite the failure.
  public let token: [UInt8]?

  public init(_ status: SSPI.Status, _ message: String, gssError: GSSError? = nil, token: [UInt8]? = nil) {
    self.status = status
    self.message = message
    self.gssError = gssError
    self.token = token
  }

  public var description: String {
    var text = "\(status.name) (0x\(String(status.rawValue, radix: 16, uppercase: true))): \(message)"
    if let gssError { text += " [\(gssError)]" }
    return text
  }

  /// The SSPI call a GSS-API failure happened in; the same GSS status means different things in
  /// each (a bad name is an unknown principal when acquiring, an unknown target when initiating).
  enum Operation {
    case acquire, initialize, accept, message, query
  }

  /// Maps a GSS-API failure to the SECURITY_STATUS Windows' Kerberos, NTLM and Negotiate packages
  /// return for the same cause: the Kerberos minor code first (it names the real cause), then
  /// the GSS routine error.
  init(_ error: GSSError, during operation: Operation, _ what: String) {
    let status = SSPIError.status(for: error, during: operation)
    self.init(status, what, gssError: error, token: error.token)
  }

  static func status(for error: GSSError, during operation: Operation) -> SSPI.Status {
    if let status = kerberosStatus(Int32(bitPattern: error.minor), during: operation) { return status }
    if error.minor == 12 { return .insufficientMemory }  // ENOMEM
    switch error.routine {
    case .badMechanism?: return .packageNotFound
    case .badName?, .badNameType?:
      return operation == .acquire ? .unknownCredentials : .targetUnknown
    case .badBindings?: return .badBindings
    case .badMIC?: return .messageAltered
    case .noCredentials?: return .noCredentials
    case .noContext?: return .invalidHandle
    case .defectiveToken?: return operation == .message ? .messageAltered : .invalidToken
    case .defectiveCredential?: return operation == .acquire ? .unknownCredentials : .logonDenied
    case .credentialsExpired?: return .noCredentials
    case .contextExpired?: return .contextExpired
    case .badQoP?: return .qopNotSupported
    case .unauthorized?: return operation == .acquire ? .notOwner : .logonDenied
    case .unavailable?: return .unsupportedFunction
    case .duplicateElement?, .nameNotMN?, .badStatus?, .badMechanismAttribute?: return .internalError
    case .failure?, nil:
      let s = error.supplementary
      if s.contains(.duplicateToken) || s.contains(.unsequencedToken) || s.contains(.gapToken)
        || s.contains(.oldToken)
      {
        return .outOfSequence
      }
      if error.calling != nil { return .invalidParameter }
      return operation == .accept ? .logonDenied : .internalError
    }
  }

  /// Kerberos (MIT krb5 com_err) minor codes and their SSPI meaning.
  static func kerberosStatus(_ minor: Int32, during operation: Operation) -> SSPI.Status? {
    switch minor {
    case Krb5Code.badIntegrity where operation == .message: return .messageAltered
    case Krb5Code.clientPrincipalUnknown, Krb5Code.preauthFailedKDC, Krb5Code.badIntegrity,
      Krb5Code.preauthFailed:
      return operation == .acquire ? .unknownCredentials : .logonDenied
    case Krb5Code.serverPrincipalUnknown:
      return operation == .acquire ? .unknownCredentials : .targetUnknown
    case Krb5Code.clientRevoked, Krb5Code.keyExpired, Krb5Code.policy: return .logonDenied
    case Krb5Code.kdcUnreachable, Krb5Code.realmUnknown, Krb5Code.realmCannotResolve:
      return .noAuthenticatingAuthority
    case Krb5Code.fileCacheNoFile, Krb5Code.ccacheNotFound, Krb5Code.ccacheEnd, Krb5Code.noDefaultRealm:
      return .noCredentials
    case Krb5Code.keytabNotFound, Krb5Code.keytabEnd, Krb5Code.keytabKVNONotFound:
      return operation == .accept ? .logonDenied : .noCredentials
    case Krb5Code.skew: return .timeSkew
    case Krb5Code.ticketExpired: return .contextExpired
    case Krb5Code.repeatRequest: return operation == .message ? .outOfSequence : .invalidToken
    case Krb5Code.notUs, Krb5Code.badMatch, Krb5Code.wrongPrincipal: return .wrongPrincipal
    case Krb5Code.modified, Krb5Code.noKey, Krb5Code.badKeyVersion:
      return operation == .message ? .messageAltered : .logonDenied
    case Krb5Code.mutualFailure: return .mutualAuthenticationFailed
    case Krb5Code.encryptionTypeNotSupported, Krb5Code.badEncryptionType: return .kdcUnknownEncryptionType
    case Krb5Code.malformedName: return operation == .acquire ? .unknownCredentials : .targetUnknown
    default: return nil
    }
  }
}

/// MIT krb5's error codes (krb5.h, `ERROR_TABLE_BASE_krb5` = -1765328384) that SSPI maps; the
/// tests check them against the C headers.
enum Krb5Code {
  static let clientPrincipalUnknown: Int32 = -1_765_328_378  // KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN
  static let serverPrincipalUnknown: Int32 = -1_765_328_377  // KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN
  static let policy: Int32 = -1_765_328_372  // KRB5KDC_ERR_POLICY
  static let encryptionTypeNotSupported: Int32 = -1_765_328_370  // KRB5KDC_ERR_ETYPE_NOSUPP
  static let clientRevoked: Int32 = -1_765_328_366  // KRB5KDC_ERR_CLIENT_REVOKED
  static let keyExpired: Int32 = -1_765_328_361  // KRB5KDC_ERR_KEY_EXP
  static let preauthFailedKDC: Int32 = -1_765_328_360  // KRB5KDC_ERR_PREAUTH_FAILED
  static let badIntegrity: Int32 = -1_765_328_353  // KRB5KRB_AP_ERR_BAD_INTEGRITY
  static let ticketExpired: Int32 = -1_765_328_352  // KRB5KRB_AP_ERR_TKT_EXPIRED
  static let repeatRequest: Int32 = -1_765_328_350  // KRB5KRB_AP_ERR_REPEAT
  static let notUs: Int32 = -1_765_328_349  // KRB5KRB_AP_ERR_NOT_US
  static let badMatch: Int32 = -1_765_328_348  // KRB5KRB_AP_ERR_BADMATCH
  static let skew: Int32 = -1_765_328_347  // KRB5KRB_AP_ERR_SKEW
  static let modified: Int32 = -1_765_328_343  // KRB5KRB_AP_ERR_MODIFIED
  static let badKeyVersion: Int32 = -1_765_328_340  // KRB5KRB_AP_ERR_BADKEYVER
  static let noKey: Int32 = -1_765_328_339  // KRB5KRB_AP_ERR_NOKEY
  static let mutualFailure: Int32 = -1_765_328_338  // KRB5KRB_AP_ERR_MUT_FAIL
  static let malformedName: Int32 = -1_765_328_250  // KRB5_PARSE_MALFORMED
  static let ccacheNotFound: Int32 = -1_765_328_243  // KRB5_CC_NOTFOUND
  static let ccacheEnd: Int32 = -1_765_328_242  // KRB5_CC_END
  static let wrongPrincipal: Int32 = -1_765_328_240  // KRB5KRB_AP_WRONG_PRINC
  static let realmUnknown: Int32 = -1_765_328_230  // KRB5_REALM_UNKNOWN
  static let kdcUnreachable: Int32 = -1_765_328_228  // KRB5_KDC_UNREACH
  static let keytabNotFound: Int32 = -1_765_328_203  // KRB5_KT_NOTFOUND
  static let keytabEnd: Int32 = -1_765_328_202  // KRB5_KT_END
  static let badEncryptionType: Int32 = -1_765_328_196  // KRB5_BAD_ENCTYPE
  static let fileCacheNoFile: Int32 = -1_765_328_189  // KRB5_FCC_NOFILE
  static let preauthFailed: Int32 = -1_765_328_174  // KRB5_PREAUTH_FAILED
  static let realmCannotResolve: Int32 = -1_765_328_164  // KRB5_REALM_CANT_RESOLVE
  static let noDefaultRealm: Int32 = -1_765_328_160  // KRB5_CONFIG_NODEFREALM
  static let keytabKVNONotFound: Int32 = -1_765_328_154  // KRB5_KT_KVNONOTFOUND
}
