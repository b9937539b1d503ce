import Foundation

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
  inp.fileHandleForWriting.write(Data(input.utf8))
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
