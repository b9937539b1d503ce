import GSSAPI

extension SSPI {
  /// SecPkgInfo capability bits (SECPKG_FLAG_*).
  public struct PackageCapabilities: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// SECPKG_FLAG_INTEGRITY: MakeSignature / VerifySignature.
    public static let integrity = PackageCapabilities(rawValue: 0x1)
    /// SECPKG_FLAG_PRIVACY: EncryptMessage / DecryptMessage.
    public static let privacy = PackageCapabilities(rawValue: 0x2)
    /// SECPKG_FLAG_TOKEN_ONLY.
    public static let tokenOnly = PackageCapabilities(rawValue: 0x4)
    /// SECPKG_FLAG_DATAGRAM.
    public static let datagram = PackageCapabilities(rawValue: 0x8)
    /// SECPKG_FLAG_CONNECTION.
    public static let connection = PackageCapabilities(rawValue: 0x10)
    /// SECPKG_FLAG_MULTI_REQUIRED.
    public static let multiRequired = PackageCapabilities(rawValue: 0x20)
    /// SECPKG_FLAG_CLIENT_ONLY.
    public static let clientOnly = PackageCapabilities(rawValue: 0x40)
    /// SECPKG_FLAG_EXTENDED_ERROR.
    public static let extendedError = PackageCapabilities(rawValue: 0x80)
    /// SECPKG_FLAG_IMPERSONATION.
    public static let impersonation = PackageCapabilities(rawValue: 0x100)
    /// SECPKG_FLAG_ACCEPT_WIN32_NAME.
    public static let acceptWin32Name = PackageCapabilities(rawValue: 0x200)
    /// SECPKG_FLAG_STREAM.
    public static let stream = PackageCapabilities(rawValue: 0x400)
    /// SECPKG_FLAG_NEGOTIABLE.
    public static let negotiable = PackageCapabilities(rawValue: 0x800)
    /// SECPKG_FLAG_GSS_COMPATIBLE.
    public static let gssCompatible = PackageCapabilities(rawValue: 0x1000)
    /// SECPKG_FLAG_LOGON.
    public static let logon = PackageCapabilities(rawValue: 0x2000)
    /// SECPKG_FLAG_ASCII_BUFFERS.
    public static let asciiBuffers = PackageCapabilities(rawValue: 0x4000)
    /// SECPKG_FLAG_FRAGMENT.
    public static let fragment = PackageCapabilities(rawValue: 0x8000)
    /// SECPKG_FLAG_MUTUAL_AUTH.
    public static let mutualAuthentication = PackageCapabilities(rawValue: 0x10000)
    /// SECPKG_FLAG_DELEGATION.
    public static let delegation = PackageCapabilities(rawValue: 0x20000)
    /// SECPKG_FLAG_READONLY_WITH_CHECKSUM.
    public static let readOnlyWithChecksum = PackageCapabilities(rawValue: 0x40000)
    /// SECPKG_FLAG_RESTRICTED_TOKENS.
    public static let restrictedTokens = PackageCapabilities(rawValue: 0x80000)
    /// SECPKG_FLAG_NEGO_EXTENDER.
    public static let negoExtender = PackageCapabilities(rawValue: 0x100000)
    /// SECPKG_FLAG_NEGOTIABLE2.
    public static let negotiable2 = PackageCapabilities(rawValue: 0x200000)
    /// SECPKG_FLAG_APPCONTAINER_PASSTHROUGH.
    public static let appContainerPassthrough = PackageCapabilities(rawValue: 0x400000)
    /// SECPKG_FLAG_APPCONTAINER_CHECKS.
    public static let appContainerChecks = PackageCapabilities(rawValue: 0x800000)

    static let names: [(PackageCapabilities, String)] = [
      (.integrity, "INTEGRITY"), (.privacy, "PRIVACY"), (.tokenOnly, "TOKEN_ONLY"), (.datagram, "DATAGRAM"),
      (.connection, "CONNECTION"), (.multiRequired, "MULTI_REQUIRED"), (.clientOnly, "CLIENT_ONLY"),
      (.extendedError, "EXTENDED_ERROR"), (.impersonation, "IMPERSONATION"),
      (.acceptWin32Name, "ACCEPT_WIN32_NAME"),
      (.stream, "STREAM"), (.negotiable, "NEGOTIABLE"), (.gssCompatible, "GSS_COMPATIBLE"), (.logon, "LOGON"),
      (.asciiBuffers, "ASCII_BUFFERS"), (.fragment, "FRAGMENT"), (.mutualAuthentication, "MUTUAL_AUTH"),
      (.delegation, "DELEGATION"), (.readOnlyWithChecksum, "READONLY_WITH_CHECKSUM"),
      (.restrictedTokens, "RESTRICTED_TOKENS"), (.negoExtender, "NEGO_EXTENDER"),
      (.negotiable2, "NEGOTIABLE2"),
      (.appContainerPassthrough, "APPCONTAINER_PASSTHROUGH"), (.appContainerChecks, "APPCONTAINER_CHECKS"),
    ]

    /// The flag names without the SECPKG_FLAG_ prefix, comma-separated, as Windows tools print them.
    public var description: String {
      Self.names.filter { contains($0.0) }.map(\.1).joined(separator: ", ")
    }
  }

  /// SecPkgInfo: what EnumerateSecurityPackages and QuerySecurityPackageInfo report.
  public struct PackageInfo: Sendable, Hashable {
    /// `fCapabilities`.
    public let capabilities: PackageCapabilities
    /// `wVersion` (1 for every Windows package).
    public let version: UInt16
    /// `wRPCID`: the DCE RPC authentication service (RPC_C_AUTHN_*).
    public let rpcID: UInt16
    /// `cbMaxToken`: the largest token the package makes.
    public let maxToken: UInt32
    /// `Name`.
    public let name: String
    /// `Comment`.
    public let comment: String

    /// The package this describes.
    public var package: Package { Package(named: name)! }
  }
}

extension SSPI.Package {
  /// The SecPkgInfo Windows 10 / Server 2016 and later report for the package (EnumerateSecurityPackages
  /// on a domain member, as `Get-SecurityPackage` prints it).
  public var info: SSPI.PackageInfo {
    switch self {
    case .kerberos:
      // INTEGRITY … LOGON, MUTUAL_AUTH, DELEGATION, READONLY_WITH_CHECKSUM, RESTRICTED_TOKENS,
      // APPCONTAINER_CHECKS; RPC_C_AUTHN_GSS_KERBEROS.
      return SSPI.PackageInfo(
        capabilities: SSPI.PackageCapabilities(rawValue: 0x008F_3BBF), version: 1, rpcID: 16, maxToken: 65535,
        name: "Kerberos", comment: "Microsoft Kerberos V1.0")
    case .negotiate:
      // RPC_C_AUTHN_GSS_NEGOTIATE.
      return SSPI.PackageInfo(
        capabilities: SSPI.PackageCapabilities(rawValue: 0x0088_3BB3), version: 1, rpcID: 9, maxToken: 65791,
        name: "Negotiate", comment: "Microsoft Package Negotiator")
    case .ntlm:
      // RPC_C_AUTHN_WINNT.
      return SSPI.PackageInfo(
        capabilities: SSPI.PackageCapabilities(rawValue: 0x0088_2B37), version: 1, rpcID: 10, maxToken: 2888,
        name: "NTLM", comment: "NTLM Security Package")
    }
  }
}

extension SSPI {
  /// Whether the GSS-API library here offers the package's mechanism (NTLM needs gss-ntlmssp;
  /// Negotiate needs SPNEGO and at least one of Kerberos and NTLM).
  public static func isAvailable(_ package: Package) -> Bool {
    guard let mechanisms = try? GSSAPI.indicateMechanisms() else { return false }
    switch package {
    case .kerberos: return mechanisms.contains(GSSAPI.MechanismType.kerberos)
    case .ntlm: return mechanisms.contains(GSSAPI.MechanismType.ntlmssp)
    case .negotiate:
      return mechanisms.contains(GSSAPI.MechanismType.spnego)
        && (mechanisms.contains(GSSAPI.MechanismType.kerberos)
          || mechanisms.contains(GSSAPI.MechanismType.ntlmssp))
    }
  }

  /// EnumerateSecurityPackages: the packages available here, in Windows' order (Negotiate,
  /// Kerberos, NTLM); NTLM only when gss-ntlmssp is installed.
  public static func enumerateSecurityPackages() -> [PackageInfo] {
    [Package.negotiate, .kerberos, .ntlm].filter(isAvailable).map(\.info)
  }

  /// QuerySecurityPackageInfo: the SecPkgInfo of the package called `name` (any case).
  /// Throws SEC_E_SECPKG_NOT_FOUND for an unknown or unavailable package.
  public static func querySecurityPackageInfo(_ name: String) throws(SSPIError) -> PackageInfo {
    try package(named: name).info
  }

  /// The package called `name`, or SEC_E_SECPKG_NOT_FOUND.
  static func package(named name: String) throws(SSPIError) -> Package {
    guard let package = Package(named: name) else {
      throw SSPIError(
        .packageNotFound, "no security package is called \"\(name)\" (known: Negotiate, Kerberos, NTLM)")
    }
    guard isAvailable(package) else {
      throw SSPIError(
        .packageNotFound,
        package == .ntlm
          ? "the NTLM package needs gss-ntlmssp, which is not installed"
          : "the GSS-API library offers no mechanism for \(package.rawValue)")
    }
    return package
  }
}
