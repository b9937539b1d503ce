import Foundation
import GSSAPI
import NTSecurityTesting
import TestPeers
import Testing

extension GSS {
  @Suite struct Credentials {
    @Test func acquireAndInquireTheUsersTGT() throws {
      _ = try Realm.get()
      let user = try GSSAPI.importName(
        KerberosTestRealm.userPrincipal, type: GSSAPI.NameType.kerberosPrincipal)
      let acquired = try GSSAPI.acquireCredentials(
        name: user, mechanisms: [GSSAPI.MechanismType.kerberos], usage: .initiate)
      #expect(acquired.mechanisms.contains(GSSAPI.MechanismType.kerberos))
      let lifetime = try #require(acquired.lifetime)
      #expect(lifetime > 0 && lifetime <= 36000)
      let info = try GSSAPI.inquireCredentials(acquired.credentials)
      #expect(info.name?.description == KerberosTestRealm.userPrincipal)
      #expect(info.usage == .initiate)
      #expect(info.mechanisms?.contains(GSSAPI.MechanismType.kerberos) == true)
      let partial = try GSSAPI.inquireCredentials(acquired.credentials, name: false, lifetime: false)
      #expect(partial.name == nil && partial.lifetime == nil && partial.usage == .initiate)
      let byMech = try GSSAPI.inquireCredentials(
        acquired.credentials, mechanism: GSSAPI.MechanismType.kerberos)
      #expect(byMech.name?.description == KerberosTestRealm.userPrincipal)
      #expect(byMech.initiatorLifetime != nil)
      #expect(byMech.acceptorLifetime == 0)
    }

    @Test func acceptorCredentialsFromTheKeytab() throws {
      let host = try hostTarget()
      let acquired = try GSSAPI.acquireCredentials(name: host, usage: .accept)
      let info = try GSSAPI.inquireCredentials(acquired.credentials, mechanism: GSSAPI.MechanismType.kerberos)
      #expect(info.usage == .accept)
      #expect(info.name?.description == "host/localhost@NTSEC.TEST")
      // an acceptor with no keys is refused, naming the missing credentials
      let nobody = try GSSAPI.importName("nobody@localhost", type: GSSAPI.NameType.hostbasedService)
      do {
        _ = try GSSAPI.acquireCredentials(
          name: nobody, mechanisms: [GSSAPI.MechanismType.kerberos], usage: .accept)
        Issue.record("acquired keys that are not in the keytab")
      } catch {
        #expect(error.routine == .noCredentials)
        #expect(error.pythonName == "MissingCredentialsError")
        #expect(!error.minorMessages.isEmpty)
      }
    }

    @Test func addCredentialsBuildsAndMutates() throws {
      _ = try Realm.get()
      let host = try hostTarget()
      let base = try GSSAPI.acquireCredentials(
        name: nil, mechanisms: [GSSAPI.MechanismType.kerberos], usage: .initiate)
      let added = try GSSAPI.addCredentials(
        to: nil, name: host, mechanism: GSSAPI.MechanismType.kerberos, usage: .accept)
      #expect(added.credentials != nil)
      #expect(added.mechanisms == [GSSAPI.MechanismType.kerberos])
      // adding a second kerberos element to credentials that have one is a duplicate element
      do {
        _ = try GSSAPI.addCredentials(
          to: base.credentials, name: nil, mechanism: GSSAPI.MechanismType.kerberos)
        Issue.record("added a duplicate element")
      } catch {
        #expect(error.routine == .duplicateElement)
      }
      let mutated = try GSSAPI.addCredentials(
        to: added.credentials!, name: nil, mechanism: GSSAPI.MechanismType.spnego, usage: .accept,
        mutateInput: true)
      #expect(mutated.credentials == nil)
    }

    @Test func passwordCredentials() throws {
      _ = try Realm.get()
      let user = try GSSAPI.importName(
        KerberosTestRealm.userPrincipal, type: GSSAPI.NameType.kerberosPrincipal)
      let acquired = try GSSAPI.acquireCredentials(
        name: user, password: Array(try KerberosTestRealm.shared().userPassword.utf8),
        mechanisms: [GSSAPI.MechanismType.kerberos])
      let (_, a) = try establish(initiatorCredentials: acquired.credentials)
      #expect(a.initiatorName?.description == KerberosTestRealm.userPrincipal)
      do {
        _ = try GSSAPI.acquireCredentials(
          name: user, password: Array("wrong".utf8), mechanisms: [GSSAPI.MechanismType.kerberos])
        Issue.record("a wrong password got a TGT")
      } catch {
        #expect(error.routine == .noCredentials)
        // KRB5KRB_AP_ERR_BAD_INTEGRITY
        #expect(error.minorMessages.joined().contains("integrity check failed"))
      }
      let added = try GSSAPI.addCredentials(
        to: nil, name: user, mechanism: GSSAPI.MechanismType.kerberos,
        password: Array(try KerberosTestRealm.shared().userPassword.utf8))
      #expect(
        try GSSAPI.inquireCredentials(added.credentials!).name?.description == KerberosTestRealm.userPrincipal
      )
    }

    @Test func credentialStoreAcquireAddAndStore() throws {
      let realm = try Realm.get()
      let host = try hostTarget()
      let store = ["keytab": realm.keytab]
      let acceptor = try GSSAPI.acquireCredentials(from: store, name: host, usage: .accept)
      #expect(try GSSAPI.inquireCredentials(acceptor.credentials).usage == .accept)
      // client keytab: host/localhost gets its own TGT into a memory cache
      let ccache = "MEMORY:ntsec-store-\(UInt32.random(in: 0...UInt32.max))"
      let service = try GSSAPI.importName(
        "host/localhost@NTSEC.TEST", type: GSSAPI.NameType.kerberosPrincipal)
      let initiator = try GSSAPI.acquireCredentials(
        from: ["client_keytab": realm.keytab, "ccache": ccache], name: service, usage: .initiate)
      let (_, a) = try establish(
        target: GSSAPI.importName(KerberosTestRealm.httpService, type: GSSAPI.NameType.hostbasedService),
        initiatorCredentials: initiator.credentials)
      #expect(a.initiatorName?.description == "host/localhost@NTSEC.TEST")
      let added = try GSSAPI.addCredentials(
        from: store, to: nil, name: host, mechanism: GSSAPI.MechanismType.kerberos, usage: .accept)
      #expect(added.mechanisms == [GSSAPI.MechanismType.kerberos])
      // store the user's TGT into a new file cache and read it back
      let file = realm.directory.appendingPathComponent("stored-\(UInt32.random(in: 0...UInt32.max))").path
      let user = try GSSAPI.acquireCredentials(
        name: nil, mechanisms: [GSSAPI.MechanismType.kerberos], usage: .initiate)
      let stored = try GSSAPI.storeCredentials(
        user.credentials, into: ["ccache": "FILE:" + file], usage: .initiate)
      #expect(stored.mechanisms == [GSSAPI.MechanismType.kerberos])
      #expect(stored.usage == .initiate)
      let reread = try GSSAPI.acquireCredentials(from: ["ccache": "FILE:" + file], usage: .initiate)
      #expect(
        try GSSAPI.inquireCredentials(reread.credentials).name?.description == KerberosTestRealm.userPrincipal
      )
    }

    @Test func storeCredIntoTheDefaultCache() throws {
      let realm = try Realm.get()
      let file = realm.directory.appendingPathComponent("default-store").path
      let previous = try GSSAPI.krb5CCacheName("FILE:" + file)
      defer { _ = try? GSSAPI.krb5CCacheName(previous) }
      #expect(previous == realm.ccache)
      let user = try GSSAPI.acquireCredentials(
        from: ["ccache": realm.ccache], mechanisms: [GSSAPI.MechanismType.kerberos], usage: .initiate)
      let stored = try GSSAPI.storeCredentials(
        user.credentials, usage: .initiate, overwrite: true, setDefault: true)
      #expect(stored.mechanisms.contains(GSSAPI.MechanismType.kerberos))
      #expect(FileManager.default.fileExists(atPath: file))
      #expect(try GSSAPI.krb5CCacheName(nil) == "FILE:" + file)
    }

    @Test func exportAndImportCredentials() throws {
      _ = try Realm.get()
      let user = try GSSAPI.acquireCredentials(
        name: nil, mechanisms: [GSSAPI.MechanismType.kerberos], usage: .initiate)
      let token = try GSSAPI.exportCredentials(user.credentials)
      #expect(token.count > 16)
      let back = try GSSAPI.importCredentials(token)
      #expect(try GSSAPI.inquireCredentials(back).name?.description == KerberosTestRealm.userPrincipal)
      #expect(throws: GSSError.self) { try GSSAPI.importCredentials([1, 2, 3]) }
    }

    @Test func krb5ImportCredAndEnctypes() throws {
      let realm = try Realm.get()
      let fromCache = try GSSAPI.krb5ImportCredentials(cache: realm.ccache)
      #expect(try GSSAPI.inquireCredentials(fromCache).name?.description == KerberosTestRealm.userPrincipal)
      let fromKeytab = try GSSAPI.krb5ImportCredentials(
        keytabPrincipal: "host/localhost@NTSEC.TEST", keytab: realm.keytab)
      #expect(try GSSAPI.inquireCredentials(fromKeytab).usage == .accept)
      #expect(throws: GSSError.self) { try GSSAPI.krb5ImportCredentials(cache: "NOSUCHTYPE:x") }
      // aes128 only: the context's session key follows
      let limited = try GSSAPI.acquireCredentials(
        name: nil, mechanisms: [GSSAPI.MechanismType.kerberos], usage: .initiate)
      try GSSAPI.krb5SetAllowableEnctypes([17], for: limited.credentials)
      let (i, _) = try establish(initiatorCredentials: limited.credentials)
      let lucid = try GSSAPI.krb5ExportLucidSecurityContext(i.context)
      #expect(lucid.cfxKeyData?.keyType == 17 || lucid.cfxKeyData?.acceptorSubkeyType == 17)
      #expect(throws: GSSError.self) { try GSSAPI.krb5SetAllowableEnctypes([9999], for: limited.credentials) }
    }

    @Test func credentialOptionsAndInquiryByOID() throws {
      _ = try Realm.get()
      let user = try GSSAPI.acquireCredentials(
        name: nil, mechanisms: [GSSAPI.MechanismType.kerberos], usage: .initiate)
      let same = try GSSAPI.setCredentialOption(GSSAPI.OID.krb5CredNoCIFlags, credentials: user.credentials)
      #expect(same === user.credentials)
      // MIT then leaves conf/integ out of the authenticator checksum; its acceptor reports them
      // anyway (RFC 4121 contexts always protect), so what is checked is that contexts still work
      let (i, a) = try establish(initiatorCredentials: same)
      #expect(
        try GSSAPI.unwrap(a.context, message: GSSAPI.wrap(i.context, message: [7]).message).message == [7])
      // a plain TGT has no impersonator: the library answers with an empty set
      #expect(
        try GSSAPI.inquireCredentials(user.credentials, byOID: GSSAPI.OID.krb5GetCredImpersonator).isEmpty)
      #expect(throws: GSSError.self) {
        try GSSAPI.setCredentialOption(GSSAPI.OID(dotted: "1.2.3.4"), credentials: user.credentials)
      }
    }
  }
}
