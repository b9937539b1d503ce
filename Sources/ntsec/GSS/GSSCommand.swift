import ArgumentParser
import Foundation
import GSSAPI

/// `ntsec gss`: GSS-API security contexts from the command line, one base64 token a line, so
/// either side pairs with any other GSS-API program (or a person with a terminal).
struct GSSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gss",
    abstract: "GSS-API (Kerberos, SPNEGO, NTLM): list mechanisms, initiate or accept a context.",
    subcommands: [Mechs.self, Init.self, Accept.self]
  )

}

/// krb5, spnego, ntlm or a dotted OID.
func parseMechanism(_ text: String) throws -> GSSAPI.OID {
  switch text.lowercased() {
  case "krb5", "kerberos": return GSSAPI.MechanismType.kerberos
  case "spnego", "negotiate": return GSSAPI.MechanismType.spnego
  case "ntlm", "ntlmssp": return GSSAPI.MechanismType.ntlmssp
  case "iakerb": return GSSAPI.MechanismType.iakerb
  default:
    do { return try GSSAPI.OID(dotted: text) } catch {
      throw ValidationError("--mech: \"\(text)\" is not krb5, spnego, ntlm or a dotted OID")
    }
  }
}

func report(mechanism: GSSAPI.OID?, flags: GSSAPI.RequirementFlags) {
  let mech = mechanism.map { "\($0.name) (\($0.dotted))" } ?? "-"
  FileHandle.standardError.write(Data("mech: \(mech)\nflags: \(flags)\n".utf8))
}
