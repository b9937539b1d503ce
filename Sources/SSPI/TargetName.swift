import GSSAPI

extension SSPI {
  /// A target name as Windows programs write it for InitializeSecurityContext:
  ///
  /// - an SPN, `service/host`, `service/host:port` or `service/host:port/name` (`HTTP/web.example.com`,
  ///   `host/server`, `MSSQLSvc/db:1433`): the host-based service `service@host` (the port and
  ///   service name are not part of a Kerberos principal's lookup here);
  /// - an SPN with a realm, `service/host@REALM`, and a user principal, `user@REALM`: that Kerberos
  ///   principal (user-to-user style targets);
  /// - any other single word: a principal in the default realm.
  ///
  /// `isIPAddress` tells Negotiate to use NTLM, as Windows does (there is no SPN for an address).
  public struct TargetName: Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    /// The service class of an SPN (`HTTP`), else nil.
    public let service: String?
    /// The host of an SPN (without port), else nil.
    public let host: String?
    /// The port of an SPN, if it has one.
    public let port: UInt16?
    /// The realm given after `@`, if any.
    public let realm: String?

    public var description: String { text }

    /// Parses a target name; an empty one or an SPN with an empty part is SEC_E_TARGET_UNKNOWN.
    public init(_ text: String) throws(SSPIError) {
      self.text = text
      guard !text.isEmpty else { throw SSPIError(.targetUnknown, "the target name is empty") }
      var body = Substring(text)
      var realm: String?
      if let at = text.lastIndex(of: "@"), text[..<at].contains("/") || !text.contains("/") {
        realm = String(text[text.index(after: at)...])
        body = text[..<at]
        guard !realm!.isEmpty, !body.isEmpty else {
          throw SSPIError(.targetUnknown, "target \"\(text)\": empty name or realm around '@'")
        }
      }
      self.realm = realm
      guard let slash = body.firstIndex(of: "/") else {
        service = nil
        host = nil
        port = nil
        return
      }
      let service = body[..<slash]
      var rest = body[body.index(after: slash)...]
      // An SPN's optional trailing service name: `class/host:port/name`.
      if !rest.hasPrefix("["), let second = rest.firstIndex(of: "/") { rest = rest[..<second] }
      var hostPart = rest
      var port: UInt16?
      if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {  // [IPv6]:port
        hostPart = rest[rest.index(after: rest.startIndex)..<close]
        let after = rest[rest.index(after: close)...]
        if after.hasPrefix(":") { port = UInt16(after.dropFirst()) }
      } else if rest.filter({ $0 == ":" }).count == 1, let colon = rest.lastIndex(of: ":") {
        port = UInt16(rest[rest.index(after: colon)...])
        guard port != nil else {
          throw SSPIError(.targetUnknown, "target \"\(text)\": the port is not a number from 0 to 65535")
        }
        hostPart = rest[..<colon]
      }
      guard !service.isEmpty, !hostPart.isEmpty else {
        throw SSPIError(
          .targetUnknown, "target \"\(text)\": an SPN needs a service class and a host (service/host)")
      }
      self.service = String(service)
      host = String(hostPart)
      self.port = port
    }

    /// Whether the host is an IPv4 or IPv6 address.
    public var isIPAddress: Bool {
      guard let host else { return false }
      return Self.isIPv4(host) || Self.isIPv6(host)
    }

    static func isIPv4(_ s: String) -> Bool {
      let parts = s.split(separator: ".", omittingEmptySubsequences: false)
      return parts.count == 4
        && parts.allSatisfy { p in
          !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCIIDigit) && Int(p)! <= 255
        }
    }

    static func isIPv6(_ s: String) -> Bool {
      guard s.contains(":"), s.filter({ $0 == ":" }).count >= 2 else { return false }
      let body = s.split(separator: "%", maxSplits: 1).first.map(String.init) ?? s  // zone id
      let groups = body.split(separator: ":", omittingEmptySubsequences: false)
      guard groups.count <= 8 else { return false }
      for (i, g) in groups.enumerated() where !g.isEmpty {
        if i == groups.count - 1, g.contains(".") { return isIPv4(String(g)) }
        guard g.count <= 4, g.allSatisfy(\.isHexDigit) else { return false }
      }
      return true
    }

    /// The GSS-API name for this target.
    func gssName(for package: Package) throws(GSSError) -> GSSAPI.Name {
      if let service, let host, realm == nil {
        return try GSSAPI.importName("\(service)@\(host)", type: GSSAPI.NameType.hostbasedService)
      }
      if package == .ntlm { return try GSSAPI.importName(text, type: GSSAPI.NameType.user) }
      return try GSSAPI.importName(text, type: GSSAPI.NameType.kerberosPrincipal)
    }
  }
}

extension SSPI.CredentialsHandle {
  /// `text` parsed and imported for these credentials' package, reusing the last target's.
  func importTarget(_ text: String) throws(SSPIError) -> (SSPI.TargetName, GSSAPI.Name) {
    if let last = state.withLock({ $0.lastTarget }), last.text == text { return (last.target, last.name) }
    let target = try SSPI.TargetName(text)
    let name: GSSAPI.Name
    do { name = try target.gssName(for: package) } catch {
      throw SSPIError(error, during: .initialize, "the target name \"\(text)\" cannot be used")
    }
    state.withLock { $0.lastTarget = (text, target, name) }
    return (target, name)
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
