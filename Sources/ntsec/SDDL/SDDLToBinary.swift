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
      try processLines(sddl) { line, out in
        let bytes = try SecurityDescriptor(sddl: String(decoding: line, as: UTF8.self), domain: domainSID)
          .bytes
        if format == .hex { out.appendHex(bytes) } else { out.append(bytes: Base64.encode(bytes)) }
      }
    }
  }
}
