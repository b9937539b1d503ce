import Foundation
import LocalSecurityAuthority
import NTSecurity
import TestPeers

/// The shipped PAM example (docs/pam.d/ntsecurity) installed under a unique service name in
/// /etc/pam.d, removed by `remove()`; with temporary users that have passwords.
final class LogonFixture {
  let accounts = TemporaryAccounts()
  let service: String
  let directory: String
  let configuration: LocalSecurityAuthority.Configuration

  /// `failureDuration`: the configuration's logonFailureDuration.
  /// `extraLines` are appended to the service's file.
  init(failureDuration: Duration = .milliseconds(400), extraLines: [String] = []) throws {
    service = "ntsecurity-test-\(accounts.tag)"
    let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../docs/pam.d/ntsecurity").standardized.path
    directory = try makeTemporaryDirectory("ntsec-logon")
    let text = try String(contentsOfFile: example, encoding: .utf8) + extraLines.map { $0 + "\n" }.joined()
    try text.write(toFile: "/etc/pam.d/\(service)", atomically: true, encoding: .utf8)
    var configuration = isolatedConfiguration(directory)
    configuration.logonService = service
    configuration.logonFailureDuration = failureDuration
    self.configuration = configuration
  }

  /// A user with `password` (chpasswd).
  func addUser(_ suffix: String, password: String, groups: [String] = []) throws -> (
    name: String, uid: UInt32, gid: UInt32
  ) {
    let user = try accounts.addUser(suffix, groups: groups)
    let result = try run("/usr/sbin/chpasswd", [], input: "\(user.name):\(password)\n")
    guard result.status == 0 else { throw TestFailure(text: "chpasswd \(user.name): \(result.stderr)") }
    return user
  }

  /// LogonUser with a password given as text.
  func logon(_ name: String, _ password: String, type: LogonType = .interactive) throws -> AccessToken {
    var bytes = Array(password.utf8)
    return try LocalSecurityAuthority.logonUser(
      name, password: &bytes, type: type, configuration: configuration)
  }

  func remove() {
    try? FileManager.default.removeItem(atPath: "/etc/pam.d/\(service)")
    try? FileManager.default.removeItem(atPath: directory)
    accounts.remove()
  }

  deinit { remove() }
}
