import Foundation
import NTSecurityTesting

#if canImport(Glibc)
  import Glibc
#endif

/// The framing of MIT's gss-sample programs (gss-client, gss-server; src/appl/gss-sample/gss-misc.c):
/// one flags byte, a 4-byte big-endian length, the token.
public struct SampleConnection: Sendable {
  public static let noop: UInt8 = 1 << 0
  public static let context: UInt8 = 1 << 1
  public static let data: UInt8 = 1 << 2
  public static let mic: UInt8 = 1 << 3
  public static let contextNext: UInt8 = 1 << 4
  public static let wrapped: UInt8 = 1 << 5
  public static let encrypted: UInt8 = 1 << 6
  public static let sendMIC: UInt8 = 1 << 7

  public let fd: Int32

  /// Connects to 127.0.0.1:port, retrying while the server starts.
  public static func connect(port: UInt16, attempts: Int = 100) throws -> SampleConnection {
    for _ in 0..<attempts {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      address.sin_port = port.bigEndian
      let ok = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
      }
      if ok { return SampleConnection(fd: fd) }
      Glibc.close(fd)
      usleep(20_000)
    }
    throw TestFailure(text: "cannot connect to 127.0.0.1:\(port)")
  }

  /// A listening socket on 127.0.0.1 (a free port); `accept()` takes one connection.
  public struct Listener: Sendable {
    public let fd: Int32
    public let port: UInt16
    public init() throws {
      fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let fd = self.fd
      let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
        }
      }
      guard ok else { throw TestFailure(text: "cannot listen on 127.0.0.1") }
      port = UInt16(bigEndian: address.sin_port)
    }
    public func accept() throws -> SampleConnection {
      let c = Glibc.accept(fd, nil, nil)
      guard c >= 0 else { throw TestFailure(text: "accept failed") }
      return SampleConnection(fd: c)
    }
    public func close() { _ = Glibc.close(fd) }
  }

  public func send(_ flags: UInt8, _ token: [UInt8]) throws {
    let n = UInt32(token.count)
    let frame = [flags, UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + token
    var sent = 0
    while sent < frame.count {
      // MSG_NOSIGNAL: a peer that has gone makes this write fail (EPIPE), not kill the tests
      let r = frame.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + sent, frame.count - sent, Int32(MSG_NOSIGNAL))
      }
      guard r > 0 else { throw TestFailure(text: "write failed") }
      sent += r
    }
  }

  public func receive() throws -> (flags: UInt8, token: [UInt8]) {
    let header = try read(5)
    let n = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
    return (header[0], try read(n))
  }

  private func read(_ count: Int) throws -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
      let r = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
      guard r > 0 else { throw TestFailure(text: "connection closed after \(got) of \(count) bytes") }
      got += r
    }
    return out
  }

  public func close() { _ = Glibc.close(fd) }
}

/// A started program whose output is collected in the background.
public final class Background: @unchecked Sendable {
  public let process = Process()
  private let out = Pipe()
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  public init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws {
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = out
    process.standardError = out
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let handle = out.fileHandleForReading
    DispatchQueue.global().async {
      self.data = handle.readDataToEndOfFile()
      self.done.signal()
    }
  }

  /// Waits (up to `seconds`) for the program to end; returns its status and output.
  public func finish(seconds: Int = 20) -> (status: Int32, output: String) {
    if done.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
      process.terminate()
      done.wait()
    }
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

extension SampleConnection {
  /// Starts MIT's gss-server for one client (`-once`) on a free 127.0.0.1 port, as `service`
  /// (host@localhost), connects, and announces a context exchange (NOOP|CONTEXT_NEXT, as
  /// gss-client does). The caller closes the connection and finishes the server.
  public static func startGssServer(service: String, environment: [String: String]) throws -> (
    server: Background, connection: SampleConnection
  ) {
    let port = try KerberosTestRealm.freePort()
    let server = try Background(
      "/usr/bin/gss-server", ["-port", String(port), "-once", service], environment: environment)
    let connection = try SampleConnection.connect(port: port)
    try connection.send(noop | contextNext, [])
    return (server, connection)
  }
}
