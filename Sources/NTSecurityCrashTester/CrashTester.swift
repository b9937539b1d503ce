import ArgumentParser
import CredentialManager
import Dispatch
import Foundation
import Synchronization

/// The processes the Credential Manager crash and concurrency tests start and kill: an
/// executable of the package, not a product.
@main
struct CrashTester: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "NTSecurityCrashTester",
    abstract: "Credential vault writers for the crash and concurrency tests.",
    subcommands: [CredCrashWriter.self, CredStress.self])
}

/// `crash-writer`: the writer the crash test kills. Writes `PREFIX-i` (blob "value-i") and updates
/// `PREFIX-counter` to i, printing i after each durable write.
struct CredCrashWriter: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "crash-writer")
  @Option var prefix: String
  @Option var start: Int = 0
  @Option var count: Int = 1000
  func run() throws {
    do {
      let vault = try CredentialVault.openUserVault()
      for i in start..<start + count {
        try vault.write(
          Credential(type: .generic, targetName: "\(prefix)-\(i)", userName: "u\(i)", password: "value-\(i)"))
        try vault.write(
          Credential(type: .generic, targetName: "\(prefix)-counter", userName: "c", password: "\(i)"))
        FileHandle.standardOutput.write(Data("\(i)\n".utf8))
      }
    } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}

/// `stress`: one process of the concurrency test. Each thread writes its own credentials and
/// overwrites a shared one whose user name and every blob byte carry the same number; any read
/// where they differ is a torn read. Exits 1 on a torn read or a lost write.
struct CredStress: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "stress")
  @Option var prefix: String
  @Option var id: Int
  @Option var threads: Int = 4
  @Option var iterations: Int = 50

  func run() throws {
    let vault: CredentialVault
    do { vault = try CredentialVault.openUserVault() } catch {
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

/// Failures the threads of one stress process report: how many, and the first.
final class FailureCount: Sendable {
  private let state = Mutex<(count: Int, first: String?)>((0, nil))

  var count: Int { state.withLock { $0.count } }
  var first: String? { state.withLock { $0.first } }

  func add(_ s: String) {
    state.withLock {
      $0.count += 1
      if $0.first == nil { $0.first = s }
    }
  }
}
