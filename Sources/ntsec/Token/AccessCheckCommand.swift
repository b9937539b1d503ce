import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity

/// `ntsec access-check`: AccessCheck (AccessCheckByType, AccessCheckByTypeResultList with
/// `--object-types`) for one descriptor and token, or `--batch` for one JSON request per line.
struct AccessCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "access-check",
    abstract: "Check a token's access to a security descriptor (AccessCheck, AccessCheckByType…).",
    discussion: """
      MASK is decimal, 0x-hex, SDDL rights letters (FR, FAWD, KR…) or names (MAXIMUM_ALLOWED, \
      ACCESS_SYSTEM_SECURITY, READ_CONTROL, WRITE_DAC, WRITE_OWNER, DELETE, SYNCHRONIZE), joined \
      with | if several. Generic rights (GR, GENERIC_READ…) are refused with \
      ERROR_GENERIC_NOT_MAPPED, as Windows does.

      Exit status: 0 when everything asked for is granted, 1 when it is not (or, with --batch, \
      when a line could not be read), 2 for unusable arguments.

      --batch reads one JSON object per line from standard input: {"sd": SDDL, "token": {...}, \
      "desired": 1179785 or "0x120089", "mapping": "file", "object_types": [{"level": 0, \
      "guid": "..."}], "principal_self": SID, "backup_intent": false} and prints one line each: \
      {"granted": "0x120089", "status": "ERROR_SUCCESS"} (with object types also "results": \
      [{"granted": ..., "status": ...}, ...]), or {"error": {"code": "ERROR_…", "message": "…"}} \
      for a line it cannot read.

      The text form explains each right (named for --mapping): which ACE, by its index in the \
      DACL and its SDDL, granted or denied it, what a privilege or the owner rule gave, and which \
      stage limited it (mandatory integrity label, the restricting SIDs' second pass, a \
      condition's value, a deny-only group). --explain adds the same, as "explanation", to \
      --json and --batch output.
      """)

  @Option(help: "The security descriptor in SDDL.") var sd: String?
  @Option(help: "The token: a JSON file in the format of docs/token-format.md.", completion: .file())
  var token: String?
  @Option(help: "The access mask to check.") var desired: String?
  @Option(
    help: "Generic mapping: file, directory, registry, ds, token, process or thread.",
    completion: .list(["file", "directory", "registry", "ds", "token", "process", "thread"]))
  var mapping: String = "file"
  @Option(
    name: .customLong("object-types"), help: #"Object type list as JSON: [{"level": 0, "guid": "..."}, ...]."#
  )
  var objectTypes: String?
  @Option(name: .customLong("principal-self"), help: "The SID PRINCIPAL_SELF (PS) stands for.")
  var principalSelf: String?
  @Flag(
    name: .customLong("backup-intent"), help: "Declare backup intent (SeBackupPrivilege, SeRestorePrivilege)."
  )
  var backupIntent = false
  @Flag(help: "Print the result as JSON (the --batch output format).") var json = false
  @Flag(help: "Read one JSON request per line from standard input.") var batch = false
  @Flag(help: "With --json or --batch: explain each right (the text form always does).") var explain = false
  @OptionGroup var domain: DomainOption

  func run() throws {
    if batch {
      guard sd == nil, token == nil, desired == nil, objectTypes == nil, principalSelf == nil,
        domain.domain == nil
      else {
        throw ValidationError("--batch takes its requests from standard input only")
      }
      if !AccessCheckBatch.run(explain: explain) { throw ExitCode(1) }
      return
    }
    guard let sd, let token, let desired else {
      throw ValidationError("--sd, --token and --desired are required (or use --batch)")
    }
    var request: AccessCheckRequest
    do {
      let domainSID = try domain.resolve()
      request = try AccessCheckRequest(
        sddl: sd, token: AccessToken.load(path: token), desired: AccessCheckRequest.mask(desired),
        mapping: AccessCheckRequest.mapping(mapping),
        objectTypes: objectTypes.map { try AccessCheckRequest.objectTypes(jsonText: $0) } ?? [],
        principalSelf: principalSelf.map { try AccessCheckRequest.sid($0, "--principal-self") },
        backupIntent: backupIntent, domain: domainSID, hintDomain: true)
      request.names = RightNames(rawValue: mapping.lowercased()) ?? .file
    } catch {
      // Exit status 1 means "not granted" here: unusable input is 2.
      throw ArgumentFailure(text: nil, error: error, exitStatus: 2)
    }
    let outcome = request.evaluate(explain: explain || !json)
    print(json ? outcome.json(details: true) : outcome.text)
    if outcome.status != .success { throw ExitCode(1) }
  }
}
