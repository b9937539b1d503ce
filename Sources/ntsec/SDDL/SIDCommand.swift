import ArgumentParser
import NTSecurity

struct SIDCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sid",
    abstract: "Parse SIDs and list the well-known ones.",
    subcommands: [Parse.self, WellKnown.self]
  )

  struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Parse a SID (S-1-…, hex forms, or an SDDL alias) and describe it.")
    @OptionGroup var domain: DomainOption
    @Flag(help: "Print JSON instead of text.") var json = false
    @Argument(help: "The SID; without it, one SID per line is read from standard input.")
    var sid: String?

    func run() throws {
      let domainSID = try domain.resolve()
      try processInputs(sid) { text in
        let sid = try SID(parsing: text.trimmingCharacters(in: " "), domain: domainSID)
        let alias = sid.sddl(domain: domainSID)
        let name = sid.wellKnownAccountName(domain: domainSID)
        let type = sid.wellKnownType?.windowsName
        if json {
          return "{\"sid\":\(jsonString(sid.description)),\"binary\":\(jsonString(sid.bytes.hexString)),"
            + "\"authority\":\(sid.identifierAuthority),\"subAuthorities\":["
            + sid.subAuthorities.map(String.init).joined(separator: ",") + "],"
            + "\"sddl\":\(jsonString(alias)),\"name\":\(name.map(jsonString) ?? "null"),"
            + "\"wellKnownType\":\(type.map(jsonString) ?? "null")}"
        }
        var parts = [sid.description, "binary=\(sid.bytes.hexString)"]
        if alias != sid.description { parts.append("sddl=\(alias)") }
        if let name { parts.append("name=\"\(name)\"") }
        if let type { parts.append("type=\(type)") }
        return parts.joined(separator: " ")
      }
    }
  }

  struct WellKnown: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "well-known",
      abstract: "CreateWellKnownSid: the SID of a WELL_KNOWN_SID_TYPE, or the whole table.")
    @OptionGroup var domain: DomainOption
    @Flag(help: "Print JSON instead of text.") var json = false
    @Argument(help: "A type name (WinBuiltinAdministratorsSid, BuiltinAdministrators, …) or number.")
    var name: String?

    func run() throws {
      let domainSID = try domain.resolve()
      if let name {
        guard let type = WellKnownSIDType.named(name) else {
          print("error: \(WindowsError.invalidParameter.name) unknown well-known SID type '\(name)'")
          throw ExitCode(1)
        }
        do {
          let sid = try SID.wellKnown(type, domain: domainSID)
          print(json ? row(type, sid) : sid.description)
        } catch {
          print("error: \(error.code.name) \(error.message)")
          throw ExitCode(1)
        }
        return
      }
      var rows = [String]()
      for type in WellKnownSIDType.allCases {
        let sid = try? SID.wellKnown(type, domain: domainSID)
        if json {
          rows.append(row(type, sid))
        } else {
          let value = sid?.description ?? (type.needsDomain ? "(needs --domain)" : "(cannot be created)")
          rows.append("\(type.rawValue)\t\(type.windowsName)\t\(value)")
        }
      }
      print(json ? "[" + rows.joined(separator: ",") + "]" : rows.joined(separator: "\n"))
    }

    func row(_ type: WellKnownSIDType, _ sid: SID?) -> String {
      "{\"value\":\(type.rawValue),\"name\":\(jsonString(type.windowsName)),"
        + "\"sid\":\(sid.map { jsonString($0.description) } ?? "null"),\"needsDomain\":\(type.needsDomain)}"
    }
  }
}

extension WellKnownSIDType {
  /// Finds a type by its Windows name, its Swift name or either without `Win`/`Sid`
  /// (case-insensitive), or by number.
  static func named(_ text: String) -> WellKnownSIDType? {
    if let n = Int32(text) { return WellKnownSIDType(rawValue: n) }
    func core(_ s: String) -> String {
      var s = s.lowercased()
      if s.hasPrefix("win") { s.removeFirst(3) }
      if s.hasSuffix("sid") { s.removeLast(3) }
      return s
    }
    let wanted = core(text)
    return allCases.first { core($0.windowsName) == wanted }
  }
}
