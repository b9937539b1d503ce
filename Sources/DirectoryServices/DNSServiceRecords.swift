import CResolv
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// One SRV record (RFC 2782).
public struct ServiceRecord: Sendable, Hashable {
  /// Lower is tried first.
  public var priority: UInt16
  /// Among equal priorities, the larger is tried first.
  public var weight: UInt16
  /// The service's port.
  public var port: UInt16
  /// The target host, without the trailing dot.
  public var target: String

  /// A record.
  public init(priority: UInt16, weight: UInt16, port: UInt16, target: String) {
    self.priority = priority
    self.weight = weight
    self.port = port
    self.target = target
  }

  /// The SRV records in the answer section of a DNS response message (RFC 1035 4.1), in the
  /// order they are tried: by priority, then by weight, largest first. A target of "." (the
  /// service is not offered) is left out.
  ///
  /// - Throws: `ERROR_INVALID_DATA` naming the offset for a truncated or malformed message.
  public static func records(inDNSResponse message: [UInt8]) throws -> [ServiceRecord] {
    try DNSServiceRecords.parse(message)
  }
}

/// SRV look-ups through the system resolver (`res_query`): the host's resolv.conf decides the
/// servers, as for every other DNS client of the host.
enum DNSServiceRecords {
  /// What a look-up found: records, or that the name does not exist / has no SRV records, or that
  /// the resolver failed (no answer, server failure).
  enum Answer {
    case records([ServiceRecord])
    case noSuchName
    case failed(String)
  }

  /// The SRV records of `name`, sorted by priority then by weight (largest first: RFC 2782's
  /// weighted choice, made deterministic for equal priorities).
  static func lookUp(_ name: String) -> Answer {
    cresolv_clear_h_errno()
    let (buffer, n) = response { buffer, size in
      res_query(name, Int32(ns_c_in.rawValue), Int32(ns_t_srv.rawValue), buffer, size)
    }
    guard n > 0 else {
      let code = cresolv_h_errno()
      switch code {
      case HOST_NOT_FOUND, NO_DATA: return .noSuchName
      default: return .failed("res_query \(name): h_errno \(code)")
      }
    }
    do {
      let records = try parse(Array(buffer.prefix(Int(min(n, Int32(buffer.count))))))
      return records.isEmpty ? .noSuchName : .records(records)
    } catch {
      return .failed("res_query \(name): \(error)")
    }
  }

  /// Runs `query` (res_query into a buffer of the size given) with 4096 bytes first; when it
  /// says the answer was longer (a TCP retry can return up to 64 KiB), again with room for it.
  /// The buffer and query's result.
  static func response(
    initialSize: Int = 4096, _ query: (UnsafeMutablePointer<UInt8>, Int32) -> Int32
  ) -> ([UInt8], Int32) {
    var buffer = [UInt8](repeating: 0, count: initialSize)
    var n = buffer.withUnsafeMutableBufferPointer { query($0.baseAddress!, Int32($0.count)) }
    if n > Int32(buffer.count), buffer.count < 65535 {
      buffer = [UInt8](repeating: 0, count: min(Int(n), 65535))
      n = buffer.withUnsafeMutableBufferPointer { query($0.baseAddress!, Int32($0.count)) }
    }
    return (buffer, n)
  }

  /// The SRV records in the answer section of a DNS response.
  static func parse(_ message: [UInt8]) throws -> [ServiceRecord] {
    var r = BigEndianReader(message)
    try r.skip(4)  // ID, flags
    let questions = Int(try r.u16())
    let answers = Int(try r.u16())
    try r.skip(4)  // NSCOUNT, ARCOUNT
    for _ in 0..<questions {
      r.position = try DNSName.read(message, at: r.position, what: "question name").1
      try r.skip(4)
    }
    var records: [ServiceRecord] = []
    for _ in 0..<answers {
      r.position = try DNSName.read(message, at: r.position, what: "answer name").1
      let type = try r.u16()
      try r.skip(6)  // class, TTL
      let length = Int(try r.u16())
      let start = r.position
      try r.skip(length)
      guard type == UInt16(ns_t_srv.rawValue) else { continue }
      var d = BigEndianReader(message, position: start)
      let priority = try d.u16()
      let weight = try d.u16()
      let port = try d.u16()
      let target = try DNSName.read(message, at: d.position, what: "SRV target").0
      // "." means the service is decidedly not available at this domain (RFC 2782).
      if !target.isEmpty {
        records.append(ServiceRecord(priority: priority, weight: weight, port: port, target: target))
      }
    }
    return records.sorted { ($0.priority, UInt16.max - $0.weight) < ($1.priority, UInt16.max - $1.weight) }
  }
}

/// Bounds-checked big-endian reads (network order) with typed errors.
struct BigEndianReader {
  let bytes: [UInt8]
  var position: Int

  init(_ bytes: [UInt8], position: Int = 0) {
    self.bytes = bytes
    self.position = position
  }

  mutating func skip(_ n: Int) throws {
    guard n >= 0, position + n <= bytes.count else {
      throw NTSecurityError(.invalidData, "truncated message: need \(n) bytes", offset: position)
    }
    position += n
  }

  mutating func u16() throws -> UInt16 {
    try skip(2)
    return UInt16(bytes[position - 2]) << 8 | UInt16(bytes[position - 1])
  }
}
