/// An access control list (MS-DTYP 2.4.5): a revision and an ordered list of ACEs.
public struct ACL: Hashable, Sendable {
  /// ACL_REVISION (2) for ordinary ACEs.
  public static let revision2: UInt8 = 2
  /// ACL_REVISION_DS (4), needed by object ACEs.
  public static let revisionDS: UInt8 = 4

  /// The AclRevision byte.
  public var revision: UInt8
  /// The ACEs, in order.
  public var aces: [ACE]
  /// Spare bytes after the last ACE that the AclSize covers (Windows sometimes writes them; they
  /// are kept so the ACL round-trips).
  public var slack: [UInt8]

  /// Creates an ACL; without an explicit revision, the lowest one that can hold the ACEs, as
  /// Windows chooses.
  public init(revision: UInt8? = nil, aces: [ACE] = [], slack: [UInt8] = []) {
    self.aces = aces
    self.slack = slack
    self.revision = revision ?? ACL.minimumRevision(for: aces)
  }

  /// The lowest revision that can hold `aces`: 4 when any is an object ACE, else 2.
  public static func minimumRevision(for aces: [ACE]) -> UInt8 {
    aces.contains { $0.type.isObject } ? revisionDS : revision2
  }

  /// AclSize: header, ACEs and slack.
  public var size: Int {
    var n = 8 + slack.count
    for i in aces.indices { n += aces[i].size }
    return n
  }

  /// Appends an ACE, raising the revision when the ACE needs it (AddAce semantics).
  public mutating func append(_ ace: ACE) {
    aces.append(ace)
    if ace.type.isObject && revision < ACL.revisionDS { revision = ACL.revisionDS }
  }

  /// Removes the ACE at `index` (DeleteAce).
  public mutating func remove(at index: Int) throws(NTSecurityError) {
    guard aces.indices.contains(index) else {
      throw NTSecurityError(.invalidParameter, "no ACE at index \(index)")
    }
    aces.remove(at: index)
  }
}

extension ACL {
  /// Decodes an ACL from the start of `bytes`.
  public init(bytes: [UInt8]) throws(NTSecurityError) {
    var reader = ByteReader(bytes, error: .invalidAcl)
    self = try ACL.read(&reader)
  }

  static func read(_ reader: inout ByteReader) throws(NTSecurityError) -> ACL {
    let start = reader.position
    let revision = try reader.u8("ACL revision")
    guard (2...4).contains(revision) else {
      throw NTSecurityError(.invalidAcl, "ACL revision \(revision) (must be 2 to 4)", offset: start)
    }
    _ = try reader.u8("ACL Sbz1")
    let size = Int(try reader.u16("ACL size"))
    let count = Int(try reader.u16("ACE count"))
    _ = try reader.u16("ACL Sbz2")
    guard size >= 8, start + size <= reader.end else {
      throw NTSecurityError(.invalidAcl, "ACL size \(size) exceeds the buffer", offset: start + 2)
    }
    var body = ByteReader(reader.bytes, from: start + 8, to: start + size, error: .invalidAcl)
    var aces = [ACE]()
    aces.reserveCapacity(min(count, (size - 8) / 8))  // an ACE takes at least 8 bytes
    for _ in 0..<count { aces.append(try ACE.read(&body)) }
    let slack = body.position < body.end ? Array(body.bytes[body.position..<body.end]) : []
    reader.position = start + size
    return ACL(revision: revision, aces: aces, slack: slack)
  }

  /// The binary form.
  public var bytes: [UInt8] { [UInt8](exactly: size) { write(to: &$0) } }

  func write(to out: inout RawWriter) {
    out.u8(revision)
    out.u8(0)
    out.u16(UInt16(truncatingIfNeeded: size))
    out.u16(UInt16(truncatingIfNeeded: aces.count))
    out.u16(0)
    for i in aces.indices { aces[i].write(to: &out) }
    out.bytes(slack)
  }
}
