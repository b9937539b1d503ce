/// The HTTP authentication schemes of RFC 4559 and MS-N2HT: `Negotiate` (SPNEGO: Kerberos, else
/// NTLM) and `NTLM` (raw NTLM, as IIS still offers it).
public enum NegotiateScheme: String, Sendable, Hashable, CaseIterable {
  case negotiate = "Negotiate"
  case ntlm = "NTLM"

  /// The scheme named `name`, compared case-insensitively as RFC 9110 says.
  public init?(named name: some StringProtocol) {
    switch name.lowercased() {
    case "negotiate": self = .negotiate
    case "ntlm": self = .ntlm
    default: return nil
    }
  }
}
