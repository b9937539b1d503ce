import NTSecurity

/// CredWrite's checks, in the order Windows applies them, with Windows' error codes.
enum CredentialValidation {
  static func invalid(_ message: String) -> NTSecurityError { NTSecurityError(.invalidParameter, message) }

  static func checkType(_ type: CredentialType) throws(NTSecurityError) {
    guard type.isValid else { throw invalid("\(type) is not a credential type") }
  }

  static func checkTarget(_ target: String, type: CredentialType) throws(NTSecurityError) {
    let length = target.utf16.count
    guard length > 0 else { throw invalid("the target name is empty") }
    if type.isDomain {
      guard length <= CredentialLimits.maxDomainTargetNameLength else {
        throw invalid("a domain target name is longer than 337 characters")
      }
      guard DomainTarget.isValidPattern(target) else {
        throw invalid("\"\(target)\" is not a server, *.dns.suffix, DOMAIN\\* or * target name")
      }
    } else {
      guard length <= CredentialLimits.maxGenericTargetNameLength else {
        throw invalid("a generic target name is longer than 32767 characters")
      }
    }
  }

  /// Validates a credential for CredWrite (without CRED_PRESERVE_CREDENTIAL_BLOB's lookup).
  static func checkForWrite(_ c: Credential, flags: UInt32) throws(NTSecurityError) {
    guard flags & ~CredentialCallFlags.preserveCredentialBlob == 0 else {
      throw NTSecurityError(.invalidFlags, "CredWrite takes only CRED_PRESERVE_CREDENTIAL_BLOB")
    }
    guard c.flags.rawValue & ~CredentialFlags.validInputFlags.rawValue == 0 else {
      throw NTSecurityError(
        .invalidFlags, "credential flags 0x\(String(c.flags.rawValue, radix: 16)) are not valid")
    }
    try checkType(c.type)
    try checkTarget(c.targetName, type: c.type)
    guard c.persist == .session || c.persist == .localMachine || c.persist == .enterprise else {
      throw invalid("\(c.persist) is not a persistence for writing")
    }
    if let comment = c.comment, comment.utf16.count > CredentialLimits.maxStringLength {
      throw invalid("the comment is longer than 256 characters")
    }
    if let alias = c.targetAlias, alias.utf16.count > CredentialLimits.maxStringLength {
      throw invalid("the target alias is longer than 256 characters")
    }
    guard c.credentialBlob.count <= CredentialLimits.maxCredentialBlobSize else {
      throw invalid("the credential blob is larger than 2560 bytes")
    }
    guard c.attributes.count <= CredentialLimits.maxAttributes else {
      throw invalid("a credential has at most 64 attributes")
    }
    for a in c.attributes {
      guard !a.keyword.isEmpty, a.keyword.utf16.count <= CredentialLimits.maxStringLength else {
        throw invalid("attribute keyword \"\(a.keyword.prefix(40))\" is empty or longer than 256 characters")
      }
      guard a.value.count <= CredentialLimits.maxValueSize else {
        throw invalid("attribute \(a.keyword)'s value is larger than 256 bytes")
      }
      guard a.flags == 0 else {
        throw NTSecurityError(.invalidFlags, "attribute flags are reserved and must be 0")
      }
    }
    try checkUserName(c)
  }

  static func checkUserName(_ c: Credential) throws(NTSecurityError) {
    let name = c.userName ?? ""
    guard name.utf16.count <= CredentialLimits.maxUserNameLength else {
      throw NTSecurityError(.badUsername, "the user name is longer than 513 characters")
    }
    if c.flags.contains(.usernameTarget) {
      guard c.type == .domainPassword || c.type == .domainCertificate else {
        throw invalid("CRED_FLAGS_USERNAME_TARGET is only for domain password and certificate credentials")
      }
      guard Normalized.equal(Normalized.key(name), Normalized.key(c.targetName)) else {
        throw invalid("a CRED_FLAGS_USERNAME_TARGET credential's target name must equal its user name")
      }
    }
    switch c.type {
    case .domainPassword, .domainVisiblePassword, .domainExtended:
      guard !name.isEmpty else {
        throw NTSecurityError(.badUsername, "a domain credential needs a user name")
      }
      if case .certificate = try? CredentialMarshaling.unmarshal(name) { return }
      guard (try? UserNameParser.parse(name)) != nil else {
        throw NTSecurityError(.badUsername, "\"\(name)\" is neither DOMAIN\\user nor a UPN")
      }
    case .domainCertificate, .genericCertificate:
      guard case .certificate = try? CredentialMarshaling.unmarshal(name) else {
        throw NTSecurityError(
          .badUsername, "a certificate credential's user name must be a marshaled certificate")
      }
    default:
      break
    }
  }
}

/// The target-name syntax of domain credentials and how a name matches target information.
enum DomainTarget {
  /// `server`, `*.dns.suffix`, `DOMAIN\*`, `*`, or `*Session`; no other `*`.
  static func isValidPattern(_ t: String) -> Bool {
    if t == "*" || t == "*Session" { return true }
    if t.hasPrefix("*.") { return t.count > 2 && !t.dropFirst(2).contains("*") }
    if t.hasSuffix("\\*") {
      return t.count > 2 && !t.dropLast(2).contains("*") && !t.dropLast(2).contains("\\")
    }
    return !t.contains("*")
  }
}
