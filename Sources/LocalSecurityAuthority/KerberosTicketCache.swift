internal import CGSSAPI
import Foundation
import NTSecurity

/// KERB_TICKET_FLAGS_*: a ticket's flags as Windows reports them (RFC 4120's bit order, the
/// same bits MIT's `TKT_FLG_*` use).
public struct KerberosTicketFlags: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  public static let reserved = KerberosTicketFlags(rawValue: 0x8000_0000)
  public static let forwardable = KerberosTicketFlags(rawValue: 0x4000_0000)
  public static let forwarded = KerberosTicketFlags(rawValue: 0x2000_0000)
  public static let proxiable = KerberosTicketFlags(rawValue: 0x1000_0000)
  public static let proxy = KerberosTicketFlags(rawValue: 0x0800_0000)
  public static let mayPostdate = KerberosTicketFlags(rawValue: 0x0400_0000)
  public static let postdated = KerberosTicketFlags(rawValue: 0x0200_0000)
  public static let invalid = KerberosTicketFlags(rawValue: 0x0100_0000)
  public static let renewable = KerberosTicketFlags(rawValue: 0x0080_0000)
  public static let initial = KerberosTicketFlags(rawValue: 0x0040_0000)
  public static let preAuthent = KerberosTicketFlags(rawValue: 0x0020_0000)
  public static let hwAuthent = KerberosTicketFlags(rawValue: 0x0010_0000)
  public static let okAsDelegate = KerberosTicketFlags(rawValue: 0x0004_0000)
  public static let nameCanonicalize = KerberosTicketFlags(rawValue: 0x0001_0000)
  public static let reserved1 = KerberosTicketFlags(rawValue: 0x0000_0001)

  /// The names Windows' `klist` prints for the set flags, highest bit first.
  public var names: [String] {
    let all: [(KerberosTicketFlags, String)] = [
      (.reserved, "reserved"), (.forwardable, "forwardable"), (.forwarded, "forwarded"),
      (.proxiable, "proxiable"), (.proxy, "proxy"), (.mayPostdate, "may_postdate"), (.postdated, "postdated"),
      (.invalid, "invalid"), (.renewable, "renewable"), (.initial, "initial"), (.preAuthent, "pre_authent"),
      (.hwAuthent, "hw_authent"), (.okAsDelegate, "ok_as_delegate"), (.nameCanonicalize, "name_canonicalize"),
      (.reserved1, "reserved1"),
    ]
    return all.filter { contains($0.0) }.map(\.1)
  }
}

/// KERB_TICKET_CACHE_INFO_EX: one ticket of a logon session's cache (KerbQueryTicketCacheMessage
/// fills the same fields but the client's; its `RealmName` is ``serverRealm``). Times are
/// FILETIMEs (100 ns since 1601, UTC), as Windows gives them.
public struct KerberosTicketCacheInfo: Hashable, Sendable {
  public var clientName: String
  public var clientRealm: String
  /// The service, without realm (`krbtgt/EXAMPLE.COM`, `HTTP/web.example.com`).
  public var serverName: String
  public var serverRealm: String
  public var startTime: UInt64
  public var endTime: UInt64
  /// RenewTime: the renew-until time; 0 for a ticket that is not renewable.
  public var renewTime: UInt64
  /// The ticket's encryption type (the service key's: `KerbTicket Encryption Type`), a
  /// Kerberos etype number (18 AES256-CTS-HMAC-SHA1-96, 17 AES128, 23 RC4-HMAC).
  public var encryptionType: Int32
  public var ticketFlags: KerberosTicketFlags
  /// The session key's encryption type (`Session Key Type`).
  public var sessionKeyType: Int32
}

/// KERB_EXTERNAL_TICKET: a ticket with its session key and encoding (KerbRetrieveTicketMessage,
/// KerbRetrieveEncodedTicketMessage).
public struct KerberosExternalTicket: Hashable, Sendable {
  /// KERB_EXTERNAL_NAME: a name type (KRB_NT_*) and the name's components.
  public struct Name: Hashable, Sendable {
    public var nameType: Int32
    public var names: [String]
  }
  public var serviceName: Name
  /// The name the caller asked for (the SPN of KerbRetrieveEncodedTicketMessage).
  public var targetName: Name
  public var clientName: Name
  /// The service's realm.
  public var domainName: String
  public var targetDomainName: String
  /// The client's realm.
  public var altTargetDomainName: String
  public var sessionKeyType: Int32
  /// The session key; empty for a ticket-granting ticket (Windows gives it only when the
  /// AllowTgtSessionKey policy is set, which this host does not have).
  public var sessionKey: [UInt8]
  public var ticketFlags: KerberosTicketFlags
  public var keyExpirationTime: UInt64
  public var startTime: UInt64
  public var endTime: UInt64
  public var renewUntil: UInt64
  /// TimeSkew: MIT keeps the KDC offset in the context, not per ticket: 0.
  public var timeSkew: Int64
  /// The ASN.1 DER Ticket (RFC 4120 5.3).
  public var encodedTicket: [UInt8]
}

/// The caller's MIT Kerberos credential cache (`KRB5CCNAME`, else the default), read and written
/// through MIT's ccache API: what LsaCallAuthenticationPackage's Kerberos messages act on.
final class KerberosTicketCache {
  let context: krb5_context
  let cache: krb5_ccache

  init(name: String? = nil) throws(NTSecurityError) {
    var context: krb5_context?
    guard krb5_init_context(&context) == 0, let context else {
      throw NTSecurityError(.invalidParameter, "Kerberos: krb5_init_context failed (krb5.conf?)")
    }
    var cache: krb5_ccache?
    let code = name.map { krb5_cc_resolve(context, $0, &cache) } ?? krb5_cc_default(context, &cache)
    guard code == 0, let cache else {
      krb5_free_context(context)
      throw NTSecurityError(.invalidParameter, "Kerberos: no credential cache \(name ?? "(default)")")
    }
    (self.context, self.cache) = (context, cache)
  }

  deinit {
    krb5_cc_close(context, cache)
    krb5_free_context(context)
  }

  /// The cache's name (`FILE:/tmp/krb5cc_0`).
  var name: String {
    let type = krb5_cc_get_type(context, cache).map { String(cString: $0) } ?? "FILE"
    let residual = krb5_cc_get_name(context, cache).map { String(cString: $0) } ?? ""
    return "\(type):\(residual)"
  }

  /// The cache's client principal; nil when the cache does not exist or is not initialised.
  func clientPrincipal() -> krb5_principal? {
    var principal: krb5_principal?
    return krb5_cc_get_principal(context, cache, &principal) == 0 ? principal : nil
  }

  /// Every ticket (configuration entries left out); none when there is no cache.
  func tickets() -> [KerberosTicketCacheInfo] {
    var result: [KerberosTicketCacheInfo] = []
    forEachCredential { creds in result.append(info(creds)) }
    return result
  }

  /// Calls `body` with each real ticket of the cache.
  func forEachCredential(_ body: (inout krb5_creds) -> Void) {
    var cursor: krb5_cc_cursor?
    guard krb5_cc_start_seq_get(context, cache, &cursor) == 0 else { return }
    defer { krb5_cc_end_seq_get(context, cache, &cursor) }
    var creds = krb5_creds()
    while krb5_cc_next_cred(context, cache, &cursor, &creds) == 0 {
      if krb5_is_config_principal(context, creds.server) == 0 { body(&creds) }
      krb5_free_cred_contents(context, &creds)
    }
  }

  func info(_ creds: krb5_creds) -> KerberosTicketCacheInfo {
    KerberosTicketCacheInfo(
      clientName: text(creds.client, realm: false), clientRealm: realm(creds.client),
      serverName: text(creds.server, realm: false), serverRealm: realm(creds.server),
      startTime: Self.fileTime(creds.times.starttime != 0 ? creds.times.starttime : creds.times.authtime),
      endTime: Self.fileTime(creds.times.endtime),
      renewTime: creds.times.renew_till == 0 ? 0 : Self.fileTime(creds.times.renew_till),
      encryptionType: ticketEncryptionType(creds),
      ticketFlags: KerberosTicketFlags(rawValue: UInt32(bitPattern: creds.ticket_flags)),
      sessionKeyType: creds.keyblock.enctype)
  }

  /// The etype of the ticket's encrypted part (the service key's), read from the ticket itself.
  func ticketEncryptionType(_ creds: krb5_creds) -> Int32 {
    var ticket: UnsafeMutablePointer<krb5_ticket>?
    var data = creds.ticket
    guard krb5_decode_ticket(&data, &ticket) == 0, let ticket else { return 0 }
    defer { krb5_free_ticket(context, ticket) }
    return ticket.pointee.enc_part.enctype
  }

  func external(_ creds: krb5_creds, target: String?) -> KerberosExternalTicket {
    let isTGT = components(creds.server).first == "krbtgt"
    let key =
      isTGT || creds.keyblock.contents == nil
      ? [] : Array(UnsafeBufferPointer(start: creds.keyblock.contents, count: Int(creds.keyblock.length)))
    let service = name(creds.server)
    let ticket =
      creds.ticket.data.map { pointer in
        Array(
          UnsafeRawBufferPointer(start: pointer, count: Int(creds.ticket.length)).bindMemory(to: UInt8.self))
      } ?? []
    return KerberosExternalTicket(
      serviceName: service,
      targetName: target.map {
        KerberosExternalTicket.Name(nameType: 2, names: $0.split(separator: "/").map(String.init))
      }
        ?? service,
      clientName: name(creds.client), domainName: realm(creds.server), targetDomainName: realm(creds.server),
      altTargetDomainName: realm(creds.client), sessionKeyType: creds.keyblock.enctype, sessionKey: key,
      ticketFlags: KerberosTicketFlags(rawValue: UInt32(bitPattern: creds.ticket_flags)),
      keyExpirationTime: Self.fileTime(creds.times.endtime),
      startTime: Self.fileTime(creds.times.starttime != 0 ? creds.times.starttime : creds.times.authtime),
      endTime: Self.fileTime(creds.times.endtime),
      renewUntil: creds.times.renew_till == 0 ? 0 : Self.fileTime(creds.times.renew_till), timeSkew: 0,
      encodedTicket: ticket)
  }

  /// The initial ticket-granting ticket (`krbtgt/REALM@REALM` of the client's realm).
  func ticketGrantingTicket() -> KerberosExternalTicket? {
    guard let client = clientPrincipal() else { return nil }
    defer { krb5_free_principal(context, client) }
    let clientRealm = realm(client)
    var found: KerberosExternalTicket?
    forEachCredential { creds in
      if found == nil, components(creds.server) == ["krbtgt", clientRealm], realm(creds.server) == clientRealm
      {
        found = external(creds, target: nil)
      }
    }
    return found
  }

  /// A service ticket for `spn` (`HTTP/web.example.com`, realm: the client's when not named),
  /// from the cache or, unless `cacheOnly`, from the KDC (then stored in the cache).
  func serviceTicket(_ spn: String, cacheOnly: Bool) throws(NTSecurityError) -> KerberosExternalTicket {
    guard let client = clientPrincipal() else {
      throw NTSecurityError(Self.noCredentials, "the credential cache \(name) holds no tickets")
    }
    defer { krb5_free_principal(context, client) }
    let full = spn.contains("@") ? spn : "\(spn)@\(realm(client))"
    var server: krb5_principal?
    guard krb5_parse_name(context, full, &server) == 0, let server else {
      throw NTSecurityError(.invalidParameter, "not a Kerberos principal name: \(spn)")
    }
    defer { krb5_free_principal(context, server) }
    var request = krb5_creds()
    request.client = client
    request.server = server
    var reply: UnsafeMutablePointer<krb5_creds>?
    let code = krb5_get_credentials(context, cacheOnly ? KRB5_GC_CACHED : 0, cache, &request, &reply)
    guard code == 0, let reply else {
      throw Self.error(code, context: context, doing: "getting a ticket for \(spn)")
    }
    defer { krb5_free_creds(context, reply) }
    return external(reply.pointee, target: spn)
  }

  /// KerbPurgeTicketCacheMessage: removes the tickets of `server` (`service/host`, optionally
  /// in `realm`), or every ticket when `server` is nil; the cache keeps its client principal.
  /// Returns how many were removed.
  @discardableResult
  func purge(server: String? = nil, realm serverRealm: String? = nil) throws(NTSecurityError) -> Int {
    guard let client = clientPrincipal() else { return 0 }
    defer { krb5_free_principal(context, client) }
    var keep: [krb5_creds] = []
    var removed = 0
    var cursor: krb5_cc_cursor?
    if krb5_cc_start_seq_get(context, cache, &cursor) == 0 {
      var creds = krb5_creds()
      while krb5_cc_next_cred(context, cache, &cursor, &creds) == 0 {
        let matches =
          krb5_is_config_principal(context, creds.server) == 0
          && (server.map { text(creds.server, realm: false).caseInsensitiveCompare($0) == .orderedSame }
            ?? true)
          && (serverRealm.map { realm(creds.server).caseInsensitiveCompare($0) == .orderedSame } ?? true)
        if matches {
          removed += 1
          krb5_free_cred_contents(context, &creds)
        } else {
          keep.append(creds)
        }
      }
      krb5_cc_end_seq_get(context, cache, &cursor)
    }
    defer { for i in keep.indices { krb5_free_cred_contents(context, &keep[i]) } }
    let code = krb5_cc_initialize(context, cache, client)
    guard code == 0 else { throw Self.error(code, context: context, doing: "purging \(name)") }
    for i in keep.indices { _ = krb5_cc_store_cred(context, cache, &keep[i]) }
    return removed
  }

  // MARK: names and times

  func components(_ principal: krb5_principal?) -> [String] {
    guard let principal else { return [] }
    let p = principal.pointee
    return (0..<Int(p.length)).map { i in
      let d = p.data[i]
      guard let bytes = d.data else { return "" }
      return String(decoding: UnsafeRawBufferPointer(start: bytes, count: Int(d.length)), as: UTF8.self)
    }
  }

  func realm(_ principal: krb5_principal?) -> String {
    guard let principal, let bytes = principal.pointee.realm.data else { return "" }
    return String(
      decoding: UnsafeRawBufferPointer(start: bytes, count: Int(principal.pointee.realm.length)),
      as: UTF8.self)
  }

  func name(_ principal: krb5_principal?) -> KerberosExternalTicket.Name {
    KerberosExternalTicket.Name(nameType: principal?.pointee.type ?? 0, names: components(principal))
  }

  func text(_ principal: krb5_principal?, realm: Bool) -> String {
    var out: UnsafeMutablePointer<CChar>?
    guard krb5_unparse_name_flags(context, principal, realm ? 0 : KRB5_PRINCIPAL_UNPARSE_NO_REALM, &out) == 0,
      let out
    else { return "" }
    defer { krb5_free_unparsed_name(context, out) }
    return String(cString: out)
  }

  /// A Kerberos time (seconds since 1970) as a FILETIME.
  static func fileTime(_ time: krb5_timestamp) -> UInt64 {
    UInt64(max(0, Int64(UInt32(bitPattern: time)) + 11_644_473_600)) * 10_000_000
  }

  static let noCredentials = WindowsError(rawValue: 0x8009_030E)  // SEC_E_NO_CREDENTIALS

  /// A krb5 error as the SSPI status Windows' Kerberos package gives for it.
  static func error(_ code: krb5_error_code, context: krb5_context, doing: String) -> NTSecurityError {
    let message =
      krb5_get_error_message(context, code).map { text in
        defer { krb5_free_error_message(context, text) }
        return String(cString: text)
      } ?? "krb5 error \(code)"
    let status: UInt32 =
      switch Int(code) {
      case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN: 0x8009_0303  // SEC_E_TARGET_UNKNOWN
      case KRB5_KDC_UNREACH: 0x8009_0311  // SEC_E_NO_AUTHENTICATING_AUTHORITY
      case KRB5_CC_NOTFOUND, KRB5_FCC_NOFILE: 0x8009_030E  // SEC_E_NO_CREDENTIALS
      default: 0x8009_0304  // SEC_E_INTERNAL_ERROR
      }
    return NTSecurityError(WindowsError(rawValue: status), "Kerberos: \(doing): \(message)")
  }
}
