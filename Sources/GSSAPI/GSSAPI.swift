internal import CGSSAPI

/// The GSS-API (RFC 2743/2744) and its extensions, over the system's MIT Kerberos library.
///
/// Every function of python-gssapi's low-level `gssapi.raw` module is a static member here, with
/// results shaped like its named tuples. C handles are owned by ``Name``, ``Credentials`` and
/// ``SecurityContext`` and released when the value goes away. Every call throws ``GSSError``.
///
/// Thread safety: distinct objects may be used from any thread at the same time; one security
/// context must not be used by two threads at once (as with the C library). `krb5CCacheName(_:)`
/// changes process-wide state.
public enum GSSAPI {}

/// The GSS status word and the constants that make it up (RFC 2744 3.9.1).
extension GSSAPI {
  /// GSS_S_COMPLETE.
  public static let complete: UInt32 = 0
  /// GSS_S_CONTINUE_NEEDED.
  public static let continueNeeded: UInt32 = cgss_continue_needed()
  /// GSS_C_INDEFINITE: a lifetime with no end.
  public static let indefinite: UInt32 = cgss_indefinite()
}
