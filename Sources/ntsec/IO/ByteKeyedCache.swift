#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Values read from byte strings (a descriptor's SDDL, a token's JSON), found again by their
/// bytes: first among the few most recently used by comparing them where they stand in a line,
/// which needs no scan of the line; then by the whole byte string.
struct ByteKeyedCache<Value> {
  private var recent: [(key: [UInt8], value: Value)] = []
  private var all: [Key: Value] = [:]
  private let recentLimit = 8
  private let limit = 256

  /// The byte string as a dictionary key, hashed in one pass over its bytes.
  private struct Key: Hashable {
    let bytes: [UInt8]
    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
  }

  /// The value of a recently used key that `line` holds at `offset`, and the offset after it.
  func match(_ line: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Value, end: Int)? {
    let available = line.count - offset
    for entry in recent where entry.key.count <= available {
      let same = entry.key.withUnsafeBufferPointer {
        memcmp(line.baseAddress! + offset, $0.baseAddress!, $0.count) == 0
      }
      if same { return (entry.value, offset + entry.key.count) }
    }
    return nil
  }

  /// The value of `key`, which then counts as recently used.
  mutating func find(_ key: UnsafeBufferPointer<UInt8>) -> Value? {
    let key = Array(key)
    guard let value = all[Key(bytes: key)] else { return nil }
    remember(key, value)
    return value
  }

  mutating func insert(_ key: UnsafeBufferPointer<UInt8>, _ value: Value) {
    let key = Array(key)
    if all.count >= limit { all.removeAll(keepingCapacity: true) }
    all[Key(bytes: key)] = value
    remember(key, value)
  }

  private mutating func remember(_ key: [UInt8], _ value: Value) {
    if recent.count >= recentLimit { recent.removeLast() }
    recent.insert((key, value), at: 0)
  }
}
