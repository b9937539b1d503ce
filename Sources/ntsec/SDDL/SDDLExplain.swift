import ArgumentParser
import NTSecIO
import NTSecurity

extension SDDLCommand {
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "explain",
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
