import ArgumentParser
import Foundation
import LocalSecurityAuthority
import NTSecurity
import SSPI

/// `ntsec klist [tickets|purge|get SPN]`: the caller's Kerberos tickets as Windows' `klist`
/// shows them, through LsaCallAuthenticationPackage's Kerberos messages over the MIT credential
/// cache.
struct KlistCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "klist",
    abstract: "List, purge or get Kerberos tickets (as Windows' klist).",
    discussion: """
      The tickets are the caller's MIT credential cache (KRB5CCNAME, else the default; --cache \
      names another), read through LsaCallAuthenticationPackage (KerbQueryTicketCacheExMessage, \
      KerbPurgeTicketCacheMessage, KerbRetrieveEncodedTicketMessage). `tickets` (the default) lists \
      them; `purge` removes them all; `get SPN` gets a service ticket for SPN and lists the cache. \
      Times are local, as Windows prints them; --json gives them as FILETIMEs and Unix seconds.
      """)

  @Argument(help: "tickets, purge or get.") var action: String = "tickets"
  @Argument(help: "The SPN for `get` (HTTP/web.example.com).") var spn: String?
  @Option(help: "The credential cache (FILE:/tmp/krb5cc_1000).") var cache: String?
  @Flag(help: "Print JSON.") var json = false

  func validate() throws {
    switch action {
    case "tickets", "purge": guard spn == nil else { throw ValidationError("\(action) takes no SPN") }
    case "get": guard spn != nil else { throw ValidationError("get needs an SPN") }
    default: throw ValidationError("expected tickets, purge or get SPN, not \(action)")
    }
  }

  func run() throws {
    let lsa = LocalSecurityAuthority.connectUntrusted()
    let kerberos = try call { () throws(NTSecurityError) in
      try LocalSecurityAuthority.lookupAuthenticationPackage(lsa, name: "Kerberos")
    }
    func send(_ message: LocalSecurityAuthority.KerberosMessage) throws
      -> LocalSecurityAuthority.KerberosResponse
    {
      try call { () throws(NTSecurityError) in
        try LocalSecurityAuthority.callAuthenticationPackage(
          lsa, package: kerberos, message: message, cacheName: cache)
      }
    }
    var text = json ? "" : "\nCurrent LogonId is \(Self.logonID)\n"
    var object: [String: Any] = [:]
    switch action {
    case "purge":
      _ = try send(.purgeTicketCache(serverName: nil, realmName: nil))
      text += "\tDeleting all tickets:\n\tTicket(s) purged!\n"
      object["purged"] = true
    case "get":
      let spn = spn ?? ""
      _ = try send(.retrieveEncodedTicket(targetName: spn, cacheOnly: false))
      text += "A ticket to \(spn) has been retrieved successfully.\n"
      object["retrieved"] = spn
      fallthrough
    default:
      guard case .ticketCache(let tickets) = try send(.queryTicketCacheEx) else { break }
      text += "\nCached Tickets: (\(tickets.count))\n"
      for (i, ticket) in tickets.enumerated() { text += "\n" + Self.describe(ticket, index: i) }
      object["cachedTickets"] = tickets.map(Self.jsonObject)
    }
    if json {
      let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(text, terminator: "")
    }
  }

  func call<T>(_ body: () throws(NTSecurityError) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure(code: error.code, message: error.message) }
  }

  static var logonID: String {
    let id = SSPI.callerLogonID ?? LUID(lowPart: 0, highPart: 0)
    return "\(id.highPart):0x\(String(id.lowPart, radix: 16))"
  }

  /// One ticket as Windows' klist prints it.
  static func describe(_ t: KerberosTicketCacheInfo, index: Int) -> String {
    let flags = String(t.ticketFlags.rawValue, radix: 16)
    return """
      #\(index)>\tClient: \(t.clientName) @ \(t.clientRealm)
      \tServer: \(t.serverName) @ \(t.serverRealm)
      \tKerbTicket Encryption Type: \(encryptionTypeName(t.encryptionType))
      \tTicket Flags 0x\(flags) -> \(t.ticketFlags.names.joined(separator: " ")) 
      \tStart Time: \(localTime(t.startTime))
      \tEnd Time:   \(localTime(t.endTime))
      \tRenew Time: \(localTime(t.renewTime))
      \tSession Key Type: \(encryptionTypeName(t.sessionKeyType))

      """
  }

  static func jsonObject(_ t: KerberosTicketCacheInfo) -> [String: Any] {
    [
      "client": t.clientName, "clientRealm": t.clientRealm, "server": t.serverName,
      "serverRealm": t.serverRealm,
      "encryptionType": Int(t.encryptionType), "encryptionTypeName": encryptionTypeName(t.encryptionType),
      "sessionKeyType": Int(t.sessionKeyType), "ticketFlags": Int(t.ticketFlags.rawValue),
      "flags": t.ticketFlags.names, "startTime": Int(t.startTime), "endTime": Int(t.endTime),
      "renewTime": Int(t.renewTime), "startUnixTime": unixTime(t.startTime),
      "endUnixTime": unixTime(t.endTime),
      "renewUnixTime": t.renewTime == 0 ? 0 : unixTime(t.renewTime),
    ]
  }

  static func unixTime(_ fileTime: UInt64) -> Int { Int(fileTime / 10_000_000) - 11_644_473_600 }

  /// `12/8/2026 2:40:00 (local)`, as Windows' klist prints times; 0 for a time that is not there.
  static func localTime(_ fileTime: UInt64) -> String {
    guard fileTime != 0 else { return "0" }
    var seconds = time_t(unixTime(fileTime))
    var parts = tm()
    localtime_r(&seconds, &parts)
    let minute = String(format: "%02d:%02d", parts.tm_min, parts.tm_sec)
    return "\(parts.tm_mon + 1)/\(parts.tm_mday)/\(parts.tm_year + 1900) \(parts.tm_hour):\(minute) (local)"
  }

  /// The encryption type names Windows' klist prints.
  static func encryptionTypeName(_ etype: Int32) -> String {
    switch etype {
    case 1: "DES-CBC-CRC"
    case 3: "DES-CBC-MD5"
    case 17: "AES-128-CTS-HMAC-SHA1-96"
    case 18: "AES-256-CTS-HMAC-SHA1-96"
    case 19: "AES-128-CTS-HMAC-SHA256-128"
    case 20: "AES-256-CTS-HMAC-SHA384-192"
    case 23: "RSADSI RC4-HMAC(NT)"
    case 24: "RSADSI RC4-HMAC(NT)-EXP"
    default: "Unknown (\(etype))"
    }
  }
}
