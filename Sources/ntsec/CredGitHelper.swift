import ArgumentParser
import CredentialManager
import Foundation

/// `ntsec cred git-helper get|store|erase`: git's credential-helper protocol
/// (`git config credential.helper "ntsec cred git-helper"`). Credentials are generic ones
/// named `git:PROTOCOL://HOST[/PATH]`, the password kept as UTF-16LE as on Windows.
struct CredGitHelper: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "git-helper", abstract: "git credential helper: get, store or erase, attributes on stdin.")
  @Argument(help: "get, store or erase") var operation: String

  static func target(_ fields: [String: String]) -> String? {
    guard let proto = fields["protocol"], let host = fields["host"], !proto.isEmpty, !host.isEmpty else {
      return nil
    }
    var t = "git:\(proto)://\(host)"
    if let path = fields["path"], !path.isEmpty { t += "/" + path }
    return t
  }

  func run() throws {
    var fields: [String: String] = [:]
    while let line = readLine(strippingNewline: true), !line.isEmpty {
      guard let eq = line.firstIndex(of: "=") else { continue }
      fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
    }
    if let url = fields["url"], fields["host"] == nil, let u = URLComponents(string: url) {
      fields["protocol"] = u.scheme
      fields["host"] = u.host.map { h in u.port.map { "\(h):\($0)" } ?? h }
      if !u.path.isEmpty { fields["path"] = String(u.path.dropFirst()) }
    }
    guard let target = CredGitHelper.target(fields) else { return }
    try credRun { () throws(CredentialError) in
      let vault = try openVault()
      switch operation {
      case "get":
        guard let c = try? vault.read(target: target, type: .generic) else { return }
        if let user = fields["username"], !user.isEmpty, user != c.userName { return }
        print("username=\(c.userName ?? "")")
        print("password=\(c.credentialBlob.password ?? "")")
      case "store":
        guard let user = fields["username"], let password = fields["password"] else { return }
        var c = Credential(
          type: .generic, targetName: target, userName: user, password: password, persist: .localMachine,
          comment: "git credential")
        defer { c.credentialBlob.clear() }
        try vault.write(c)
      case "erase":
        guard let c = try? vault.read(target: target, type: .generic) else { return }
        if let user = fields["username"], !user.isEmpty, user != c.userName { return }
        if let password = fields["password"], c.credentialBlob.password != password { return }
        try vault.delete(target: target, type: .generic)
      default:
        break  // git ignores unknown operations, and so do helpers
      }
    }
  }
}

/// Hidden: the writer the crash test kills. Writes `PREFIX-i` (blob "value-i") and updates
/// `PREFIX-counter` to i, printing i after each durable write.
struct CredCrashWriter: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "crash-writer", shouldDisplay: false)
  @Option var prefix: String
  @Option var start: Int = 0
  @Option var count: Int = 1000
  func run() throws {
    try credRun { () throws(CredentialError) in
      let vault = try openVault()
      for i in start..<start + count {
        try vault.write(
          Credential(type: .generic, targetName: "\(prefix)-\(i)", userName: "u\(i)", password: "value-\(i)"))
        try vault.write(
          Credential(type: .generic, targetName: "\(prefix)-counter", userName: "c", password: "\(i)"))
        FileHandle.standardOutput.write(Data("\(i)\n".utf8))
      }
    }
  }
}

/// Hidden: one process of the concurrency test. Each thread writes its own credentials and
/// overwrites a shared one whose user name and every blob byte carry the same number; any read
/// where they differ is a torn read. Exits 1 on a torn read or a lost write.
struct CredStress: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "stress", shouldDisplay: false)
  @Option var prefix: String
  @Option var id: Int
  @Option var threads: Int = 4
  @Option var iterations: Int = 50

  func run() throws {
    let vault: CredentialVault
    do { vault = try openVault() } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(1)
    }
    let failures = FailureCount()
    let prefix = self.prefix, id = self.id, iterations = self.iterations
    DispatchQueue.concurrentPerform(iterations: threads) { t in
      let mark = UInt8(truncatingIfNeeded: id * 16 + t + 1)
      for i in 0..<iterations {
        do {
          try vault.write(
            Credential(
              type: .generic, targetName: "\(prefix)-\(id)-\(t)-\(i)", userName: "u",
              credentialBlob: SecretBytes([UInt8](repeating: mark, count: 32))))
          try vault.write(
            Credential(
              type: .generic, targetName: "\(prefix)-shared", userName: "\(mark)",
              credentialBlob: SecretBytes([UInt8](repeating: mark, count: 200))))
          let shared = try vault.read(target: "\(prefix)-shared", type: .generic)
          let b = shared.credentialBlob.bytes
          if b.count != 200 || Set(b).count != 1 || shared.userName != "\(b[0])" { failures.add("torn read") }
          let mine = try vault.read(target: "\(prefix)-\(id)-\(t)-\(i)", type: .generic)
          if mine.credentialBlob.bytes != [UInt8](repeating: mark, count: 32) { failures.add("lost write") }
        } catch {
          failures.add("\(error)")
        }
      }
    }
    if let first = failures.first {
      FileHandle.standardError.write(Data("error: \(failures.count) failures, first: \(first)\n".utf8))
      throw ExitCode(1)
    }
    print("ok \(threads * iterations)")
  }
}

final class FailureCount: @unchecked Sendable {
  let lock = NSLock()
  var count = 0
  var first: String?
  func add(_ s: String) {
    lock.lock()
    count += 1
    if first == nil { first = s }
    lock.unlock()
  }
}
