import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract:
      "Lists stored credentials (CredEnumerate); FILTER is a prefix ending in * or a name. Credentials that fail their integrity check go to stderr (exit 1)."
  )
  @Argument(help: "A target name, or a prefix ending in * (default: every credential).") var filter: String?
  func run() throws {
    var failed = false
    try credRun { () throws(NTSecurityError) in
      let vault = try openVault()
      do throws(NTSecurityError) {
        let found = try vault.enumerateReportingFailures(filter: filter)
        print("Currently stored credentials:")
        for c in found.credentials {
          print("")
          printCredential(c)
        }
        if found.credentials.isEmpty { print("\n* NONE *") }
        for failure in found.failures {
          FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
        }
        failed = !found.failures.isEmpty
      } catch {
        guard error.code == .notFound else { throw error }
        print("Currently stored credentials:\n\n* NONE *")
      }
    }
    if failed { throw ExitCode(1) }
  }
}
