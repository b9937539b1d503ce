import ArgumentParser
import NTSecIO
import NTSecurity

extension SIDCommand {
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
          throw CLIFailure(code: .invalidParameter, message: "unknown well-known SID type '\(name)'")
        }
        let sid = try SID.wellKnown(type, domain: domainSID)
        print(json ? row(type, sid) : sid.description)
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
      var w = JSONWriter(.compact)
      w.beginObject()
      w.field("value", literal: type.rawValue)
      w.field("name", type.windowsName)
      w.field("sid", sid?.description)
      w.field("needs_domain", literal: type.needsDomain)
      w.endObject()
      return w.text
    }
  }
}
