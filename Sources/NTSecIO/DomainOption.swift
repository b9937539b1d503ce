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
