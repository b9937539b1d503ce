import Foundation
import NTSecurity

/// A read-only reader of Samba's TDB files (secrets.tdb, passdb.tdb): walks the records in file
/// order and keeps the live ones (magic `0x26011999`), skipping free, dead and recovery records.
///
/// A TDB file is a 168-byte header, a hash table of `hash_size + 1` offsets, then records of a
/// 24-byte header (`next`, `rec_len`, `key_len`, `data_len`, `full_hash`, `magic`, host byte
/// order) followed by `rec_len` bytes holding the key, the data and padding. Reading needs no lock:
/// a record half-written by a concurrent writer fails its checks and is skipped, so a reader may
/// miss a record Samba is writing at that moment, but never reads a wrong one.
package struct TrivialDatabase: Sendable {
  /// Live records: key bytes → data bytes.
  private(set) var records: [[UInt8]: [UInt8]] = [:]

  private static let headerSize = 168
  private static let recordHeaderSize = 24
  private static let liveMagic: UInt32 = 0x2601_1999

  /// Reads the file at `path`: nil when it does not exist, or cannot be read (Samba's files are
  /// root's, mode 0600) unless `strict`; `ERROR_INVALID_DATA` when it is not a TDB file.
  ///
  /// `strict` (what identity depends on: passdb) makes an unreadable file `ERROR_ACCESS_DENIED`
  /// and a record walk that stops before the end of the file (a record being written, a cut
  /// file) `ERROR_INVALID_DATA`, instead of fewer records.
  package init?(path: String, strict: Bool = false) throws(NTSecurityError) {
    guard let data = FileManager.default.contents(atPath: path) else {
      guard strict, access(path, F_OK) == 0 else { return nil }
      throw NTSecurityError(.accessDenied, "\(path): cannot be read")
    }
    try self.init(bytes: [UInt8](data), name: path, strict: strict)
  }

  package init(bytes: [UInt8], name: String, strict: Bool = false) throws(NTSecurityError) {
    guard bytes.count >= TrivialDatabase.headerSize, bytes.starts(with: Array("TDB file\n".utf8)) else {
      throw NTSecurityError(.invalidData, "\(name): not a TDB file")
    }
    func word(_ offset: Int) -> UInt32? {
      guard offset >= 0, offset + 4 <= bytes.count else { return nil }
      return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        | UInt32(bytes[offset + 3]) << 24
    }
    guard let hashSize = word(36), hashSize < 1 << 24 else {
      throw NTSecurityError(.invalidData, "\(name): bad TDB hash size")
    }
    var offset = TrivialDatabase.headerSize + 4 * (Int(hashSize) + 1)
    while let recordLength = word(offset + 4), let keyLength = word(offset + 8),
      let dataLength = word(offset + 12), let magic = word(offset + 20)
    {
      let body = offset + TrivialDatabase.recordHeaderSize
      let end = body + Int(recordLength)
      guard recordLength > 0, end <= bytes.count else { break }
      if magic == TrivialDatabase.liveMagic, Int(keyLength) + Int(dataLength) <= Int(recordLength) {
        let key = Array(bytes[body..<body + Int(keyLength)])
        let valueStart = body + Int(keyLength)
        records[key] = Array(bytes[valueStart..<valueStart + Int(dataLength)])
      }
      offset = end
    }
    guard !strict || offset == bytes.count else {
      throw NTSecurityError(
        .invalidData,
        "\(name): the records end at offset \(offset) of \(bytes.count) (a record being written?)")
    }
  }

  /// The data stored under `key` (its UTF-8 bytes, with or without Samba's trailing NUL).
  package func value(_ key: String) -> [UInt8]? {
    let bytes = Array(key.utf8)
    return records[bytes] ?? records[bytes + [0]]
  }

  /// The keys that start with `prefix`, as text without a trailing NUL.
  package func keys(withPrefix prefix: String) -> [String] {
    let start = Array(prefix.utf8)
    return records.keys.filter { $0.starts(with: start) }.map {
      String(decoding: $0.last == 0 ? $0.dropLast() : $0[...], as: UTF8.self)
    }
  }

  /// A NUL-terminated string value.
  package func string(_ key: String) -> String? {
    guard let value = value(key) else { return nil }
    return String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
  }
}
