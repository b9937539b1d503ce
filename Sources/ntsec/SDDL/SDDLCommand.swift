import ArgumentParser
import NTSecurity

struct SDDLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sddl",
    abstract: "Convert and explain security descriptors in SDDL.",
    subcommands: [ToBinary.self, FromBinary.self, Canonical.self, Explain.self]
  )

  enum BinaryFormat: String, ExpressibleByArgument, CaseIterable {
    case hex, base64, raw
  }

}

/// Parses `owner,group,dacl,sacl,label,attribute,scope` into SECURITY_INFORMATION.
func parseSecurityInformation(_ text: String) throws -> SecurityInformation {
  var info = SecurityInformation()
  for part in text.split(separator: ",") {
    switch part.lowercased().trimmingCharacters(in: " ") {
    case "owner": info.insert(.owner)
    case "group": info.insert(.group)
    case "dacl": info.insert(.dacl)
    case "sacl": info.insert(.sacl)
    case "label": info.insert(.label)
    case "attribute", "attributes": info.insert(.attribute)
    case "scope": info.insert(.scope)
    case "all": info.formUnion(.all)
    default: throw ValidationError("--info: unknown part '\(part)'")
    }
  }
  return info
}
