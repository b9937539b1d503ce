import ArgumentParser
import CredentialManager
import Foundation
import NTSecIO
import NTSecurity

struct CredList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract:
      "Lists stored credentials (CredEnumerate); FILTER is a prefix ending in * or a name. Credentials that fail their integrity check go to stderr (exit 1)."
  )
  @Argument(help: "A target name, or a prefix ending in * (default: every credential).") var filter: String?
  @Flag(help: "Print a JSON array of the credentials (no secrets), snake_case keys.") var json = false

  func run() throws {
    let vault = try openVault()
    var credentials: [Credential] = []
    var failures: [NTSecurityError] = []
    do throws(NTSecurityError) {
      let found = try vault.enumerateReportingFailures(filter: filter)
      (credentials, failures) = (found.credentials, found.failures)
    } catch {
      guard error.code == .notFound else { throw error }
    }
    if json {
      print(Self.json(credentials))
    } else {
      print("Currently stored credentials:")
      for c in credentials {
        print("")
        printCredential(c)
      }
      if credentials.isEmpty { print("\n* NONE *") }
    }
    for failure in failures {
      FileHandle.standardError.write(Data((ErrorReport(failure).line + "\n").utf8))
    }
    if !failures.isEmpty { throw ExitCode(1) }
  }

  /// The credentials as one JSON array: what `list` shows, with the persistence's scope spelled
  /// out (`session` credentials are shared by the login session, not the vault's own).
  static func json(_ credentials: [Credential]) -> String {
    var w = JSONWriter(.compact)
    let formatter = ISO8601DateFormatter()
    w.beginArray()
    for c in credentials {
      w.beginObject()
      w.field("target_name", c.targetName)
      w.field("type", typeName(c.type))
      w.field("user_name", c.userName)
      w.field("persist", persistName(c.persist))
      w.field("comment", c.comment)
      w.field("target_alias", c.targetAlias)
      w.field("last_written", formatter.string(from: c.lastWritten))
      w.key("attributes")
      w.beginArray()
      for a in c.attributes {
        w.beginObject()
        w.field("keyword", a.keyword)
        w.field("value", a.value.map { String(format: "%02x", $0) }.joined())
        w.endObject()
      }
      w.endArray()
      w.endObject()
    }
    w.endArray()
    return w.text
  }
}
