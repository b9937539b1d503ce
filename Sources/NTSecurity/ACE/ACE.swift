/// An access control entry (MS-DTYP 2.4.4), of any type.
///
/// Known types keep their fields; bytes after the SID (a callback ACE's conditional expression, a
/// resource attribute ACE's claim, or anything else Windows stored) are kept in `applicationData`,
/// and ACEs of unknown types keep their whole body in `opaqueBody`, so every ACE round-trips.
/// (One byte array holds either, so an ACE copies with a single reference count.)
public struct ACE: Hashable, Sendable {
  public var type: ACEType
  public var flags: ACEFlags
  public var mask: AccessMask
  /// The trustee.
  public var sid: SID
  /// Object ACEs: the object type (property, property set, child class or extended right).
  public var objectType: GUID?
  /// Object ACEs: the type of child object that inherits this ACE.
  public var inheritedObjectType: GUID?
  /// Bytes following the SID up to the ACE's size (for an unknown type, the whole body).
  public var applicationData: [UInt8]
  /// Whether this ACE's type is unknown and `applicationData` holds its whole body.
  public private(set) var isOpaque = false

  /// For ACEs of unknown type: the bytes after the 4-byte header; other fields are unused.
  public var opaqueBody: [UInt8]? { isOpaque ? applicationData : nil }

  /// Creates an ACE of a known type.
  public init(
    type: ACEType, flags: ACEFlags = [], mask: AccessMask, sid: SID, objectType: GUID? = nil,
    inheritedObjectType: GUID? = nil, applicationData: [UInt8] = []
  ) {
    self.type = type
    self.flags = flags
    self.mask = mask
    self.sid = sid
    self.objectType = objectType
    self.inheritedObjectType = inheritedObjectType
    self.applicationData = applicationData
  }

  /// Creates an ACE of an unknown type from its body.
  public init(unknownType type: ACEType, flags: ACEFlags, body: [UInt8]) {
    self.init(type: type, flags: flags, mask: [], sid: SID(unchecked: 0), applicationData: body)
    self.isOpaque = true
  }

  /// An allow ACE.
  public static func allow(_ sid: SID, _ mask: AccessMask, flags: ACEFlags = []) -> ACE {
    ACE(type: .accessAllowed, flags: flags, mask: mask, sid: sid)
  }

  /// A deny ACE.
  public static func deny(_ sid: SID, _ mask: AccessMask, flags: ACEFlags = []) -> ACE {
    ACE(type: .accessDenied, flags: flags, mask: mask, sid: sid)
  }

  /// The size of the binary form (AceSize).
  @inline(__always)
  public var size: Int {
    if isOpaque { return 4 + applicationData.count }
    var n = 8 + sid.length + applicationData.count
    if type.isObject {
      n += 4
      if objectType != nil { n += 16 }
      if inheritedObjectType != nil { n += 16 }
    }
    return n
  }

  /// The object flags field as written for object ACEs.
  public var objectFlags: ObjectACEFlags {
    var f = ObjectACEFlags()
    if objectType != nil { f.insert(.objectTypePresent) }
    if inheritedObjectType != nil { f.insert(.inheritedObjectTypePresent) }
    return f
  }

  /// Whether this ACE is inherited by child objects/containers at all.
  public var isInheritable: Bool { !flags.isDisjoint(with: [.objectInherit, .containerInherit]) }
}

extension ACE {
  /// Decodes one ACE from the start of `bytes`.
  public init(bytes: [UInt8]) throws(NTSecurityError) {
    var reader = ByteReader(bytes, error: .invalidAcl)
    self = try ACE.read(&reader)
  }

  static func read(_ reader: inout ByteReader) throws(NTSecurityError) -> ACE {
    let start = reader.position
    let type = ACEType(rawValue: try reader.u8("ACE type"))
    let flags = ACEFlags(rawValue: try reader.u8("ACE flags"))
    let size = Int(try reader.u16("ACE size"))
    guard size >= 4, start + size <= reader.end else {
      throw NTSecurityError(.invalidAcl, "ACE size \(size) does not fit the ACL", offset: start + 2)
    }
    guard type.isKnown else {
      reader.position = start + size
      return ACE(unknownType: type, flags: flags, body: Array(reader.bytes[start + 4..<start + size]))
    }
    // Read the body within the ACE's own size, then continue after it.
    let outerEnd = reader.end
    reader.end = start + size
    defer {
      reader.end = outerEnd
      reader.position = start + size
    }
    let mask = AccessMask(rawValue: try reader.u32("ACE access mask"))
    var objectType: GUID?
    var inheritedObjectType: GUID?
    if type.isObject {
      let objectFlags = ObjectACEFlags(rawValue: try reader.u32("object ACE flags"))
      if objectFlags.contains(.objectTypePresent) {
        objectType = try GUID.read(&reader, "object type GUID")
      }
      if objectFlags.contains(.inheritedObjectTypePresent) {
        inheritedObjectType = try GUID.read(&reader, "inherited object type GUID")
      }
    }
    let sid = try SID.read(&reader)
    let data = reader.position < reader.end ? Array(reader.bytes[reader.position..<reader.end]) : []
    return ACE(
      type: type, flags: flags, mask: mask, sid: sid, objectType: objectType,
      inheritedObjectType: inheritedObjectType, applicationData: data)
  }

  /// The binary form.
  public var bytes: [UInt8] { [UInt8](exactly: size) { write(to: &$0) } }

  @inline(__always)
  func write(to out: inout RawWriter) {
    out.u8(type.rawValue)
    out.u8(flags.rawValue)
    out.u16(UInt16(truncatingIfNeeded: size))
    if isOpaque {
      out.bytes(applicationData)
      return
    }
    out.u32(mask.rawValue)
    if type.isObject {
      out.u32(objectFlags.rawValue)
      if let objectType { out.guid(objectType) }
      if let inheritedObjectType { out.guid(inheritedObjectType) }
    }
    sid.write(to: &out)
    out.bytes(applicationData)
  }
}
