import ArgumentParser
import NTSecIO
import NTSecurity

extension SDDLCommand {
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "explain",
      abstract: "List a descriptor for people: one ACE a line, with names for SIDs and rights.")
    @OptionGroup var domain: DomainOption
    @Option(
      help: "Name rights for this kind of object: \(RightNames.choices).",
      completion: .list(RightNames.allCases.map(\.rawValue)))
    var type: String?
    @Flag(help: "Print JSON instead of text.") var json = false
    @Argument(help: "SDDL text; without it, one SDDL per line is read from standard input.")
    var sddl: String?

    func run() throws {
      let domainSID = try domain.resolve()
      let names = try type.map { name in
        guard let names = RightNames(rawValue: name.lowercased()) else {
          throw ValidationError("--type: unknown \"\(name)\"; expected \(RightNames.choices)")
        }
        return names
      }
      try processInputs(sddl, LineMode(what: "SDDL", json: json, textOffsets: true)) { text in
        let sd: SecurityDescriptor
        do { sd = try SecurityDescriptor(sddl: text, domain: domainSID) } catch {
          throw domain.hinting(error)
        }
        let explainer = DescriptorExplainer(domain: domainSID, names: names)
        return json ? try explainer.json(sd) : try explainer.text(sd)
      }
    }
  }
}
