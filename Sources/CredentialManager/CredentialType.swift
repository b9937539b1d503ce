/// CRED_TYPE_*: what kind of credential an entry is. Together with the target name it identifies
/// a credential. Any `UInt32` can be represented so that an out-of-range type reaches the API and
/// is refused with ERROR_INVALID_PARAMETER, as Windows does.
public struct CredentialType: RawRepresentable, Hashable, Sendable, Comparable, Codable,
  CustomStringConvertible
{
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// CRED_TYPE_GENERIC (1): application-defined; the blob is readable by the application.
  public static let generic = CredentialType(rawValue: 1)
  /// CRED_TYPE_DOMAIN_PASSWORD (2): a password for an authentication package. Like Windows,
  /// `read` does not return its blob to applications; only authentication packages see it.
  public static let domainPassword = CredentialType(rawValue: 2)
  /// CRED_TYPE_DOMAIN_CERTIFICATE (3): a certificate reference; the user name is a marshaled
  /// certificate credential and the blob a PIN.
  public static let domainCertificate = CredentialType(rawValue: 3)
  /// CRED_TYPE_DOMAIN_VISIBLE_PASSWORD (4): a domain password applications may read.
  public static let domainVisiblePassword = CredentialType(rawValue: 4)
  /// CRED_TYPE_GENERIC_CERTIFICATE (5): a certificate for a generic authentication package.
  public static let genericCertificate = CredentialType(rawValue: 5)
  /// CRED_TYPE_DOMAIN_EXTENDED (6): a domain credential with extended (target alias) behaviour.
  public static let domainExtended = CredentialType(rawValue: 6)
  /// CRED_TYPE_MAXIMUM (7): one past the last valid type.
  public static let maximum = CredentialType(rawValue: 7)

  /// Whether the type is one of the six defined types.
  public var isValid: Bool { rawValue >= 1 && rawValue < 7 }
  /// Whether the type is a domain type, whose target names follow the server/domain syntax.
  public var isDomain: Bool {
    self == .domainPassword || self == .domainCertificate || self == .domainVisiblePassword
      || self == .domainExtended
  }
  /// Whether an application may read the blob (Windows hides domain passwords and PINs).
  public var isBlobReadableByApplications: Bool {
    self == .generic || self == .genericCertificate || self == .domainVisiblePassword
  }

  public static func < (a: CredentialType, b: CredentialType) -> Bool { a.rawValue < b.rawValue }

  /// The CRED_TYPE_* name.
  public var description: String {
    switch rawValue {
    case 1: "CRED_TYPE_GENERIC"
    case 2: "CRED_TYPE_DOMAIN_PASSWORD"
    case 3: "CRED_TYPE_DOMAIN_CERTIFICATE"
    case 4: "CRED_TYPE_DOMAIN_VISIBLE_PASSWORD"
    case 5: "CRED_TYPE_GENERIC_CERTIFICATE"
    case 6: "CRED_TYPE_DOMAIN_EXTENDED"
    default: "CRED_TYPE_\(rawValue)"
    }
  }
}

/// CRED_PERSIST_*: how long a credential lives.
public struct CredentialPersist: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// CRED_PERSIST_NONE (0): not valid for writing.
  public static let none = CredentialPersist(rawValue: 0)
  /// CRED_PERSIST_SESSION (1): lives in the kernel session keyring and vanishes with the session.
  public static let session = CredentialPersist(rawValue: 1)
  /// CRED_PERSIST_LOCAL_MACHINE (2): stored in the vault.
  public static let localMachine = CredentialPersist(rawValue: 2)
  /// CRED_PERSIST_ENTERPRISE (3): stored in the vault (Windows would also roam it).
  public static let enterprise = CredentialPersist(rawValue: 3)

  public var description: String {
    switch rawValue {
    case 0: "CRED_PERSIST_NONE"
    case 1: "CRED_PERSIST_SESSION"
    case 2: "CRED_PERSIST_LOCAL_MACHINE"
    case 3: "CRED_PERSIST_ENTERPRISE"
    default: "CRED_PERSIST_\(rawValue)"
    }
  }
}

/// CRED_FLAGS_*: the Flags member of a credential.
public struct CredentialFlags: OptionSet, Hashable, Sendable {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// CRED_FLAGS_PASSWORD_FOR_CERT (0x1)
  public static let passwordForCert = CredentialFlags(rawValue: 0x1)
  /// CRED_FLAGS_PROMPT_NOW (0x2): set on output when the blob is not kept across sessions.
  public static let promptNow = CredentialFlags(rawValue: 0x2)
  /// CRED_FLAGS_USERNAME_TARGET (0x4): the target name is the user name.
  public static let usernameTarget = CredentialFlags(rawValue: 0x4)
  /// CRED_FLAGS_OWF_CRED_BLOB (0x8)
  public static let owfCredBlob = CredentialFlags(rawValue: 0x8)
  /// CRED_FLAGS_REQUIRE_CONFIRMATION (0x10)
  public static let requireConfirmation = CredentialFlags(rawValue: 0x10)
  /// CRED_FLAGS_WILDCARD_MATCH (0x20): set on output when a wildcard target matched.
  public static let wildcardMatch = CredentialFlags(rawValue: 0x20)
  /// CRED_FLAGS_VALID_FLAGS (0xF03F)
  public static let validFlags = CredentialFlags(rawValue: 0xF03F)
  /// CRED_FLAGS_VALID_INPUT_FLAGS (0xF01F): what CredWrite accepts.
  public static let validInputFlags = CredentialFlags(rawValue: 0xF01F)
}

/// Windows' limits on a credential's members (wincred.h).
public enum CredentialLimits {
  /// CRED_MAX_STRING_LENGTH: comment, target alias, attribute keyword (characters).
  public static let maxStringLength = 256
  /// CRED_MAX_USERNAME_LENGTH: 256 + 1 + 256 characters.
  public static let maxUserNameLength = 513
  /// CRED_MAX_GENERIC_TARGET_NAME_LENGTH (characters).
  public static let maxGenericTargetNameLength = 32767
  /// CRED_MAX_DOMAIN_TARGET_NAME_LENGTH: 256 + 1 + 80 characters.
  public static let maxDomainTargetNameLength = 337
  /// CRED_MAX_CREDENTIAL_BLOB_SIZE: 5 × 512 bytes.
  public static let maxCredentialBlobSize = 5 * 512
  /// CRED_MAX_VALUE_SIZE: bytes of one attribute value.
  public static let maxValueSize = 256
  /// CRED_MAX_ATTRIBUTES: attributes per credential.
  public static let maxAttributes = 64
  /// CREDUI_MAX_USERNAME_LENGTH (= CRED_MAX_USERNAME_LENGTH).
  public static let maxPromptUserNameLength = 513
  /// CREDUI_MAX_PASSWORD_LENGTH (= CRED_MAX_CREDENTIAL_BLOB_SIZE / 2 characters).
  public static let maxPromptPasswordLength = 5 * 512 / 2
  /// CREDUI_MAX_DOMAIN_TARGET_LENGTH (= CRED_MAX_DOMAIN_TARGET_NAME_LENGTH).
  public static let maxPromptDomainTargetLength = 337
}

/// Flag values of the win32cred calls that take a Flags argument.
public enum CredentialCallFlags {
  /// CRED_PRESERVE_CREDENTIAL_BLOB (CredWrite, CredWriteDomainCredentials).
  public static let preserveCredentialBlob: UInt32 = 0x1
  /// CRED_ENUMERATE_ALL_CREDENTIALS (CredEnumerate).
  public static let enumerateAllCredentials: UInt32 = 0x1
  /// CRED_CACHE_TARGET_INFORMATION (CredReadDomainCredentials).
  public static let cacheTargetInformation: UInt32 = 0x1
  /// CRED_ALLOW_NAME_RESOLUTION (CredGetTargetInfo).
  public static let allowNameResolution: UInt32 = 0x1
}
