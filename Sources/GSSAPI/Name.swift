internal import CGSSAPI

extension GSSAPI {
  /// A GSS-API name (`gss_name_t`), released when the value goes away. Compare with `==`
  /// (gss_compare_name); `description` is the display form.
  ///
  /// `@unchecked Sendable`: the object only owns an immutable handle (a `let`, never replaced),
  /// and MIT krb5's name calls read a name without changing it, from any thread.
  public final class Name: @unchecked Sendable, Equatable, CustomStringConvertible {
    /// The C handle; valid while this object lives.
    let handle: gss_name_t

    init(taking handle: gss_name_t) { self.handle = handle }

    deinit {
      var minor: OM_uint32 = 0
      var h: gss_name_t? = handle
      gss_release_name(&minor, &h)
    }

    public static func == (a: Name, b: Name) -> Bool { (try? GSSAPI.compareName(a, b)) ?? false }

    public var description: String { (try? GSSAPI.displayName(self, includeType: false).name) ?? "<name>" }
  }

  /// Result of ``displayName(_:includeType:)``.
  public struct DisplayNameResult: Sendable, Hashable {
    /// The printable form.
    public let name: String
    /// Its name type (nil when not asked for, or GSS_C_NO_OID).
    public let nameType: OID?
  }

  /// gss_import_name: a name from its bytes and a name type (nil: the mechanism's default,
  /// GSS_C_NO_OID).
  public static func importName(_ name: [UInt8], type: OID? = nil) throws(GSSError) -> Name {
    var minor: OM_uint32 = 0
    var out: gss_name_t?
    let major = withBuffer(name) { buf in withOptionalOID(type) { gss_import_name(&minor, buf, $0, &out) } }
    try check(major, minor, "gss_import_name(\(String(decoding: name, as: UTF8.self)))")
    return Name(taking: out!)
  }

  /// gss_import_name on the UTF-8 bytes of `text`.
  public static func importName(_ text: String, type: OID? = nil) throws(GSSError) -> Name {
    try importName(Array(text.utf8), type: type)
  }

  /// gss_display_name: the printable form and (if `includeType`) the name type.
  public static func displayName(_ name: Name, includeType: Bool = true) throws(GSSError) -> DisplayNameResult
  {
    var minor: OM_uint32 = 0
    var buffer = gss_buffer_desc()
    var type: gss_OID?
    let major = gss_display_name(&minor, name.handle, &buffer, &type)
    try check(major, minor, "gss_display_name")
    return DisplayNameResult(name: takeString(&buffer), nameType: includeType ? copyOID(type) : nil)
  }

  /// gss_compare_name.
  public static func compareName(_ a: Name, _ b: Name) throws(GSSError) -> Bool {
    var minor: OM_uint32 = 0
    var equal: Int32 = 0
    try check(gss_compare_name(&minor, a.handle, b.handle, &equal), minor, "gss_compare_name")
    return equal != 0
  }

  /// gss_export_name: the exported form of a mechanism name (GSS_S_NAME_NOT_MN otherwise).
  public static func exportName(_ name: Name) throws(GSSError) -> [UInt8] {
    var minor: OM_uint32 = 0
    var buffer = gss_buffer_desc()
    try check(gss_export_name(&minor, name.handle, &buffer), minor, "gss_export_name")
    return takeBuffer(&buffer)
  }

  /// gss_canonicalize_name: the mechanism name of `name` for `mechanism`.
  public static func canonicalizeName(_ name: Name, mechanism: OID) throws(GSSError) -> Name {
    var minor: OM_uint32 = 0
    var out: gss_name_t?
    let major = withOID(mechanism) { gss_canonicalize_name(&minor, name.handle, $0, &out) }
    try check(major, minor, "gss_canonicalize_name(\(mechanism.name))", mechanism: mechanism)
    return Name(taking: out!)
  }

  /// gss_duplicate_name.
  public static func duplicateName(_ name: Name) throws(GSSError) -> Name {
    var minor: OM_uint32 = 0
    var out: gss_name_t?
    try check(gss_duplicate_name(&minor, name.handle, &out), minor, "gss_duplicate_name")
    return Name(taking: out!)
  }

  /// gss_inquire_names_for_mech: the name types a mechanism takes.
  public static func inquireNames(forMechanism mechanism: OID) throws(GSSError) -> Set<OID> {
    var minor: OM_uint32 = 0
    var set: gss_OID_set?
    let major = withOID(mechanism) { gss_inquire_names_for_mech(&minor, $0, &set) }
    try check(major, minor, "gss_inquire_names_for_mech(\(mechanism.name))", mechanism: mechanism)
    return takeOIDSet(&set)
  }

  /// gss_inquire_mechs_for_name: the mechanisms that can process a name.
  public static func inquireMechanisms(forName name: Name) throws(GSSError) -> Set<OID> {
    var minor: OM_uint32 = 0
    var set: gss_OID_set?
    try check(gss_inquire_mechs_for_name(&minor, name.handle, &set), minor, "gss_inquire_mechs_for_name")
    return takeOIDSet(&set)
  }
}

/// Releases a name the caller did not ask for; returns nil.
func releaseName(_ handle: gss_name_t) -> GSSAPI.Name? {
  var minor: OM_uint32 = 0
  var h: gss_name_t? = handle
  gss_release_name(&minor, &h)
  return nil
}
