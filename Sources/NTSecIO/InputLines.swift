#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The lines of a file descriptor (standard input by default), read in large blocks and split on
/// bytes: the line-mode commands' input without a `String` per line.
///
/// A line ends at `\n`; a `\r` just before it goes with it, as `readLine()` strips `\r\n`. The
/// last line needs no `\n`. Bytes are passed as they are (no UTF-8 repair): a caller that wants
/// text makes it with `String(decoding:as:)`, which repairs as `readLine()` did. A read error
/// ends the lines and is kept in ``readError``.
package struct InputLines: ~Copyable {
  private let descriptor: Int32
  private var storage: UnsafeMutableRawBufferPointer
  /// The unread bytes are `storage[start..<end]`.
  private var start = 0
  private var end = 0
  private var atEnd = false
  /// The errno of a failed read, which ended the input early; nil when input ended normally.
  package private(set) var readError: Int32?

  /// Reads `descriptor` (standard input unless told) in blocks of `blockSize` bytes; a longer
  /// line grows the buffer.
  package init(descriptor: Int32 = 0, blockSize: Int = 1 << 18) {
    self.descriptor = descriptor
    storage = .allocate(byteCount: max(blockSize, 16), alignment: 1)
  }

  deinit { storage.deallocate() }

  /// Calls `body` with each line in turn, without its line ending. The buffer is valid only
  /// during the call.
  package mutating func forEach(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
    while let line = next() {
      try body(line)
    }
  }

  /// The next line, valid until the next call; nil at the end of input.
  package mutating func next() -> UnsafeBufferPointer<UInt8>? {
    while true {
      let base = storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
      if start < end, let found = memchr(base + start, 0x0A, end - start) {
        let newline = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - UnsafePointer(base)
        var stop = newline
        if stop > start, base[stop - 1] == 0x0D { stop -= 1 }
        let line = UnsafeBufferPointer(start: base + start, count: stop - start)
        start = newline + 1
        return line
      }
      if atEnd {
        guard start < end else { return nil }
        let line = UnsafeBufferPointer(start: base + start, count: end - start)
        start = end
        return line
      }
      fill()
    }
  }

  /// Moves the partial line to the front (growing the buffer when it fills it) and reads more.
  private mutating func fill() {
    if start > 0 {
      let count = end - start
      if count > 0 {
        storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: count)
      }
      start = 0
      end = count
    }
    if end == storage.count {
      let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count * 2, alignment: 1)
      larger.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: end)
      storage.deallocate()
      storage = larger
    }
    while true {
      let n = read(descriptor, storage.baseAddress! + end, storage.count - end)
      if n > 0 {
        end += n
        return
      }
      if n < 0, errno == EINTR { continue }
      // End of input, or an error, which ends input too but is kept for the owner to report.
      if n < 0 { readError = errno }
      atEnd = true
      return
    }
  }
}
