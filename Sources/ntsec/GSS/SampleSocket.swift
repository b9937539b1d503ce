import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP connection framed as MIT's gss-sample programs (gss-client, gss-server) frame their
/// tokens: one flags byte, a 4-byte big-endian length, the token.
struct SampleSocket {
  /// The flags byte of a frame (gss-misc.h's TOKEN_* values).
  struct Flags: OptionSet {
    let rawValue: UInt8
    static let noop = Flags(rawValue: 1 << 0)
    static let context = Flags(rawValue: 1 << 1)
    static let data = Flags(rawValue: 1 << 2)
    static let mic = Flags(rawValue: 1 << 3)
    static let contextNext = Flags(rawValue: 1 << 4)
    static let wrapped = Flags(rawValue: 1 << 5)
    static let encrypted = Flags(rawValue: 1 << 6)
    static let sendMIC = Flags(rawValue: 1 << 7)
  }

  /// A socket error or a peer that broke the framing (exit status 1).
  struct Failure: Error, CustomStringConvertible {
    let description: String
    /// ERROR_OPEN_FAILED for a socket call that failed, ERROR_INVALID_DATA for a broken frame
    /// (unless told).
    let code: WindowsError
    init(_ what: String, errno number: Int32? = nil, code: WindowsError? = nil) {
      description = number.map { "\(what): \(String(cString: strerror($0)))" } ?? what
      self.code = code ?? (number == nil ? .invalidData : .openFailed)
    }
  }

  /// The largest token accepted from a peer (gss-sample has no limit; a context token is a few KB).
  static let maximumTokenLength = 1 << 24

  let fd: Int32

  /// Connects to HOST:PORT (a name or an address; IPv4 or IPv6).
  static func connect(_ hostPort: String) throws(Failure) -> SampleSocket {
    guard let colon = hostPort.lastIndex(of: ":"),
      let port = UInt16(hostPort[hostPort.index(after: colon)...])
    else { throw Failure("--connect: \"\(hostPort)\" is not HOST:PORT", code: .invalidParameter) }
    var host = String(hostPort[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    do {
      return SampleSocket(fd: try TCPConnect.open(host: host, port: Int(port)))
    } catch {
      switch error {
      case .resolve(let reason):
        throw Failure("--connect: cannot resolve \(host): \(reason)", code: .openFailed)
      case .connect(let code): throw Failure("--connect: cannot connect to \(hostPort)", errno: code)
      }
    }
  }

  /// Listens on PORT (all IPv4 interfaces, as gss-server does; 0 picks a free port), reports the
  /// port on stderr ("listening on port N") and takes one connection.
  static func acceptOne(port: UInt16) throws(Failure) -> SampleSocket {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw Failure("--listen: socket", errno: errno) }
    defer { Glibc.close(listener) }
    var on: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = INADDR_ANY
    address.sin_port = port.bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0
      }
    }
    guard ok else { throw Failure("--listen: cannot listen on port \(port)", errno: errno) }
    FileHandle.standardError.write(Data("listening on port \(UInt16(bigEndian: address.sin_port))\n".utf8))
    let fd = Glibc.accept(listener, nil, nil)
    guard fd >= 0 else { throw Failure("--listen: accept", errno: errno) }
    return SampleSocket(fd: fd)
  }

  func send(_ flags: Flags, _ token: [UInt8] = []) throws(Failure) {
    let n = UInt32(token.count)
    let frame =
      [flags.rawValue, UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + token
    var sent = 0
    while sent < frame.count {
      // MSG_NOSIGNAL: a peer that has gone makes the write fail (EPIPE) instead of killing ntsec
      let r = frame.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + sent, frame.count - sent, Int32(MSG_NOSIGNAL))
      }
      guard r > 0 else { throw Failure("sending a token", errno: errno) }
      sent += r
    }
  }

  /// The next frame, or nil when the peer closed the connection between frames.
  func receive() throws(Failure) -> (flags: Flags, token: [UInt8])? {
    guard let header = try read(5, endAllowed: true) else { return nil }
    let n = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
    guard n <= Self.maximumTokenLength else { throw Failure("the peer sent a \(n)-byte token (too long)") }
    return (Flags(rawValue: header[0]), try read(n, endAllowed: false) ?? [])
  }

  /// The next context token (skipping gss-client's opening NOOP|CONTEXT_NEXT frame).
  func receiveContextToken() throws(Failure) -> [UInt8] {
    while true {
      guard let frame = try receive() else {
        throw Failure("the peer closed the connection before the context was established")
      }
      if frame.flags.contains(.context) { return frame.token }
      guard frame.flags.contains(.noop) else {
        throw Failure(
          "expected a context token, got a frame with flags 0x\(String(frame.flags.rawValue, radix: 16))")
      }
    }
  }

  private func read(_ count: Int, endAllowed: Bool) throws(Failure) -> [UInt8]? {
    var out = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
      let r = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
      if r == 0 && got == 0 && endAllowed { return nil }
      guard r > 0 else {
        throw r == 0
          ? Failure("the peer closed the connection after \(got) of \(count) bytes")
          : Failure("reading a token", errno: errno)
      }
      got += r
    }
    return out
  }

  func close() { _ = Glibc.close(fd) }
}
