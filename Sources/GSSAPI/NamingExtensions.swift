internal import CGSSAPI

extension GSSAPI {
  /// Result of ``inquireName(_:mechanismName:attributes:)`` (RFC 6680).
  public struct InquireNameResult: Sendable {
    /// The attribute names, e.g. "urn:mspac:" for the Windows PAC.
    public let attributes: [String]
    public let isMechanismName: Bool
    /// The mechanism, for a mechanism name.
    public let mechanism: OID?
  }

  /// Result of ``getNameAttribute(_:_:)``.
  public struct GetNameAttributeResult: Sendable {
    public let values: [[UInt8]]
    public let displayValues: [String]
    public let authenticated: Bool
    public let complete: Bool
  }

  /// gss_display_name_ext (RFC 6680): the name displayed as another name type.
  public static func displayName(_ name: Name, as type: OID) throws(GSSError) -> [UInt8] {
    var minor: OM_uint32 = 0
    var buffer = gss_buffer_desc()
    let major = withOID(type) { gss_display_name_ext(&minor, name.handle, $0, &buffer) }
    try check(major, minor, "gss_display_name_ext(\(type.name))")
    return takeBuffer(&buffer)
  }

  /// gss_inquire_name (RFC 6680).
  public static func inquireName(_ name: Name, mechanismName: Bool = true, attributes: Bool = true)
    throws(GSSError)
    -> InquireNameResult
  {
    var minor: OM_uint32 = 0
    var isMN: Int32 = 0
    var mech: gss_OID?
    var attrs: gss_buffer_set_t?
    let major = gss_inquire_name(&minor, name.handle, &isMN, &mech, &attrs)
    let list = takeBufferSet(&attrs).map { String(decoding: $0, as: UTF8.self) }
    // MIT hands back a copy of the mechanism OID, which the caller releases
    let mechanism = copyOID(mech)
    var ignored: OM_uint32 = 0
    if mech != nil { gss_release_oid(&ignored, &mech) }
    try check(major, minor, "gss_inquire_name")
    return InquireNameResult(
      attributes: list, isMechanismName: isMN != 0, mechanism: mechanismName ? mechanism : nil)
  }

  /// gss_set_name_attribute (RFC 6680).
  public static func setNameAttribute(
    _ name: Name, _ attribute: String, values: [[UInt8]], complete: Bool = false
  )
    throws(GSSError)
  {
    for value in values {
      var minor: OM_uint32 = 0
      let major = withBuffer(attribute) { a in
        withBuffer(value) { gss_set_name_attribute(&minor, name.handle, complete ? 1 : 0, a, $0) }
      }
      try check(major, minor, "gss_set_name_attribute(\(attribute))")
    }
  }

  /// gss_get_name_attribute (RFC 6680): every value of an attribute (all `more` rounds).
  public static func getNameAttribute(_ name: Name, _ attribute: String) throws(GSSError)
    -> GetNameAttributeResult
  {
    var values: [[UInt8]] = []
    var displays: [String] = []
    var authenticated: Int32 = 0
    var complete: Int32 = 0
    var more: Int32 = -1
    repeat {
      var minor: OM_uint32 = 0
      var value = gss_buffer_desc()
      var display = gss_buffer_desc()
      let major = withBuffer(attribute) {
        gss_get_name_attribute(&minor, name.handle, $0, &authenticated, &complete, &value, &display, &more)
      }
      try check(major, minor, "gss_get_name_attribute(\(attribute))")
      values.append(takeBuffer(&value))
      displays.append(takeString(&display))
    } while more != 0 && values.count < 4096
    return GetNameAttributeResult(
      values: values, displayValues: displays, authenticated: authenticated != 0, complete: complete != 0)
  }

  /// gss_delete_name_attribute (RFC 6680).
  public static func deleteNameAttribute(_ name: Name, _ attribute: String) throws(GSSError) {
    var minor: OM_uint32 = 0
    let major = withBuffer(attribute) { gss_delete_name_attribute(&minor, name.handle, $0) }
    try check(major, minor, "gss_delete_name_attribute(\(attribute))")
  }

  /// gss_export_name_composite (RFC 6680): the exported name with its attributes.
  public static func exportNameComposite(_ name: Name) throws(GSSError) -> [UInt8] {
    var minor: OM_uint32 = 0
    var buffer = gss_buffer_desc()
    try check(gss_export_name_composite(&minor, name.handle, &buffer), minor, "gss_export_name_composite")
    return takeBuffer(&buffer)
  }
}
