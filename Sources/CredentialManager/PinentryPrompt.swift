import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// A pinentry program (GnuPG's Assuan protocol), Debian's standard way to ask for a secret.
final class Pinentry {
  let process = Process()
  let toPinentry = Pipe()
  let fromPinentry = Pipe()
  var buffer: [UInt8] = []

  /// The program to run: `$NTSEC_PINENTRY`, else `pinentry` when a display exists, else
  /// `pinentry-curses`, else `pinentry`; nil when none is installed.
  static func program(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    if let chosen = environment["NTSEC_PINENTRY"], !chosen.isEmpty {
      return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
    }
    let graphical = environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil
    let names =
      graphical ? ["pinentry", "pinentry-curses"] : ["pinentry-curses", "pinentry-tty", "pinentry"]
    let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for name in names {
      for dir in path where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
        return "\(dir)/\(name)"
      }
    }
    return nil
  }

  init(program: String, terminal: String) throws(NTSecurityError) {
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = ["--ttyname", terminal]
    var env = ProcessInfo.processInfo.environment
    if env["TERM"] == nil || env["TERM"] == "dumb" { env["TERM"] = "xterm" }
    process.environment = env
    process.standardInput = toPinentry
    process.standardOutput = fromPinentry
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch {
      throw NTSecurityError(.invalidHandle, "cannot start \(program)")
    }
    guard try response().ok else { throw NTSecurityError(.invalidHandle, "\(program) did not greet") }
  }

  deinit {
    try? toPinentry.fileHandleForWriting.close()
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    wipe(&buffer)
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": out += "%25"
      case "\n": out += "%0A"
      case "\r": out += "%0D"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  func send(_ line: String) throws(NTSecurityError) {
    do { try toPinentry.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8)) } catch {
      throw NTSecurityError(.cancelled, "pinentry went away")
    }
  }

  func readLine() -> [UInt8]? {
    while true {
      if let nl = buffer.firstIndex(of: 0x0A) {
        let line = Array(buffer[..<nl])
        let rest = Array(buffer[(nl + 1)...])
        wipe(&buffer)
        buffer = rest
        return line
      }
      var chunk = [UInt8](repeating: 0, count: 1024)
      let n = chunk.withUnsafeMutableBytes {
        Glibc.read(fromPinentry.fileHandleForReading.fileDescriptor, $0.baseAddress, $0.count)
      }
      guard n > 0 else { return nil }
      buffer.append(contentsOf: chunk[..<n])
      wipe(&chunk)
    }
  }

  /// Reads to the closing OK or ERR; `data` collects the decoded D lines.
  func response() throws(NTSecurityError) -> (ok: Bool, data: [UInt8], error: String) {
    var data: [UInt8] = []
    while let line = readLine() {
      if line.starts(with: Array("OK".utf8)) { return (true, data, "") }
      if line.starts(with: Array("ERR".utf8)) { return (false, data, String(decoding: line, as: UTF8.self)) }
      if line.starts(with: Array("D ".utf8)) {
        var i = 2
        while i < line.count {
          if line[i] == 0x25, i + 2 < line.count,
            let v = UInt8(String(decoding: line[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
          {
            data.append(v)
            i += 3
          } else {
            data.append(line[i])
            i += 1
          }
        }
      }
    }
    throw NTSecurityError(.cancelled, "pinentry closed the conversation")
  }

  func command(_ line: String) throws(NTSecurityError) {
    try send(line)
    _ = try response()
  }

  /// Asks for one hidden value; nil when the user cancelled.
  func ask(description: String, prompt: String) throws(NTSecurityError) -> [UInt8]? {
    try command("SETDESC " + Pinentry.escape(description))
    try command("SETPROMPT " + Pinentry.escape(prompt))
    try send("GETPIN")
    let r = try response()
    return r.ok ? r.data : nil
  }

  func confirm(description: String, yes: String, no: String) throws(NTSecurityError) -> Bool {
    try command("SETDESC " + Pinentry.escape(description))
    try command("SETOK " + Pinentry.escape(yes))
    try command("SETCANCEL " + Pinentry.escape(no))
    try send("CONFIRM")
    return try response().ok
  }
}

extension CredentialVault {
  /// CredUIPromptForCredentials: asks through pinentry (pinentry-curses on a terminal, the
  /// desktop's pinentry under X11/Wayland) for the user name, the password and, with
  /// CREDUI_FLAGS_SHOW_SAVE_CHECK_BOX, whether to save; falls back to the terminal prompt when
  /// no pinentry is installed. pinentry masks every field, the user name too. Saving and
  /// CREDUI_FLAGS_EXPECT_CONFIRMATION work as in `promptOnTerminal`.
  public func prompt(
    target: String, authError: UInt32 = 0, userName: String? = nil, password: String? = nil,
    save: Bool = true, flags: PromptFlags = [], info: PromptInfo? = nil, terminal: String = "/dev/tty"
  ) throws(NTSecurityError) -> PromptResult {
    try flags.check(commandLine: false)
    try PromptLogic.checkArguments(target: target, userName: userName, password: password)
    if flags.contains(.requireSmartcard) || flags.contains(.requireCertificate) {
      throw NTSecurityError(
        .notSupported, "certificate and smart card credentials are not supported on this system")
    }
    guard let program = Pinentry.program(environment: PromptLogic.environment()) else {
      return try promptOnTerminal(
        target: target, authError: authError, userName: userName, password: password, save: save,
        flags: flags.union(.excludeCertificates), terminal: terminal)
    }
    let cancelled = NTSecurityError(.cancelled, "the prompt was cancelled")
    let pin = try Pinentry(program: program, terminal: terminal)
    try pin.command("SETTITLE " + Pinentry.escape(info?.captionText ?? "Connect to \(target)"))
    var lead = info?.messageText.map { $0 + "\n" } ?? ""
    if flags.contains(.incorrectPassword) || authError != 0 {
      lead += "The user name or password is incorrect" + (authError != 0 ? " (error \(authError)).\n" : ".\n")
      try pin.command("SETERROR " + Pinentry.escape("Logon failure"))
    }
    var user = userName ?? ""
    if !(flags.contains(.keepUsername) && !user.isEmpty) {
      while true {
        guard
          var typed = try pin.ask(
            description: lead + "User name for \(target)" + (user.isEmpty ? "" : " (empty keeps \(user))"),
            prompt: "User name:")
        else { throw cancelled }
        let text = String(decoding: typed, as: UTF8.self)
        wipe(&typed)
        if !text.isEmpty { user = text }
        let valid =
          !user.isEmpty && user.utf16.count <= CredentialLimits.maxPromptUserNameLength
          && (!flags.contains(.validateUsername) || flags.contains(.genericCredentials)
            || (try? UserNameParser.parse(user)) != nil)
        if valid || (user.isEmpty && flags.contains(.passwordOnlyOK)) { break }
        user = ""
        try pin.command("SETERROR " + Pinentry.escape("Enter DOMAIN\\user or user@domain"))
      }
    }
    guard
      var typed = try pin.ask(
        description: lead + "Password for \(user) to connect to \(target)", prompt: "Password:")
    else { throw cancelled }
    defer { wipe(&typed) }
    var secret = PromptLogic.secret(typed: typed, given: password)
    let saveIt = try PromptLogic.save(flags) { () throws(NTSecurityError) -> Bool in
      guard flags.contains(.showSaveCheckBox) else { return save }
      return try pin.confirm(
        description: "Remember the password for \(target)?", yes: "Remember", no: "Don't remember")
    }
    try? pin.send("BYE")
    let result = PromptResult(userName: user, password: secret, save: saveIt)
    try PromptLogic.keep(result, target: target, flags: flags, vault: self)
    secret.clear()
    return result
  }
}
