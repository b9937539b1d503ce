import Foundation
import GSSAPI
import NTSecurityTesting
import TestPeers
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `ntsec gss init` and `ntsec gss accept` in the line protocol, paired with each other
/// and with MIT's gss-server and gss-client (the test is the wire between them).
extension GSS {
  @Suite struct CommandLine {
    static var ntsec: String? { builtProduct("ntsec") }

    /// A running `ntsec gss …` with line access to its stdin and stdout.
    final class Peer {
      let process = Process()
      let input = Pipe()
      let output = Pipe()
      let errors = Pipe()
      init(_ arguments: [String], environment: [String: String]) throws {
        guard let path = CommandLine.ntsec else {
          throw TestFailure(text: "ntsec not built next to the tests")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
      }
      func readLine() throws -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(output.fileHandleForReading.fileDescriptor, &byte, 1) == 1 {
          if byte == 10 { return String(decoding: bytes, as: UTF8.self) }
          bytes.append(byte)
        }
        throw TestFailure(text: "ntsec ended without a line; stderr: \(finish().stderr)")
      }
      func writeLine(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }
      func finish() -> (status: Int32, stderr: String) {
        try? input.fileHandleForWriting.close()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
      }
    }

    @Test func mechsListsOIDsNamesSASLNamesAndAttributes() throws {
      let realm = try Realm.get()
      let peer = try Peer(["gss", "mechs"], environment: realm.environment)
      let text = String(decoding: peer.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      #expect(peer.finish().status == 0)
      #expect(text.contains("1.2.840.113554.1.2.2  krb5  sasl=GS2-KRB5"))
      #expect(text.contains("1.3.6.1.5.5.2  spnego  sasl=SPNEGO"))
      #expect(text.contains("1.3.6.1.4.1.311.2.2.10  ntlm"))
      #expect(text.contains("GSS_C_MA_MECH_CONCRETE"))
    }

    /// init ↔ accept, relayed line by line, for each mechanism.
    @Test(arguments: [("krb5", "user@NTSEC.TEST"), ("spnego", "user@NTSEC.TEST"), ("ntlm", "NTSEC\\user")])
    func initPairsWithAccept(mech: String, expected: String) throws {
      let realm = try Realm.get()
      var environment = realm.environment
      var initArguments = [
        "gss", "init", "--target", "host@localhost", "--mech", mech, "--flags", "mutual,conf,integ",
      ]
      if mech == "ntlm" {
        initArguments += ["--user", "NTSEC\\user"]
        environment["NTSEC_GSS_PASSWORD"] = try KerberosTestRealm.shared().userPassword
      }
      let initiator = try Peer(initArguments, environment: environment)
      // gss-ntlmssp takes no keytab: its acceptor checks against NTLM_USER_FILE
      let acceptor = try Peer(
        ["gss", "accept"] + (mech == "ntlm" ? [] : ["--keytab", realm.keytab]), environment: environment)
      var initDone = false
      var acceptLine = ""
      var rounds = 0
      while !initDone || acceptLine.isEmpty {
        rounds += 1
        guard rounds < 10 else { throw TestFailure(text: "no end after 10 rounds") }
        if !initDone {
          let line = try initiator.readLine()
          if line == "established" {
            initDone = true
          } else {
            #expect(Data(base64Encoded: line) != nil)
            acceptor.writeLine(line)
          }
        }
        if acceptLine.isEmpty {
          let line = try acceptor.readLine()
          if line.hasPrefix("established") { acceptLine = line } else { initiator.writeLine(line) }
        }
      }
      let i = initiator.finish()
      let a = acceptor.finish()
      #expect(i.status == 0 && a.status == 0, "\(i.stderr) \(a.stderr)")
      #expect(acceptLine == "established \(expected)")
      let mechName = mech == "spnego" ? "krb5" : mech
      #expect(i.stderr.contains("mech: \(mechName)"))
      #expect(a.stderr.contains("mech: \(mechName)"))
      #expect(i.stderr.contains("flags: ") && i.stderr.contains("conf"))
    }

    @Test func badInputIsAnErrorNotACrash() throws {
      let realm = try Realm.get()
      let acceptor = try Peer(["gss", "accept"], environment: realm.environment)
      acceptor.writeLine("not base64 !!")
      let a = acceptor.finish()
      #expect(a.status != 0)
      #expect(a.stderr.contains("not a base64 token"))
      let bad = try Peer(
        ["gss", "init", "--target", "host@localhost", "--mech", "1.2.x"], environment: realm.environment)
      let b = bad.finish()
      #expect(b.status != 0 && b.stderr.contains("--mech"))
      let flags = try Peer(
        ["gss", "init", "--target", "host@localhost", "--flags", "mutual,nope"],
        environment: realm.environment)
      let f = flags.finish()
      #expect(f.status != 0 && f.stderr.contains("nope"))
    }

    /// `ntsec tour` starts its own realm (not this suite's) and runs a Kerberos exchange in it.
    @Test func tourRunsAKerberosExchange() throws {
      let peer = try Peer(["tour"], environment: [:])
      let text = String(decoding: peer.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      #expect(peer.finish().status == 0)
      #expect(text.contains("== Kerberos through GSS-API, on a throwaway realm =="))
      #expect(text.contains("accept_sec_context: initiator user@NTSEC.TEST"))
      #expect(text.contains("→ \"hello, Kerberos\""))
      #expect(text.contains("BadMICError"))
      #expect(!text.contains("  error: "))
    }

    /// `ntsec gss init` against MIT's gss-server.
    @Test func initAgainstGssServer() throws {
      let realm = try Realm.get()
      let (server, connection) = try SampleConnection.startGssServer(
        service: "host@localhost", environment: realm.environment)
      defer { connection.close() }
      let initiator = try Peer(
        [
          "gss", "init", "--target", "host@localhost", "--mech", "krb5", "--flags",
          "mutual,replay,conf,integ",
        ],
        environment: realm.environment)
      while true {
        let line = try initiator.readLine()
        if line == "established" { break }
        try connection.send(SampleConnection.context, [UInt8](try #require(Data(base64Encoded: line))))
        let reply = try connection.receive()
        initiator.writeLine(Data(reply.token).base64EncodedString())
      }
      #expect(initiator.finish().status == 0)
      try connection.send(SampleConnection.noop, [])
      let (status, output) = server.finish()
      #expect(status == 0, "\(output)")
      #expect(output.contains("Accepted connection: \"user@NTSEC.TEST\""))
    }

    /// MIT's gss-client against `ntsec gss accept`.
    @Test func gssClientAgainstAccept() throws {
      let realm = try Realm.get()
      let listener = try SampleConnection.Listener()
      defer { listener.close() }
      let client = try Background(
        "/usr/bin/gss-client", ["-port", String(listener.port), "localhost", "host@localhost", "hi"],
        environment: realm.environment)
      let connection = try listener.accept()
      let first = try connection.receive()
      #expect(first.flags == SampleConnection.noop | SampleConnection.contextNext)
      let acceptor = try Peer(["gss", "accept", "--keytab", realm.keytab], environment: realm.environment)
      var established = ""
      while established.isEmpty {
        let token = try connection.receive()
        acceptor.writeLine(Data(token.token).base64EncodedString())
        let line = try acceptor.readLine()
        if line.hasPrefix("established") {
          established = line
        } else {
          try connection.send(SampleConnection.context, [UInt8](try #require(Data(base64Encoded: line))))
          let next = try acceptor.readLine()
          if next.hasPrefix("established") { established = next }
        }
      }
      #expect(established == "established user@NTSEC.TEST")
      #expect(acceptor.finish().status == 0)
      // the context is complete on the client's side too: its next frame is the wrapped message
      let data = try connection.receive()
      #expect(data.flags & SampleConnection.data != 0)
      connection.close()
      _ = client.finish()
    }
  }
}
