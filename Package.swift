// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The web integrations (Hummingbird, Vapor, AsyncHTTPClient) are products of their own so that the
// core stays free of web dependencies; NTSEC_CORE_ONLY=1 leaves them out of the manifest altogether
// (scripts/run-tests sets it for the AddressSanitizer build of the GSSAPI and SSPI suites).
let coreOnly = ProcessInfo.processInfo.environment["NTSEC_CORE_ONLY"] == "1"

let package = Package(
  name: "NTSecurity",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "NTSecurity", targets: ["NTSecurity"]),
    .library(name: "GSSAPI", targets: ["GSSAPI"]),
    .library(name: "SSPI", targets: ["SSPI"]),
    .library(name: "NTSecurityTesting", targets: ["NTSecurityTesting"]),
    .executable(name: "ntsec", targets: ["ntsec"]),
    .library(name: "CredentialManager", targets: ["CredentialManager"]),
    .library(name: "LocalSecurityAuthority", targets: ["LocalSecurityAuthority"]),
    .library(name: "DirectoryServices", targets: ["DirectoryServices"]),
    .library(name: "ObjectSecurity", targets: ["ObjectSecurity"]),
    .library(name: "HTTPNegotiate", targets: ["HTTPNegotiate"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-crypto", "4.5.2"..<"5.0.0"),
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
  ],
  targets: [
    .target(name: "NTSecurity"),
    // MIT krb5's GSS-API (Debian's libkrb5-dev) and a small shim for what Swift cannot import.
    .target(
      name: "CGSSAPI",
      linkerSettings: [.linkedLibrary("gssapi_krb5"), .linkedLibrary("krb5")]
    ),
    .target(name: "GSSAPI", dependencies: ["CGSSAPI"]),
    // Windows' SSPI (Kerberos, Negotiate, NTLM) over GSSAPI, with access tokens from the PAC.
    // Its Kerberos and NTLM packages read domain credentials from Credential Manager, as Windows' do.
    .target(
      name: "SSPI",
      dependencies: ["GSSAPI", "NTSecurity", "CredentialManager", "CKeyring", "CLinuxCapabilities"]),
    // Testing support for clients and for this package's own tests, benchmarks and `ntsec tour`:
    // a throwaway MIT KDC on 127.0.0.1 (KerberosTestRealm).
    .target(name: "NTSecurityTesting"),
    .executableTarget(
      name: "ntsec",
      dependencies: [
        "NTSecurity",
        "GSSAPI",
        "SSPI",
        "NTSecurityTesting",
        "CredentialManager",
        "LocalSecurityAuthority",
        "NTSecIO",
        "DirectoryServices",
        "CKeyring",
        "ObjectSecurity",
        "HTTPNegotiate",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // What ntsec and the performance tester share: the token JSON format, hex and base64, JSON text,
    // the --domain option.
    .target(
      name: "NTSecIO",
      dependencies: ["NTSecurity", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    // Executables of the package, not products (as swift-nio's NIOPerformanceTester and
    // NIOCrashTester): the micro-benchmarks scripts/bench-compare runs, and the vault writers the
    // Credential Manager crash and concurrency tests start and kill.
    .executableTarget(
      name: "NTSecurityPerformanceTester",
      dependencies: [
        "NTSecurity", "GSSAPI", "SSPI", "NTSecIO",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "NTSecurityCrashTester",
      dependencies: [
        "CredentialManager", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "NTSecurityTests", dependencies: ["NTSecurity", "TestPeers"]),
    // Test peers the GSSAPI and SSPI suites share: programs run to their end or in the background,
    // and the framing of MIT's gss-sample programs.
    .target(name: "TestPeers", dependencies: ["NTSecurityTesting"], path: "Tests/TestPeers"),
    .testTarget(name: "GSSAPITests", dependencies: ["GSSAPI", "CGSSAPI", "NTSecurityTesting", "TestPeers"]),
    // Credential Manager (win32cred): C shims for the kernel keyring and libsecret, then the module.
    .target(name: "CKeyring"),
    .systemLibrary(
      name: "CLibSecret", pkgConfig: "libsecret-1",
      providers: [.apt(["libsecret-1-dev"])]),
    .target(
      name: "CredentialManager",
      dependencies: [
        "NTSecurity", "CKeyring", "CLibSecret",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]
    ),
    .testTarget(
      name: "CredentialManagerTests",
      dependencies: [
        "CredentialManager", "NTSecurity", "TestPeers", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .testTarget(
      name: "SSPITests",
      dependencies: [
        "SSPI", "GSSAPI", "CGSSAPI", "NTSecurity", "CredentialManager", "NTSecurityTesting", "TestPeers",
      ]),
    // The host's accounts and tokens as Windows' LSA gives them: the machine domain, account lookup
    // (Samba's order: passdb, then the Unix fallback S-1-22), process and thread tokens from /proc.
    // CLinuxCapabilities wraps the capget/capset system calls, which Swift cannot call directly.
    // CWinbindClient loads Samba's libwbclient at run time (winbindd: a joined host's domain).
    .target(name: "CLinuxCapabilities"),
    .target(name: "CWinbindClient"),
    // Linux-PAM (Debian's libpam0g-dev) and libcrypt for LogonUser; the one C file that holds them.
    .target(name: "CPAM", linkerSettings: [.linkedLibrary("pam"), .linkedLibrary("crypt")]),
    .target(
      name: "LocalSecurityAuthority",
      dependencies: [
        "NTSecurity", "CLinuxCapabilities", "CWinbindClient", "CPAM", "CGSSAPI", "GSSAPI", "SSPI",
        // The LSA policy store (SQLite, as Credential Manager's vault) and its sealed private data.
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .testTarget(
      name: "LocalSecurityAuthorityTests",
      dependencies: ["LocalSecurityAuthority", "NTSecurity", "NTSecurityTesting", "SSPI", "TestPeers"]),
    // Directory services against Active Directory (DsGetSpn, DsGetDcName): DNS through the system
    // resolver (glibc's libresolv), the CLDAP LDAP ping; no Samba library.
    .systemLibrary(name: "CResolv"),
    .target(name: "DirectoryServices", dependencies: ["NTSecurity", "GSSAPI", "CResolv"]),
    .testTarget(
      name: "DirectoryServicesTests", dependencies: ["DirectoryServices", "NTSecurity", "TestPeers"]),
    // Object security of Linux files (GetNamedSecurityInfo and friends), kept as Samba's acl_xattr
    // keeps it: security.NTACL, hashes tied to the POSIX side, POSIX mapping as fallback.
    .target(name: "CExtendedAttributes"),
    .target(
      name: "ObjectSecurity",
      dependencies: [
        "NTSecurity", "CExtendedAttributes", "LocalSecurityAuthority",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .testTarget(
      name: "ObjectSecurityTests",
      dependencies: ["ObjectSecurity", "NTSecurity", "LocalSecurityAuthority", "TestPeers"]),
    // HTTP Negotiate (RFC 4559) over SSPI, free of web frameworks: header parsing, the server
    // handshake per connection, the client exchange, the authenticated identity, SDDL guards.
    .target(
      name: "HTTPNegotiate",
      dependencies: [
        "SSPI", "NTSecurity",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
      ]),
    .testTarget(
      name: "HTTPNegotiateTests",
      dependencies: ["HTTPNegotiate", "SSPI", "NTSecurity", "NTSecurityTesting", "TestPeers"]),
  ],
  swiftLanguageModes: [.v6]
)

if !coreOnly {
  package.dependencies += [
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
  ]
  package.products += [
    .library(name: "HummingbirdNegotiate", targets: ["HummingbirdNegotiate"]),
    .executable(name: "negotiate-example", targets: ["NegotiateServer"]),
    .library(name: "AsyncHTTPClientNegotiate", targets: ["AsyncHTTPClientNegotiate"]),
  ]
  package.targets += [
    .target(
      name: "HummingbirdNegotiate",
      dependencies: [
        "HTTPNegotiate", "SSPI", "NTSecurity",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .executableTarget(
      name: "NegotiateServer",
      dependencies: [
        "HummingbirdNegotiate", "HTTPNegotiate", "NTSecurity",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Examples/NegotiateServer"),
    .testTarget(
      name: "HummingbirdNegotiateTests",
      dependencies: [
        "HummingbirdNegotiate", "HTTPNegotiate", "SSPI", "NTSecurity", "NTSecurityTesting", "TestPeers",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
      ]),
    .target(
      name: "AsyncHTTPClientNegotiate",
      dependencies: [
        "HTTPNegotiate", "SSPI",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ]),
    .testTarget(
      name: "AsyncHTTPClientNegotiateTests",
      dependencies: [
        "AsyncHTTPClientNegotiate", "HTTPNegotiate", "SSPI", "NTSecurityTesting", "TestPeers",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ]),
  ]
}
