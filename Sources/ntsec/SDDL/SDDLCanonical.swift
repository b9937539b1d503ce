import ArgumentParser
import NTSecIO
import NTSecurity

extension SDDLCommand {
  struct Canonical: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "canonical",
      abstract: "Rewrite SDDL in the canonical form Windows writes.")
    @OptionGroup var domain: DomainOption
    @Argument(help: "SDDL text; without it, one SDDL per line is read from standard input.")
    var sddl: String?

    func run() throws {
      let domainSID = try domain.resolve()
      try processInputs(sddl, LineMode(what: "SDDL", textOffsets: true)) { text in
        try SecurityDescriptor(sddl: text, domain: domainSID).sddl(domain: domainSID)
      }
    }
  }
}
