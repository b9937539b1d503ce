import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity

extension SDDLCommand {
  struct ToBinary: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "to-binary",
      abstract: "SDDL → self-relative binary (ConvertStringSecurityDescriptorToSecurityDescriptor).")
    @OptionGroup var domain: DomainOption
    @Option(help: "Output encoding: hex, base64, or raw (the bytes, one descriptor).") var format:
      BinaryFormat =
        .hex
    @Argument(help: "SDDL text; without it, one SDDL per line is read from standard input.")
    var sddl: String?

    func run() throws {
      let domainSID = try domain.resolve()
      if format == .raw {
        try writeRaw(domainSID)
        return
      }
      try processLines(sddl, LineMode(what: "SDDL", textOffsets: true)) { line, out in
        let bytes = try SecurityDescriptor(sddl: String(decoding: line, as: UTF8.self), domain: domainSID)
          .bytes
        if format == .hex { out.appendHex(bytes) } else { out.append(bytes: Base64.encode(bytes)) }
      }
    }

    /// `--format raw`: the one descriptor (the argument, or standard input's text) as bytes.
    func writeRaw(_ domainSID: SID?) throws {
      let text =
        try sddl
        ?? String(decoding: readInputFile("-"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      let bytes: [UInt8]
      do { bytes = try SecurityDescriptor(sddl: text, domain: domainSID).bytes } catch {
        throw ArgumentFailure(text: text, error: error)
      }
      var out = OutputBuffer()
      out.append(bytes: bytes)
      out.flush()
      if !reportIOErrors(input: nil, output: out.writeError) { throw ExitCode(1) }
    }
  }
}
