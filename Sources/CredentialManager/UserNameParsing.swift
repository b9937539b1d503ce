import NTSecurity

/// The result of CredUIParseUserName.
public struct ParsedUserName: Hashable, Sendable {
  /// The account name (the whole input for a UPN or a marshaled credential).
  public var user: String
  /// The domain: the part before `\`, or empty for a UPN and a marshaled credential.
  public var domain: String
}

enum UserNameParser {
  /// CredUIParseUserName's rules: a marshaled credential reference is returned whole with an
  /// empty domain; `DOMAIN\user` splits at the first backslash; `user@dns.domain` is returned
  /// whole with an empty domain (the last `@` separates, as the domain cannot contain one); a
  /// name in neither form, or with an empty part, is ERROR_INVALID_ACCOUNT_NAME.
  static func parse(_ name: String) throws(NTSecurityError) -> ParsedUserName {
    let invalid = NTSecurityError(.invalidAccountName, "the user name is not in DOMAIN\\user or UPN form")
    guard !name.isEmpty else { throw NTSecurityError(.invalidParameter, "the user name is empty") }
    guard name.utf16.count <= CredentialLimits.maxPromptUserNameLength else {
      throw NTSecurityError(.invalidAccountName, "the user name is longer than 513 characters")
    }
    if (try? CredentialMarshaling.unmarshal(name)) != nil { return ParsedUserName(user: name, domain: "") }
    if let slash = name.firstIndex(of: "\\") {
      let domain = String(name[..<slash])
      let user = String(name[name.index(after: slash)...])
      guard !domain.isEmpty, !user.isEmpty else { throw invalid }
      guard domain.utf16.count <= CredentialLimits.maxPromptDomainTargetLength else {
        throw NTSecurityError(.invalidAccountName, "the domain is longer than 337 characters")
      }
      return ParsedUserName(user: user, domain: domain)
    }
    if let at = name.lastIndex(of: "@") {
      guard at != name.startIndex, name.index(after: at) != name.endIndex else { throw invalid }
      return ParsedUserName(user: name, domain: "")
    }
    throw invalid
  }
}
