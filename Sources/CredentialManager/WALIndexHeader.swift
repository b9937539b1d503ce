import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The WAL-index header of a SQLite database in WAL mode, read from its `-shm` file mapped
/// read-only: a commit check that takes no read transaction (no `fcntl` locks, no system call).
///
/// SQLite keeps two copies of a 48-byte header at the start of the `-shm` file. A committing
/// writer fills in the second copy, then the first; a reader copies the first, then the second,
/// and trusts them only when both agree, `isInit` is set and the checksum over the first 40 bytes
/// holds (sqlite.org/walformat.html, "The WAL-Index Header"). The header changes with every
/// commit (the change counter, the last valid frame, the salts after a WAL restart), so an
/// unchanged trusted header means nothing was committed since it was read. Anything else — a
/// torn or uninitialised header, a failed checksum — is `nil`, and the caller takes the slow
/// path (`PRAGMA data_version` in a read transaction).
///
/// The region is SQLite's own mapping for the reading connection, taken after that connection has
/// run a statement in WAL mode: SQLite keeps it (and its locks) until the connection closes. Not
/// `Sendable`: it lives under `VaultReadCache`'s lock next to that connection.
final class WALIndexHeader {
  /// One trusted copy of the header, compared whole.
  struct Snapshot: Equatable {
    var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    static func == (a: Snapshot, b: Snapshot) -> Bool {
      a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
        && a.words.4 == b.words.4 && a.words.5 == b.words.5
    }
  }

  /// Bytes of one header copy; the checksum covers all but its last 8.
  static let size = 48
  private let base: UnsafeRawPointer

  /// The header at the start of `region`: the first page of SQLite's own mapping of the
  /// `-shm` file (``VaultReadConnection/sharedMemoryRegion()``), valid while that connection is
  /// open. No descriptor of the file is opened here: closing one would drop every POSIX lock the
  /// process holds on the file, SQLite's included.
  init(region: UnsafeRawPointer) {
    base = region
  }

  /// The current header, or nil when it is torn (the copies differ), uninitialised or fails its
  /// checksum — SQLite's own rules for trusting it.
  func read() -> Snapshot? { WALIndexHeader.trusted(base) }

  /// The header at `p` (both copies, as at the start of the `-shm` file) under those rules.
  static func trusted(_ p: UnsafeRawPointer) -> Snapshot? {
    let first = load(p)
    atomicMemoryFence(ordering: .acquiring)
    let second = load(p + size)
    guard first == second else { return nil }
    return withUnsafeBytes(of: first.words) { h -> Snapshot? in
      guard h[12] != 0 else { return nil }  // isInit
      var s1: UInt32 = 0
      var s2: UInt32 = 0
      for i in stride(from: 0, to: 40, by: 8) {
        s1 = s1 &+ h.loadUnaligned(fromByteOffset: i, as: UInt32.self) &+ s2
        s2 = s2 &+ h.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self) &+ s1
      }
      guard h.loadUnaligned(fromByteOffset: 40, as: UInt32.self) == s1,
        h.loadUnaligned(fromByteOffset: 44, as: UInt32.self) == s2
      else { return nil }
      return first
    }
  }

  private static func load(_ p: UnsafeRawPointer) -> Snapshot {
    Snapshot(
      words: (
        p.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
        p.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
        p.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
        p.loadUnaligned(fromByteOffset: 24, as: UInt64.self),
        p.loadUnaligned(fromByteOffset: 32, as: UInt64.self),
        p.loadUnaligned(fromByteOffset: 40, as: UInt64.self)
      ))
  }
}
