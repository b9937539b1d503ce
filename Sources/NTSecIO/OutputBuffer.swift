#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Output gathered as bytes and written to a file descriptor (standard output by default) when a
/// line ends past `limit` and when ``flush()`` is called (the owner calls it at the end): one
/// `write` for many lines instead of one per `print`.
///
/// A failed write (ENOSPC, EIO, EPIPE ...) is kept in ``writeError``; the owner reports it and
/// exits non-zero (``reportIOErrors(input:output:)``). Nothing more is written after it.
package struct OutputBuffer {
  private let descriptor: Int32
  private let limit: Int
  private var bytes: [UInt8] = []
  /// The errno of the first failed write, nil while every write succeeded.
  package private(set) var writeError: Int32?

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

  package mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

  /// `data` as lowercase hex digits.
  package mutating func appendHex(_ data: [UInt8]) {
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: data.count * 2))
    let pairs = UnsafeRawPointer(Self.hexPairs.utf8Start)
    bytes.withUnsafeMutableBufferPointer { out in
      data.withUnsafeBufferPointer { source in
        guard let to = out.baseAddress.map({ UnsafeMutableRawPointer($0 + start) }),
          let from = source.baseAddress
        else { return }
        for i in 0..<source.count {
          let pair = pairs.loadUnaligned(fromByteOffset: 2 * Int(from[i]), as: UInt16.self)
          to.storeBytes(of: pair, toByteOffset: 2 * i, as: UInt16.self)
        }
      }
    }
  }

  /// The two hex digits of every byte value, in order.
  private static let hexPairs: StaticString =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"

  /// Ends a line, writing the buffer out when it has grown past its limit.
  package mutating func endLine() {
    bytes.append(0x0A)
    if bytes.count >= limit { flush() }
  }

  /// Writes out everything appended so far (dropped after a failed write).
  package mutating func flush() {
    if writeError == nil { writeError = Self.drain(bytes, to: descriptor) }
    bytes.removeAll(keepingCapacity: true)
  }

  /// Writes `bytes` out; the errno when a write fails.
  private static func drain(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0, errno == EINTR {
          continue
        } else {
          return n < 0 ? errno : EIO
        }
      }
      return nil
    }
  }
}

/// Says on standard error what failed when reading the input (`input`, an errno) or writing the
/// output (`output`); true when neither failed.
package func reportIOErrors(input: Int32?, output: Int32?) -> Bool {
  var message = ""
  if let input { message += "error: reading standard input: \(String(cString: strerror(input)))\n" }
  if let output { message += "error: writing standard output: \(String(cString: strerror(output)))\n" }
  guard !message.isEmpty else { return true }
  var text = message
  text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
  return false
}
