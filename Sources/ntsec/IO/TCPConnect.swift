import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A stream socket connected to `host:port`, trying every address getaddrinfo gives, in order
/// (IPv4 or IPv6, a name or an address): what `gss|sspi --connect` and `http get` share.
enum TCPConnect {
  enum Failure: Error {
    /// getaddrinfo's reason.
    case resolve(String)
    /// The errno of the last address tried.
    case connect(Int32)
  }

  static func open(host: String, port: Int) throws(Failure) -> Int32 {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0, let first = list else { throw .resolve(String(cString: gai_strerror(status))) }
    defer { freeaddrinfo(list) }
    var lastError: Int32 = 0
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let info = entry {
      let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
      if fd >= 0 {
        if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
        lastError = errno
        Glibc.close(fd)
      } else {
        lastError = errno
      }
      entry = info.pointee.ai_next
    }
    throw .connect(lastError)
  }
}
