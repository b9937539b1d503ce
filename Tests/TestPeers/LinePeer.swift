import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A program on the other end of a line protocol (stdin/stdout), its stderr collected.
public final class LinePeer: @unchecked Sendable {
  public let process = Process()
  private let input = Pipe()
  private let output = Pipe()
  private let errors = Pipe()
  private var buffer: [UInt8] = []

  public init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws {
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
  }

  public func send(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

  /// The next line, or nil when the program closed its output.
  public func receive() -> String? {
    let fd = output.fileHandleForReading.fileDescriptor
    while true {
      if let newline = buffer.firstIndex(of: 10) {
        let line = String(decoding: buffer[..<newline], as: UTF8.self)
        buffer.removeFirst(newline + 1)
        return line
      }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
      if n <= 0 { return nil }
      buffer += chunk[..<n]
    }
  }

  /// Closes the program's stdin (it reads no more lines).
  public func closeInput() { try? input.fileHandleForWriting.close() }

  public func finish() -> (status: Int32, errors: String) {
    closeInput()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }
}
