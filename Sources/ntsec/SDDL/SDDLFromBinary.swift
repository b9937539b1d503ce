import ArgumentParser
import NTSecIO
import NTSecurity

extension SDDLCommand {
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
      try processLines(hex) { line, out in
        out.append(
          try SecurityDescriptor(bytes: decodeBinary(line)).sddl(domain: domainSID, including: selection))
      }
    }
  }
}
