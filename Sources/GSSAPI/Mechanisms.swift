internal import CGSSAPI

extension GSSAPI {
  /// Result of ``inquireAttributes(forMechanism:)`` (RFC 5587).
  public struct InquireAttrsResult: Sendable {
    /// The attributes the mechanism has.
    public let mechanismAttributes: Set<OID>
    /// The attributes the mechanism knows of.
    public let knownMechanismAttributes: Set<OID>
  }

  /// Result of ``displayMechanismAttribute(_:)``.
  public struct DisplayAttrResult: Sendable, Hashable {
    public let name: String
    public let shortDescription: String
    public let longDescription: String
  }

  /// Result of ``inquireSASLName(forMechanism:)`` (RFC 5801).
  public struct InquireSASLNameResult: Sendable, Hashable {
    /// The SASL mechanism name, e.g. "GS2-KRB5".
    public let saslMechanismName: String
    public let mechanismName: String
    public let mechanismDescription: String
  }

  /// gss_indicate_mechs: the mechanisms the library offers here.
  public static func indicateMechanisms() throws(GSSError) -> Set<OID> {
    var minor: OM_uint32 = 0
    var set: gss_OID_set?
    try check(gss_indicate_mechs(&minor, &set), minor, "gss_indicate_mechs")
    return takeOIDSet(&set)
  }

  /// gss_indicate_mechs_by_attrs (RFC 5587): mechanisms with all `desired`, none of `except`,
  /// and that know every `critical` attribute.
  public static func indicateMechanisms(
    desired: [OID]? = nil, except: [OID]? = nil, critical: [OID]? = nil
  ) throws(GSSError) -> Set<OID> {
    var minor: OM_uint32 = 0
    var set: gss_OID_set?
    let major = withOIDSet(desired) { d in
      withOIDSet(except) { e in
        withOIDSet(critical) { c in gss_indicate_mechs_by_attrs(&minor, d, e, c, &set) }
      }
    }
    try check(major, minor, "gss_indicate_mechs_by_attrs")
    return takeOIDSet(&set)
  }

  /// gss_inquire_attrs_for_mech (RFC 5587).
  public static func inquireAttributes(forMechanism mechanism: OID) throws(GSSError) -> InquireAttrsResult {
    var minor: OM_uint32 = 0
    var attrs: gss_OID_set?
    var known: gss_OID_set?
    let major = withOID(mechanism) { gss_inquire_attrs_for_mech(&minor, $0, &attrs, &known) }
    try check(major, minor, "gss_inquire_attrs_for_mech(\(mechanism.name))", mechanism: mechanism)
    return InquireAttrsResult(
      mechanismAttributes: takeOIDSet(&attrs), knownMechanismAttributes: takeOIDSet(&known))
  }

  /// gss_display_mech_attr (RFC 5587): the name and descriptions of a mechanism attribute.
  public static func displayMechanismAttribute(_ attribute: OID) throws(GSSError) -> DisplayAttrResult {
    var minor: OM_uint32 = 0
    var name = gss_buffer_desc()
    var short = gss_buffer_desc()
    var long = gss_buffer_desc()
    let major = withOID(attribute) { gss_display_mech_attr(&minor, $0, &name, &short, &long) }
    try check(major, minor, "gss_display_mech_attr(\(attribute))")
    return DisplayAttrResult(
      name: takeString(&name), shortDescription: takeString(&short), longDescription: takeString(&long))
  }

  /// gss_inquire_saslname_for_mech (RFC 5801).
  public static func inquireSASLName(forMechanism mechanism: OID) throws(GSSError) -> InquireSASLNameResult {
    var minor: OM_uint32 = 0
    var sasl = gss_buffer_desc()
    var name = gss_buffer_desc()
    var description = gss_buffer_desc()
    let major = withOID(mechanism) { gss_inquire_saslname_for_mech(&minor, $0, &sasl, &name, &description) }
    try check(major, minor, "gss_inquire_saslname_for_mech(\(mechanism.name))", mechanism: mechanism)
    return InquireSASLNameResult(
      saslMechanismName: takeString(&sasl), mechanismName: takeString(&name),
      mechanismDescription: takeString(&description))
  }

  /// gss_inquire_mech_for_saslname (RFC 5801): the mechanism behind a SASL name such as "GS2-KRB5".
  public static func inquireMechanism(forSASLName saslName: String) throws(GSSError) -> OID {
    var minor: OM_uint32 = 0
    var mech: gss_OID?
    let major = withBuffer(saslName) { gss_inquire_mech_for_saslname(&minor, $0, &mech) }
    try check(major, minor, "gss_inquire_mech_for_saslname(\(saslName))")
    guard let oid = copyOID(mech) else {
      throw GSSError(.badMechanism, "gss_inquire_mech_for_saslname(\(saslName)): no mechanism")
    }
    return oid
  }
}
