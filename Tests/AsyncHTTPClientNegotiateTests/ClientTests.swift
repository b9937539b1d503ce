import AsyncHTTPClient
import Foundation
import HTTPNegotiate
import NIOCore
import NTSecurityTesting
import SSPI
import TestPeers
import Testing

@testable import AsyncHTTPClientNegotiate

#if canImport(Glibc)
  import Glibc
#endif

/// AsyncHTTPClient with Negotiate against negotiate-example on 127.0.0.1 with the shared realm's HTTP/localhost key; Kerberos as `nobody@NTSEC.TEST`.
@Suite(.serialized) struct ClientTests {
  static let nobody = SSPI.AuthIdentity(
    user: RealmAccounts.nobody, domain: KerberosTestRealm.realmName, password: RealmAccounts.nobodyPassword)

  /// A client whose pool keeps one HTTP/1.1 connection per host (NTLM's legs share it).
  func withClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1
    configuration.httpVersion = .http1Only
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    do {
      let result = try await body(client)
      try await client.shutdown()
      return result
    } catch {
      try? await client.shutdown()
      throw error
    }
  }

  func startExample(_ arguments: [String] = []) throws -> (LinePeer, Int) {
    let realm = try RealmAccounts.withNobody()
    guard let path = builtProduct("negotiate-example") else {
      throw TestFailure(text: "negotiate-example is not built")
    }
    let peer = try LinePeer(path, ["--port", "0"] + arguments, environment: realm.environment)
    guard let line = peer.receive(), line.hasPrefix("listening on "), let port = Int(line.dropFirst(13))
    else {
      kill(peer.process.processIdentifier, SIGKILL)
      throw TestFailure(text: "negotiate-example did not start: \(peer.finish().errors)")
    }
    return (peer, port)
  }

  func text(_ response: HTTPClientResponse) async throws -> String {
    String(buffer: try await response.body.collect(upTo: 1 << 20))
  }

  @Test func authenticatesToTheExampleServer() async throws {
    let (server, port) = try startExample(["--ntlm"])
    defer {
      kill(server.process.processIdentifier, SIGKILL)
      server.process.waitUntilExit()
    }
    try await withClient { client in
      let me = try await client.executeNegotiate(
        HTTPClientRequest(url: "http://localhost:\(port)/me"), credentials: .identity(Self.nobody))
      #expect(me.status == .ok)
      #expect(try await text(me).split(separator: "\n").first == "nobody@NTSEC.TEST")
      let admins = try await client.executeNegotiate(
        HTTPClientRequest(url: "http://localhost:\(port)/admins"), credentials: .identity(Self.nobody))
      #expect(admins.status == .forbidden)
      _ = try await admins.body.collect(upTo: 1 << 20)
    }
    // NTLM over the raw scheme, on a new client (the first one's connection is authenticated
    // already): three legs on the pool's one connection; no mutual authentication.
    try await withClient { client in
      let ntlm = try await client.executeNegotiate(
        HTTPClientRequest(url: "http://localhost:\(port)/me"),
        credentials: .identity(
          SSPI.AuthIdentity(user: "nobody", domain: "NTSEC", password: RealmAccounts.nobodyPassword)),
        scheme: .ntlm, options: .init(requiresMutualAuthentication: false))
      #expect(ntlm.status == .ok)
      #expect(try await text(ntlm).split(separator: "\n").first?.uppercased() == "NTSEC\\NOBODY")
    }
  }

  @Test func defaultCredentialsFromTheTicketCache() async throws {
    let (server, port) = try startExample()
    defer {
      kill(server.process.processIdentifier, SIGKILL)
      server.process.waitUntilExit()
    }
    // The default ccache holds the realm's own user@NTSEC.TEST. Without a local account "user" it
    // has no token (no PAC, no account): the server refuses it after Kerberos succeeded.
    try await withClient { client in
      let me = try await client.executeNegotiate(HTTPClientRequest(url: "http://localhost:\(port)/me"))
      if getpwnam("user") == nil {
        #expect(me.status == .unauthorized)
      } else {
        #expect(me.status == .ok)
        #expect(try await text(me).hasPrefix("user@NTSEC.TEST\n"))
      }
      let hello = try await client.executeNegotiate(HTTPClientRequest(url: "http://localhost:\(port)/"))
      #expect(hello.status == .ok)
    }
  }
}
