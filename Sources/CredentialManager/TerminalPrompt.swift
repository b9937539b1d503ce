import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// A conversation on a terminal device: lines written to it, lines read from it, with echo
/// turned off while a secret is typed.
final class Terminal {
  let fd: Int32

  init(path: String) throws(NTSecurityError) {
    fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else {
      throw NTSecurityError(.invalidHandle, "no terminal to prompt on (\(path): \(errnoText()))")
    }
    guard isatty(fd) == 1 else {
      close(fd)
      throw NTSecurityError(.invalidHandle, "\(path) is not a terminal")
    }
  }
  deinit { close(fd) }

  func say(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      offset += n
    }
    bytes.removeAll()
  }

  /// One line without its terminator; nil at end of input. With `secret`, echo is off (and
  /// comes back on Ctrl-C, `TerminalEcho`); the caller wipes the bytes.
  func line(secret: Bool) -> [UInt8]? {
    guard secret else { return TerminalEcho.readLine(fd: fd) }
    return TerminalEcho.withEchoOff(fd: fd) { TerminalEcho.readLine(fd: fd) }
  }
}

extension CredentialVault {
  /// CredUICmdLinePromptForCredentials: asks on the controlling terminal (`/dev/tty`) for a user
  /// name and a password (never echoed), and whether to save it. `flags` must include
  /// CREDUI_FLAGS_EXCLUDE_CERTIFICATES or CREDUI_FLAGS_REQUIRE_SMARTCARD (ERROR_INVALID_FLAGS).
  /// A saved credential is a domain password for `target` (a generic one with
  /// GENERIC_CREDENTIALS); with EXPECT_CONFIRMATION it is stored only when `confirm` is called.
  /// End of input is ERROR_CANCELLED.
  public func promptOnTerminal(
    target: String, authError: UInt32 = 0, userName: String? = nil, password: String? = nil,
    save: Bool = true, flags: PromptFlags = .excludeCertificates, terminal: String = "/dev/tty"
  ) throws(NTSecurityError) -> PromptResult {
    try flags.check(commandLine: true)
    try PromptLogic.checkArguments(target: target, userName: userName, password: password)
    if flags.contains(.requireSmartcard) {
      throw NTSecurityError(.notSupported, "smart card credentials are not supported on this system")
    }
    let tty = try Terminal(path: target.isEmpty ? terminal : terminal)
    let cancelled = NTSecurityError(.cancelled, "the prompt was cancelled")
    if flags.contains(.incorrectPassword) || authError != 0 {
      tty.say("The user name or password for '\(target)' is incorrect")
      tty.say(authError != 0 ? " (error \(authError)).\n" : ".\n")
    }
    var user = userName ?? ""
    if !(flags.contains(.keepUsername) && !user.isEmpty) {
      while true {
        tty.say("Enter the user name for '\(target)'" + (user.isEmpty ? ": " : " [\(user)]: "))
        guard let typed = tty.line(secret: false) else { throw cancelled }
        let text = String(decoding: typed, as: UTF8.self)
        if !text.isEmpty { user = text }
        if user.isEmpty {
          if flags.contains(.passwordOnlyOK) { break }
          continue
        }
        if user.utf16.count > CredentialLimits.maxPromptUserNameLength {
          tty.say("The user name is too long.\n")
          user = ""
          continue
        }
        if flags.contains(.validateUsername) && !flags.contains(.genericCredentials),
          (try? UserNameParser.parse(user)) == nil
        {
          tty.say("The user name must be DOMAIN\\user or user@domain.\n")
          user = ""
          continue
        }
        break
      }
    }
    tty.say("Enter the password for '\(user)' to connect to '\(target)': ")
    guard var typed = tty.line(secret: true) else { throw cancelled }
    defer { wipe(&typed) }
    if typed.count > CredentialLimits.maxPromptPasswordLength * 3 {
      throw NTSecurityError(.invalidParameter, "the password is longer than 256 characters")
    }
    var secret = PromptLogic.secret(typed: typed, given: password)
    let saveIt = try PromptLogic.save(flags) { () throws(NTSecurityError) -> Bool in
      tty.say("Do you want to remember this credential? (Y/N) [\(save ? "Y" : "N")]: ")
      guard let answer = tty.line(secret: false) else { throw cancelled }
      let a = String(decoding: answer, as: UTF8.self).lowercased()
      return a.hasPrefix("y") ? true : a.hasPrefix("n") ? false : save
    }
    let result = PromptResult(userName: user, password: secret, save: saveIt)
    try PromptLogic.keep(result, target: target, flags: flags, vault: self)
    secret.clear()
    return result
  }

  /// CredUIConfirmCredentials: after authenticating with what a prompt with
  /// CREDUI_FLAGS_EXPECT_CONFIRMATION returned, stores the credential (`succeeded`) or drops it.
  /// ERROR_NOT_FOUND when no prompt awaits confirmation for `target`.
  public func confirm(target: String, succeeded: Bool) throws(NTSecurityError) {
    guard var pending = PromptLogic.takePending(target: target, vault: self) else {
      throw NTSecurityError(.notFound, "no credential for \"\(target)\" awaits confirmation")
    }
    defer { pending.credentialBlob.clear() }
    if succeeded { try write(pending) }
  }
}
