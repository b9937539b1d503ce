import GSSAPI

/// Windows' Security Support Provider Interface over GSS-API: the Kerberos, Negotiate and NTLM
/// packages with the names, flags, status codes and buffer layouts a Windows program expects.
///
/// The calls are static members named after the Windows functions (`acquireCredentialsHandle`,
/// `initializeSecurityContext`, `acceptSecurityContext`, …); handles are ``CredentialsHandle`` and
/// ``SecurityContext``; every failure throws ``SSPIError`` with its SEC_E_* ``Status``.
public enum SSPI {}

extension SSPI {
  /// A security package this library provides (the `Name` of its ``PackageInfo``).
  public enum Package: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Kerberos V5 (MS-KILE over MIT krb5).
    case kerberos = "Kerberos"
    /// SPNEGO (RFC 4178): Kerberos when it can, NTLM when it cannot.
    case negotiate = "Negotiate"
    /// NTLM (MS-NLMP over gss-ntlmssp).
    case ntlm = "NTLM"

    /// The package named `name`, compared without case as Windows does; nil for other names.
    public init?(named name: String) {
      guard let p = Package.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
        return nil
      }
      self = p
    }

    public var description: String { rawValue }

    /// The GSS-API mechanism behind the package.
    public var mechanism: GSSAPI.OID {
      switch self {
      case .kerberos: GSSAPI.MechanismType.kerberos
      case .negotiate: GSSAPI.MechanismType.spnego
      case .ntlm: GSSAPI.MechanismType.ntlmssp
      }
    }

    /// The package for a GSS-API mechanism (the Kerberos OIDs Windows sends count as Kerberos).
    init?(mechanism: GSSAPI.OID?) {
      switch mechanism {
      case GSSAPI.MechanismType.kerberos?, GSSAPI.MechanismType.kerberosWrong?,
        GSSAPI.MechanismType.kerberosOld?:
        self = .kerberos
      case GSSAPI.MechanismType.ntlmssp?: self = .ntlm
      case GSSAPI.MechanismType.spnego?: self = .negotiate
      default: return nil
      }
    }
  }

  /// SECURITY_NATIVE_DREP / SECURITY_NETWORK_DREP. Accepted and ignored, as Windows' Kerberos,
  /// Negotiate and NTLM packages do.
  public enum DataRepresentation: UInt32, Sendable {
    /// SECURITY_NATIVE_DREP.
    case native = 0x10
    /// SECURITY_NETWORK_DREP.
    case network = 0
  }
}
