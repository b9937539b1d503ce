import Foundation
import NTSecurity
import Synchronization

/// What the prompt functions share: argument checks, the credential a prompt saves, and the
/// credentials held until CredUIConfirmCredentials.
enum PromptLogic {
  static let pending = Mutex<[[UInt8]: Credential]>([:])
  /// Replaces the process environment when choosing a pinentry (tests; no setenv races).
  static let environmentOverride = Mutex<[String: String]?>(nil)

  static func environment() -> [String: String] {
    environmentOverride.withLock { $0 } ?? ProcessInfo.processInfo.environment
  }

  /// The password that was typed, or the one the caller passed when nothing was typed.
  static func secret(typed: [UInt8], given password: String?) -> SecretBytes {
    if typed.isEmpty, let password { return SecretBytes(password: password) }
    return SecretBytes(password: String(decoding: typed, as: UTF8.self))
  }

  /// Whether to save: CREDUI_FLAGS_DO_NOT_PERSIST and CREDUI_FLAGS_PERSIST decide it; otherwise
  /// `ask` does.
  static func save(_ flags: PromptFlags, ask: () throws(NTSecurityError) -> Bool)
    throws(NTSecurityError) -> Bool
  {
    if flags.contains(.doNotPersist) { return false }
    if flags.contains(.persist) { return true }
    return try ask()
  }

  static func checkArguments(target: String, userName: String?, password: String?) throws(NTSecurityError) {
    guard !target.isEmpty else { throw NTSecurityError(.invalidParameter, "the target name is empty") }
    guard target.utf16.count <= CredentialLimits.maxGenericTargetNameLength else {
      throw NTSecurityError(.invalidParameter, "the target name is too long")
    }
    if let userName, userName.utf16.count > CredentialLimits.maxPromptUserNameLength {
      throw NTSecurityError(.invalidParameter, "the user name is longer than CREDUI_MAX_USERNAME_LENGTH")
    }
    if let password, password.utf16.count > CredentialLimits.maxPromptPasswordLength {
      throw NTSecurityError(.invalidParameter, "the password is longer than CREDUI_MAX_PASSWORD_LENGTH")
    }
  }

  /// The credential a prompt saves: a domain password (completing a bare user name with the
  /// target as domain), a generic credential with GENERIC_CREDENTIALS, or a username-target one.
  static func credential(for result: PromptResult, target: String, flags: PromptFlags) -> Credential {
    if flags.contains(.genericCredentials) {
      return Credential(
        type: .generic, targetName: target, userName: result.userName, credentialBlob: result.password)
    }
    var user = result.userName
    if (try? UserNameParser.parse(user)) == nil { user = "\(target)\\\(user)" }
    if flags.contains(.usernameTargetCredentials) {
      return Credential(
        type: .domainPassword, targetName: user, userName: user, credentialBlob: result.password,
        flags: .usernameTarget)
    }
    return Credential(
      type: .domainPassword, targetName: target, userName: user, credentialBlob: result.password)
  }

  static func keep(_ result: PromptResult, target: String, flags: PromptFlags, vault: CredentialVault)
    throws(NTSecurityError)
  {
    guard result.save else { return }
    let c = credential(for: result, target: target, flags: flags)
    if flags.contains(.expectConfirmation) {
      let key = Array((vault.vaultID + "\u{0}" + Normalized.key(target)).utf8)
      pending.withLock { $0[key] = c }
    } else {
      try vault.write(c)
    }
  }

  static func takePending(target: String, vault: CredentialVault) -> Credential? {
    // Keyed by bytes: Windows compares targets by code units, not canonical equivalence.
    let key = Array((vault.vaultID + "\u{0}" + Normalized.key(target)).utf8)
    return pending.withLock { $0.removeValue(forKey: key) }
  }
}
