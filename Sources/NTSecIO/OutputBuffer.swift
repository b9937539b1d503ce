#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Output gathered as bytes and written to a file descriptor (standard output by default) when a
/// line ends past `limit` and when ``flush()`` is called (the owner calls it at the end): one
/// `write` for many lines instead of one per `print`.
package struct OutputBuffer {
  private let descriptor: Int32
  private let limit: Int
  private var bytes: [UInt8] = []

  package init(descriptor: Int32 = 1, limit: Int = 1 << 16) {
    self.descriptor = descriptor
    self.limit = limit
    bytes.reserveCapacity(limit + 4096)
  }

  /// The number of bytes not yet written out.
  package var count: Int { bytes.count }

  package mutating func append(_ byte: UInt8) { bytes.append(byte) }

  /// Drops the last `k` bytes appended (not yet written out).
  package mutating func removeLast(_ k: Int) { bytes.removeLast(k) }

  package mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  package mutating func append(bytes more: some Sequence<UInt8>) { bytes.append(contentsOf: more) }

  /// `data` as lowercase hex digits.
  package mutating func appendHex(_ data: some Collection<UInt8>) {
    let digits: StaticString = "0123456789abcdef"
    let table = digits.utf8Start
    for b in data {
      bytes.append(table[Int(b >> 4)])
      bytes.append(table[Int(b & 0xf)])
    }
  }

  /// Ends a line, writing the buffer out when it has grown past its limit.
  package mutating func endLine() {
    bytes.append(0x0A)
    if bytes.count >= limit { flush() }
  }

  /// Writes out everything appended so far.
  package mutating func flush() {
    Self.drain(bytes, to: descriptor)
    bytes.removeAll(keepingCapacity: true)
  }

  private static func drain(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0, errno == EINTR {
          continue
        } else {
          return  // a closed or failing output: nothing more can be said there
        }
      }
    }
  }
}
