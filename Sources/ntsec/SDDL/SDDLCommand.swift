import ArgumentParser
import NTSecurity

struct SDDLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sddl",
    abstract: "Convert and explain security descriptors in SDDL.",
    subcommands: [ToBinary.self, FromBinary.self, Canonical.self, Explain.self]
  )

  struct ToBinary: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "to-binary",
      abstract: "SDDL → self-relative binary (ConvertStringSecurityDescriptorToSecurityDescriptor).")
    @OptionGroup var domain: DomainOption
    @Option(help: "Output encoding: hex or base64.") var format: BinaryFormat = .hex
    @Argument(help: "SDDL text; without it, one SDDL per line is read from standard input.")
    var sddl: String?

    func run() throws {
      let domainSID = try domain.resolve()
      try processInputs(sddl) { text in
        let bytes = try SecurityDescriptor(sddl: text, domain: domainSID).bytes
        return format == .hex ? bytes.hexString : Base64.encode(bytes)
      }
    }
  }

  enum BinaryFormat: String, ExpressibleByArgument, CaseIterable {
    case hex, base64
  }

  struct FromBinary: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "from-binary",
      abstract: "Self-relative binary → SDDL (ConvertSecurityDescriptorToStringSecurityDescriptor).")
    @OptionGroup var domain: DomainOption
    @Option(help: "Parts to print: owner,group,dacl,sacl,label,attribute,scope (default: all).")
    var info: String?
    @Argument(help: "The descriptor in hex (or base64); without it, one per line from standard input.")
    var hex: String?

    func run() throws {
      let domainSID = try domain.resolve()
      let selection = try info.map(parseSecurityInformation) ?? .all
      try processInputs(hex) { text in
        try SecurityDescriptor(bytes: decodeBinary(text)).sddl(domain: domainSID, including: selection)
      }
    }
  }

  struct Canonical: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Rewrite SDDL in the canonical form Windows writes.")
    @OptionGroup var domain: DomainOption
    @Argument(help: "SDDL text; without it, one SDDL per line is read from standard input.")
    var sddl: String?

    func run() throws {
      let domainSID = try domain.resolve()
      try processInputs(sddl) { text in
        try SecurityDescriptor(sddl: text, domain: domainSID).sddl(domain: domainSID)
      }
    }
  }

  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List a descriptor for people: one ACE a line, with names for SIDs and rights.")
    @OptionGroup var domain: DomainOption
    @Flag(help: "Print JSON instead of text.") var json = false
    @Argument(help: "SDDL text; without it, one SDDL per line is read from standard input.")
    var sddl: String?

    func run() throws {
      let domainSID = try domain.resolve()
      try processInputs(sddl) { text in
        let sd = try SecurityDescriptor(sddl: text, domain: domainSID)
        let explainer = DescriptorExplainer(domain: domainSID)
        return json ? try explainer.json(sd) : try explainer.text(sd)
      }
    }
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

extension String {
  func trimmingCharacters(in set: Character) -> String {
    var s = Substring(self)
    while s.first == set { s = s.dropFirst() }
    while s.last == set { s = s.dropLast() }
    return String(s)
  }
}
