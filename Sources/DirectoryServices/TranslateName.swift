import NTSecurity

extension DirectoryServices {
  /// TranslateName (secur32): `name` in the `from` format translated to the `to` format through
  /// DsCrackNames on a DC of `domain`. The EXTENDED_NAME_FORMAT values are the DS_NAME_FORMAT
  /// values (NameFullyQualifiedDN = fqdn1779, NameSamCompatible = nt4Account, NameDisplay,
  /// NameUniqueId, NameCanonical, NameUserPrincipal, NameCanonicalEx, NameServicePrincipal,
  /// NameDnsDomain); NameGivenName (13) and NameSurname (14) have no DsCrackNames format.
  ///
  /// - Throws: ERROR_NOT_SUPPORTED for NameGivenName/NameSurname; ERROR_NONE_MAPPED when the DC
  ///   cannot translate the name (the message carries its DS_NAME_ERROR status); the DsBind and
  ///   DsCrackNames errors.
  public static func translateName(
    _ name: String, from: DsNameFormat, to: DsNameFormat, domainController: String? = nil,
    domain: String? = nil
  ) throws -> String {
    for format in [from, to] where format.rawValue == 13 || format.rawValue == 14 {
      throw NTSecurityError(
        .notSupported, "TranslateName: NameGivenName and NameSurname have no DsCrackNames format")
    }
    let handle = try dsBind(domainController: domainController, domain: domain)
    defer { try? dsUnbind(handle) }
    let item = try dsCrackNames(handle, formatOffered: from, formatDesired: to, names: [name])[0]
    guard item.status == .noError, let result = item.name else {
      throw NTSecurityError(.noneMapped, "TranslateName: \(name): \(item.status)")
    }
    return result
  }
}
