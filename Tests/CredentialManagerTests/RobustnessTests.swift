import Foundation
import Testing

@testable import CredentialManager

/// Many processes and threads at once, and writers killed with SIGKILL at random points.
@Suite(.serialized) struct RobustnessTests {
  @Test func manyProcessesAndThreadsLoseNothingAndTearNothing() throws {
    guard let exe = NTSecBinary.crashTester else {
      Issue.record("NTSecurityCrashTester not found next to the test bundle: build it first")
      return
    }
    let home = try makeTemporaryDirectory(prefix: "ntsec-cred-conc")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = NTSecBinary.environment(home: home)
    let processes = 4, threads = 4, iterations = 40
    // All start on a vault that does not exist yet: they race to create its key and schema too.
    var errors: [ReadAll] = []
    let runs: [Process] = try (0..<processes).map { id in
      let p = Process()
      p.executableURL = URL(fileURLWithPath: exe)
      p.arguments = [
        "stress", "--prefix", "c", "--id", "\(id)", "--threads", "\(threads)", "--iterations",
        "\(iterations)",
      ]
      p.environment = env
      p.standardOutput = FileHandle.nullDevice
      let err = Pipe()
      p.standardError = err
      try p.run()
      errors.append(ReadAll(err.fileHandleForReading))
      return p
    }
    // Meanwhile, this process reads the shared credential from its own threads.
    let location = try VaultLocation.user(environment: env)
    usleep(300_000)
    let torn = FailureCounter()
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      guard let v = try? CredentialVault(location: location) else { return torn.add() }
      for _ in 0..<200 {
        guard let c = try? v.read(target: "c-shared", type: .generic) else { continue }
        let b = c.credentialBlob.bytes
        if b.count != 200 || Set(b).count != 1 || c.userName != "\(b[0])" { torn.add() }
      }
    }
    for (p, err) in zip(runs, errors) {
      p.waitUntilExit()
      #expect(
        p.terminationStatus == 0,
        "a stress process reported a torn read, a lost write or an error: \(String(decoding: err.wait(), as: UTF8.self))"
      )
    }
    #expect(torn.count == 0)
    let v = try CredentialVault(location: location)
    let all = try v.enumerate(filter: "c-*")
    #expect(all.count == processes * threads * iterations + 1)
    for id in 0..<processes {
      for t in 0..<threads {
        let mark = UInt8(id * 16 + t + 1)
        for i in [0, iterations / 2, iterations - 1] {
          #expect(
            try v.read(target: "c-\(id)-\(t)-\(i)", type: .generic).credentialBlob.bytes
              == [UInt8](repeating: mark, count: 32))
        }
      }
    }
  }

  @Test func killedWritersLoseNoCommittedCredential() throws {
    guard let exe = NTSecBinary.crashTester else {
      Issue.record("NTSecurityCrashTester not found next to the test bundle: build it first")
      return
    }
    let home = try makeTemporaryDirectory(prefix: "ntsec-cred-crash")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = NTSecBinary.environment(home: home)
    let location = try VaultLocation.user(environment: env)
    var generator = SystemRandomNumberGenerator()
    var totalAcknowledged = 0
    var killsDuringWrites = 0
    let kills = 200
    for run in 0..<kills {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: exe)
      p.arguments = ["crash-writer", "--prefix", "k\(run)", "--count", "100000"]
      p.environment = env
      let out = Pipe()
      p.standardOutput = out
      p.standardError = FileHandle.nullDevice
      try p.run()
      let reader = LineWatcher(out.fileHandleForReading)
      if run % 10 == 9 {
        // Some kills land anywhere, startup and vault creation included.
        usleep(UInt32.random(in: 0...60_000, using: &generator))
      } else {
        // The others while writing: after the first acknowledged write, at a random moment.
        _ = reader.firstLine.wait(timeout: .now() + 10)
        usleep(UInt32.random(in: 0...25_000, using: &generator))
      }
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
      #expect(p.terminationReason == .uncaughtSignal)
      let acknowledged = String(decoding: reader.wait(), as: UTF8.self).split(
        separator: "\n", omittingEmptySubsequences: false
      )
      .dropLast().compactMap { Int($0) }
      totalAcknowledged += acknowledged.count
      if !acknowledged.isEmpty { killsDuringWrites += 1 }
      // The vault always opens, and every acknowledged write is there.
      let v = try CredentialVault(location: location)
      for i in acknowledged {
        let c = try v.read(target: "k\(run)-\(i)", type: .generic)
        #expect(c.credentialBlob.password == "value-\(i)" && c.userName == "u\(i)")
      }
      if let last = acknowledged.last {
        let counter = try v.read(target: "k\(run)-counter", type: .generic)
        let value = Int(counter.credentialBlob.password ?? "") ?? -1
        #expect(value == last || value == last + 1, "counter \(value) after acknowledging \(last)")
      }
    }
    // Most kills must land while writing, or the test proves little.
    #expect(
      killsDuringWrites >= kills * 3 / 4, "only \(killsDuringWrites) of \(kills) kills hit a writing process")
    #expect(totalAcknowledged > 0)
    let v = try CredentialVault(location: location)
    #expect(
      try v.database.transaction("integrity check") { db in
        try String.fetchOne(db, sql: "PRAGMA integrity_check")
      } == "ok")
  }
}

/// Reads a pipe to its end, signalling when the first line has arrived.
final class LineWatcher: @unchecked Sendable {
  let firstLine = DispatchSemaphore(value: 0)
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)
  init(_ handle: FileHandle) {
    Thread.detachNewThread {
      var signalled = false
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        self.data.append(chunk)
        if !signalled && self.data.contains(0x0A) {
          signalled = true
          self.firstLine.signal()
        }
      }
      if !signalled { self.firstLine.signal() }
      self.done.signal()
    }
  }
  func wait() -> Data {
    done.wait()
    return data
  }
}

final class FailureCounter: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var count = 0
  func add() {
    lock.lock()
    count += 1
    lock.unlock()
  }
}
