import Foundation

/// CREDENTIAL_ATTRIBUTE: an application-defined keyword/value pair stored with a credential.
public struct CredentialAttribute: Hashable, Sendable {
  /// The attribute's name (at most CRED_MAX_STRING_LENGTH characters).
  public var keyword: String
  /// Reserved, 0.
  public var flags: UInt32
  /// The value (at most CRED_MAX_VALUE_SIZE bytes).
  public var value: [UInt8]

  public init(keyword: String, flags: UInt32 = 0, value: [UInt8]) {
    self.keyword = keyword
    self.flags = flags
    self.value = value
  }
}

/// CREDENTIAL (pywin32's PyCREDENTIAL): one entry of the user's credential set, identified by
/// its target name (compared case-insensitively) and its type.
///
/// Printing a credential (`description`, `debugDescription`, `dump`) never shows the blob.
public struct Credential: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  /// CRED_FLAGS_*.
  public var flags: CredentialFlags
  /// CRED_TYPE_*.
  public var type: CredentialType
  /// The target: a server, domain, wildcard or application-defined name.
  public var targetName: String
  /// A comment (at most 256 characters).
  public var comment: String?
  /// When the credential was last written (set by the store).
  public var lastWritten: Date
  /// The secret: a UTF-16LE password, a PIN or application data (at most 2560 bytes).
  public var credentialBlob: SecretBytes
  /// CRED_PERSIST_*.
  public var persist: CredentialPersist
  /// Application-defined attributes (at most 64).
  public var attributes: [CredentialAttribute]
  /// An alias for the target (at most 256 characters).
  public var targetAlias: String?
  /// The account name (at most 513 characters).
  public var userName: String?

  /// Creates a credential. `lastWritten` is filled in by `write`.
  public init(
    type: CredentialType, targetName: String, userName: String? = nil,
    credentialBlob: SecretBytes = [], persist: CredentialPersist = .localMachine,
    flags: CredentialFlags = [], comment: String? = nil, attributes: [CredentialAttribute] = [],
    targetAlias: String? = nil, lastWritten: Date = Date(timeIntervalSince1970: 0)
  ) {
    self.flags = flags
    self.type = type
    self.targetName = targetName
    self.comment = comment
    self.lastWritten = lastWritten
    self.credentialBlob = credentialBlob
    self.persist = persist
    self.attributes = attributes
    self.targetAlias = targetAlias
    self.userName = userName
  }

  /// Convenience: a password credential, the password stored as UTF-16LE as Windows does.
  public init(
    type: CredentialType, targetName: String, userName: String?, password: String,
    persist: CredentialPersist = .localMachine, comment: String? = nil
  ) {
    self.init(
      type: type, targetName: targetName, userName: userName,
      credentialBlob: SecretBytes(password: password), persist: persist, comment: comment)
  }

  /// LastWritten as a Windows FILETIME (100 ns ticks since 1601-01-01 UTC).
  public var lastWrittenFileTime: UInt64 {
    get { Credential.fileTime(lastWritten) }
    set { lastWritten = Credential.date(fileTime: newValue) }
  }

  static let fileTimeEpochOffset: Double = 11_644_473_600
  static func fileTime(_ date: Date) -> UInt64 {
    let ticks = (date.timeIntervalSince1970 + fileTimeEpochOffset) * 10_000_000
    return ticks <= 0 ? 0 : UInt64(ticks)
  }
  static func date(fileTime: UInt64) -> Date {
    Date(timeIntervalSince1970: Double(fileTime) / 10_000_000 - fileTimeEpochOffset)
  }

  public var description: String {
    var parts = ["\(type) \"\(targetName)\""]
    if let userName { parts.append("user \"\(userName)\"") }
    parts.append(persist.description)
    parts.append("blob \(credentialBlob.count) bytes")
    return "Credential(" + parts.joined(separator: ", ") + ")"
  }
  public var debugDescription: String { description }
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "flags": flags.rawValue, "type": type, "targetName": targetName, "comment": comment as Any,
        "lastWritten": lastWritten, "credentialBlob": credentialBlob, "persist": persist,
        "attributes": attributes.map(\.keyword), "targetAlias": targetAlias as Any,
        "userName": userName as Any,
      ])
  }
}
