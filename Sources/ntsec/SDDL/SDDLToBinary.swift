import ArgumentParser
import NTSecIO
import NTSecurity

extension SDDLCommand {
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
        return format == .hex ? bytes.hexString : Base64.string(bytes)
      }
    }
  }
}
