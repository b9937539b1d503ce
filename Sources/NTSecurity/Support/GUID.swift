/// A GUID as stored in object ACEs: 16 bytes, with the first three fields little-endian
/// (MS-DTYP 2.3.4.2).
public struct GUID: Hashable, Sendable, CustomStringConvertible {
  /// The 16 bytes in wire order.
  public var bytes:
    (
      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
    )

  /// Creates a GUID from its 16 wire bytes.
  public init(wireBytes b: [UInt8]) {
    precondition(b.count == 16)
    bytes = (
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
    )
  }

  /// Wire byte index for each string nibble pair, in string order.
  static let stringOrder: [Int] = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]

  /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (36 characters, either case).
  public init?(_ text: String) {
    let u = Array(text.utf8)
    guard u.count == 36, let g = GUID.parse(u, 0, 36) else { return nil }
    self = g
  }

  static func parse<Text: RandomAccessCollection<UInt8>>(_ u: Text, _ start: Int, _ end: Int) -> GUID?
  where Text.Index == Int {
    guard end - start == 36 else { return nil }
    var guid = GUID(zero: ())
    var i = start
    for k in 0..<16 {
      if k == 4 || k == 6 || k == 8 || k == 10 {
        guard u[i] == UInt8(ascii: "-") else { return nil }
        i += 1
      }
      guard let hi = hexValue(u[i]), let lo = hexValue(u[i + 1]) else { return nil }
      guid.setWireByte(hi << 4 | lo, at: stringOrder[k])
      i += 2
    }
    return guid
  }

  /// Reads 16 wire bytes.
  static func read(_ reader: inout ByteReader, _ what: StaticString) throws(NTSecurityError) -> GUID {
    try reader.need(16, what)
    var guid = GUID(zero: ())
    let p = reader.position
    guid.copyWireBytes(from: reader.bytes, at: p)
    reader.position += 16
    return guid
  }

  private init(zero: ()) {
    bytes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  }

  func appendString(to out: inout [UInt8]) {
    out.append(upTo: 36) { writeString(to: &$0) }
  }

  /// Writes the 36-character lowercase form.
  @inline(__always)
  func writeString(to w: inout RawWriter) {
    @inline(__always) func hex(_ b: UInt8, _ w: inout RawWriter) {
      let hi = b >> 4
      let lo = b & 0xf
      w.u8(hi < 10 ? 48 + hi : 87 + hi)
      w.u8(lo < 10 ? 48 + lo : 87 + lo)
    }
    let b = bytes
    // Data1, Data2 and Data3 are little-endian on the wire; Data4 is in order.
    hex(b.3, &w); hex(b.2, &w); hex(b.1, &w); hex(b.0, &w)
    w.u8(UInt8(ascii: "-"))
    hex(b.5, &w); hex(b.4, &w)
    w.u8(UInt8(ascii: "-"))
    hex(b.7, &w); hex(b.6, &w)
    w.u8(UInt8(ascii: "-"))
    hex(b.8, &w); hex(b.9, &w)
    w.u8(UInt8(ascii: "-"))
    hex(b.10, &w); hex(b.11, &w); hex(b.12, &w); hex(b.13, &w); hex(b.14, &w); hex(b.15, &w)
  }

  /// The lowercase string form, as Windows writes it in SDDL.
  public var description: String {
    var out = [UInt8]()
    appendString(to: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
