/// Decodes the multi-byte UTF-8 sequence at `text[i]` (which must be ≥ 0x80), reading no further
/// than `end`. Returns the code point and the sequence length, or nil for invalid UTF-8 (a bad
/// lead or continuation byte, a truncated or overlong sequence, a value above U+10FFFF). Encoded
/// surrogates are returned as they are (WTF-8); callers that need a scalar check for them.
@inline(__always)
func decodeUTF8Sequence<Text: RandomAccessCollection<UInt8>>(_ text: Text, _ i: Int, _ end: Int)
  -> (value: UInt32, length: Int)? where Text.Index == Int
{
  let lead = text[i]
  let length: Int
  var value: UInt32
  switch lead {
  case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
  case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
  case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
  default: return nil
  }
  guard end - i >= length else { return nil }
  for k in 1..<length {
    let b = text[i + k]
    guard b & 0xC0 == 0x80 else { return nil }
    value = value << 6 | UInt32(b & 0x3F)
  }
  let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
  guard value >= minimum, value <= 0x10FFFF else { return nil }
  return (value, length)
}
