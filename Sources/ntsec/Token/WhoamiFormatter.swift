import NTSecurity

/// Formats an access token the way Windows' `whoami` prints the current token: USER INFORMATION,
/// GROUP INFORMATION (Group Name, Type, SID, Attributes with whoami's attribute words),
/// PRIVILEGES INFORMATION (Privilege Name, Description, State) and USER CLAIMS INFORMATION.
///
/// Names come from `names` (an LSA lookup's result, or what a PAC tells), then from the
/// well-known account names; a SID nobody names is shown as its string. The Type column follows
/// the SID's kind (`Well-known group`, `Alias`, `Group`, `Label`, `Logon ID`), as LookupAccountSid
/// would classify it. The user name is lower-cased, as whoami prints it.
struct WhoamiFormatter {
  /// Table (`/FO TABLE`, the default) or comma-separated values (`/FO CSV`).
  enum Format: String, CaseIterable { case table, csv }

  /// Which sections to print, in whoami's order.
  struct Sections: OptionSet {
    let rawValue: Int
    static let user = Sections(rawValue: 1)
    static let groups = Sections(rawValue: 2)
    static let privileges = Sections(rawValue: 4)
    static let claims = Sections(rawValue: 8)
    static let all: Sections = [.user, .groups, .privileges, .claims]
  }

  var names: [SID: String] = [:]
  var format: Format = .table
  /// `/NH`: no column headers.
  var noHeader = false

  /// `whoami /all` (or the chosen sections).
  func render(_ token: AccessToken, sections: Sections = .all) -> String {
    var parts = [String]()
    if sections.contains(.user) {
      parts.append(
        section("USER INFORMATION", ["User Name", "SID"], [[userName(token), token.user.sid.description]]))
    }
    if sections.contains(.groups) {
      let rows = token.groups.map { g in
        [
          name(g.sid, token), WhoamiFormatter.type(of: g), g.sid.description,
          WhoamiFormatter.attributeWords(g),
        ]
      }
      parts.append(section("GROUP INFORMATION", ["Group Name", "Type", "SID", "Attributes"], rows))
    }
    if sections.contains(.privileges) {
      let rows = token.privileges.map { p in
        [
          p.privilege?.name ?? p.luid.description, p.privilege?.displayName ?? "",
          p.attributes.contains(.enabled) ? "Enabled" : "Disabled",
        ]
      }
      parts.append(section("PRIVILEGES INFORMATION", ["Privilege Name", "Description", "State"], rows))
    }
    if sections.contains(.claims) {
      if token.userClaims.isEmpty {
        parts.append(
          heading("USER CLAIMS INFORMATION") + "User claims unknown.\n\n"
            + "Kerberos support for Dynamic Access Control on this device has been disabled.\n")
      } else {
        let rows = token.userClaims.map {
          [$0.name, WhoamiFormatter.typeName($0.values), WhoamiFormatter.valueText($0.values)]
        }
        parts.append(section("USER CLAIMS INFORMATION", ["Claim Name", "Type", "Values"], rows))
      }
    }
    return "\n" + parts.joined(separator: "\n\n")
  }

  /// `DOMAIN\user` in lower case, as whoami prints it.
  func userName(_ token: AccessToken) -> String {
    let text = name(token.user.sid, token)
    return text == token.user.sid.description ? text : text.lowercased()
  }

  func name(_ sid: SID, _ token: AccessToken) -> String {
    if let name = names[sid] { return name }
    if let name = sid.wellKnownAccountName(domain: token.user.sid.domain) {
      // Domain-relative well-known names carry no domain prefix; leave them bare like other names.
      return name
    }
    if sid.identifierAuthority == 5, sid.subAuthorityCount == 3, sid[subAuthority: 0] == 5 {
      return "NT AUTHORITY\\LogonSessionId_\(sid[subAuthority: 1])_\(sid[subAuthority: 2])"
    }
    return sid.description
  }

  /// whoami's Type column for a group.
  static func type(of group: SIDAndAttributes) -> String {
    let sid = group.sid
    if group.attributes.contains(.integrity) || sid.identifierAuthority == 16 { return "Label" }
    if group.attributes.contains(.logonID) { return "Logon ID" }
    // Samba's Unix Group domain (S-1-22-2-gid), the groups of a Linux process's token.
    if sid.identifierAuthority == 22, sid.subAuthorityCount == 2, sid[subAuthority: 0] == 2 { return "Group" }
    if sid.identifierAuthority == 5, sid.subAuthorityCount >= 1 {
      switch sid[subAuthority: 0] {
      case 5: return "Logon ID"
      case 32: return "Alias"
      case 21 where sid.subAuthorityCount > 4 && sid[subAuthority: 1] != 0:
        return group.attributes.contains(.resource) ? "Alias" : "Group"
      default: break
      }
    }
    return "Well-known group"
  }

  /// whoami's Attributes words, in its order; the integrity label shows none.
  static func attributeWords(_ group: SIDAndAttributes) -> String {
    let a = group.attributes
    if a.contains(.integrity) { return "" }
    var words = [String]()
    if a.contains(.useForDenyOnly) {
      words.append("Group used for deny only")
    } else {
      if a.contains(.mandatory) { words.append("Mandatory group") }
      if a.contains(.enabledByDefault) { words.append("Enabled by default") }
      if a.contains(.enabled) { words.append("Enabled group") }
    }
    if a.contains(.owner) { words.append("Group owner") }
    if a.contains(.resource) { words.append("Local Group") }
    return words.joined(separator: ", ")
  }

  static func typeName(_ values: ClaimValues) -> String {
    switch values {
    case .int64: return "Int64"
    case .uint64: return "UInt64"
    case .string: return "String"
    case .sid: return "SID"
    case .boolean: return "Boolean"
    case .octetString: return "OctetString"
    }
  }

  static func valueText(_ values: ClaimValues) -> String {
    switch values {
    case .int64(let v): return v.map(String.init).joined(separator: ", ")
    case .uint64(let v): return v.map(String.init).joined(separator: ", ")
    case .string(let v): return v.joined(separator: ", ")
    case .sid: return (values.decodedSIDs ?? []).map { $0?.description ?? "?" }.joined(separator: ", ")
    case .boolean(let v): return v.map { $0 == 0 ? "False" : "True" }.joined(separator: ", ")
    case .octetString(let v):
      return v.map { $0.map { String($0, radix: 16).leftPadded(2) }.joined() }.joined(separator: ", ")
    }
  }

  func heading(_ title: String) -> String {
    title + "\n" + String(repeating: "-", count: title.count) + "\n\n"
  }

  /// A heading and a table: columns as wide as their widest cell, one space apart, `=` rules
  /// under the headers; the last column is not padded.
  func section(_ title: String, _ headers: [String], _ rows: [[String]]) -> String {
    var out = heading(title)
    if format == .csv {
      let quote = { (s: String) in "\"" + s.replacingAll("\"", with: "\"\"") + "\"" }
      if !noHeader { out += headers.map(quote).joined(separator: ",") + "\n" }
      for row in rows { out += row.map(quote).joined(separator: ",") + "\n" }
      return out
    }
    var widths = headers.map { noHeader ? 0 : $0.count }
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
      var text = ""
      for (i, cell) in cells.enumerated() {
        text += i == cells.count - 1 ? cell : cell.rightPadded(widths[i]) + " "
      }
      while text.last == " " { text.removeLast() }
      return text + "\n"
    }
    if !noHeader {
      out += line(headers)
      out += widths.map { String(repeating: "=", count: $0) }.joined(separator: " ") + "\n"
    }
    for row in rows { out += line(row) }
    return out
  }
}

extension String {
  func rightPadded(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
  func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for c in self { if c == target { out += replacement } else { out.append(c) } }
    return out
  }
}
