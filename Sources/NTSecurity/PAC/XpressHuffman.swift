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
    var out = [UInt8]()
    var position = start
    func fail(_ message: String, _ at: Int) -> NTSecurityError {
      NTSecurityError(.invalidData, "XPRESS_HUFF claims set: \(message)", offset: at)
    }
    // Past the end of the input, the bit reader sees zeros (the stream's last word may be
    // partly used); any byte the decoder must really consume past the end is an error.
    func word(_ at: Int) -> UInt32 {
      at + 1 < end ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 : 0
    }
    while out.count < size {
      let tableAt = position
      guard end - position >= 256 + 4 else { throw fail("truncated Huffman table", position) }
      var lengths = [UInt8](repeating: 0, count: 512)
      for i in 0..<256 {
        lengths[2 * i] = bytes[position + i] & 0xF
        lengths[2 * i + 1] = bytes[position + i] >> 4
      }
      position += 256
      // The canonical code as a 2^15-entry table: symbols by (length, value), each length-L
      // symbol filling 2^(15-L) entries; the code must fill the table exactly.
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

      var bits = word(position) << 16 | word(position + 2)
      position += 4
      var extra = 16
      let blockEnd = min(size, out.count + 65536)
      func consume(_ n: Int) {
        guard n > 0 else { return }
        bits <<= UInt32(n)
        extra -= n
        if extra < 0 {
          bits |= word(position) << UInt32(-extra)
          extra += 16
          position += 2
        }
      }
      while out.count < blockEnd {
        let symbol = Int(table[Int(bits >> 17)])
        consume(Int(lengths[symbol]))
        if symbol < 256 {
          out.append(UInt8(symbol))
          continue
        }
        let at = position
        var length = (symbol - 256) & 0xF
        let offsetBits = (symbol - 256) >> 4
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
        length += 3
        let offset = (offsetBits == 0 ? 0 : Int(bits >> UInt32(32 - offsetBits))) + (1 << offsetBits)
        consume(offsetBits)
        guard offset <= out.count else {
          throw fail("match offset \(offset) reaches before the start of the output (\(out.count) bytes)", at)
        }
        guard length <= size - out.count else {
          throw fail("match of \(length) bytes overruns the \(size)-byte claims set", at)
        }
        let from = out.count - offset
        for k in 0..<length { out.append(out[from + k]) }
      }
      guard position <= end + 4 else { throw fail("read past the end of the input", end) }
    }
    return out
  }
}
