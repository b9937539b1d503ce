internal import CGSSAPI
import Synchronization

extension GSSAPI {
  /// GSS-API credentials (`gss_cred_id_t`), released when the value goes away (there is no
  /// release_cred to call).
  public final class Credentials: Sendable {
    /// The C handle; valid while this object lives. Replaced only by the calls that mutate
    /// their input (`addCredentials(mutateInput:)`, `setCredentialOption`).
    let state: Mutex<CredentialHandle>

    var handle: gss_cred_id_t {
      get { state.withLock { $0.raw } }
      set { state.withLock { $0.raw = newValue } }
    }

    init(taking handle: gss_cred_id_t) { state = Mutex(CredentialHandle(raw: handle)) }

    deinit {
      state.withLock {
        var minor: OM_uint32 = 0
        var h: gss_cred_id_t? = $0.raw
        gss_release_cred(&minor, &h)
      }
    }
  }

  /// A `gss_cred_id_t` as a value the credentials' mutex can hold (an address; the credentials
  /// object guards it).
  struct CredentialHandle: @unchecked Sendable {
    var raw: gss_cred_id_t
  }

  /// Result of the acquire calls: the credentials, the mechanisms they work with, and their
  /// lifetime in seconds (nil: indefinite or unknown).
  public struct AcquireCredResult: Sendable {
    public let credentials: Credentials
    public let mechanisms: Set<OID>
    public let lifetime: UInt32?
  }

  /// Result of the add calls. `credentials` is nil when the input was mutated in place.
  public struct AddCredResult: Sendable {
    public let credentials: Credentials?
    public let mechanisms: Set<OID>
    public let initiatorLifetime: UInt32?
    public let acceptorLifetime: UInt32?
  }

  /// Result of ``inquireCredentials(_:name:lifetime:usage:mechanisms:)``; fields not asked for are nil.
  public struct InquireCredResult: Sendable {
    public let name: Name?
    public let lifetime: UInt32?
    public let usage: CredentialUsage?
    public let mechanisms: Set<OID>?
  }

  /// Result of ``inquireCredentials(_:mechanism:name:initiatorLifetime:acceptorLifetime:usage:)``.
  public struct InquireCredByMechResult: Sendable {
    public let name: Name?
    public let initiatorLifetime: UInt32?
    public let acceptorLifetime: UInt32?
    public let usage: CredentialUsage?
  }

  /// gss_acquire_cred: credentials for `name` (nil: the default principal / any keytab entry).
  public static func acquireCredentials(
    name: Name? = nil, lifetime: UInt32? = nil, mechanisms: [OID]? = nil, usage: CredentialUsage = .both
  ) throws(GSSError) -> AcquireCredResult {
    try acquiring("gss_acquire_cred", mechanism: mechanisms?.first) { minor, cred, actual, time in
      withOIDSet(mechanisms) {
        gss_acquire_cred(
          &minor, name?.handle, lifetimeIn(lifetime), $0, usage.rawValue, &cred, &actual, &time)
      }
    }
  }

  /// gss_add_cred: adds an element for `mechanism` to `input` (nil: GSS_C_NO_CREDENTIAL). With
  /// `mutateInput`, `input` itself gets the element and the result has no credentials.
  public static func addCredentials(
    to input: Credentials?, name: Name?, mechanism: OID, usage: CredentialUsage = .initiate,
    initiatorLifetime: UInt32? = nil, acceptorLifetime: UInt32? = nil, mutateInput: Bool = false
  ) throws(GSSError) -> AddCredResult {
    try adding("gss_add_cred(\(mechanism.name))", mechanism: mechanism) {
      minor, cred, actual, initTime, acceptTime in
      withOID(mechanism) { mech in
        if mutateInput {
          return gss_add_cred(
            &minor, input?.handle, name?.handle, mech, usage.rawValue, lifetimeIn(initiatorLifetime),
            lifetimeIn(acceptorLifetime), nil, &actual, &initTime, &acceptTime)
        }
        return gss_add_cred(
          &minor, input?.handle, name?.handle, mech, usage.rawValue, lifetimeIn(initiatorLifetime),
          lifetimeIn(acceptorLifetime), &cred, &actual, &initTime, &acceptTime)
      }
    }
  }

  /// gss_inquire_cred: the name, remaining lifetime, usage and mechanisms of credentials
  /// (nil: the default credentials).
  public static func inquireCredentials(
    _ credentials: Credentials?, name: Bool = true, lifetime: Bool = true, usage: Bool = true,
    mechanisms: Bool = true
  ) throws(GSSError) -> InquireCredResult {
    var minor: OM_uint32 = 0
    var outName: gss_name_t?
    var time: OM_uint32 = 0
    var outUsage: gss_cred_usage_t = 0
    var set: gss_OID_set?
    let major = gss_inquire_cred(
      &minor, credentials?.handle, &outName, &time,
      &outUsage, &set)
    try check(major, minor, "gss_inquire_cred")
    return InquireCredResult(
      name: name ? outName.map { Name(taking: $0) } : outName.flatMap { releaseName($0) },
      lifetime: lifetime ? lifetimeOut(time) : nil,
      usage: usage ? CredentialUsage(rawValue: outUsage) : nil,
      mechanisms: {
        let m = takeOIDSet(&set); return mechanisms ? m : nil
      }())
  }

  /// gss_inquire_cred_by_mech: what credentials hold for one mechanism.
  public static func inquireCredentials(
    _ credentials: Credentials?, mechanism: OID, name: Bool = true, initiatorLifetime: Bool = true,
    acceptorLifetime: Bool = true, usage: Bool = true
  ) throws(GSSError) -> InquireCredByMechResult {
    var minor: OM_uint32 = 0
    var outName: gss_name_t?
    var initTime: OM_uint32 = 0
    var acceptTime: OM_uint32 = 0
    var outUsage: gss_cred_usage_t = 0
    let major = withOID(mechanism) {
      gss_inquire_cred_by_mech(
        &minor, credentials?.handle, $0, &outName, &initTime,
        &acceptTime, &outUsage)
    }
    try check(major, minor, "gss_inquire_cred_by_mech(\(mechanism.name))", mechanism: mechanism)
    return InquireCredByMechResult(
      name: name ? outName.map { Name(taking: $0) } : outName.flatMap { releaseName($0) },
      initiatorLifetime: initiatorLifetime ? lifetimeOut(initTime) : nil,
      acceptorLifetime: acceptorLifetime ? lifetimeOut(acceptTime) : nil,
      usage: usage ? CredentialUsage(rawValue: outUsage) : nil)
  }

  /// Runs one gss_acquire_cred* call, given where to put the minor status, the credential, the
  /// actual mechanisms and the lifetime, and builds its result.
  static func acquiring(
    _ routine: String, mechanism: OID?,
    _ call: (inout OM_uint32, inout gss_cred_id_t?, inout gss_OID_set?, inout OM_uint32) -> OM_uint32
  ) throws(GSSError) -> AcquireCredResult {
    var minor: OM_uint32 = 0
    var cred: gss_cred_id_t?
    var actual: gss_OID_set?
    var time: OM_uint32 = 0
    let major = call(&minor, &cred, &actual, &time)
    try check(major, minor, routine, mechanism: mechanism)
    return AcquireCredResult(
      credentials: Credentials(taking: cred!), mechanisms: takeOIDSet(&actual), lifetime: lifetimeOut(time))
  }

  /// Runs one gss_add_cred* call, given where to put the minor status, the credential, the actual
  /// mechanisms and the two lifetimes, and builds its result.
  static func adding(
    _ routine: String, mechanism: OID,
    _ call: (inout OM_uint32, inout gss_cred_id_t?, inout gss_OID_set?, inout OM_uint32, inout OM_uint32)
      -> OM_uint32
  ) throws(GSSError) -> AddCredResult {
    var minor: OM_uint32 = 0
    var cred: gss_cred_id_t?
    var actual: gss_OID_set?
    var initTime: OM_uint32 = 0
    var acceptTime: OM_uint32 = 0
    let major = call(&minor, &cred, &actual, &initTime, &acceptTime)
    try check(major, minor, routine, mechanism: mechanism)
    return AddCredResult(
      credentials: cred.map { Credentials(taking: $0) }, mechanisms: takeOIDSet(&actual),
      initiatorLifetime: lifetimeOut(initTime), acceptorLifetime: lifetimeOut(acceptTime))
  }
}
