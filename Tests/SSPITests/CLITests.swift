import Foundation
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension SSPISuite {
  /// `ntsec sspi packages|client|server`, the client and server wired to each other line by line.
  @Suite struct CommandLine {
    static var ntsec: String? { builtProduct("ntsec") }

    func ntsec(_ arguments: [String]) throws -> LinePeer {
      let realm = try Realm.get()
      guard let path = Self.ntsec else { throw TestFailure(text: "ntsec is not built next to the tests") }
      return try LinePeer(path, arguments, environment: realm.environment)
    }

    @Test func packagesPrintsGetSecurityPackageStyle() throws {
      let peer = try ntsec(["sspi", "packages"])
      var lines: [String] = []
      while let line = peer.receive() { lines.append(line) }
      #expect(peer.finish().status == 0)
      #expect(lines.first == "Name         : Negotiate")
      #expect(lines.contains("Comment      : Microsoft Kerberos V1.0"))
      #expect(lines.contains("RpcId        : 10"))
      #expect(lines.contains("MaxToken     : 2888"))
    }

    /// Pumps lines between a client and a server until the client says "established"; returns
    /// the server's lines after its "established NAME".
    func pair(client: LinePeer, server: LinePeer, serverTrailing: Int) throws -> (
      name: String, after: [String]
    ) {
      var name = ""
      while let line = client.receive() {
        if line == "established" { break }
        server.send(line)
        while let reply = server.receive() {
          if reply.hasPrefix("established ") {
            name = String(reply.dropFirst(12))
            break
          }
          client.send(reply)
          break
        }
      }
      if name.isEmpty, let line = server.receive(), line.hasPrefix("established ") {
        name = String(line.dropFirst(12))
      }
      var after: [String] = []
      while after.count < serverTrailing, let line = server.receive() { after.append(line) }
      return (name, after)
    }

    @Test(arguments: ["Kerberos", "Negotiate"])
    func clientAndServerPrintTheTokenJSON(package: String) throws {
      let pw = try #require(getpwnam("nobody"))
      let realm = try Realm.get()
      try realm.run(
        "/usr/sbin/kadmin.local", ["-r", KerberosTestRealm.realmName],
        input: "addprinc -pw nobody-password nobody\n")
      let server = try ntsec(["sspi", "server", "--package", package])
      let client = try ntsec([
        "sspi", "client", "--package", package, "--target", "host/localhost", "--user", "nobody", "--domain",
        "ntsec.test",
        "--password-stdin",
      ])
      client.send("nobody-password")
      let (name, after) = try pair(client: client, server: server, serverTrailing: 1)
      #expect(name == "nobody@NTSEC.TEST")
      let json = try #require(after.first)
      #expect(json.hasPrefix("{") && json.contains("\"S-1-22-1-\(pw.pointee.pw_uid)\""), "\(json)")
      let c = client.finish()
      let s = server.finish()
      #expect(c.status == 0, "\(c.errors)")
      #expect(s.status == 0, "\(s.errors)")
      #expect(s.errors.contains("token: local account nobody"))
    }

    @Test func serverWhoamiPrintsWhoamiAll() throws {
      _ = try #require(getpwnam("nobody"))
      let realm = try Realm.get()
      try realm.run(
        "/usr/sbin/kadmin.local", ["-r", KerberosTestRealm.realmName],
        input: "addprinc -pw nobody-password nobody\n")
      let server = try ntsec(["sspi", "server", "--package", "Kerberos", "--whoami"])
      let client = try ntsec([
        "sspi", "client", "--package", "Kerberos", "--target", "host/localhost", "--user", "nobody",
        "--domain", "NTSEC.TEST",
        "--password-stdin",
      ])
      client.send("nobody-password")
      let (name, _) = try pair(client: client, server: server, serverTrailing: 0)
      #expect(name == "nobody@NTSEC.TEST")
      var lines: [String] = []
      while let line = server.receive() { lines.append(line) }
      #expect(lines.contains("USER INFORMATION"))
      #expect(lines.contains { $0.hasPrefix("unix user\\nobody") })
      #expect(lines.contains { $0.hasPrefix("NT AUTHORITY\\NETWORK") })
      _ = client.finish()
      #expect(server.finish().status == 0)
    }

    @Test func unknownPackageFailsWithTheStatus() throws {
      let client = try ntsec(["sspi", "client", "--package", "Digest", "--target", "host/localhost"])
      let r = client.finish()
      #expect(r.status != 0)
      #expect(r.errors.contains("SEC_E_SECPKG_NOT_FOUND"))
    }
  }
}
