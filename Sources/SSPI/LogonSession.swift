internal import CKeyring
import Foundation
import NTSecurity

extension SSPI {
  /// The logon id (LUID) of the caller's own logon session, as AcquireCredentialsHandle's
  /// `pvLogonID` names it; nil when the process has no session to name.
  ///
  /// Until the LSA assigns logon sessions, the LUID comes from the closest thing Linux has, in
  /// this order:
  ///
  /// - the audit session id (`/proc/self/sessionid`, set once at login by pam_loginuid and
  ///   inherited by every process of that login): HighPart 1, LowPart the session id;
  /// - otherwise the serial of the process's kernel session keyring (where Credential Manager
  ///   keeps CRED_PERSIST_SESSION credentials, the logon session's): HighPart 2, LowPart the
  ///   serial.
  ///
  /// HighPart 1 and 2 keep these apart from each other and from Windows' well-known logon ids
  /// (SYSTEM 0x3E7, LOCAL SERVICE 0x3E5, NETWORK SERVICE 0x3E4, anonymous 0x3E6, all HighPart 0).
  /// `ntsec sspi logon-id` prints it.
  public static var callerLogonID: LUID? {
    if let text = try? String(contentsOfFile: "/proc/self/sessionid", encoding: .utf8),
      let id = UInt32(text.trimmingCharacters(in: .whitespacesAndNewlines)), id != UInt32.max
    {
      return LUID(lowPart: id, highPart: 1)
    }
    let serial = ntsec_keyring_id(NTSEC_KEY_SPEC_SESSION_KEYRING, 0)
    guard serial > 0 else { return nil }
    return LUID(lowPart: UInt32(serial), highPart: 2)
  }
}
