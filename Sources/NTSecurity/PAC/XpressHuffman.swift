/// LZ77+Huffman ("XPRESS_HUFF", `COMPRESSION_FORMAT_XPRESS_HUFF` 4) decompression, MS-XCA 2.2.4:
/// blocks of 65,536 output bytes, each led by a 256-byte table of 4-bit code lengths for 512
/// symbols (256 literals, 256 match classes), then a bit stream read MSB-first from 16-bit
/// little-endian words, with long match lengths as extra bytes in the stream.
///
/// Windows DCs compress large claims sets this way. The output never exceeds `size` (which the
/// caller bounds), every match is checked against the output so far, and each step writes at
/// least one byte or ends, so no input can loop or allocate beyond `size`.
enum XpressHuffman {
  /// Decompresses `bytes[start..<end]` into exactly `size` bytes.
  static func decompress(_ bytes: [UInt8], from start: Int, to end: Int, size: Int) throws(NTSecurityError)
    -> [UInt8]
  {
    var decoder = Decoder(bytes: bytes, position: start, end: end, size: size)
    while decoder.out.count < size {
      let code = try decoder.readCode()
      try decoder.decodeBlock(code)
    }
    return decoder.out
  }

  /// One block's canonical Huffman code: the code length of each of the 512 symbols, and the code
  /// as a 2^15-entry table indexed by the next 15 bits of the stream.
  struct Code {
    var lengths: [UInt8]
    var table: [UInt16]
  }

  /// The state of one decompression: the input, the bit reader and the output so far.
  struct Decoder {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    let size: Int
    var out: [UInt8] = []
    /// The next bits of the stream, MSB first, and how many bits past the first 16 are loaded.
    var bits: UInt32 = 0
    var extra = 0

    init(bytes: [UInt8], position: Int, end: Int, size: Int) {
      self.bytes = bytes
      self.position = position
      self.end = end
      self.size = size
    }

    func fail(_ message: String, _ at: Int) -> NTSecurityError {
      NTSecurityError(.invalidData, "XPRESS_HUFF claims set: \(message)", offset: at)
    }

    /// The 16-bit little-endian word at `at`. Past the end of the input, the bit reader sees zeros
    /// (the stream's last word may be partly used); any byte the decoder must really consume past
    /// the end is an error.
    func word(_ at: Int) -> UInt32 {
      at + 1 < end ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 : 0
    }

    /// Reads a block's 256-byte table of 4-bit code lengths and builds its code: symbols by
    /// (length, value), each length-L symbol filling 2^(15-L) entries; the code must fill the table
    /// exactly.
    mutating func readCode() throws(NTSecurityError) -> Code {
      let tableAt = position
      guard end - position >= 256 + 4 else { throw fail("truncated Huffman table", position) }
      var lengths = [UInt8](repeating: 0, count: 512)
      for i in 0..<256 {
        lengths[2 * i] = bytes[position + i] & 0xF
        lengths[2 * i + 1] = bytes[position + i] >> 4
      }
      position += 256
      var table = [UInt16](repeating: 0, count: 1 << 15)
      var filled = 0
      for length in 1...15 {
        for symbol in 0..<512 where Int(lengths[symbol]) == length {
          let count = 1 << (15 - length)
          guard filled + count <= 1 << 15 else { throw fail("over-subscribed Huffman code", tableAt) }
          for k in filled..<filled + count { table[k] = UInt16(symbol) }
          filled += count
        }
      }
      guard filled == 1 << 15 else { throw fail("incomplete Huffman code", tableAt) }
      return Code(lengths: lengths, table: table)
    }

    /// Drops `n` bits from the front of the stream, loading the next word when needed.
    mutating func consume(_ n: Int) {
      guard n > 0 else { return }
      bits <<= UInt32(n)
      extra -= n
      if extra < 0 {
        bits |= word(position) << UInt32(-extra)
        extra += 16
        position += 2
      }
    }

    /// Decodes literals and matches until the block's 65,536 bytes (or the whole output) are
    /// written.
    mutating func decodeBlock(_ code: Code) throws(NTSecurityError) {
      bits = word(position) << 16 | word(position + 2)
      position += 4
      extra = 16
      let blockEnd = min(size, out.count + 65536)
      while out.count < blockEnd {
        let symbol = Int(code.table[Int(bits >> 17)])
        consume(Int(code.lengths[symbol]))
        if symbol < 256 {
          out.append(UInt8(symbol))
          continue
        }
        let at = position
        let length = try matchLength(lengthBits: (symbol - 256) & 0xF, at: at)
        let offsetBits = (symbol - 256) >> 4
        let offset = (offsetBits == 0 ? 0 : Int(bits >> UInt32(32 - offsetBits))) + (1 << offsetBits)
        consume(offsetBits)
        try copyMatch(offset: offset, length: length, at: at)
      }
      guard position <= end + 4 else { throw fail("read past the end of the input", end) }
    }

    /// A match's length: the symbol's four bits, or, when they are 15, extra bytes in the stream
    /// (one byte, then a 16-bit and a 32-bit length for the longest matches).
    mutating func matchLength(lengthBits: Int, at: Int) throws(NTSecurityError) -> Int {
      var length = lengthBits
      if length == 15 {
        guard position < end else { throw fail("truncated match length", at) }
        length = Int(bytes[position])
        position += 1
        if length == 255 {
          guard position + 2 <= end else { throw fail("truncated match length", at) }
          length = Int(bytes[position]) | Int(bytes[position + 1]) << 8
          position += 2
          if length == 0 {
            guard position + 4 <= end else { throw fail("truncated match length", at) }
            length = Int(
              UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8
                | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24)
            position += 4
          }
          guard length >= 15 else { throw fail("match length \(length) below 15", at) }
          length -= 15
        }
        length += 15
      }
      return length + 3
    }

    /// Copies `length` bytes from `offset` bytes back in the output, checked against the output
    /// so far and the expected size.
    mutating func copyMatch(offset: Int, length: Int, at: Int) throws(NTSecurityError) {
      guard offset <= out.count else {
        throw fail("match offset \(offset) reaches before the start of the output (\(out.count) bytes)", at)
      }
      guard length <= size - out.count else {
        throw fail("match of \(length) bytes overruns the \(size)-byte claims set", at)
      }
      let from = out.count - offset
      for k in 0..<length { out.append(out[from + k]) }
    }
  }
}
