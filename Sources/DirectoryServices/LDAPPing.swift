import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// The LDAP ping (MS-ADTS 6.3.3): a connectionless LDAP (CLDAP, RFC 1798) search of the rootDSE
/// for the `Netlogon` attribute, over UDP port 389.
enum LDAPPing {
  /// The search request: base "", scope base, filter
  /// `(&(DnsDomain=…)(Host=…)(DomainGuid=…)(NtVer=…))`, attribute `Netlogon`.
  static func request(
    messageID: Int, dnsDomain: String?, host: String?, domainGUID: GUID?, ntVersion: NetlogonVersion
  ) -> [UInt8] {
    func equal(_ attribute: String, _ value: [UInt8]) -> [UInt8] {
      BER.tlv(0xA3, BER.string(attribute) + BER.octets(value))
    }
    var terms: [UInt8] = []
    if let dnsDomain { terms += equal("DnsDomain", Array(dnsDomain.utf8)) }
    if let host { terms += equal("Host", Array(host.utf8)) }
    if let domainGUID { terms += equal("DomainGuid", domainGUID.wireBytes) }
    var version: [UInt8] = []
    version.appendLE(ntVersion.rawValue)
    terms += equal("NtVer", version)
    let search =
      BER.string("") + BER.integer(0, tag: 0x0A) + BER.integer(0, tag: 0x0A) + BER.integer(0)
      + BER.integer(0) + BER.tlv(0x01, [0]) + BER.tlv(0xA0, terms) + BER.tlv(0x30, BER.string("Netlogon"))
    return BER.tlv(0x30, BER.integer(messageID) + BER.tlv(0x63, search))
  }

  /// The `Netlogon` value of the SearchResultEntry answering `messageID` in a CLDAP datagram (the
  /// entry, then SearchResultDone); nil when the datagram has no such entry.
  static func netlogonValue(in datagram: [UInt8], messageID: Int) throws -> [UInt8]? {
    var messages = BER.Reader(datagram)
    while !messages.atEnd {
      let message = try messages.expect(0x30, "LDAPMessage")
      var m = BER.Reader(datagram, message.content)
      let id = try m.integer(try m.expect(0x02, "messageID"), "messageID")
      let op = try m.next("protocolOp")
      guard id == messageID, op.tag == 0x64 else { continue }  // SearchResultEntry
      var entry = BER.Reader(datagram, op.content)
      _ = try entry.expect(0x04, "objectName")
      let attributes = try entry.expect(0x30, "attributes")
      var list = BER.Reader(datagram, attributes.content)
      while !list.atEnd {
        let attribute = try list.expect(0x30, "PartialAttribute")
        var a = BER.Reader(datagram, attribute.content)
        let type = try a.expect(0x04, "attribute type")
        let values = try a.expect(0x31, "attribute values")
        guard String(decoding: datagram[type.content], as: UTF8.self).lowercased() == "netlogon" else {
          continue
        }
        var v = BER.Reader(datagram, values.content)
        return Array(datagram[try v.expect(0x04, "Netlogon value").content])
      }
    }
    return nil
  }

  /// Sends the ping to `address` (a resolved socket address) and waits up to `timeout` seconds
  /// for the answer; nil when none came.
  static func send(
    to address: UnsafePointer<sockaddr>, length: socklen_t, family: Int32, request: [UInt8], messageID: Int,
    timeout: Double
  ) throws -> [UInt8]? {
    let fd = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { throw NTSecurityError(.openFailed, "LDAP ping: socket: errno \(errno)") }
    defer { close(fd) }
    guard connect(fd, address, length) == 0 else {
      throw NTSecurityError(.openFailed, "LDAP ping: connect: errno \(errno)")
    }
    guard Glibc.send(fd, request, request.count, 0) == request.count else { return nil }
    let deadline = Monotonic.now + timeout
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let left = deadline - Monotonic.now
      guard left > 0 else { return nil }
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&p, 1, Monotonic.milliseconds(left))
      if ready < 0 && errno == EINTR { continue }
      guard ready > 0 else { return nil }
      let n = recv(fd, &buffer, buffer.count, 0)
      // ECONNREFUSED: nothing listens on the port (an ICMP answer); no DC here.
      guard n > 0 else { return nil }
      if let value = try? netlogonValue(in: Array(buffer.prefix(n)), messageID: messageID) { return value }
    }
  }
}

/// A monotonic clock in seconds, for time limits.
enum Monotonic {
  static var now: Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// `seconds` as a poll timeout: at least 1 ms (NaN too), at most Int32.max ms.
  static func milliseconds(_ seconds: Double) -> Int32 {
    let ms = (seconds * 1000).rounded(.up)
    guard ms >= 1 else { return 1 }
    return ms < Double(Int32.max) ? Int32(ms) : Int32.max
  }

  /// `seconds` as SO_RCVTIMEO/SO_SNDTIMEO: at least 1 ms (0 would mean no limit), at most
  /// Int32.max seconds.
  static func timeval(_ seconds: Double) -> Glibc.timeval {
    let clamped = seconds >= 0.001 ? min(seconds, Double(Int32.max)) : 0.001
    let whole = clamped.rounded(.down)
    return Glibc.timeval(tv_sec: Int(whole), tv_usec: Int((clamped - whole) * 1e6))
  }
}
