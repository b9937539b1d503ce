import ArgumentParser
import NTSecIO
import NTSecurity

extension SIDCommand {
  struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "parse",
      abstract: "Parse a SID (S-1-…, hex forms, or an SDDL alias) and describe it.")
    @OptionGroup var domain: DomainOption
    @Flag(help: "Print JSON instead of text.") var json = false
    @Argument(help: "The SID; without it, one SID per line is read from standard input.")
    var sid: String?

    func run() throws {
      let domainSID = try domain.resolve()
      try processInputs(sid, LineMode(what: "SID", json: json, textOffsets: true)) { text in
        let sid = try SID(parsing: text.trimmingCharacters(in: " "), domain: domainSID)
        let alias = sid.sddl(domain: domainSID)
        let name = sid.wellKnownAccountName(domain: domainSID)
        let type = sid.wellKnownType?.windowsName
        if json {
          var w = JSONWriter(.compact)
          w.beginObject()
          w.field("sid", sid.description)
          w.field("binary", sid.bytes.hexString)
          w.field("authority", literal: sid.identifierAuthority)
          w.key("sub_authorities")
          w.beginArray()
          for subAuthority in sid.subAuthorities { w.literal(subAuthority) }
          w.endArray()
          w.field("sddl", alias)
          w.field("name", name)
          w.field("well_known_type", type)
          w.endObject()
          return w.text
        }
        var parts = [sid.description, "binary=\(sid.bytes.hexString)"]
        if alias != sid.description { parts.append("sddl=\(alias)") }
        if let name { parts.append("name=\"\(name)\"") }
        if let type { parts.append("type=\(type)") }
        return parts.joined(separator: " ")
      }
    }
  }
}
