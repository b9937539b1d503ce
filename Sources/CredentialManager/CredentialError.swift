import NTSecurity

/// The error thrown by the CredentialManager module: the Win32 error code Windows gives for the
/// same call (`ERROR_NOT_FOUND`, `ERROR_INVALID_PARAMETER`, `ERROR_BAD_USERNAME`, …) and what went
/// wrong. Messages name targets and fields but never contain a credential blob or a password.
public struct CredentialError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The Win32 error code.
  public var code: WindowsError
  /// A short English description of the failure.
  public var message: String

  /// Creates an error.
  public init(_ code: WindowsError, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code.name): \(message)" }
}
