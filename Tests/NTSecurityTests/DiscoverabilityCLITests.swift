import Foundation
import TestPeers
import Testing

/// What makes `ntsec` findable: exit statuses, suggestions, help on every argument, the privilege
/// list, FILE arguments from pipes, and `make install` (man page and completions).
@Suite struct DiscoverabilityCLITests {
  let cli = CLITests()

  /// Runs `script` with bash (process substitution, pipes), `ntsec` on the PATH.
  func bash(_ script: String, environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let ntsec = try #require(builtProduct("ntsec"), "ntsec not built next to the tests")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-c", script]
    var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    env["PATH"] =
      URL(fileURLWithPath: ntsec).deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func helpDocumentsTheExitStatusesAndUsageErrorsExitTwo() throws {
    let help = try cli.run(["--help"])
    #expect(help.status == 0)
    #expect(help.output.contains("Exit status: 0 when everything succeeded, 1 when some input failed"))
    #expect(help.output.contains("2 for a usage error"))
    for arguments in [
      ["nosuch"], ["sddl", "explain", "--bogus", "D:"], ["access-check", "--sd"], ["privilege", "list", "x"],
    ] {
      let r = try cli.run(arguments)
      #expect(r.status == 2, "\(arguments): \(r.output)")
      #expect(r.output.contains("Error: ") || r.output.contains("error: "), "\(arguments): \(r.output)")
    }
    // a failed input is still 1, not a usage error
    #expect(try cli.run(["sddl", "canonical", "D:(A;;FA;;;SY"]).status == 1)
  }

  @Test func aMistypedCommandSuggestsTheNearest() throws {
    let r = try cli.run(["sdl", "explain"])
    #expect(r.status == 2)
    #expect(r.output.contains("Did you mean 'ntsec sddl'?"), "\(r.output)")
    let nested = try cli.run(["cred", "lst"])
    #expect(
      nested.status == 2 && nested.output.contains("Did you mean 'ntsec cred list'?"), "\(nested.output)")
    let help = try cli.run(["help", "acess-check"])
    #expect(help.status == 2 && help.output.contains("Did you mean 'ntsec access-check'?"), "\(help.output)")
    let far = try cli.run(["xyzzyplugh"])
    #expect(
      far.output.contains("'xyzzyplugh' is not a command; the commands are: sddl, sid,"), "\(far.output)")
    #expect(try cli.run(["help", "sddl", "explain"]).status == 0)
  }

  /// Every argument, option and flag of every command has help text (the man page and
  /// completions are generated from the same definitions).
  @Test func everyArgumentHasHelp() throws {
    let r = try cli.run(["--experimental-dump-help"])
    #expect(r.status == 0)
    let root = try #require(try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any])
    var missing: [String] = []
    var commands = 0
    func visit(_ command: [String: Any], _ path: String) {
      commands += 1
      for argument in command["arguments"] as? [[String: Any]] ?? [] {
        let abstract = argument["abstract"] as? String ?? ""
        let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let label = names.first ?? (argument["valueName"] as? String ?? "?")
        if abstract.trimmingCharacters(in: .whitespaces).isEmpty { missing.append("\(path) \(label)") }
      }
      // ArgumentParser's own `help` command is not ours to document
      for sub in command["subcommands"] as? [[String: Any]] ?? []
      where sub["commandName"] as? String != "help" {
        visit(sub, path + " " + (sub["commandName"] as? String ?? "?"))
      }
    }
    visit(try #require(root["command"] as? [String: Any]), "ntsec")
    #expect(commands > 40)
    #expect(missing.isEmpty, "no help: \(missing)")
  }

  @Test func privilegeListNamesEveryPrivilege() throws {
    let r = try cli.run(["privilege", "list"])
    #expect(r.status == 0)
    let lines = r.output.split(separator: "\n").map(String.init)
    #expect(lines.count == 35)
    #expect(lines.first?.hasPrefix("2\tSeCreateTokenPrivilege ") == true)
    #expect(lines.first?.hasSuffix("  Create a token object") == true)
    #expect(lines.contains { $0.hasPrefix("20\tSeDebugPrivilege ") && $0.hasSuffix("  Debug programs") })
  }

  /// `--pac -` reads standard input; `--pac <(…)` (process substitution) and a missing file too,
  /// the latter with the OS's reason.
  @Test func fileArgumentsTakeStandardInputAndProcessSubstitution() throws {
    let hex = PACVectors.gokrb5Win2kPAC.map { String(format: "%02x", $0) }.joined()
    let expected = "test\\testuser1 S-1-5-21-3167651404-3865080224-2280184895-1105"
    let piped = try bash("printf %s \(hex) | ntsec whoami --pac - --user")
    #expect(piped.status == 0 && piped.output.contains(expected), "\(piped.output)")
    let substituted = try bash("ntsec whoami --pac <(printf %s \(hex)) --user")
    #expect(substituted.status == 0 && substituted.output.contains(expected), "\(substituted.output)")
    let missing = try bash("ntsec whoami --pac /nonexistent/pac.bin")
    #expect(missing.status == 1)
    #expect(
      missing.output.contains("cannot read /nonexistent/pac.bin: No such file or directory"),
      "\(missing.output)")
  }

  /// A token JSON file from standard input (`-`) and from process substitution; a missing one
  /// names the OS's reason.
  @Test func tokenFilesComeFromPipesToo() throws {
    let json = #"{"user": "S-1-5-21-1-2-3-1001"}"#
    let piped = try bash("printf '%s' '\(json)' | ntsec token show -")
    #expect(piped.status == 0 && piped.output.contains(#""user": "S-1-5-21-1-2-3-1001""#), "\(piped.output)")
    let substituted = try bash("ntsec whoami <(printf '%s' '\(json)') --user")
    #expect(
      substituted.status == 0 && substituted.output.contains("S-1-5-21-1-2-3-1001"), "\(substituted.output)")
    let missing = try bash(
      "ntsec access-check --token /nonexistent/t.json --sd 'D:(A;;FA;;;WD)' --desired 1")
    #expect(missing.status != 0)
    #expect(
      missing.output.contains("cannot read token file /nonexistent/t.json: No such file or directory"),
      "\(missing.output)")
  }

  /// `make install PREFIX=…` with the debug binary (BIN=) and the generate-manual tool the test run
  /// built (GENERATE_MANUAL=, see scripts/run-tests): the man page renders, bash loads the
  /// completion, zsh and fish get theirs; `make uninstall` removes every file.
  @Test func makeInstallPutsTheManPageAndCompletionsAndUninstallRemovesThem() throws {
    let ntsec = try #require(builtProduct("ntsec"), "ntsec not built next to the tests")
    let generator = try #require(
      generateManualTool(),
      "generate-manual not built: scripts/run-tests builds it (swift build --product generate-manual)")
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let prefix = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ntsec-install-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: prefix) }
    let make = "make -s -C '\(root)' PREFIX='\(prefix)' BIN='\(ntsec)' GENERATE_MANUAL='\(generator)'"
    let install = try bash(make + " install")
    #expect(install.status == 0, "\(install.output)")
    let man = try bash("MANWIDTH=100 man -l '\(prefix)/share/man/man1/ntsec.1' | col -b")
    #expect(man.status == 0, "\(man.output)")
    #expect(man.output.contains("NAME"))
    #expect(man.output.contains("SYNOPSIS") && man.output.contains("to-binary"))
    #expect(man.output.contains("Exit status"))
    #expect(man.output.contains("--password-stdin"))
    let completion = "\(prefix)/share/bash-completion/completions/ntsec"
    let bashCompletion = try bash("source '\(completion)' && complete -p ntsec")
    #expect(
      bashCompletion.status == 0 && bashCompletion.output.contains("-F _ntsec ntsec"),
      "\(bashCompletion.output)"
    )
    // value lists for --mapping and --fo, file completion for --token and --pac
    let script = try String(contentsOfFile: completion, encoding: .utf8)
    #expect(script.contains("'--token')\n        __ntsec_add_completions -f\n"))
    #expect(script.contains("'--pac')\n        __ntsec_add_completions -f\n"))
    #expect(script.contains("'file'$'\\n''directory'$'\\n''registry'$'\\n''ds'"))
    #expect(script.contains("'table'$'\\n''csv'"))
    let zsh = try String(contentsOfFile: "\(prefix)/share/zsh/site-functions/_ntsec", encoding: .utf8)
    #expect(zsh.hasPrefix("#compdef ntsec"))
    #expect(zsh.contains("--token[The token\\: a JSON file") && zsh.contains(":token:_files"))
    let fish = try String(
      contentsOfFile: "\(prefix)/share/fish/vendor_completions.d/ntsec.fish", encoding: .utf8)
    #expect(fish.contains("ntsec"))
    let installed = try bash("'\(prefix)/bin/ntsec' --version")
    #expect(installed.output == "0.1.0\n")
    let uninstall = try bash(make + " uninstall && find '\(prefix)' -type f")
    #expect(uninstall.status == 0 && uninstall.output.isEmpty, "\(uninstall.output)")
  }

  /// swift-argument-parser's generate-manual, built next to the tests (as `generate-manual-tool`
  /// when the plugin runs with an explicit scratch path, as scripts/run-tests does) or by its plugin.
  func generateManualTool() -> String? {
    for name in ["generate-manual", "generate-manual-tool"] {
      if let built = builtProduct(name) { return built }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let candidate = root.appendingPathComponent(".build/plugins/tools/debug/generate-manual").path
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
  }
}
