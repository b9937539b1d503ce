import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// Blocking TCP sockets with a time limit on connect, every read and every write.
enum TCPSocket {
  /// Connects to the numeric `address` on `port` within `timeout` seconds; `what` prefixes errors
  /// (ERROR_NO_SUCH_DOMAIN when nothing answers, as the DC locator reports an absent DC).
  static func connect(address: String, port: Int, timeout: Double, what: String) throws -> Int32 {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICHOST
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(address, String(port), &hints, &list) == 0, let list else {
      throw NTSecurityError(.invalidParameter, "\(what): bad address \(address)")
    }
    defer { freeaddrinfo(list) }
    let fd = socket(list.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw NTSecurityError(.openFailed, "\(what): socket: errno \(errno)") }
    var tv = Monotonic.timeval(timeout)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    // Connect within the time limit: non-blocking, then wait for writability.
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    var failure: Int32 = 0
    if Glibc.connect(fd, list.pointee.ai_addr, list.pointee.ai_addrlen) != 0 {
      failure = errno
      if failure == EINPROGRESS {
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var length = socklen_t(MemoryLayout<Int32>.size)
        if poll(&p, 1, Monotonic.milliseconds(timeout)) == 1 {
          getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
        } else {
          failure = ETIMEDOUT
        }
      }
    }
    _ = fcntl(fd, F_SETFL, flags)
    guard failure == 0 else {
      Glibc.close(fd)
      throw NTSecurityError(.noSuchDomain, "\(what) (\(address)) port \(port): connect: errno \(failure)")
    }
    return fd
  }

  static func sendAll(_ fd: Int32, _ bytes: [UInt8], what: String) throws {
    var sent = 0
    while sent < bytes.count {
      let n = bytes.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
      }
      guard n > 0 else { throw NTSecurityError(.writeFault, "\(what): send failed (errno \(errno))") }
      sent += n
    }
  }

  static func readExactly(_ fd: Int32, _ count: Int, what: String) throws -> [UInt8] {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: min(max(count, 1), 65536))
    while out.count < count {
      let n = recv(fd, &buffer, min(buffer.count, count - out.count), 0)
      guard n > 0 else {
        throw NTSecurityError(.readFault, "\(what): the connection closed or timed out (errno \(errno))")
      }
      out += buffer.prefix(n)
    }
    return out
  }
}
