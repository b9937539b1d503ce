import CGSSAPI
import GSSAPI
import TestPeers
import Testing

extension GSS {
  @Suite struct OIDs {
    @Test func dottedFormRoundTripsThroughBER() throws {
      let krb5 = try GSSAPI.OID(dotted: "1.2.840.113554.1.2.2")
      #expect(krb5.bytes == [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02])
      #expect(krb5.dotted == "1.2.840.113554.1.2.2")
      #expect(krb5 == GSSAPI.MechanismType.kerberos)
      #expect(try GSSAPI.OID(components: [1, 3, 6, 1, 5, 5, 2]) == GSSAPI.MechanismType.spnego)
      #expect(GSSAPI.OID(bytes: [0x2b, 0x06, 0x01, 0x05, 0x05, 0x02]).dotted == "1.3.6.1.5.5.2")
      #expect(try GSSAPI.OID(dotted: "2.999.1").bytes == [0x88, 0x37, 0x01])
    }

    @Test func badOIDTextIsATypedErrorThatSaysWhere() {
      #expect(throws: GSSError.self) { try GSSAPI.OID(dotted: "1") }
      do {
        _ = try GSSAPI.OID(dotted: "1.2.x.4")
        Issue.record("accepted 1.2.x.4")
      } catch {
        #expect(error.routine == .badMechanism)
        #expect(error.context.contains("arc 3"))
      }
      #expect(throws: GSSError.self) { try GSSAPI.OID(dotted: "3.1") }
      #expect(throws: GSSError.self) { try GSSAPI.OID(dotted: "1.40") }
      #expect(GSSAPI.OID(bytes: [0x2a, 0x86]).components == nil)
      #expect(GSSAPI.OID(bytes: [0x2a, 0x86]).dotted == "{2a 86}")
    }

    @Test func oidsAreHashableAndSetsCompare() {
      let set: Set = [
        GSSAPI.MechanismType.kerberos, GSSAPI.MechanismType.spnego, GSSAPI.MechanismType.kerberos,
      ]
      #expect(set.count == 2)
    }

    /// The Swift constants are the library's own OIDs (read from its exported globals through the shim).
    @Test(arguments: [
      ("GSS_C_NT_USER_NAME", GSSAPI.NameType.user), ("GSS_C_NT_MACHINE_UID_NAME", GSSAPI.NameType.machineUID),
      ("GSS_C_NT_STRING_UID_NAME", GSSAPI.NameType.stringUID),
      ("GSS_C_NT_HOSTBASED_SERVICE", GSSAPI.NameType.hostbasedService),
      ("GSS_C_NT_ANONYMOUS", GSSAPI.NameType.anonymous), ("GSS_C_NT_EXPORT_NAME", GSSAPI.NameType.export),
      ("GSS_C_NT_COMPOSITE_EXPORT", GSSAPI.NameType.compositeExport),
      ("GSS_KRB5_NT_PRINCIPAL_NAME", GSSAPI.NameType.kerberosPrincipal),
      ("GSS_KRB5_NT_ENTERPRISE_NAME", GSSAPI.NameType.kerberosEnterprise),
      ("gss_mech_krb5", GSSAPI.MechanismType.kerberos),
      ("gss_mech_krb5_old", GSSAPI.MechanismType.kerberosOld),
      ("gss_mech_krb5_wrong", GSSAPI.MechanismType.kerberosWrong),
      ("gss_mech_iakerb", GSSAPI.MechanismType.iakerb),
      ("GSS_C_INQ_SSPI_SESSION_KEY", GSSAPI.OID.krb5InquireSSPISessionKey),
      ("GSS_KRB5_CRED_NO_CI_FLAGS_X", GSSAPI.OID.krb5CredNoCIFlags),
      ("GSS_KRB5_GET_CRED_IMPERSONATOR", GSSAPI.OID.krb5GetCredImpersonator),
      ("GSS_C_SEC_CONTEXT_SASL_SSF", GSSAPI.OID.secContextSASLSSF),
    ])
    func constantsMatchTheLibrary(name: String, oid: GSSAPI.OID) throws {
      let library = try #require(cgss_library_oid(name))
      let bytes = [UInt8](
        UnsafeRawBufferPointer(start: library.pointee.elements, count: Int(library.pointee.length)))
      #expect(bytes == oid.bytes, "\(name)")
    }

    @Test func statusConstantsMatchTheHeaders() {
      #expect(GSSAPI.continueNeeded == 1)
      #expect(GSSAPI.indefinite == UInt32.max)
      #expect(GSSAPI.RequirementFlags.channelBound.rawValue == UInt32(GSS_C_CHANNEL_BOUND_FLAG))
      #expect(GSSAPI.RequirementFlags.okAsDelegate.rawValue == UInt32(GSS_C_DELEG_POLICY_FLAG))
      #expect(GSSAPI.RequirementFlags.extendedError.rawValue == UInt32(GSS_C_EXTENDED_ERROR_FLAG))
      #expect(GSSAPI.IOVBufferType.micToken.rawValue == UInt32(GSS_IOV_BUFFER_TYPE_MIC_TOKEN))
      #expect(GSSAPI.AddressType.x25.rawValue == UInt32(GSS_C_AF_X25))
      #expect(GSSAPI.AddressType.null.rawValue == UInt32(GSS_C_AF_NULLADDR))
    }

    @Test func flagNamesRoundTrip() throws {
      let flags: GSSAPI.RequirementFlags = [.mutualAuthentication, .delegateToPeer, .confidentiality]
      #expect(flags.description == "deleg,mutual,conf")
      #expect(try GSSAPI.RequirementFlags(names: "deleg, mutual,conf") == flags)
      #expect(try GSSAPI.RequirementFlags(names: "mutual_authentication") == .mutualAuthentication)
      #expect(throws: GSSError.self) { try GSSAPI.RequirementFlags(names: "mutual,bogus") }
    }
  }

  @Suite struct Mechanisms {
    @Test func kerberosSpnegoAndNTLMAreOffered() throws {
      let mechs = try GSSAPI.indicateMechanisms()
      #expect(mechs.contains(GSSAPI.MechanismType.kerberos))
      #expect(mechs.contains(GSSAPI.MechanismType.spnego))
      #expect(
        mechs.contains(GSSAPI.MechanismType.ntlmssp), "gss-ntlmssp is installed by scripts/install-deps")
    }

    @Test func nameTypesForKerberos() throws {
      let types = try GSSAPI.inquireNames(forMechanism: GSSAPI.MechanismType.kerberos)
      #expect(
        types.isSuperset(of: [
          GSSAPI.NameType.hostbasedService, GSSAPI.NameType.kerberosPrincipal, GSSAPI.NameType.user,
        ]))
      #expect(throws: GSSError.self) {
        try GSSAPI.inquireNames(forMechanism: GSSAPI.OID(bytes: [0x2a, 0x03]))
      }
    }

    @Test func mechanismsForAName() throws {
      let name = try GSSAPI.importName("user@NTSEC.TEST", type: GSSAPI.NameType.kerberosPrincipal)
      #expect(try GSSAPI.inquireMechanisms(forName: name).contains(GSSAPI.MechanismType.kerberos))
    }

    @Test func mechanismAttributes() throws {
      let attrs = try GSSAPI.inquireAttributes(forMechanism: GSSAPI.MechanismType.kerberos)
      let concrete = try GSSAPI.OID(dotted: "1.3.6.1.5.5.13.1")  // GSS_C_MA_MECH_CONCRETE
      let nego = try GSSAPI.OID(dotted: "1.3.6.1.5.5.13.4")  // GSS_C_MA_MECH_NEGO
      #expect(attrs.mechanismAttributes.contains(concrete))
      #expect(!attrs.mechanismAttributes.contains(nego))
      #expect(attrs.knownMechanismAttributes.isSuperset(of: attrs.mechanismAttributes))
      let display = try GSSAPI.displayMechanismAttribute(concrete)
      #expect(display.name == "GSS_C_MA_MECH_CONCRETE")
      #expect(!display.shortDescription.isEmpty && !display.longDescription.isEmpty)
      let negotiators = try GSSAPI.indicateMechanisms(desired: [nego])
      #expect(negotiators.contains(GSSAPI.MechanismType.spnego))
      #expect(!negotiators.contains(GSSAPI.MechanismType.kerberos))
      let concreteOnes = try GSSAPI.indicateMechanisms(desired: [concrete], except: [nego])
      #expect(concreteOnes.contains(GSSAPI.MechanismType.kerberos))
      #expect(!concreteOnes.contains(GSSAPI.MechanismType.spnego))
    }

    @Test func saslNamesBothWays() throws {
      let sasl = try GSSAPI.inquireSASLName(forMechanism: GSSAPI.MechanismType.kerberos)
      #expect(sasl.saslMechanismName == "GS2-KRB5")
      #expect(!sasl.mechanismName.isEmpty)
      #expect(try GSSAPI.inquireMechanism(forSASLName: "GS2-KRB5") == GSSAPI.MechanismType.kerberos)
      #expect(throws: GSSError.self) { try GSSAPI.inquireMechanism(forSASLName: "NO-SUCH-MECH") }
    }
  }
}
