/// A claims set from the PAC's `CLIENT_CLAIMS_INFO` (type 0xD) or `DEVICE_CLAIMS_INFO` (0xF)
/// buffer: MS-ADTS 2.2.18 `CLAIMS_SET_METADATA` around a `CLAIMS_SET`, both NDR-serialized.
public struct PACClaimsSet: Hashable, Sendable {
  /// `CLAIMS_COMPRESSION_FORMAT` of the claims set as it was stored.
  public var compressionFormat: UInt16
  /// The claims arrays, one per claims source.
  public var arrays: [PACClaimsArray]

  /// Every claim as a token claim attribute (`TokenUserClaimAttributes` /
  /// `TokenDeviceClaimAttributes`), in order: the claim ID is the attribute name.
  public var claimAttributes: [ClaimSecurityAttribute] {
    arrays.flatMap { $0.entries.map { ClaimSecurityAttribute(name: $0.id, values: $0.values) } }
  }

  /// `COMPRESSION_FORMAT_NONE`.
  public static let compressionNone: UInt16 = 0
  /// `COMPRESSION_FORMAT_XPRESS_HUFF` (MS-XCA LZ77+Huffman), which Windows DCs use.
  public static let compressionXpressHuffman: UInt16 = 4
  /// The largest uncompressed claims set accepted (1 MiB; Windows' token size limit is 64 KiB).
  public static let maximumUncompressedSize = 1 << 20
}

/// `CLAIMS_ARRAY`: the claims of one source.
public struct PACClaimsArray: Hashable, Sendable {
  /// `CLAIMS_SOURCE_TYPE`: 1 `CLAIMS_SOURCE_TYPE_AD`, 2 `CLAIMS_SOURCE_TYPE_CERTIFICATE`.
  public var sourceType: UInt16
  public var entries: [PACClaimEntry]
}

/// `CLAIM_ENTRY`: a claim ID and its typed values.
public struct PACClaimEntry: Hashable, Sendable {
  /// The claim ID, such as `ad://ext/department:88d…`.
  public var id: String
  /// The values: `.int64` (`CLAIM_TYPE_INT64` 1), `.uint64` (2), `.string` (3) or `.boolean` (6).
  public var values: ClaimValues
}

extension PACClaimsSet {
  /// Decodes the `CLAIMS_SET_METADATA` in `bytes[start..<end]`, decompressing an XPRESS_HUFF
  /// claims set; the other formats (LZNT1 2, XPRESS 3) throw `ERROR_NOT_SUPPORTED`.
  init(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError) {
    var r = try NDRReader(topLevel: bytes, from: start, to: end, what: "CLAIMS_SET_METADATA")
    let size = Int(try r.u32("ulClaimsSetSize"))
    let hasSet = try r.pointer("ClaimsSet pointer")
    let formatAt = r.position
    compressionFormat = try r.u16("usCompressionFormat")
    let uncompressedSize = Int(try r.u32("ulUncompressedClaimsSetSize"))
    _ = try r.u16("usReservedType")
    let reservedSize = Int(try r.u32("ulReservedFieldSize"))
    let hasReserved = try r.pointer("ReservedField pointer")
    guard hasSet else {
      guard size == 0 else { throw r.fail("ClaimsSet: size \(size) with a null pointer") }
      arrays = []
      return
    }
    let n = try r.conformance("ClaimsSet", elementSize: 1, expected: size)
    let setStart = r.position
    _ = try r.bytes(n, "ClaimsSet")
    if hasReserved {
      _ = try r.bytes(
        try r.conformance("ReservedField", elementSize: 1, expected: reservedSize), "ReservedField")
    }
    switch compressionFormat {
    case PACClaimsSet.compressionNone:
      arrays = try PACClaimsSet.claimsSet(bytes, from: setStart, to: setStart + n)
    case PACClaimsSet.compressionXpressHuffman:
      guard uncompressedSize <= PACClaimsSet.maximumUncompressedSize else {
        throw NTSecurityError(
          .invalidData,
          "uncompressed claims set size \(uncompressedSize) exceeds \(PACClaimsSet.maximumUncompressedSize)",
          offset: formatAt + 4)
      }
      let plain = try XpressHuffman.decompress(
        bytes, from: setStart, to: setStart + n, size: uncompressedSize)
      do {
        arrays = try PACClaimsSet.claimsSet(plain, from: 0, to: plain.count)
      } catch {
        // Offsets inside decompressed data do not point into the PAC; say where they are.
        throw NTSecurityError(
          error.code, "in the decompressed claims set at byte \(error.offset ?? 0): \(error.message)",
          offset: setStart)
      }
    default:
      let names: [UInt16: String] = [2: "LZNT1", 3: "XPRESS"]
      throw NTSecurityError(
        .notSupported,
        "claims set compressed with \(names[compressionFormat] ?? "format \(compressionFormat)") "
          + "(\(size) bytes, \(uncompressedSize) uncompressed) is not supported",
        offset: formatAt)
    }
  }

  /// Decodes an uncompressed NDR `CLAIMS_SET`.
  static func claimsSet(_ bytes: [UInt8], from start: Int, to end: Int) throws(NTSecurityError)
    -> [PACClaimsArray]
  {
    var r = try NDRReader(topLevel: bytes, from: start, to: end, what: "CLAIMS_SET")
    let arrayCount = Int(try r.u32("ulClaimsArrayCount"))
    let hasArrays = try r.pointer("ClaimsArrays pointer")
    _ = try r.u16("usReservedType")
    let reservedSize = Int(try r.u32("ulReservedFieldSize"))
    let hasReserved = try r.pointer("ReservedField pointer")
    var arrays = [PACClaimsArray]()
    if hasArrays {
      let n = try r.conformance("ClaimsArrays", elementSize: 12, expected: arrayCount)
      var headers = [(UInt16, Int, Bool)]()
      for _ in 0..<n {
        let source = try r.u16("usClaimsSourceType")
        let count = Int(try r.u32("ulClaimsCount"))
        headers.append((source, count, try r.pointer("ClaimEntries pointer")))
      }
      for (i, (source, count, present)) in headers.enumerated() {
        var entries = [PACClaimEntry]()
        if present {
          entries = try claimEntries(&r, "ClaimsArrays[\(i)]", count: count)
        } else if count != 0 {
          throw r.fail("ClaimsArrays[\(i)]: count \(count) with a null pointer")
        }
        arrays.append(PACClaimsArray(sourceType: source, entries: entries))
      }
    } else if arrayCount != 0 {
      throw r.fail("ClaimsArrays: count \(arrayCount) with a null pointer")
    }
    if hasReserved {
      _ = try r.bytes(
        try r.conformance("ReservedField", elementSize: 1, expected: reservedSize), "ReservedField")
    }
    return arrays
  }

  private static func claimEntries(
    _ r: inout NDRReader, _ what: String, count: Int
  ) throws(NTSecurityError) -> [PACClaimEntry] {
    let n = try r.conformance(what, elementSize: 16, expected: count)
    var headers = [(Bool, UInt16, Int, Bool, Int)]()
    for i in 0..<n {
      let hasID = try r.pointer("claim Id pointer")
      let at = r.position
      let type = try r.u16("claim Type")
      let tag = try r.u16("claim value union discriminant")
      guard tag == type else {
        throw r.fail("\(what) entry \(i): union discriminant \(tag) differs from Type \(type)", at: at)
      }
      guard [1, 2, 3, 6].contains(type) else {
        throw r.fail("\(what) entry \(i): unknown CLAIM_TYPE \(type)", at: at)
      }
      let valueCount = Int(try r.u32("ValueCount"))
      headers.append((hasID, type, valueCount, try r.pointer("claim values pointer"), at))
    }
    var entries = [PACClaimEntry]()
    for (i, (hasID, type, count, hasValues, _)) in headers.enumerated() {
      guard hasID else { throw r.fail("\(what) entry \(i): null claim Id") }
      let id = try r.wideString("\(what) entry \(i) Id")
      guard hasValues || count == 0 else {
        throw r.fail("\(what) entry \(i): \(count) values with a null pointer")
      }
      let label = "\(what) entry \(i) values"
      let values: ClaimValues
      switch type {
      case 3:
        var strings = [String]()
        if hasValues {
          let n = try r.conformance(label, elementSize: 4, expected: count)
          var present = [Bool]()
          for _ in 0..<n { present.append(try r.pointer("string value pointer")) }
          for (k, p) in present.enumerated() {
            guard p else { throw r.fail("\(label)[\(k)]: null string") }
            strings.append(try r.wideString("\(label)[\(k)]"))
          }
        }
        values = .string(strings)
      default:
        var numbers = [UInt64]()
        if hasValues {
          let n = try r.conformance(label, elementSize: 8, expected: count)
          for _ in 0..<n { numbers.append(try r.u64("claim value")) }
        }
        switch type {
        case 1: values = .int64(numbers.map { Int64(bitPattern: $0) })
        case 2: values = .uint64(numbers)
        default: values = .boolean(numbers)
        }
      }
      entries.append(PACClaimEntry(id: id, values: values))
    }
    return entries
  }
}
