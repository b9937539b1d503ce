import Foundation
import NTSecurityTesting

/// A failed step of a test's own set-up or peer handling (not an expectation).
public struct TestFailure: Error, CustomStringConvertible {
  public let text: String
  public init(text: String) { self.text = text }
  public var description: String { text }
}

/// Runs a program to its end, feeding `input`; returns (status, stdout, stderr).
public func runProgram(
  _ path: String, _ arguments: [String], input: String = "", environment: [String: String] = [:]
)
  throws -> (status: Int32, stdout: String, stderr: String)
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let out = Pipe()
  let err = Pipe()
  let inp = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = inp
  try process.run()
  // a program that exits without reading its input makes this write fail, not kill the tests
  try? writeWithoutSIGPIPE(Data(input.utf8), to: inp.fileHandleForWriting)
  try inp.fileHandleForWriting.close()
  let group = DispatchGroup()
  nonisolated(unsafe) var errData = Data()
  group.enter()
  DispatchQueue.global().async {
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: outData, as: UTF8.self),
    String(decoding: errData, as: UTF8.self)
  )
}

/// The path of a product of this package (`ntsec`) built beside the running test bundle, else in
/// `.build/debug`; nil when neither has it.
public func builtProduct(_ name: String) -> String? {
  let candidates = [
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/debug"),
  ]
  return candidates.map { $0.appendingPathComponent(name).path }
    .first { FileManager.default.isExecutableFile(atPath: $0) }
}
