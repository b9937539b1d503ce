import Foundation
import LocalSecurityAuthority
import NTSecurity
import TestPeers
import Testing

/// The suites that create accounts (useradd/groupadd) or start daemons run one after another.
@Suite(.serialized) enum HostAccountSuites {}

/// Runs a program to its end; throws when it cannot start.
func run(_ program: String, _ arguments: [String], input: String = "", environment: [String: String] = [:])
  throws -> (status: Int32, stdout: String, stderr: String)
{
  try runProgram(program, arguments, input: input, environment: environment)
}

/// Runs `ntsec`, built beside the tests.
func ntsec(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws
  -> (status: Int32, stdout: String, stderr: String)
{
  let path = try #require(builtProduct("ntsec"), "ntsec is not built")
  return try run(path, arguments, input: input, environment: environment)
}

/// A fresh directory under /tmp (world-readable, so processes of other users can use it).
func makeTemporaryDirectory(_ prefix: String) throws -> String {
  let path = "/tmp/\(prefix)-\(UUID().uuidString.prefix(8))"
  try FileManager.default.createDirectory(
    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
  return path
}

/// A configuration that leaves Samba out and keeps the machine SID in `directory`.
func isolatedConfiguration(_ directory: String) -> LocalSecurityAuthority.Configuration {
  LocalSecurityAuthority.Configuration(
    machineSIDPath: directory + "/machine-sid", sambaConfigurationPath: nil,
    locallyUniqueIDCounterPath: directory + "/luid",
    privilegedLocallyUniqueIDCounterPath: directory + "/luid-privileged",
    policyStorePath: directory + "/lsa/lsa.sqlite", logindSessionDirectory: directory + "/sessions",
    utmpPath: directory + "/utmp")
}

/// Users and groups a test creates with useradd/groupadd (unique names), removed by `remove()`.
final class TemporaryAccounts {
  private(set) var users: [String] = []
  private(set) var groups: [String] = []
  let tag = String(UUID().uuidString.prefix(6)).lowercased()

  /// Creates a group `ntsg<tag><suffix>`; returns its name and gid.
  func addGroup(_ suffix: String) throws -> (name: String, gid: UInt32) {
    let name = "ntsg\(tag)\(suffix)"
    let result = try run("/usr/sbin/groupadd", [name])
    guard result.status == 0 else { throw TestFailure(text: "groupadd \(name): \(result.stderr)") }
    groups.append(name)
    return (name, try id(group: name))
  }

  /// Creates a user `ntsu<tag><suffix>` (no home) in `groups`; returns its name, uid and gid.
  func addUser(_ suffix: String, groups extra: [String] = []) throws -> (
    name: String, uid: UInt32, gid: UInt32
  ) {
    let name = "ntsu\(tag)\(suffix)"
    var arguments = ["-M", "-U"]
    if !extra.isEmpty { arguments += ["-G", extra.joined(separator: ",")] }
    let result = try run("/usr/sbin/useradd", arguments + [name])
    guard result.status == 0 else { throw TestFailure(text: "useradd \(name): \(result.stderr)") }
    users.append(name)
    groups.append(name)
    let uid = try run("/usr/bin/id", ["-u", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let gid = try run("/usr/bin/id", ["-g", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return (name, try #require(UInt32(uid)), try #require(UInt32(gid)))
  }

  private func id(group name: String) throws -> UInt32 {
    let line = try run("/usr/bin/getent", ["group", name]).stdout
    let fields = line.split(separator: ":", omittingEmptySubsequences: false)
    return try #require(fields.count > 2 ? UInt32(fields[2]) : nil, "getent group \(name): \(line)")
  }

  /// Removes everything created (users first: userdel removes their private group).
  func remove() {
    for user in users { _ = try? run("/usr/sbin/userdel", [user]) }
    for group in groups { _ = try? run("/usr/sbin/groupdel", [group]) }
    users = []
    groups = []
  }

  deinit { remove() }
}

/// `getent DATABASE` as (name, id) pairs.
func getent(_ database: String) throws -> [(name: String, id: UInt32)] {
  try run("/usr/bin/getent", [database]).stdout.split(separator: "\n").compactMap { line in
    let fields = line.split(separator: ":", omittingEmptySubsequences: false)
    guard fields.count > 2, let id = UInt32(fields[2]) else { return nil }
    return (String(fields[0]), id)
  }
}

/// Expects `body` to throw an NTSecurityError with `code`.
func expectError(
  _ code: WindowsError, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record(
      "expected \(code.name), nothing was thrown \(comment.map { "(\($0))" } ?? "")",
      sourceLocation: sourceLocation)
  } catch let error as NTSecurityError {
    #expect(error.code == code, "\(error) \(comment.map { "(\($0))" } ?? "")", sourceLocation: sourceLocation)
  } catch {
    Issue.record("expected \(code.name), got \(error)", sourceLocation: sourceLocation)
  }
}
