import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// A minimal HTTP/1.1 client over one TCP socket (keep-alive, so a multi-leg NTLM exchange stays
/// on one connection): requests with headers, answers with Content-Length, chunked or
/// read-to-close bodies. Plain http only; ntsec links no TLS (nor SwiftNIO), to keep its start fast.
final class HTTPConnection {
  struct Response {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func values(_ name: String) -> [String] {
      headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }
  }

  let fd: Int32
  var buffer: [UInt8] = []
  var closed = false

  /// Connects to `host:port` (every address getaddrinfo gives, in order).
  init(host: String, port: Int) throws(NTSecurityError) {
    do {
      fd = try TCPConnect.open(host: host, port: port)
    } catch {
      switch error {
      case .resolve(let reason):
        throw NTSecurityError(WindowsError(rawValue: 11001), "cannot resolve \(host): \(reason)")
      case .connect(let code):
        // ERROR_CONNECTION_REFUSED
        throw NTSecurityError(
          WindowsError(rawValue: 1225),
          "cannot connect to \(host):\(port): \(String(cString: strerror(code)))")
      }
    }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  }

  deinit { close(fd) }

  /// Sends a request and reads its answer.
  func request(method: String, target: String, host: String, headers: [(String, String)])
    throws(NTSecurityError)
    -> Response
  {
    var text =
      "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: ntsec/\(NTSec.version)\r\nAccept: */*\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    text += "\r\n"
    let bytes = Array(text.utf8)
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      guard n > 0 else { throw NTSecurityError(.writeFault, "the server closed the connection") }
      sent += n
    }
    return try readResponse(headOnly: method == "HEAD")
  }

  func readResponse(headOnly: Bool) throws(NTSecurityError) -> Response {
    let head = try readHead()
    let lines = head.components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ", maxSplits: 2)
    guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
      throw NTSecurityError(.invalidData, "not an HTTP/1.1 answer: \(lines[0].prefix(80))")
    }
    var headers: [(String, String)] = []
    for line in lines.dropFirst() where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else {
        throw NTSecurityError(.invalidData, "malformed header line: \(line.prefix(80))")
      }
      headers.append(
        (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
    }
    var response = Response(
      status: status, reason: statusParts.count > 2 ? String(statusParts[2]) : "", headers: headers, body: [])
    if headOnly || status == 204 || status == 304 || (100..<200).contains(status) { return response }
    if response.values("Transfer-Encoding").contains(where: { $0.lowercased().contains("chunked") }) {
      response.body = try readChunked()
    } else if let length = response.values("Content-Length").first.flatMap({ Int($0) }) {
      response.body = try read(count: length)
    } else {
      while try fill() {}
      response.body = buffer
      buffer = []
    }
    return response
  }

  /// Reads more bytes; false at end of stream.
  func fill() throws(NTSecurityError) -> Bool {
    guard !closed else { return false }
    guard buffer.count < Self.maximumAnswer else {
      throw NTSecurityError(.invalidData, "the answer is larger than \(Self.maximumAnswer >> 20) MiB")
    }
    var chunk = [UInt8](repeating: 0, count: 16_384)
    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    if n < 0 { throw NTSecurityError(.readFault, "reading the answer: \(String(cString: strerror(errno)))") }
    if n == 0 {
      closed = true
      return false
    }
    buffer += chunk[..<n]
    return true
  }

  func readHead() throws(NTSecurityError) -> String {
    let end: [UInt8] = [13, 10, 13, 10]
    while true {
      if let range = buffer.firstRange(of: end) {
        let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
        buffer.removeFirst(range.upperBound)
        return head
      }
      guard buffer.count < 1_048_576 else {
        throw NTSecurityError(.invalidData, "the answer's head exceeds 1 MiB")
      }
      guard try fill() else { throw NTSecurityError(.readFault, "the server closed the connection") }
    }
  }

  /// The most of an answer this client holds (a smoke tool, not a download manager).
  static let maximumAnswer = 64 << 20

  func read(count: Int) throws(NTSecurityError) -> [UInt8] {
    guard count >= 0, count <= Self.maximumAnswer else {
      throw NTSecurityError(.invalidData, "bad length \(count) (0 … \(Self.maximumAnswer) bytes)")
    }
    while buffer.count < count {
      guard try fill() else { throw NTSecurityError(.readFault, "the answer ended early") }
    }
    defer { buffer.removeFirst(count) }
    return Array(buffer[..<count])
  }

  func readLine() throws(NTSecurityError) -> String {
    while true {
      if let range = buffer.firstRange(of: [13, 10]) {
        defer { buffer.removeFirst(range.upperBound) }
        return String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
      }
      guard try fill() else { throw NTSecurityError(.readFault, "the answer ended early") }
    }
  }

  func readChunked() throws(NTSecurityError) -> [UInt8] {
    var body: [UInt8] = []
    while true {
      let sizeLine = try readLine()
      guard
        let size = Int(
          sizeLine.split(separator: ";", omittingEmptySubsequences: false)[0].trimmingCharacters(
            in: .whitespaces), radix: 16),
        size >= 0
      else { throw NTSecurityError(.invalidData, "bad chunk size \(sizeLine.prefix(20))") }
      if size == 0 {
        while try !readLine().isEmpty {}
        return body
      }
      guard body.count + size <= Self.maximumAnswer else {
        throw NTSecurityError(.invalidData, "the answer is larger than \(Self.maximumAnswer >> 20) MiB")
      }
      body += try read(count: size)
      _ = try readLine()
    }
  }
}
