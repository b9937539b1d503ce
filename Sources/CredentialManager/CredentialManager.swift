import NTSecurity
import Synchronization

/// The win32cred API as static calls on the calling user's vault (`CredentialVault.openUserVault`),
/// for code ported from pywin32: `CredentialManager.read(target:type:)` is `CredRead`, and so on.
/// Every call is also a method of `CredentialVault`, for a vault at another location.
public enum CredentialManager {
  static let shared = Mutex<CredentialVault?>(nil)

  /// The calling user's vault, opened on first use.
  public static func userVault() throws(NTSecurityError) -> CredentialVault {
    let result: Result<CredentialVault, NTSecurityError> = shared.withLock { vault in
      if let vault { return .success(vault) }
      do throws(NTSecurityError) {
        let opened = try CredentialVault.openUserVault()
        vault = opened
        return .success(opened)
      } catch { return .failure(error) }
    }
    return try result.get()
  }

  /// CredRead.
  public static func read(target: String, type: CredentialType, flags: UInt32 = 0) throws(NTSecurityError)
    -> Credential
  {
    try userVault().read(target: target, type: type, flags: flags)
  }
  /// CredWrite.
  public static func write(_ credential: Credential, flags: UInt32 = 0) throws(NTSecurityError) {
    try userVault().write(credential, flags: flags)
  }
  /// CredDelete.
  public static func delete(target: String, type: CredentialType, flags: UInt32 = 0) throws(NTSecurityError) {
    try userVault().delete(target: target, type: type, flags: flags)
  }
  /// CredRename.
  public static func rename(target: String, to newTarget: String, type: CredentialType, flags: UInt32 = 0)
    throws(NTSecurityError)
  {
    try userVault().rename(target: target, to: newTarget, type: type, flags: flags)
  }
  /// CredEnumerate.
  public static func enumerate(filter: String? = nil, flags: UInt32 = 0) throws(NTSecurityError)
    -> [Credential]
  {
    try userVault().enumerate(filter: filter, flags: flags)
  }
  /// CredGetTargetInfo.
  public static func targetInformation(for target: String, flags: UInt32 = 0) throws(NTSecurityError)
    -> CredentialTargetInformation
  {
    try userVault().targetInformation(for: target, flags: flags)
  }
  /// CredReadDomainCredentials.
  public static func readDomainCredentials(for info: CredentialTargetInformation, flags: UInt32 = 0)
    throws(NTSecurityError) -> [Credential]
  {
    try userVault().readDomainCredentials(for: info, flags: flags)
  }
  /// CredWriteDomainCredentials.
  public static func writeDomainCredentials(
    _ credential: Credential, for info: CredentialTargetInformation, flags: UInt32 = 0
  ) throws(NTSecurityError) {
    try userVault().writeDomainCredentials(credential, for: info, flags: flags)
  }
  /// CredMarshalCredential: Windows' `@@…` string for a certificate, user name or blob.
  public static func marshal(_ credential: MarshaledCredential) throws(NTSecurityError) -> String {
    try CredentialMarshaling.marshal(credential)
  }
  /// CredUnmarshalCredential: ERROR_INVALID_PARAMETER for anything Windows would not accept.
  public static func unmarshal(_ text: String) throws(NTSecurityError) -> MarshaledCredential {
    try CredentialMarshaling.unmarshal(text)
  }
  /// CredIsMarshaledCredential.
  public static func isMarshaled(_ text: String) -> Bool {
    (try? CredentialMarshaling.unmarshal(text)) != nil
  }
  /// CredUIParseUserName.
  public static func parseUserName(_ name: String) throws(NTSecurityError) -> ParsedUserName {
    try UserNameParser.parse(name)
  }
  /// CredUIStoreSSOCredW.
  public static func storeSSOCredential(realm: String?, userName: String, password: String, persist: Bool)
    throws(NTSecurityError)
  {
    try userVault().storeSSOCredential(realm: realm, userName: userName, password: password, persist: persist)
  }
  /// CredUIReadSSOCredW.
  public static func readSSOUserName(realm: String?) throws(NTSecurityError) -> String {
    try userVault().readSSOUserName(realm: realm)
  }
}

extension CredentialManager {
  /// CredUICmdLinePromptForCredentials.
  public static func promptOnTerminal(
    target: String, authError: UInt32 = 0, userName: String? = nil, password: String? = nil,
    save: Bool = true, flags: PromptFlags = .excludeCertificates
  ) throws(NTSecurityError) -> PromptResult {
    try userVault().promptOnTerminal(
      target: target, authError: authError, userName: userName, password: password, save: save, flags: flags)
  }
  /// CredUIPromptForCredentials.
  public static func prompt(
    target: String, authError: UInt32 = 0, userName: String? = nil, password: String? = nil,
    save: Bool = true, flags: PromptFlags = [], info: PromptInfo? = nil
  ) throws(NTSecurityError) -> PromptResult {
    try userVault().prompt(
      target: target, authError: authError, userName: userName, password: password, save: save, flags: flags,
      info: info)
  }
  /// CredUIConfirmCredentials.
  public static func confirm(target: String, succeeded: Bool) throws(NTSecurityError) {
    try userVault().confirm(target: target, succeeded: succeeded)
  }
}
