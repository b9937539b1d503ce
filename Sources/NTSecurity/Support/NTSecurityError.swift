/// The error thrown by the NTSecurity module: the Windows error code the failure corresponds to,
/// what went wrong, and where (a character offset into SDDL text or a byte offset into binary data).
public struct NTSecurityError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The Win32 error code Windows gives for the same input.
  public var code: WindowsError
  /// A short English description of the failure.
  public var message: String
  /// The character offset (SDDL) or byte offset (binary) where the failure was found, if known.
  public var offset: Int?

  /// Creates an error.
  public init(_ code: WindowsError, _ message: String, offset: Int? = nil) {
    self.code = code
    self.message = message
    self.offset = offset
  }

  public var description: String {
    if let offset { return "\(code.name): \(message) at offset \(offset)" }
    return "\(code.name): \(message)"
  }
}
