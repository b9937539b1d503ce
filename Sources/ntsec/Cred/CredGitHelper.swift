import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

/// `ntsec cred git-helper get|store|erase`: git's credential-helper protocol
/// (`git config credential.helper "ntsec cred git-helper"`). Credentials are generic ones
/// named `git:PROTOCOL://HOST[:PORT][/PATH]`, the password kept as UTF-16LE as on Windows. The
/// host is written in its IDNA ASCII form (`IDNA.toASCII`) and a stored credential is used only
/// when its target is exactly that name: git compares hosts exactly, and two hosts DNS tells
/// apart (`github.com`, `gıthub.com`) never share a credential. A host that cannot be converted
/// exactly is refused (the helper answers nothing; store and erase fail).
struct CredGitHelper: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "git-helper", abstract: "git credential helper: get, store or erase, attributes on stdin.")
  @Argument(help: "get, store or erase") var operation: String

  /// The vault target for git's attributes; nil without a protocol and a host. Throws
  /// ERROR_INVALID_PARAMETER for a host that has no exact ASCII form.
  static func target(_ fields: [String: String]) throws(NTSecurityError) -> String? {
    guard let proto = fields["protocol"], let host = fields["host"], !proto.isEmpty, !host.isEmpty else {
      return nil
    }
    guard proto.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x2F && $0 > 0x20 }) else {
      throw NTSecurityError(.invalidParameter, "protocol \"\(proto)\" is not a URL scheme")
    }
    var t = "git:\(proto.lowercased())://\(try asciiHost(host))"
    if let path = fields["path"], !path.isEmpty { t += "/" + path }
    return t
  }

  /// `HOST`, `HOST:PORT` or `[IPv6]:PORT` with the host name in IDNA ASCII form.
  static func asciiHost(_ host: String) throws(NTSecurityError) -> String {
    var name = host
    var port = ""
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else {
        throw NTSecurityError(.invalidParameter, "host \"\(host)\" has no closing ']'")
      }
      let literal = host[host.index(after: host.startIndex)..<close].lowercased()
      guard !literal.isEmpty,
        literal.utf8.allSatisfy({ IDNA.isASCIIHostCharacter($0) || $0 == 0x3A || $0 == 0x2E })
      else { throw NTSecurityError(.invalidParameter, "host \"\(host)\" is not an IPv6 literal") }
      name = "[" + literal + "]"
      port = String(host[host.index(after: close)...])
    } else if let colon = host.lastIndex(of: ":") {
      port = String(host[colon...])
      name = try IDNA.toASCII(String(host[..<colon]))
    } else {
      name = try IDNA.toASCII(host)
    }
    if !port.isEmpty {
      guard port.hasPrefix(":"), port.count > 1, port.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
      else {
        throw NTSecurityError(.invalidParameter, "host \"\(host)\" has an invalid port")
      }
    }
    return name + port
  }

  func run() throws {
    var fields: [String: String] = [:]
    while let line = readLine(strippingNewline: true), !line.isEmpty {
      guard let eq = line.firstIndex(of: "=") else { continue }
      fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
    }
    if let url = fields["url"], fields["host"] == nil, let u = URLComponents(string: url) {
      fields["protocol"] = u.scheme
      fields["host"] = u.host.map { h in u.port.map { "\(h):\($0)" } ?? h }
      if !u.path.isEmpty { fields["path"] = String(u.path.dropFirst()) }
    }
    guard let target = try CredGitHelper.target(fields) else { return }
    let vault = try openVault()
    /// The stored credential whose target is exactly `target` (CredRead itself ignores case).
    func stored() -> Credential? {
      guard let c = try? vault.read(target: target, type: .generic),
        c.targetName.utf8.elementsEqual(target.utf8)
      else {
        return nil
      }
      return c
    }
    switch operation {
    case "get":
      guard let c = stored() else { return }
      if let user = fields["username"], !user.isEmpty, user != c.userName { return }
      print("username=\(c.userName ?? "")")
      print("password=\(c.credentialBlob.password ?? "")")
    case "store":
      guard let user = fields["username"], let password = fields["password"] else { return }
      var c = Credential(
        type: .generic, targetName: target, userName: user, password: password, persist: .localMachine,
        comment: "git credential")
      defer { c.credentialBlob.clear() }
      try vault.write(c)
    case "erase":
      guard let c = stored() else { return }
      if let user = fields["username"], !user.isEmpty, user != c.userName { return }
      if let password = fields["password"], c.credentialBlob.password != password { return }
      try vault.delete(target: target, type: .generic)
    default:
      break  // git ignores unknown operations, and so do helpers
    }
  }
}
