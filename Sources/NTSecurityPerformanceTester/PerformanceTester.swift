import ArgumentParser

/// The micro-benchmarks `scripts/bench-compare` runs against Samba, MIT krb5's C API and
/// python-gssapi. An executable of the package, not a product: nothing a client depends on.
@main
struct PerformanceTester: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "NTSecurityPerformanceTester",
    abstract: "NTSecurity's micro-benchmarks (for scripts/bench-compare).",
    subcommands: [
      BenchSDDLCommand.self, BenchAccessCheckCommand.self, BenchGSSCommand.self, BenchSSPICommand.self,
      BenchAcceptCommand.self,
    ]
  )
}
