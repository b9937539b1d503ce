extension SSPI {
  /// A SECURITY_STATUS: the HRESULT-style code every SSPI call returns (`SEC_E_*` failures,
  /// `SEC_I_*` informational successes), with Windows' numeric values and names.
  public struct Status: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The code as Windows defines it (e.g. 0x8009030C for SEC_E_LOGON_DENIED).
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Whether this is a success code (SEC_E_OK or a SEC_I_* code): the top bit is clear.
    public var isSuccess: Bool { rawValue & 0x8000_0000 == 0 }

    /// The code as a signed 32-bit SECURITY_STATUS (how C and pywin32 print it).
    public var signedValue: Int32 { Int32(bitPattern: rawValue) }

    /// The Windows name, e.g. "SEC_E_LOGON_DENIED"; unknown codes print as hex.
    public var name: String { Status.names[rawValue] ?? "0x" + String(rawValue, radix: 16, uppercase: true) }

    public var description: String { name }

    /// SEC_E_OK.
    public static let ok = Status(rawValue: 0)
    /// SEC_I_CONTINUE_NEEDED: send the output token and call again with the peer's reply.
    public static let continueNeeded = Status(rawValue: 0x0009_0312)
    /// SEC_I_COMPLETE_NEEDED: call CompleteAuthToken, then send the output token.
    public static let completeNeeded = Status(rawValue: 0x0009_0313)
    /// SEC_I_COMPLETE_AND_CONTINUE.
    public static let completeAndContinue = Status(rawValue: 0x0009_0314)
    /// SEC_I_LOCAL_LOGON.
    public static let localLogon = Status(rawValue: 0x0009_0315)
    /// SEC_I_CONTEXT_EXPIRED: the peer closed the context.
    public static let contextExpiredInfo = Status(rawValue: 0x0009_0317)
    /// SEC_I_INCOMPLETE_CREDENTIALS.
    public static let incompleteCredentialsInfo = Status(rawValue: 0x0009_0320)
    /// SEC_I_RENEGOTIATE.
    public static let renegotiate = Status(rawValue: 0x0009_0321)
    /// SEC_I_NO_LSA_CONTEXT.
    public static let noLSAContext = Status(rawValue: 0x0009_0323)
    /// SEC_I_SIGNATURE_NEEDED.
    public static let signatureNeeded = Status(rawValue: 0x0009_035C)

    /// SEC_E_INSUFFICIENT_MEMORY.
    public static let insufficientMemory = Status(rawValue: 0x8009_0300)
    /// SEC_E_INVALID_HANDLE.
    public static let invalidHandle = Status(rawValue: 0x8009_0301)
    /// SEC_E_UNSUPPORTED_FUNCTION.
    public static let unsupportedFunction = Status(rawValue: 0x8009_0302)
    /// SEC_E_TARGET_UNKNOWN.
    public static let targetUnknown = Status(rawValue: 0x8009_0303)
    /// SEC_E_INTERNAL_ERROR: an error that did not map to an SSPI code.
    public static let internalError = Status(rawValue: 0x8009_0304)
    /// SEC_E_SECPKG_NOT_FOUND.
    public static let packageNotFound = Status(rawValue: 0x8009_0305)
    /// SEC_E_NOT_OWNER: the caller may not use these credentials.
    public static let notOwner = Status(rawValue: 0x8009_0306)
    /// SEC_E_CANNOT_INSTALL.
    public static let cannotInstall = Status(rawValue: 0x8009_0307)
    /// SEC_E_INVALID_TOKEN.
    public static let invalidToken = Status(rawValue: 0x8009_0308)
    /// SEC_E_CANNOT_PACK.
    public static let cannotPack = Status(rawValue: 0x8009_0309)
    /// SEC_E_QOP_NOT_SUPPORTED.
    public static let qopNotSupported = Status(rawValue: 0x8009_030A)
    /// SEC_E_NO_IMPERSONATION.
    public static let noImpersonation = Status(rawValue: 0x8009_030B)
    /// SEC_E_LOGON_DENIED.
    public static let logonDenied = Status(rawValue: 0x8009_030C)
    /// SEC_E_UNKNOWN_CREDENTIALS.
    public static let unknownCredentials = Status(rawValue: 0x8009_030D)
    /// SEC_E_NO_CREDENTIALS.
    public static let noCredentials = Status(rawValue: 0x8009_030E)
    /// SEC_E_MESSAGE_ALTERED.
    public static let messageAltered = Status(rawValue: 0x8009_030F)
    /// SEC_E_OUT_OF_SEQUENCE.
    public static let outOfSequence = Status(rawValue: 0x8009_0310)
    /// SEC_E_NO_AUTHENTICATING_AUTHORITY.
    public static let noAuthenticatingAuthority = Status(rawValue: 0x8009_0311)
    /// SEC_E_BAD_PKGID.
    public static let badPackageID = Status(rawValue: 0x8009_0316)
    /// SEC_E_CONTEXT_EXPIRED.
    public static let contextExpired = Status(rawValue: 0x8009_0317)
    /// SEC_E_INCOMPLETE_MESSAGE.
    public static let incompleteMessage = Status(rawValue: 0x8009_0318)
    /// SEC_E_INCOMPLETE_CREDENTIALS.
    public static let incompleteCredentials = Status(rawValue: 0x8009_0320)
    /// SEC_E_BUFFER_TOO_SMALL.
    public static let bufferTooSmall = Status(rawValue: 0x8009_0321)
    /// SEC_E_WRONG_PRINCIPAL.
    public static let wrongPrincipal = Status(rawValue: 0x8009_0322)
    /// SEC_E_TIME_SKEW.
    public static let timeSkew = Status(rawValue: 0x8009_0324)
    /// SEC_E_ILLEGAL_MESSAGE.
    public static let illegalMessage = Status(rawValue: 0x8009_0326)
    /// SEC_E_ENCRYPT_FAILURE.
    public static let encryptFailure = Status(rawValue: 0x8009_0329)
    /// SEC_E_DECRYPT_FAILURE.
    public static let decryptFailure = Status(rawValue: 0x8009_0330)
    /// SEC_E_ALGORITHM_MISMATCH.
    public static let algorithmMismatch = Status(rawValue: 0x8009_0331)
    /// SEC_E_UNFINISHED_CONTEXT_DELETED.
    public static let unfinishedContextDeleted = Status(rawValue: 0x8009_0333)
    /// SEC_E_NO_TGT_REPLY.
    public static let noTGTReply = Status(rawValue: 0x8009_0334)
    /// SEC_E_WRONG_CREDENTIAL_HANDLE.
    public static let wrongCredentialHandle = Status(rawValue: 0x8009_0336)
    /// SEC_E_CRYPTO_SYSTEM_INVALID.
    public static let cryptoSystemInvalid = Status(rawValue: 0x8009_0337)
    /// SEC_E_KDC_UNKNOWN_ETYPE.
    public static let kdcUnknownEncryptionType = Status(rawValue: 0x8009_0342)
    /// SEC_E_DELEGATION_REQUIRED.
    public static let delegationRequired = Status(rawValue: 0x8009_0345)
    /// SEC_E_BAD_BINDINGS: the channel bindings do not match.
    public static let badBindings = Status(rawValue: 0x8009_0346)
    /// SEC_E_NO_KERB_KEY.
    public static let noKerberosKey = Status(rawValue: 0x8009_0348)
    /// SEC_E_DOWNGRADE_DETECTED.
    public static let downgradeDetected = Status(rawValue: 0x8009_0350)
    /// SEC_E_INVALID_PARAMETER.
    public static let invalidParameter = Status(rawValue: 0x8009_035D)
    /// SEC_E_NO_CONTEXT.
    public static let noContext = Status(rawValue: 0x8009_0361)
    /// SEC_E_MUTUAL_AUTH_FAILED.
    public static let mutualAuthenticationFailed = Status(rawValue: 0x8009_0363)

    static let names: [UInt32: String] = [
      0: "SEC_E_OK",
      0x0009_0312: "SEC_I_CONTINUE_NEEDED",
      0x0009_0313: "SEC_I_COMPLETE_NEEDED",
      0x0009_0314: "SEC_I_COMPLETE_AND_CONTINUE",
      0x0009_0315: "SEC_I_LOCAL_LOGON",
      0x0009_0317: "SEC_I_CONTEXT_EXPIRED",
      0x0009_0320: "SEC_I_INCOMPLETE_CREDENTIALS",
      0x0009_0321: "SEC_I_RENEGOTIATE",
      0x0009_0323: "SEC_I_NO_LSA_CONTEXT",
      0x0009_035C: "SEC_I_SIGNATURE_NEEDED",
      0x8009_0300: "SEC_E_INSUFFICIENT_MEMORY",
      0x8009_0301: "SEC_E_INVALID_HANDLE",
      0x8009_0302: "SEC_E_UNSUPPORTED_FUNCTION",
      0x8009_0303: "SEC_E_TARGET_UNKNOWN",
      0x8009_0304: "SEC_E_INTERNAL_ERROR",
      0x8009_0305: "SEC_E_SECPKG_NOT_FOUND",
      0x8009_0306: "SEC_E_NOT_OWNER",
      0x8009_0307: "SEC_E_CANNOT_INSTALL",
      0x8009_0308: "SEC_E_INVALID_TOKEN",
      0x8009_0309: "SEC_E_CANNOT_PACK",
      0x8009_030A: "SEC_E_QOP_NOT_SUPPORTED",
      0x8009_030B: "SEC_E_NO_IMPERSONATION",
      0x8009_030C: "SEC_E_LOGON_DENIED",
      0x8009_030D: "SEC_E_UNKNOWN_CREDENTIALS",
      0x8009_030E: "SEC_E_NO_CREDENTIALS",
      0x8009_030F: "SEC_E_MESSAGE_ALTERED",
      0x8009_0310: "SEC_E_OUT_OF_SEQUENCE",
      0x8009_0311: "SEC_E_NO_AUTHENTICATING_AUTHORITY",
      0x8009_0316: "SEC_E_BAD_PKGID",
      0x8009_0317: "SEC_E_CONTEXT_EXPIRED",
      0x8009_0318: "SEC_E_INCOMPLETE_MESSAGE",
      0x8009_0320: "SEC_E_INCOMPLETE_CREDENTIALS",
      0x8009_0321: "SEC_E_BUFFER_TOO_SMALL",
      0x8009_0322: "SEC_E_WRONG_PRINCIPAL",
      0x8009_0324: "SEC_E_TIME_SKEW",
      0x8009_0326: "SEC_E_ILLEGAL_MESSAGE",
      0x8009_0329: "SEC_E_ENCRYPT_FAILURE",
      0x8009_0330: "SEC_E_DECRYPT_FAILURE",
      0x8009_0331: "SEC_E_ALGORITHM_MISMATCH",
      0x8009_0333: "SEC_E_UNFINISHED_CONTEXT_DELETED",
      0x8009_0334: "SEC_E_NO_TGT_REPLY",
      0x8009_0336: "SEC_E_WRONG_CREDENTIAL_HANDLE",
      0x8009_0337: "SEC_E_CRYPTO_SYSTEM_INVALID",
      0x8009_0342: "SEC_E_KDC_UNKNOWN_ETYPE",
      0x8009_0345: "SEC_E_DELEGATION_REQUIRED",
      0x8009_0346: "SEC_E_BAD_BINDINGS",
      0x8009_0348: "SEC_E_NO_KERB_KEY",
      0x8009_0350: "SEC_E_DOWNGRADE_DETECTED",
      0x8009_035D: "SEC_E_INVALID_PARAMETER",
      0x8009_0361: "SEC_E_NO_CONTEXT",
      0x8009_0363: "SEC_E_MUTUAL_AUTH_FAILED",
    ]
  }
}
