import Foundation

/// The real Samba AD DC of `scripts/test-ad-dc`, started once for the test process (as root: it
/// needs network namespaces) and stopped when the process exits.
public enum DomainController {
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
  public static var script: String { root.appendingPathComponent("scripts/test-ad-dc").path }

  private static let started: Result<[String: String], TestFailure> = {
    do {
      // The DC's daemons outlive the script: its output goes to files, not to pipes they would
      // hold open.
      let out = NSTemporaryDirectory() + "ntsec-ad-start-\(getpid()).out"
      let err = NSTemporaryDirectory() + "ntsec-ad-start-\(getpid()).err"
      let r = try runProgram("/bin/sh", ["-c", "\"$0\" start >\"$1\" 2>\"$2\" </dev/null", script, out, err])
      guard r.status == 0 else {
        let log = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        return .failure(TestFailure(text: "scripts/test-ad-dc start failed: \(log)"))
      }
      let path = try String(contentsOfFile: out, encoding: .utf8).trimmingCharacters(
        in: .whitespacesAndNewlines)
      let text = try String(contentsOfFile: path, encoding: .utf8)
      var env: [String: String] = [:]
      for line in text.split(separator: "\n") where line.hasPrefix("export ") {
        let body = line.dropFirst(7)
        guard let eq = body.firstIndex(of: "=") else { continue }
        var value = String(body[body.index(after: eq)...])
        if value.hasPrefix("'") && value.hasSuffix("'") { value = String(value.dropFirst().dropLast()) }
        env[String(body[..<eq])] = value
      }
      atexit {
        _ = try? runProgram(
          "/bin/sh", ["-c", "\"$0\" stop >/dev/null 2>&1 </dev/null", DomainController.script])
      }
      return .success(env)
    } catch { return .failure(TestFailure(text: "scripts/test-ad-dc: \(error)")) }
  }()

  /// The DC's env file (AD_DC_* variables); fails loudly when the DC cannot start.
  public static func environment() throws -> [String: String] { try started.get() }

  /// Runs `arguments` to their end inside the DC's namespace (`scripts/test-ad-dc exec`), with
  /// the env file's variables set.
  public static func run(_ arguments: [String], input: String = "") throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    _ = try environment()
    return try runProgram(script, ["exec"] + arguments, input: input)
  }
}
