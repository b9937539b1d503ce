import Foundation
import NTSecurityTesting
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `--connect HOST:PORT` and `--listen PORT` of `ntsec gss init|accept` and `ntsec sspi
/// client|server`: the tokens go over TCP in MIT gss-sample framing, straight to MIT's gss-server
/// and from MIT's gss-client, with no relay in between.
extension GSS.CommandLine {
  /// Waits until something listens on 127.0.0.1:`port` (or any address), from /proc/net/tcp,
  /// without connecting (gss-server -once serves exactly one connection).
  static func waitForListener(port: UInt16, seconds: Double = 20) throws {
    let hexPort = String(format: ":%04X ", port)
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
      if table.split(separator: "\n").contains(where: { $0.contains(hexPort) && $0.contains(" 0A ") }) {
        return
      }
      usleep(20_000)
    }
    throw TestFailure(text: "nothing listens on port \(port)")
  }

  /// MIT's gss-server for one connection (host@localhost) on a free port, once it listens.
  static func startGssServer(_ realm: KerberosTestRealm) throws -> (server: Background, port: UInt16) {
    let port = try KerberosTestRealm.freePort()
    let server = try Background(
      "/usr/bin/gss-server", ["-port", String(port), "-once", "host@localhost"],
      environment: realm.environment)
    try waitForListener(port: port)
    return (server, port)
  }

  /// The port a `--listen 0` peer reports on stderr ("listening on port N").
  static func listeningPort(_ peer: Peer) throws -> UInt16 {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while Glibc.read(peer.errors.fileHandleForReading.fileDescriptor, &byte, 1) == 1, byte != 10 {
      bytes.append(byte)
    }
    let line = String(decoding: bytes, as: UTF8.self)
    guard line.hasPrefix("listening on port "), let port = UInt16(line.dropFirst(18)) else {
      throw TestFailure(text: "expected \"listening on port N\", got \"\(line)\"")
    }
    return port
  }

  @Test func initConnectsToGssServer() throws {
    let realm = try Realm.get()
    let (server, port) = try Self.startGssServer(realm)
    let initiator = try Peer(
      ["gss", "init", "--target", "host@localhost", "--mech", "krb5", "--connect", "localhost:\(port)"],
      environment: realm.environment)
    #expect(try initiator.readLine() == "established")
    let i = initiator.finish()
    #expect(i.status == 0, "\(i.stderr)")
    #expect(i.stderr.contains("mech: krb5"))
    let (status, output) = server.finish()
    #expect(status == 0, "\(output)")
    #expect(output.contains("Accepted connection: \"user@NTSEC.TEST\""))
  }

  /// gss-client wraps its message and verifies the MIC the acceptor returns ("Signature verified").
  @Test func acceptListensForGssClient() throws {
    let realm = try Realm.get()
    let acceptor = try Peer(
      ["gss", "accept", "--keytab", realm.keytab, "--listen", "0"], environment: realm.environment)
    let port = try Self.listeningPort(acceptor)
    let client = try Background(
      "/usr/bin/gss-client", ["-port", String(port), "localhost", "host@localhost", "hello over TCP"],
      environment: realm.environment)
    #expect(try acceptor.readLine() == "established user@NTSEC.TEST")
    #expect(try acceptor.readLine() == "message: hello over TCP")
    let a = acceptor.finish()
    #expect(a.status == 0, "\(a.stderr)")
    let (status, output) = client.finish()
    #expect(status == 0, "\(output)")
    #expect(output.contains("Signature verified"))
  }

  /// The SSPI server builds the client's token from the local account (nobody), as the SSPI
  /// suite's line-mode test does.
  @Test func sspiClientConnectsToSspiServerAndGssServer() throws {
    _ = try #require(getpwnam("nobody"))
    let realm = try Realm.get()
    try realm.run(
      "/usr/sbin/kadmin.local", ["-r", KerberosTestRealm.realmName],
      input: "addprinc -pw nobody-password nobody\n")
    let server = try Peer(
      ["sspi", "server", "--package", "Kerberos", "--keytab", realm.keytab, "--listen", "0"],
      environment: realm.environment)
    let port = try Self.listeningPort(server)
    let client = try Peer(
      [
        "sspi", "client", "--package", "Kerberos", "--target", "host/localhost", "--user", "nobody",
        "--domain",
        "ntsec.test", "--password-stdin", "--connect", "127.0.0.1:\(port)",
      ],
      environment: realm.environment)
    client.writeLine("nobody-password")
    #expect(try client.readLine() == "established")
    #expect(try server.readLine() == "established nobody@NTSEC.TEST")
    #expect(try server.readLine().hasPrefix("{"))
    let c = client.finish()
    let s = server.finish()
    #expect(c.status == 0 && s.status == 0, "\(c.stderr) \(s.stderr)")

    let (gssServer, gssPort) = try Self.startGssServer(realm)
    let negotiate = try Peer(
      [
        "sspi", "client", "--package", "Negotiate", "--target", "host/localhost", "--connect",
        "localhost:\(gssPort)",
      ],
      environment: realm.environment)
    #expect(try negotiate.readLine() == "established")
    #expect(negotiate.finish().status == 0)
    let (status, output) = gssServer.finish()
    #expect(status == 0 && output.contains("Accepted connection: \"user@NTSEC.TEST\""), "\(output)")
  }

  @Test func aBadAddressIsAnErrorNotACrash() throws {
    let realm = try Realm.get()
    let port = try KerberosTestRealm.freePort()
    let refused = try Peer(
      ["gss", "init", "--target", "host@localhost", "--connect", "127.0.0.1:\(port)"],
      environment: realm.environment)
    let r = refused.finish()
    #expect(r.status == 1 && r.stderr.contains("Connection refused"), "\(r.stderr)")
    let malformed = try Peer(
      ["sspi", "client", "--target", "host/localhost", "--connect", "no-port"], environment: realm.environment
    )
    let m = malformed.finish()
    #expect(m.status == 1 && m.stderr.contains("is not HOST:PORT"), "\(m.stderr)")
  }
}
