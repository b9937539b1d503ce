import CGSSAPI
import GSSAPI
import SSPI
import TestPeers
import Testing

extension SSPISuite {
  @Suite struct Packages {
    /// Windows 10 / Server 2016+ report these (Get-SecurityPackage on a domain member).
    @Test func enumerateReportsWindowsValues() throws {
      let packages = SSPI.enumerateSecurityPackages()
      #expect(packages.map(\.name) == ["Negotiate", "Kerberos", "NTLM"])  // gss-ntlmssp is installed here
      let kerberos = try SSPI.querySecurityPackageInfo("Kerberos")
      #expect(kerberos.capabilities.rawValue == 0x008F_3BBF)
      #expect(
        kerberos.capabilities.description
          == "INTEGRITY, PRIVACY, TOKEN_ONLY, DATAGRAM, CONNECTION, MULTI_REQUIRED, EXTENDED_ERROR, IMPERSONATION, ACCEPT_WIN32_NAME, NEGOTIABLE, GSS_COMPATIBLE, LOGON, MUTUAL_AUTH, DELEGATION, READONLY_WITH_CHECKSUM, RESTRICTED_TOKENS, APPCONTAINER_CHECKS"
      )
      #expect(kerberos.version == 1 && kerberos.rpcID == 16 && kerberos.maxToken == 65535)
      #expect(kerberos.comment == "Microsoft Kerberos V1.0")
      let negotiate = try SSPI.querySecurityPackageInfo("negotiate")
      #expect(
        negotiate.capabilities.description
          == "INTEGRITY, PRIVACY, CONNECTION, MULTI_REQUIRED, EXTENDED_ERROR, IMPERSONATION, ACCEPT_WIN32_NAME, NEGOTIABLE, GSS_COMPATIBLE, LOGON, RESTRICTED_TOKENS, APPCONTAINER_CHECKS"
      )
      #expect(
        negotiate.rpcID == 9 && negotiate.maxToken == 65791
          && negotiate.comment == "Microsoft Package Negotiator")
      let ntlm = try SSPI.querySecurityPackageInfo("ntlm")
      #expect(
        ntlm.capabilities.description
          == "INTEGRITY, PRIVACY, TOKEN_ONLY, CONNECTION, MULTI_REQUIRED, IMPERSONATION, ACCEPT_WIN32_NAME, NEGOTIABLE, LOGON, RESTRICTED_TOKENS, APPCONTAINER_CHECKS"
      )
      #expect(ntlm.rpcID == 10 && ntlm.maxToken == 2888 && ntlm.comment == "NTLM Security Package")
    }

    @Test func ntlmIsListedExactlyWhenGssNtlmsspIsInstalled() throws {
      let installed = try GSSAPI.indicateMechanisms().contains(GSSAPI.MechanismType.ntlmssp)
      #expect(SSPI.enumerateSecurityPackages().contains { $0.name == "NTLM" } == installed)
    }

    @Test func unknownPackageIsSecPkgNotFound() {
      let e = expectStatus(.packageNotFound) { _ = try SSPI.querySecurityPackageInfo("Digest") }
      #expect(e?.status.rawValue == 0x8009_0305)
      expectStatus(.packageNotFound) {
        _ = try SSPI.acquireCredentialsHandle(package: "Schannel", use: .outbound)
      }
    }

    @Test func statusCodesHaveWindowsValuesAndNames() {
      let table: [(SSPI.Status, UInt32, String)] = [
        (.ok, 0, "SEC_E_OK"), (.continueNeeded, 0x0009_0312, "SEC_I_CONTINUE_NEEDED"),
        (.completeNeeded, 0x0009_0313, "SEC_I_COMPLETE_NEEDED"),
        (.insufficientMemory, 0x8009_0300, "SEC_E_INSUFFICIENT_MEMORY"),
        (.internalError, 0x8009_0304, "SEC_E_INTERNAL_ERROR"),
        (.packageNotFound, 0x8009_0305, "SEC_E_SECPKG_NOT_FOUND"),
        (.notOwner, 0x8009_0306, "SEC_E_NOT_OWNER"), (.invalidToken, 0x8009_0308, "SEC_E_INVALID_TOKEN"),
        (.logonDenied, 0x8009_030C, "SEC_E_LOGON_DENIED"),
        (.unknownCredentials, 0x8009_030D, "SEC_E_UNKNOWN_CREDENTIALS"),
        (.noCredentials, 0x8009_030E, "SEC_E_NO_CREDENTIALS"),
        (.messageAltered, 0x8009_030F, "SEC_E_MESSAGE_ALTERED"),
        (.outOfSequence, 0x8009_0310, "SEC_E_OUT_OF_SEQUENCE"),
        (.noAuthenticatingAuthority, 0x8009_0311, "SEC_E_NO_AUTHENTICATING_AUTHORITY"),
        (.targetUnknown, 0x8009_0303, "SEC_E_TARGET_UNKNOWN"),
        (.badBindings, 0x8009_0346, "SEC_E_BAD_BINDINGS"),
      ]
      for (status, value, name) in table {
        #expect(status.rawValue == value)
        #expect(status.name == name)
      }
      #expect(SSPI.Status.logonDenied.signedValue == -2_146_893_044)
      #expect(!SSPI.Status.logonDenied.isSuccess && SSPI.Status.continueNeeded.isSuccess)
    }

    /// The Kerberos codes SSPIError maps are MIT's (checked against krb5.h).
    @Test func krb5CodesMatchTheHeaders() {
      let pairs: [(Int32, Int)] = [
        (-1_765_328_378, Int(KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN)),
        (-1_765_328_360, Int(KRB5KDC_ERR_PREAUTH_FAILED)),
        (-1_765_328_228, Int(KRB5_KDC_UNREACH)), (-1_765_328_189, Int(KRB5_FCC_NOFILE)),
        (-1_765_328_347, Int(KRB5KRB_AP_ERR_SKEW)), (-1_765_328_203, Int(KRB5_KT_NOTFOUND)),
      ]
      for (ours, header) in pairs { #expect(Int(ours) == header) }
    }
  }
}
