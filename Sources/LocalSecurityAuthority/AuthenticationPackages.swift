import Foundation
import NTSecurity
import SSPI

extension LocalSecurityAuthority {
  /// A connection to the LSA's authentication packages (the LsaHandle of LsaConnectUntrusted and
  /// LsaRegisterLogonProcess).
  public struct AuthenticationPackageConnection: Hashable, Sendable {
    /// Whether the connection is a registered (trusted) logon process's.
    public let isTrusted: Bool
    /// The logon process name given to LsaRegisterLogonProcess; empty for an untrusted connection.
    public let logonProcessName: String
  }

  /// The packages LsaLookupAuthenticationPackage knows, numbered as a default Windows 10/11
  /// numbers them (the order of its security package list: Negotiate 0, NegoExtender 1,
  /// Kerberos 2, MSV1_0 3).
  public enum AuthenticationPackage: UInt32, Hashable, Sendable, CaseIterable {
    case negotiate = 0
    case kerberos = 2
    case msv1_0 = 3

    /// The names LsaLookupAuthenticationPackage accepts for the package (compared without case).
    public var names: [String] {
      switch self {
      case .negotiate: ["Negotiate"]
      case .kerberos: ["Kerberos"]
      case .msv1_0: ["MICROSOFT_AUTHENTICATION_PACKAGE_V1_0", "NTLM"]
      }
    }
  }

  /// STATUS_NO_SUCH_PACKAGE as LsaNtStatusToWinError converts it: ERROR_NO_SUCH_PACKAGE.
  static let noSuchPackage = WindowsError(rawValue: 1364)
  /// STATUS_NAME_TOO_LONG → ERROR_FILENAME_EXCED_RANGE.
  static let nameTooLong = WindowsError(rawValue: 206)

  /// LsaConnectUntrusted: a connection any caller may have; it can look packages up and call
  /// them (on the caller's own logon session), not log users on.
  public static func connectUntrusted() -> AuthenticationPackageConnection {
    AuthenticationPackageConnection(isTrusted: false, logonProcessName: "")
  }

  /// LsaRegisterLogonProcess: a trusted connection, for callers holding SeTcbPrivilege
  /// (CAP_SYS_ADMIN effective); others get `ERROR_PRIVILEGE_NOT_HELD`
  /// (STATUS_PORT_CONNECTION_REFUSED on Windows, which LsaNtStatusToWinError turns into
  /// ERROR_ACCESS_DENIED; the privilege error says why). The name is at most 127 bytes.
  public static func registerLogonProcess(_ name: String, configuration: Configuration = .current)
    throws(NTSecurityError) -> AuthenticationPackageConnection
  {
    guard name.utf8.count <= 127 else {
      throw NTSecurityError(nameTooLong, "LsaRegisterLogonProcess: the name is over 127 bytes")
    }
    let caller = try callerToken(AccountDatabase(configuration))
    guard
      caller.privileges.contains(where: { $0.luid == Privilege.tcb.luid && $0.attributes.contains(.enabled) })
    else {
      throw NTSecurityError(
        .privilegeNotHeld, "LsaRegisterLogonProcess needs SeTcbPrivilege (CAP_SYS_ADMIN): connection refused")
    }
    return AuthenticationPackageConnection(isTrusted: true, logonProcessName: name)
  }

  /// LsaDeregisterLogonProcess (and LsaClose of a connection): nothing is held on this side, so
  /// this only marks the end of the connection's use.
  public static func deregisterLogonProcess(_ connection: AuthenticationPackageConnection) {}

  /// LsaLookupAuthenticationPackage: the package id of "Kerberos", "Negotiate",
  /// "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0" or "NTLM" (any case); `ERROR_NO_SUCH_PACKAGE` for
  /// others, ERROR_FILENAME_EXCED_RANGE (STATUS_NAME_TOO_LONG) over 127 bytes.
  public static func lookupAuthenticationPackage(
    _ connection: AuthenticationPackageConnection, name: String
  ) throws(NTSecurityError) -> UInt32 {
    guard name.utf8.count <= 127 else {
      throw NTSecurityError(nameTooLong, "LsaLookupAuthenticationPackage: the name is over 127 bytes")
    }
    for package in AuthenticationPackage.allCases
    where package.names.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
      return package.rawValue
    }
    throw NTSecurityError(noSuchPackage, "LsaLookupAuthenticationPackage: no package is named \(name)")
  }

  /// KERB_PROTOCOL_MESSAGE_TYPE: the Kerberos messages LsaCallAuthenticationPackage takes here.
  public enum KerberosMessage: Hashable, Sendable {
    /// KerbQueryTicketCacheMessage (1).
    case queryTicketCache
    /// KerbRetrieveTicketMessage (4): the ticket-granting ticket.
    case retrieveTicket
    /// KerbPurgeTicketCacheMessage (6): the tickets of `serverName` in `realmName` (both nil:
    /// every ticket).
    case purgeTicketCache(serverName: String?, realmName: String?)
    /// KerbRetrieveEncodedTicketMessage (8): a service ticket for the SPN `targetName`;
    /// `cacheOnly` is KERB_RETRIEVE_TICKET_USE_CACHE_ONLY.
    case retrieveEncodedTicket(targetName: String, cacheOnly: Bool)
    /// KerbQueryTicketCacheExMessage (14).
    case queryTicketCacheEx

    /// The KERB_PROTOCOL_MESSAGE_TYPE number.
    public var messageType: UInt32 {
      switch self {
      case .queryTicketCache: 1
      case .retrieveTicket: 4
      case .purgeTicketCache: 6
      case .retrieveEncodedTicket: 8
      case .queryTicketCacheEx: 14
      }
    }
  }

  /// What a Kerberos message returns (the KERB_*_RESPONSE).
  public enum KerberosResponse: Hashable, Sendable {
    /// KERB_QUERY_TKT_CACHE_(EX_)RESPONSE: the cached tickets.
    case ticketCache([KerberosTicketCacheInfo])
    /// KERB_RETRIEVE_TKT_RESPONSE: one ticket.
    case ticket(KerberosExternalTicket)
    /// KerbPurgeTicketCacheMessage has no response buffer.
    case purged
  }

  /// LsaCallAuthenticationPackage with a Kerberos message, over the caller's MIT credential
  /// cache (`KRB5CCNAME`, else the default; `cacheName` names another). `logonID` nil or zero is
  /// the caller's own logon session; a logon session this process made with domain credentials
  /// (LOGON32_LOGON_NEW_CREDENTIALS) is its in-memory cache; another one needs SeTcbPrivilege
  /// (`ERROR_PRIVILEGE_NOT_HELD`) and then is `ERROR_NO_SUCH_LOGON_SESSION` (no other session's
  /// cache is known). Package ids other than Kerberos' (2) are `ERROR_NO_SUCH_PACKAGE`
  /// (Negotiate and MSV1_0 take none of these messages). Failures of the KDC exchange carry the
  /// SSPI status Windows' package puts in ProtocolStatus (SEC_E_TARGET_UNKNOWN,
  /// SEC_E_NO_CREDENTIALS, SEC_E_NO_AUTHENTICATING_AUTHORITY).
  public static func callAuthenticationPackage(
    _ connection: AuthenticationPackageConnection, package: UInt32, message: KerberosMessage,
    logonID: LUID? = nil, cacheName: String? = nil, configuration: Configuration = .current
  ) throws(NTSecurityError) -> KerberosResponse {
    guard package == AuthenticationPackage.kerberos.rawValue else {
      throw NTSecurityError(noSuchPackage, "package \(package) takes no Kerberos message")
    }
    var cacheName = cacheName
    if let logonID, let own = SSPI.logonSessionCredentials(logonID) {
      cacheName = own  // a logon session of this process (LOGON32_LOGON_NEW_CREDENTIALS)
    } else if let logonID, logonID != LUID(lowPart: 0, highPart: 0) {
      let caller = try callerToken(AccountDatabase(configuration))
      guard
        caller.privileges.contains(where: {
          $0.luid == Privilege.tcb.luid && $0.attributes.contains(.enabled)
        })
      else {
        throw NTSecurityError(.privilegeNotHeld, "another logon session's tickets need SeTcbPrivilege")
      }
      throw NTSecurityError(.noSuchLogonSession, "no credential cache is known for logon session \(logonID)")
    }
    let cache = try KerberosTicketCache(name: cacheName)
    switch message {
    case .queryTicketCache:
      return .ticketCache(
        cache.tickets().map {
          var info = $0
          (info.clientName, info.clientRealm) = ("", "")
          return info
        })
    case .queryTicketCacheEx:
      return .ticketCache(cache.tickets())
    case .retrieveTicket:
      guard let ticket = cache.ticketGrantingTicket() else {
        throw NTSecurityError(
          KerberosTicketCache.noCredentials, "the credential cache \(cache.name) has no TGT")
      }
      return .ticket(ticket)
    case .retrieveEncodedTicket(let target, let cacheOnly):
      return .ticket(try cache.serviceTicket(target, cacheOnly: cacheOnly))
    case .purgeTicketCache(let server, let realm):
      try cache.purge(server: server, realm: realm)
      return .purged
    }
  }
}
