import GSSAPI
import NTSecurity
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// An LDAP (RFC 4511) connection to a domain controller over TCP port 389, bound with SASL GSSAPI
/// (RFC 4752, Kerberos) and sealed: after the bind every message travels as a GSS wrap token with
/// confidentiality, as Windows' LDAP client does and as a DC requiring strong authentication
/// demands. Owns its socket; every read and write has a time limit.
final class LDAPConnection: Sendable {
  /// A search filter (only what the directory-service calls need).
  indirect enum Filter {
    case equal(String, String)
    case and([Filter])
    case or([Filter])
    case present(String)

    var ber: [UInt8] {
      switch self {
      case .equal(let a, let v): return BER.tlv(0xA3, BER.string(a) + BER.string(v))
      case .and(let terms): return BER.tlv(0xA0, terms.flatMap(\.ber))
      case .or(let terms): return BER.tlv(0xA1, terms.flatMap(\.ber))
      case .present(let a): return BER.octets(Array(a.utf8), tag: 0x87)
      }
    }
  }

  /// One search result entry: its DN and attribute values (attribute names in lower case).
  struct Entry {
    var dn: String
    var attributes: [String: [[UInt8]]]
    func strings(_ name: String) -> [String] {
      (attributes[name.lowercased()] ?? []).map { String(decoding: $0, as: UTF8.self) }
    }
  }

  /// A modification's operation (RFC 4511 4.6).
  enum Operation: Int {
    case add = 0
    case delete = 1
    case replace = 2
  }

  /// An LDAP result that is not success.
  struct ResultError: Error {
    var code: Int
    var diagnostic: String
  }

  private struct State {
    var fd: Int32
    var messageID = 0
    var context: GSSAPI.SecurityContext?
    var pending: [UInt8] = []
  }

  private let state: Mutex<State>
  /// The DC's host name, for error messages.
  let host: String
  let timeout: Double

  /// Connects to `address` (numeric) on `port` (389, or 3268 for the global catalog); reads and
  /// writes give up after `timeout` seconds.
  init(host: String, address: String, port: Int = 389, timeout: Double = 10) throws {
    self.host = host
    self.timeout = timeout
    let fd = try TCPSocket.connect(address: address, port: port, timeout: timeout, what: "LDAP \(host)")
    state = Mutex(State(fd: fd))
  }

  deinit { state.withLock { if $0.fd >= 0 { Glibc.close($0.fd) } } }

  /// Sends an unbind and closes the socket.
  func close() {
    state.withLock { s in
      if s.fd >= 0 {
        s.messageID += 1
        if let frame = try? Self.frame(BER.tlv(0x30, BER.integer(s.messageID) + [0x42, 0x00]), &s) {
          _ = Glibc.send(s.fd, frame, frame.count, Int32(MSG_NOSIGNAL))
        }
        Glibc.close(s.fd)
        s.fd = -1
      }
    }
  }

  // MARK: SASL GSSAPI bind

  /// Binds with Kerberos (the caller's default credentials) to `ldap@HOST`, then negotiates the
  /// confidentiality layer: from then on every message is sealed.
  func bindGSSAPI() throws {
    let target: GSSAPI.Name
    do { target = try GSSAPI.importName("ldap@\(host)", type: GSSAPI.NameType.hostbasedService) } catch {
      throw NTSecurityError(.invalidParameter, "LDAP \(host): service name: \(error)")
    }
    var context: GSSAPI.SecurityContext?
    var input: [UInt8]?
    var established = false
    var serverToken: [UInt8] = []
    for _ in 0..<8 {
      var output: [UInt8] = []
      if !established {
        let step: GSSAPI.InitSecContextResult
        do {
          step = try GSSAPI.initSecurityContext(
            target: target, context: context, mechanism: GSSAPI.MechanismType.kerberos,
            flags: [.mutualAuthentication, .integrity, .confidentiality, .outOfSequenceDetection],
            inputToken: input)
        } catch {
          throw NTSecurityError(.accessDenied, "LDAP \(host): Kerberos for ldap/\(host) failed: \(error)")
        }
        context = step.context
        output = step.token ?? []
        established = !step.moreSteps
      }
      let (code, diagnostic, credentials) = try sendBind(output)
      if code == 0 { break }
      guard code == 14 else {  // saslBindInProgress
        throw NTSecurityError(.accessDenied, "LDAP \(host): bind refused: result \(code) \(diagnostic)")
      }
      if established, !credentials.isEmpty, let context {
        serverToken = credentials
        // RFC 4752 3.1: the server's security-layer offer, then the client's choice.
        let offer: [UInt8]
        do { offer = try GSSAPI.unwrap(context, message: serverToken).message } catch {
          throw NTSecurityError(.accessDenied, "LDAP \(host): unwrapping the layer offer failed: \(error)")
        }
        guard offer.count >= 4, offer[0] & 0x04 != 0 else {
          throw NTSecurityError(.accessDenied, "LDAP \(host): the DC offers no confidentiality layer")
        }
        let choice: [UInt8] = [0x04, 0x00, 0x10, 0x00]  // confidentiality, 4096-byte messages
        let reply: [UInt8]
        do { reply = try GSSAPI.wrap(context, message: choice, confidential: false).message } catch {
          throw NTSecurityError(.accessDenied, "LDAP \(host): wrapping the layer choice failed: \(error)")
        }
        let (last, text, _) = try sendBind(reply)
        guard last == 0 else {
          throw NTSecurityError(.accessDenied, "LDAP \(host): bind refused: result \(last) \(text)")
        }
        state.withLock { $0.context = context }
        return
      }
      input = credentials
    }
    throw NTSecurityError(.accessDenied, "LDAP \(host): the SASL GSSAPI bind did not complete")
  }

  /// One SASL bind request; the result code, diagnostic and server credentials.
  private func sendBind(_ credentials: [UInt8]) throws -> (Int, String, [UInt8]) {
    let sasl = BER.tlv(0xA3, BER.string("GSSAPI") + BER.octets(credentials))
    let (id, response) = try exchange(BER.tlv(0x60, BER.integer(3) + BER.string("") + sasl))
    let op = try single(response, id: id, tag: 0x61, what: "BindResponse")
    var r = BER.Reader(response, op.content)
    let (code, diagnostic) = try Self.result(&r, response)
    var server: [UInt8] = []
    while !r.atEnd {
      let e = try r.next("BindResponse field")
      if e.tag == 0x87 { server = Array(response[e.content]) }
    }
    return (code, diagnostic, server)
  }

  // MARK: Operations

  /// A search; entries (referrals skipped) or the LDAP result as a ResultError.
  func search(base: String, scope: Int, filter: Filter, attributes: [String]) throws -> [Entry] {
    let request =
      BER.string(base) + BER.integer(scope, tag: 0x0A) + BER.integer(0, tag: 0x0A) + BER.integer(0)
      + BER.integer((Int(Monotonic.milliseconds(timeout)) + 999) / 1000) + BER.tlv(0x01, [0]) + filter.ber
      + BER.tlv(0x30, attributes.flatMap { BER.string($0) })
    let id = try send(BER.tlv(0x63, request))
    let deadline = Monotonic.now + Self.operationTime(timeout)
    var entries: [Entry] = []
    while true {
      let message = try receive(until: deadline)
      var m = BER.Reader(message)
      let body = try m.expect(0x30, "LDAPMessage")
      var b = BER.Reader(message, body.content)
      guard try b.integer(try b.expect(0x02, "messageID"), "messageID") == id else { continue }
      let op = try b.next("protocolOp")
      var r = BER.Reader(message, op.content)
      switch op.tag {
      case 0x64:
        let dn = String(decoding: message[try r.expect(0x04, "objectName").content], as: UTF8.self)
        var attrs: [String: [[UInt8]]] = [:]
        var list = BER.Reader(message, try r.expect(0x30, "attributes").content)
        while !list.atEnd {
          var a = BER.Reader(message, try list.expect(0x30, "attribute").content)
          let name = String(decoding: message[try a.expect(0x04, "type").content], as: UTF8.self).lowercased()
          var values = BER.Reader(message, try a.expect(0x31, "values").content)
          while !values.atEnd {
            attrs[name, default: []].append(Array(message[try values.expect(0x04, "value").content]))
          }
        }
        entries.append(Entry(dn: dn, attributes: attrs))
      case 0x65:
        let (code, diagnostic) = try Self.result(&r, message)
        guard code == 0 else { throw ResultError(code: code, diagnostic: diagnostic) }
        return entries
      default: continue  // SearchResultReference
      }
    }
  }

  /// A modify of one attribute; throws ResultError for a non-success result.
  func modify(_ dn: String, _ operation: Operation, attribute: String, values: [String]) throws {
    let change = BER.tlv(
      0x30,
      BER.integer(operation.rawValue, tag: 0x0A)
        + BER.tlv(0x30, BER.string(attribute) + BER.tlv(0x31, values.flatMap { BER.string($0) })))
    let (id, response) = try exchange(BER.tlv(0x66, BER.string(dn) + BER.tlv(0x30, change)))
    let op = try single(response, id: id, tag: 0x67, what: "ModifyResponse")
    var r = BER.Reader(response, op.content)
    let (code, diagnostic) = try Self.result(&r, response)
    guard code == 0 else { throw ResultError(code: code, diagnostic: diagnostic) }
  }

  // MARK: Framing

  private static func result(_ r: inout BER.Reader, _ bytes: [UInt8]) throws -> (Int, String) {
    let code = try r.integer(try r.expect(0x0A, "resultCode"), "resultCode")
    _ = try r.expect(0x04, "matchedDN")
    let diagnostic = String(decoding: bytes[try r.expect(0x04, "diagnosticMessage").content], as: UTF8.self)
    return (code, diagnostic)
  }

  private func single(_ message: [UInt8], id: Int, tag: UInt8, what: String) throws -> BER.Element {
    var m = BER.Reader(message)
    let body = try m.expect(0x30, "LDAPMessage")
    var b = BER.Reader(message, body.content)
    let got = try b.integer(try b.expect(0x02, "messageID"), "messageID")
    guard got == id else {
      throw NTSecurityError(.invalidData, "LDAP \(host): \(what) for message \(got), not \(id)")
    }
    return try b.expect(tag, what)
  }

  private func exchange(_ op: [UInt8]) throws -> (Int, [UInt8]) {
    let id = try send(op)
    return (id, try receive(until: Monotonic.now + Self.operationTime(timeout)))
  }

  /// Sends one LDAPMessage (sealed once the bind set up the layer); returns its message ID.
  private func send(_ op: [UInt8]) throws -> Int {
    try state.withLock { s in
      s.messageID += 1
      let frame = try Self.frame(BER.tlv(0x30, BER.integer(s.messageID) + op), &s)
      var sent = 0
      while sent < frame.count {
        let n = frame.withUnsafeBytes {
          Glibc.send(s.fd, $0.baseAddress! + sent, frame.count - sent, Int32(MSG_NOSIGNAL))
        }
        guard n > 0 else { throw NTSecurityError(.writeFault, "LDAP \(host): send failed (errno \(errno))") }
        sent += n
      }
      return s.messageID
    }
  }

  private static func frame(_ message: [UInt8], _ s: inout State) throws -> [UInt8] {
    guard let context = s.context else { return message }
    let sealed: [UInt8]
    do { sealed = try GSSAPI.wrap(context, message: message, confidential: true).message } catch {
      throw NTSecurityError(.writeFault, "LDAP: sealing failed: \(error)")
    }
    let n = UInt32(sealed.count)
    return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + sealed
  }

  /// The largest LDAPMessage (and sealed frame) accepted: 16 MiB.
  static let messageCap = 16 << 20

  /// How long one operation (a bind step, a whole search) may take: ten times the per-read
  /// limit, at least 10 s, at most an hour.
  static func operationTime(_ timeout: Double) -> Double {
    timeout.isNaN ? 10 : min(max(timeout * 10, 10), 3600)
  }

  /// The next complete LDAPMessage: from the unsealed buffer, reading (and unsealing) frames,
  /// until `deadline` (Monotonic seconds).
  private func receive(until deadline: Double) throws -> [UInt8] {
    try state.withLock { s in
      while true {
        if let length = try Self.messageLength(s.pending, host: host), s.pending.count >= length {
          defer { s.pending.removeFirst(length) }
          return Array(s.pending.prefix(length))
        }
        guard Monotonic.now < deadline else {
          throw NTSecurityError(.readFault, "LDAP \(host): the operation did not end in time")
        }
        if let context = s.context {
          let header = try readExactly(s.fd, 4)
          let n = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
          guard n > 0, n <= Self.messageCap else {
            throw NTSecurityError(.invalidData, "LDAP \(host): sealed frame of \(n) bytes")
          }
          let token = try readExactly(s.fd, n)
          do { s.pending += try GSSAPI.unwrap(context, message: token).message } catch {
            throw NTSecurityError(.invalidData, "LDAP \(host): unsealing failed: \(error)")
          }
        } else {
          s.pending += try readSome(s.fd)
        }
      }
    }
  }

  /// The total length of the BER element at the start of `bytes`, when its header is complete;
  /// ERROR_INVALID_DATA when it is over ``messageCap``.
  static func messageLength(_ bytes: [UInt8], host: String) throws(NTSecurityError) -> Int? {
    guard bytes.count >= 2 else { return nil }
    let first = Int(bytes[1])
    if first < 0x80 { return 2 + first }
    let count = first & 0x7F
    guard count >= 1, count <= 4, bytes.count >= 2 + count else { return count == 0 || count > 4 ? 0 : nil }
    var n = 0
    for i in 0..<count { n = n << 8 | Int(bytes[2 + i]) }
    guard 2 + count + n <= messageCap else {
      throw NTSecurityError(
        .invalidData, "LDAP \(host): message of \(2 + count + n) bytes (the cap is \(messageCap))")
    }
    return 2 + count + n
  }

  private func readSome(_ fd: Int32) throws -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 65536)
    let n = recv(fd, &buffer, buffer.count, 0)
    guard n > 0 else {
      throw NTSecurityError(.readFault, "LDAP \(host): the connection closed or timed out (errno \(errno))")
    }
    return Array(buffer.prefix(n))
  }

  private func readExactly(_ fd: Int32, _ count: Int) throws -> [UInt8] {
    try TCPSocket.readExactly(fd, count, what: "LDAP \(host)")
  }
}
