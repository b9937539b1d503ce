import CredentialManager
import Foundation
import GSSAPI
import NTSecurity
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A throwaway Credential Manager vault (XDG_DATA_HOME / XDG_CONFIG_HOME under a private
/// directory) for `ntsec` processes, removed with `remove()`.
struct ThrowawayVault {
  let directory: String

  init() throws {
    var template = Array((NSTemporaryDirectory() + "ntsec-sspi-vault-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw TestFailure(text: "mkdtemp failed") }
    directory = String(cString: made)
  }

  /// The variables that point `ntsec cred` and SSPI's vault lookup here.
  var environment: [String: String] {
    ["HOME": directory, "XDG_DATA_HOME": directory + "/data", "XDG_CONFIG_HOME": directory + "/config"]
  }

  /// The vault itself, opened in this process (the same files `VaultLocation.user()` finds).
  func open() throws -> CredentialVault { try CredentialVault(location: .inside(directory)) }

  /// `ntsec cred add TARGET --type domain --user USER --password-stdin`.
  func addDomainPassword(_ target: String, user: String, password: String, ntsec: String) throws {
    let r = try runProgram(
      ntsec, ["cred", "add", target, "--type", "domain", "--user", user, "--password-stdin"], input: password,
      environment: environment)
    guard r.status == 0 else { throw TestFailure(text: "ntsec cred add \(target): \(r.stderr)") }
  }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

extension SSPISuite {
  /// Windows' Kerberos and Negotiate packages use Credential Manager: with no ticket, the domain
  /// password credential stored for the target's host authenticates `ntsec sspi client` (no
  /// password given), InitializeSecurityContext records the target information, and a usable
  /// ticket is still used first. Each `ntsec` runs with a ccache of its own and a throwaway vault.
  @Suite struct StoredCredentials {
    static let vaultUser = "vaultuser"
    static let vaultPassword = "vault-user-password"
    /// A server whose name has DNS suffixes (`*.ntsec.test`), added to the realm and its keytab.
    static let dottedHost = "srv.ntsec.test"

    private static let prepared: Result<Void, TestFailure> = {
      do {
        let realm = try Realm.get()
        let keytab = String(realm.keytab.dropFirst("FILE:".count))
        try realm.run(
          "/usr/sbin/kadmin.local", ["-r", KerberosTestRealm.realmName],
          input: """
            addprinc -pw \(vaultPassword) \(vaultUser)
            addprinc -randkey host/\(dottedHost)
            ktadd -k \(keytab) host/\(dottedHost)

            """)
        return .success(())
      } catch { return .failure(TestFailure(text: "realm set-up: \(error)")) }
    }()

    var ntsec: String {
      get throws {
        guard let path = builtProduct("ntsec") else {
          throw TestFailure(text: "ntsec is not built next to the tests")
        }
        return path
      }
    }

    /// What one client → server run gave.
    struct Run {
      var name: String
      var client: (status: Int32, errors: String)
      var server: (status: Int32, errors: String)
    }

    /// `ntsec sspi client` with no identity and `ccache`, against `ntsec sspi server`.
    func authenticate(
      package: String, target: String, vault: ThrowawayVault, ccache: String? = nil
    ) throws -> Run {
      try Self.prepared.get()
      let realm = try Realm.get()
      let path = try ntsec
      let server = try LinePeer(
        path, ["sspi", "server", "--package", package], environment: realm.environment)
      let noTicket = "FILE:\(vault.directory)/no-such-ccache"
      let client = try LinePeer(
        path, ["sspi", "client", "--package", package, "--target", target],
        environment: realm.environment.merging(vault.environment) { $1 }.merging([
          "KRB5CCNAME": ccache ?? noTicket
        ]) { $1 })
      var name = ""
      var legs = 0
      while let line = client.receive(), line != "established", legs < 10 {
        legs += 1
        server.send(line)
        guard let reply = server.receive() else { break }
        if reply.hasPrefix("established ") {
          name = String(reply.dropFirst(12))
          break
        }
        client.send(reply)
      }
      let c = client.finish()
      server.closeInput()  // a server still waiting for a token (the client gave up) ends now
      if name.isEmpty, let line = server.receive(), line.hasPrefix("established ") {
        name = String(line.dropFirst(12))
      }
      return Run(name: name, client: c, server: server.finish())
    }

    @Test(arguments: ["Kerberos", "Negotiate"])
    func storedPasswordAuthenticatesWithNoTicket(package: String) throws {
      let vault = try ThrowawayVault()
      defer { vault.remove() }
      try vault.addDomainPassword(
        Self.dottedHost, user: "\(Self.vaultUser)@ntsec.test", password: Self.vaultPassword, ntsec: try ntsec)
      let r = try authenticate(package: package, target: "host/\(Self.dottedHost)", vault: vault)
      #expect(r.client.status == 0, "client: \(r.client.errors)")
      #expect(r.name == "\(Self.vaultUser)@NTSEC.TEST", "server: \(r.server.errors)")
      // CredGetTargetInfo now knows the server, as InitializeSecurityContext learned it.
      let info = try vault.open().targetInformation(for: Self.dottedHost)
      #expect(info.targetName == Self.dottedHost)
      #expect(info.dnsServerName == Self.dottedHost)
      #expect(info.dnsDomainName == "ntsec.test")
      #expect(info.netbiosServerName == nil)
      #expect(info.packageName == "Kerberos")
      #expect(info.flags == [])
      #expect(info.credTypes == [.domainPassword])
    }

    /// The lookup order of CredReadDomainCredentials: each form alone in the vault matches.
    @Test(arguments: [
      ("*.ntsec.test", "host/\(dottedHost)"), ("ntsec.test\\*", "host/\(dottedHost)"),
      ("Domain:target=\(dottedHost)", "host/\(dottedHost)"), ("*", "host/localhost"),
      ("localhost", "host/localhost"),
    ])
    func everyTargetFormIsFound(stored: String, target: String) throws {
      let vault = try ThrowawayVault()
      defer { vault.remove() }
      try vault.addDomainPassword(
        stored, user: "\(Self.vaultUser)@NTSEC.TEST", password: Self.vaultPassword, ntsec: try ntsec)
      let r = try authenticate(package: "Kerberos", target: target, vault: vault)
      #expect(r.client.status == 0, "client: \(r.client.errors)")
      #expect(r.name == "\(Self.vaultUser)@NTSEC.TEST")
    }

    /// The most specific credential wins: the server's own over `*.suffix` over `*`.
    @Test func theMostSpecificCredentialIsUsed() throws {
      let vault = try ThrowawayVault()
      defer { vault.remove() }
      let path = try ntsec
      try vault.addDomainPassword("*", user: "user@NTSEC.TEST", password: "wrong", ntsec: path)
      try vault.addDomainPassword("*.ntsec.test", user: "user@NTSEC.TEST", password: "wrong", ntsec: path)
      try vault.addDomainPassword(
        Self.dottedHost, user: "\(Self.vaultUser)@NTSEC.TEST", password: Self.vaultPassword, ntsec: path)
      let r = try authenticate(package: "Kerberos", target: "host/\(Self.dottedHost)", vault: vault)
      #expect(r.name == "\(Self.vaultUser)@NTSEC.TEST", "client: \(r.client.errors)")
    }

    /// A stored password the KDC refuses: SEC_E_UNKNOWN_CREDENTIALS, as an explicit one.
    @Test func wrongStoredPasswordIsUnknownCredentials() throws {
      let vault = try ThrowawayVault()
      defer { vault.remove() }
      try vault.addDomainPassword(
        Self.dottedHost, user: "\(Self.vaultUser)@NTSEC.TEST", password: "not-the-password", ntsec: try ntsec)
      let r = try authenticate(package: "Kerberos", target: "host/\(Self.dottedHost)", vault: vault)
      #expect(r.client.status == 1)
      #expect(r.client.errors.contains("SEC_E_UNKNOWN_CREDENTIALS"), "client: \(r.client.errors)")
      #expect(r.name.isEmpty)
    }

    /// A usable ticket is used, not the vault (whose credential names another user).
    @Test func aUsableTicketComesFirst() throws {
      let vault = try ThrowawayVault()
      defer { vault.remove() }
      try vault.addDomainPassword(
        "*", user: "\(Self.vaultUser)@NTSEC.TEST", password: Self.vaultPassword, ntsec: try ntsec)
      let realm = try Realm.get()
      let r = try authenticate(
        package: "Kerberos", target: "host/\(Self.dottedHost)", vault: vault, ccache: realm.ccache)
      #expect(r.client.status == 0, "client: \(r.client.errors)")
      #expect(r.name == KerberosTestRealm.userPrincipal)
    }

    /// No ticket and nothing stored for this target: SEC_E_NO_CREDENTIALS, at
    /// InitializeSecurityContext when the vault holds other domain credentials, at
    /// AcquireCredentialsHandle when it holds none.
    @Test func noTicketAndNoMatchingCredentialIsNoCredentials() throws {
      let vault = try ThrowawayVault()
      defer { vault.remove() }
      let none = try authenticate(package: "Kerberos", target: "host/\(Self.dottedHost)", vault: vault)
      #expect(none.client.status == 1)
      #expect(none.client.errors.contains("SEC_E_NO_CREDENTIALS"), "client: \(none.client.errors)")
      #expect(!FileManager.default.fileExists(atPath: vault.directory + "/data/ntsec"))  // never created
      try vault.addDomainPassword(
        "elsewhere.example.com", user: "\(Self.vaultUser)@NTSEC.TEST", password: Self.vaultPassword,
        ntsec: try ntsec)
      let other = try authenticate(package: "Kerberos", target: "host/\(Self.dottedHost)", vault: vault)
      #expect(other.client.status == 1)
      #expect(other.client.errors.contains("SEC_E_NO_CREDENTIALS"), "client: \(other.client.errors)")
      #expect(other.client.errors.contains("Credential Manager"))
    }

    /// A NetBIOS-style `DOMAIN\user` is no Kerberos realm: the default realm is used.
    @Test func netbiosDomainUserUsesTheDefaultRealm() throws {
      let vault = try ThrowawayVault()
      defer { vault.remove() }
      try vault.addDomainPassword(
        Self.dottedHost, user: "NTSEC\\\(Self.vaultUser)", password: Self.vaultPassword, ntsec: try ntsec)
      let r = try authenticate(package: "Kerberos", target: "host/\(Self.dottedHost)", vault: vault)
      #expect(r.name == "\(Self.vaultUser)@NTSEC.TEST", "client: \(r.client.errors)")
    }
  }

  /// pvLogonID: the caller's own logon id selects the caller's credentials.
  @Suite struct CallerLogonID {
    @Test func ownLogonIDSelectsTheCallersCredentials() throws {
      _ = try Realm.get()
      let own = try #require(SSPI.callerLogonID)
      #expect(own.highPart == 1 || own.highPart == 2)
      let r = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound, logonID: own)
      #expect(r.credentials.principal == KerberosTestRealm.userPrincipal)
      // Another id (one more than ours) is another session's: no credentials, or not the owner.
      let other = LUID(lowPart: own.lowPart &+ 1, highPart: own.highPart)
      expectStatus(geteuid() == 0 ? .noCredentials : .notOwner) {
        _ = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound, logonID: other)
      }
    }

    /// `ntsec sspi logon-id` prints the id SSPI takes as the caller's (a child shares its
    /// parent's audit session and session keyring).
    @Test func theCommandPrintsTheSameID() throws {
      let own = try #require(SSPI.callerLogonID)
      let path = try #require(builtProduct("ntsec"))
      let r = try runProgram(path, ["sspi", "logon-id"])
      #expect(r.status == 0, "\(r.stderr)")
      #expect(r.stdout == "\(own)\n")
    }
  }

  /// What MIT returns to the acceptor about delegation: delegated credentials only when
  /// GSS_C_DELEG_FLAG is in the returned flags, and a TGT that is not forwardable is not
  /// delegated even when the initiator asks.
  @Suite struct DelegatedCredentials {
    func accept(flags: GSSAPI.RequirementFlags, ccache: String) throws -> GSSAPI.AcceptSecContextResult {
      let initiator = try GSSAPI.acquireCredentials(from: ["ccache": ccache], usage: .initiate).credentials
      let target = try GSSAPI.importName(
        KerberosTestRealm.hostService, type: GSSAPI.NameType.hostbasedService)
      let i = try GSSAPI.initSecurityContext(
        target: target, credentials: initiator, mechanism: GSSAPI.MechanismType.kerberos, flags: flags)
      return try GSSAPI.acceptSecurityContext(inputToken: try #require(i.token), credentials: nil)
    }

    @Test func onlyGrantedDelegationReturnsCredentials() throws {
      let realm = try Realm.get()
      let forwardable = try accept(flags: [.delegateToPeer], ccache: realm.ccache)
      #expect(forwardable.flags.contains(.delegateToPeer))
      #expect(forwardable.delegatedCredentials != nil)
      let notAsked = try accept(flags: [], ccache: realm.ccache)
      #expect(!notAsked.flags.contains(.delegateToPeer) && notAsked.delegatedCredentials == nil)
      let file = "FILE:\(realm.directory.path)/not-forwardable-\(getpid())"
      defer { unlink(String(file.dropFirst(5))) }
      try realm.kinit(
        KerberosTestRealm.user, password: try KerberosTestRealm.shared().userPassword, ccache: file,
        extraArguments: ["-F"]
      )
      let refused = try accept(flags: [.delegateToPeer], ccache: file)
      #expect(!refused.flags.contains(.delegateToPeer))
      #expect(refused.delegatedCredentials == nil)
    }
  }
}
