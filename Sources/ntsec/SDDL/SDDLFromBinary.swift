import ArgumentParser
import NTSecIO
import NTSecurity
import ObjectSecurity

extension SDDLCommand {
  struct FromBinary: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "from-binary",
      abstract: "Self-relative binary → SDDL (ConvertSecurityDescriptorToStringSecurityDescriptor).",
      discussion: """
        A Samba security.NTACL attribute (getfattr -e hex, or its raw bytes) is recognised and \
        its descriptor converted.
        """)
    @OptionGroup var domain: DomainOption
    @Option(help: "Parts to print: owner,group,dacl,sacl,label,attribute,scope (default: all).")
    var info: String?
    @Flag(help: "The argument is a FILE of raw bytes (- or none: standard input), one descriptor.")
    var raw = false
    @Argument(
      help: """
        The descriptor in hex (or base64); without it, one per line from standard input. \
        With --raw, a FILE holding the bytes.
        """,
      completion: .file())
    var hex: String?

    func run() throws {
      let domainSID = try domain.resolve()
      let selection = try info.map(parseSecurityInformation) ?? .all
      if raw {
        let bytes = try readInputFile(hex ?? "-")
        print(try Self.descriptor(bytes).sddl(domain: domainSID, including: selection))
        return
      }
      try processLines(hex, LineMode(what: "hex or base64 descriptor")) { line, out in
        out.append(try Self.descriptor(decodeBinary(line)).sddl(domain: domainSID, including: selection))
      }
    }

    /// The descriptor in `bytes`: a self-relative SECURITY_DESCRIPTOR, or the one a Samba
    /// `security.NTACL` attribute holds (its version and union level, 1 to 4, come first where a
    /// descriptor has revision 1 and SE_SELF_RELATIVE).
    static func descriptor(_ bytes: [UInt8]) throws(NTSecurityError) -> SecurityDescriptor {
      do { return try SecurityDescriptor(bytes: bytes) } catch {
        guard bytes.count >= 4, bytes[1] == 0, bytes[3] == 0, bytes[0] == bytes[2], (1...4).contains(bytes[0])
        else { throw error }
        return try NTACLAttribute(bytes: bytes).descriptor
      }
    }
  }
}
