import NTSecurity

/// CREDUI_FLAGS_*: how CredUIPromptForCredentials and CredUICmdLinePromptForCredentials behave.
/// Flags that shape Windows dialog controls are accepted and have no visible effect.
public struct PromptFlags: OptionSet, Hashable, Sendable {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let incorrectPassword = PromptFlags(rawValue: 0x1)
  public static let doNotPersist = PromptFlags(rawValue: 0x2)
  public static let requestAdministrator = PromptFlags(rawValue: 0x4)
  public static let excludeCertificates = PromptFlags(rawValue: 0x8)
  public static let requireCertificate = PromptFlags(rawValue: 0x10)
  public static let showSaveCheckBox = PromptFlags(rawValue: 0x40)
  public static let alwaysShowUI = PromptFlags(rawValue: 0x80)
  public static let requireSmartcard = PromptFlags(rawValue: 0x100)
  public static let passwordOnlyOK = PromptFlags(rawValue: 0x200)
  public static let validateUsername = PromptFlags(rawValue: 0x400)
  public static let completeUsername = PromptFlags(rawValue: 0x800)
  public static let persist = PromptFlags(rawValue: 0x1000)
  public static let serverCredential = PromptFlags(rawValue: 0x4000)
  public static let expectConfirmation = PromptFlags(rawValue: 0x20000)
  public static let genericCredentials = PromptFlags(rawValue: 0x40000)
  public static let usernameTargetCredentials = PromptFlags(rawValue: 0x80000)
  public static let keepUsername = PromptFlags(rawValue: 0x100000)

  /// Every defined flag.
  public static let valid = PromptFlags(rawValue: 0x1F_5FDF)

  /// The flag checks both prompt functions share (ERROR_INVALID_FLAGS).
  func check(commandLine: Bool) throws(NTSecurityError) {
    guard rawValue & ~PromptFlags.valid.rawValue == 0 else {
      throw NTSecurityError(
        .invalidFlags,
        "undefined CREDUI_FLAGS bits 0x\(String(rawValue & ~PromptFlags.valid.rawValue, radix: 16))")
    }
    let certificateChoices = intersection([.excludeCertificates, .requireCertificate, .requireSmartcard])
    guard certificateChoices.rawValue.nonzeroBitCount <= 1 else {
      throw NTSecurityError(
        .invalidFlags, "EXCLUDE_CERTIFICATES, REQUIRE_CERTIFICATE and REQUIRE_SMARTCARD exclude each other")
    }
    if commandLine {
      guard contains(.excludeCertificates) || contains(.requireSmartcard) else {
        throw NTSecurityError(
          .invalidFlags,
          "the command-line prompt needs CREDUI_FLAGS_EXCLUDE_CERTIFICATES or CREDUI_FLAGS_REQUIRE_SMARTCARD")
      }
    }
    guard !(contains(.persist) && contains(.doNotPersist)) else {
      throw NTSecurityError(
        .invalidFlags, "CREDUI_FLAGS_PERSIST and CREDUI_FLAGS_DO_NOT_PERSIST exclude each other")
    }
    guard !(contains(.genericCredentials) && contains(.usernameTargetCredentials)) else {
      throw NTSecurityError(
        .invalidFlags, "GENERIC_CREDENTIALS and USERNAME_TARGET_CREDENTIALS exclude each other")
    }
    guard !(contains(.genericCredentials) && contains(.requireSmartcard)) else {
      throw NTSecurityError(.invalidFlags, "GENERIC_CREDENTIALS cannot require a smart card")
    }
  }
}

/// CREDUI_INFO (pywin32's PyCREDUI_INFO): the message and caption of the prompt. The parent
/// window and banner bitmap are Windows GUI handles and have no counterpart.
public struct PromptInfo: Hashable, Sendable {
  public var messageText: String?
  public var captionText: String?
  public init(messageText: String? = nil, captionText: String? = nil) {
    self.messageText = messageText
    self.captionText = captionText
  }
}

/// What a prompt returns: the user name, the password and whether the credential was saved.
/// The password is secret: printing the result never shows it.
public struct PromptResult: Hashable, Sendable, CustomStringConvertible {
  public var userName: String
  public var password: SecretBytes
  public var save: Bool
  public var description: String { "PromptResult(user \"\(userName)\", password \(password), save \(save))" }
}
