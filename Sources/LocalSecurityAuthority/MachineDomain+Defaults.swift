import NTSecurity

extension LocalSecurityAuthority {
  /// CreateWellKnownSid as Windows does it with `DomainSid=None`: a domain-relative type
  /// (WinAccountAdministratorSid, WinAccountDomainUsersSid, …) takes the machine's domain
  /// (``machineDomain(configuration:)``) when `domain` is nil. Otherwise as
  /// `SID.wellKnown(_:domain:)`.
  public static func createWellKnownSID(
    _ type: WellKnownSIDType, domain: SID? = nil, configuration: Configuration = .current
  ) throws(NTSecurityError) -> SID {
    guard domain == nil, type.needsDomain else { return try SID.wellKnown(type, domain: domain) }
    return try SID.wellKnown(type, domain: machineDomain(configuration: configuration).sid)
  }

  /// ConvertStringSidToSid as Windows does it on this machine: the domain-relative SDDL aliases
  /// (`DA`, `DU`, `LA`, …) resolve against the machine's domain.
  public static func convertStringSIDToSID(_ text: String, configuration: Configuration = .current)
    throws(NTSecurityError) -> SID
  {
    do { return try SID(parsing: text) } catch  where error.code == .noneMapped {
      return try SID(parsing: text, domain: machineDomain(configuration: configuration).sid)
    }
  }
}
