import GSSAPI
import NTSecurityTesting
import TestPeers
import Testing

extension GSS {
  @Suite struct Names {
    @Test func importDisplayCompare() throws {
      let name = try GSSAPI.importName("host@localhost", type: GSSAPI.NameType.hostbasedService)
      let shown = try GSSAPI.displayName(name)
      #expect(shown.name == "host@localhost")
      #expect(shown.nameType == GSSAPI.NameType.hostbasedService)
      #expect(try GSSAPI.displayName(name, includeType: false).nameType == nil)
      let same = try GSSAPI.importName(Array("host@localhost".utf8), type: GSSAPI.NameType.hostbasedService)
      #expect(try GSSAPI.compareName(name, same))
      #expect(name == same)
      let other = try GSSAPI.importName("HTTP@localhost", type: GSSAPI.NameType.hostbasedService)
      #expect(name != other)
    }

    @Test func canonicalizeExportAndReimport() throws {
      _ = try Realm.get()
      let name = try GSSAPI.importName("host@localhost", type: GSSAPI.NameType.hostbasedService)
      #expect(throws: GSSError.self) { try GSSAPI.exportName(name) }  // not a mechanism name
      do { _ = try GSSAPI.exportName(name) } catch { #expect(error.routine == .nameNotMN) }
      let mn = try GSSAPI.canonicalizeName(name, mechanism: GSSAPI.MechanismType.kerberos)
      #expect(mn.description == "host/localhost@NTSEC.TEST")
      let exported = try GSSAPI.exportName(mn)
      #expect(Array(exported.prefix(2)) == [0x04, 0x01])  // RFC 2743 3.2 token ID
      let back = try GSSAPI.importName(exported, type: GSSAPI.NameType.export)
      #expect(back.description == "host/localhost@NTSEC.TEST")
      #expect(try GSSAPI.compareName(back, mn))
      let dup = try GSSAPI.duplicateName(mn)
      #expect(dup == mn)
    }

    @Test func kerberosPrincipalsAndOtherNameTypes() throws {
      _ = try Realm.get()
      let user = try GSSAPI.importName("user@NTSEC.TEST", type: GSSAPI.NameType.kerberosPrincipal)
      #expect(try GSSAPI.displayName(user).nameType == GSSAPI.NameType.kerberosPrincipal)
      let uid = try GSSAPI.importName("0", type: GSSAPI.NameType.stringUID)
      #expect(
        try GSSAPI.canonicalizeName(uid, mechanism: GSSAPI.MechanismType.kerberos).description.hasPrefix(
          "root@"))
      let anonymous = try GSSAPI.importName("", type: GSSAPI.NameType.anonymous)
      #expect(try GSSAPI.displayName(anonymous).nameType == GSSAPI.NameType.anonymous)
    }

    @Test func badNamesAreTypedErrors() throws {
      do {
        _ = try GSSAPI.importName("a@b@c", type: GSSAPI.NameType.export)
        Issue.record("accepted a bad exported name")
      } catch {
        #expect(error.routine == .badName || error.routine == .defectiveToken)
        #expect(!error.majorMessages.isEmpty)
      }
      // the mechanism glue keeps a name of an unknown type as is; the mechanism refuses it
      let odd = try GSSAPI.importName("x", type: GSSAPI.OID(bytes: [0x2a, 0x03, 0x04]))
      do {
        _ = try GSSAPI.canonicalizeName(odd, mechanism: GSSAPI.MechanismType.kerberos)
        Issue.record("Kerberos accepted an unknown name type")
      } catch {
        #expect(error.routine == .badNameType)
        #expect(error.pythonName == "BadNameTypeError")
      }
    }
  }

  @Suite struct NamingExtensions {
    /// RFC 6680 on the acceptor's view of the initiator: MIT's KDC puts a PAC in the ticket.
    @Test func pacAttributesOfTheInitiator() throws {
      let (_, a) = try establish()
      let client = try #require(a.initiatorName)
      let info = try GSSAPI.inquireName(client)
      #expect(info.isMechanismName)
      #expect(info.mechanism == GSSAPI.MechanismType.kerberos)
      #expect(info.attributes.contains("urn:mspac:"))
      let pac = try GSSAPI.getNameAttribute(client, "urn:mspac:")
      #expect(pac.authenticated && pac.complete)
      #expect(pac.values.count == 1 && pac.values[0].count > 64)
      #expect(Array(pac.values[0].prefix(4)) == [4, 0, 0, 0])  // PACTYPE.cBuffers: MIT's KDC writes 4 buffers
      let composite = try GSSAPI.exportNameComposite(client)
      #expect(Array(composite.prefix(2)) == [0x04, 0x02])  // composite export token ID
      let back = try GSSAPI.importName(composite, type: GSSAPI.NameType.compositeExport)
      #expect(try GSSAPI.inquireName(back).attributes.contains("urn:mspac:"))
      #expect(
        try GSSAPI.displayName(client, as: GSSAPI.NameType.kerberosPrincipal) == Array("user@NTSEC.TEST".utf8)
      )
    }

    @Test func setAndDeleteAttributes() throws {
      _ = try Realm.get()
      let name = try GSSAPI.canonicalizeName(
        GSSAPI.importName("user@NTSEC.TEST", type: GSSAPI.NameType.kerberosPrincipal),
        mechanism: GSSAPI.MechanismType.kerberos)
      // MIT's krb5 mechanism keeps attributes in its authdata plugins, which exist only on names
      // that came with a ticket: an imported name has none
      do {
        try GSSAPI.setNameAttribute(name, "urn:mspac:", values: [[1, 2, 3]])
        Issue.record("set an attribute on a name without authorization data")
      } catch { #expect(error.routine == .unavailable) }
      // the acceptor's name for the client does: its PAC can be replaced (then no longer
      // authenticated, so no longer returned); MIT's PAC plugin implements no deletion
      let (_, ctx) = try establish()
      let client = try #require(ctx.initiatorName)
      let pac = try GSSAPI.getNameAttribute(client, "urn:mspac:").values[0]
      let copy = try GSSAPI.duplicateName(client)
      try GSSAPI.setNameAttribute(copy, "urn:mspac:", values: [pac])
      #expect(throws: GSSError.self) { try GSSAPI.getNameAttribute(copy, "urn:mspac:") }
      let other = try GSSAPI.duplicateName(client)
      do {
        try GSSAPI.deleteNameAttribute(other, "urn:mspac:")
        Issue.record("MIT deleted a PAC")
      } catch { #expect(error.routine == .unavailable) }
      #expect(try GSSAPI.inquireName(other).attributes.contains("urn:mspac:"))
      do {
        try GSSAPI.deleteNameAttribute(name, "urn:ntsec:absent")
        Issue.record("deleted an attribute that is not there")
      } catch { #expect(error.routine == .unavailable) }
      #expect(throws: GSSError.self) { try GSSAPI.getNameAttribute(name, "urn:ntsec:absent") }
    }
  }
}
