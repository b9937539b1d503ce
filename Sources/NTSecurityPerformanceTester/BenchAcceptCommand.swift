import ArgumentParser
import Foundation
import SSPI

/// `NTSecurityPerformanceTester bench-accept`: the raw SSPI accept rate scripts/bench-compare's
/// HTTP suite compares the web server's handshakes with: AcceptSecurityContext (Negotiate,
/// default keytab) on a prepared client token, QuerySecurityContextToken, DeleteSecurityContext,
/// in a loop on one thread, by the wall clock. The token is accepted again and again, so the
/// replay cache must be off (KRB5RCACHETYPE=none), as it is for the server in that suite.
struct BenchAcceptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-accept", abstract: "Raw SSPI accept rate for scripts/bench-compare's HTTP suite.")

  @Argument(help: "A file with the client's initial token in base64 (one line).") var tokenFile: String
  @Argument(help: "Seconds to run.") var seconds: Double

  func run() throws {
    let text = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    guard let data = Data(base64Encoded: text) else { throw ValidationError("\(tokenFile): not base64") }
    let token = [UInt8](data)
    let server = try SSPI.acquireCredentialsHandle(package: "Negotiate", use: .inbound).credentials
    func once() throws {
      let accepted = try SSPI.acceptSecurityContext(credentials: server, input: .token(token))
      guard accepted.status == .ok else { throw ValidationError("the token did not finish in one leg") }
      _ = try accepted.context.querySecurityContextToken()
      accepted.context.delete()
    }
    try once()
    var ops = 0
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
      for _ in 0..<16 { try once() }
      ops += 16
    }
    print(String(format: "accepts_per_sec=%.1f", Double(ops) / Date().timeIntervalSince(start)))
  }
}
