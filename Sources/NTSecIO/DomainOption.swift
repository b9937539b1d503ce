import ArgumentParser
import NTSecurity

/// Options shared by commands that resolve domain-relative SDDL aliases.
package struct DomainOption: ParsableArguments {
  @Option(name: .long, help: "Domain SID for domain-relative aliases such as DA, DU, EA.")
  package var domain: String?

  package init() {}

  /// The domain SID, or nil without `--domain`.
  package func resolve() throws -> SID? {
    guard let domain else { return nil }
    do { return try SID(parsing: domain) } catch {
      throw ValidationError("--domain: \(error)")
    }
  }
}

extension DomainOption {
  /// `error` with a hint to pass `--domain` when it is the parser's refusal of a domain-relative
  /// alias (`DA`, `DU`, …: `ERROR_NONE_MAPPED`) and no domain was given; else `error` unchanged.
  package func hinting(_ error: any Error) -> any Error {
    DomainOption.hinting(error, domainGiven: domain != nil)
  }

  /// ``hinting(_:)`` for a command that knows whether a domain was given.
  package static func hinting(_ error: any Error, domainGiven: Bool) -> any Error {
    guard !domainGiven, let e = error as? NTSecurityError, e.code == .noneMapped,
      e.message.contains("domain-relative")
    else { return error }
    return NTSecurityError(
      e.code, e.message + "; pass --domain S-1-5-21-… (the domain's SID) to resolve it", offset: e.offset)
  }
}
