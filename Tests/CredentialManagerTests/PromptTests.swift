import Foundation
import NTSecurity
import Testing

@testable import CredentialManager

/// A pseudo-terminal whose far end a script answers: each time the output so far contains a
/// cue, the answer is typed. Records everything the program under test wrote.
final class ScriptedTerminal: @unchecked Sendable {
  let master: Int32
  let slavePath: String
  private var output = [UInt8]()
  private let lock = NSLock()
  private let finished = DispatchSemaphore(value: 0)
  private var stop = false

  init(script: [(cue: String, answer: String)]) throws {
    // posix_openpt/grantpt/unlockpt/ptsname by hand: /dev/ptmx, TIOCSPTLCK, TIOCGPTN.
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
    var unlock: CInt = 0
    var number: CUnsignedInt = 0
    guard master >= 0, ioctl(master, UInt(0x4004_5431), &unlock) == 0,
      ioctl(master, UInt(0x8004_5430), &number) == 0
    else {
      throw NTSecurityError(.invalidHandle, "no pseudo-terminal")
    }
    slavePath = "/dev/pts/\(number)"
    Thread.detachNewThread { [self] in
      var steps = script[...]
      var consumed = 0
      var buffer = [UInt8](repeating: 0, count: 4096)
      while !isStopped {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        if poll(&fds, 1, 100) <= 0 { continue }
        let n = read(master, &buffer, buffer.count)
        if n <= 0 { continue }
        lock.lock()
        output.append(contentsOf: buffer[..<n])
        lock.unlock()
        // Several cues may have arrived in one read.
        while let step = steps.first {
          lock.lock()
          let text = String(decoding: output[consumed...], as: UTF8.self).lowercased()
          lock.unlock()
          guard let range = text.range(of: step.cue.lowercased()) else { break }
          consumed += text[..<range.upperBound].utf8.count
          steps = steps.dropFirst()
          usleep(50_000)
          _ = step.answer.withCString { write(master, $0, strlen($0)) }
        }
      }
      finished.signal()
    }
  }

  private var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stop
  }

  /// Stops answering and returns everything written to the terminal.
  func finish() -> String {
    lock.lock()
    stop = true
    lock.unlock()
    finished.wait()
    close(master)
    return String(decoding: output, as: UTF8.self)
  }
}

/// CredUICmdLinePromptForCredentials, CredUIPromptForCredentials (pinentry) and
/// CredUIConfirmCredentials, driven through real pseudo-terminals.
@Suite(.serialized) struct PromptTests {
  @Test func commandLinePromptAsksWithoutEchoAndSaves() throws {
    let t = try TemporaryVault()
    let tty = try ScriptedTerminal(script: [
      ("user name for 'fileserver'", "CORP\\alice\n"), ("password for", "Pa55-word\n"), ("remember", "y\n"),
    ])
    let r = try t.vault.promptOnTerminal(
      target: "fileserver", flags: [.excludeCertificates], terminal: tty.slavePath)
    let screen = tty.finish()
    #expect(r.userName == "CORP\\alice")
    #expect(r.password.password == "Pa55-word")
    #expect(r.save)
    #expect(screen.contains("CORP\\alice"))
    #expect(!screen.contains("Pa55-word"), "the password was echoed")
    let stored = try t.vault.readForAuthentication(target: "fileserver", type: .domainPassword)
    #expect(stored.userName == "CORP\\alice" && stored.credentialBlob.password == "Pa55-word")
  }

  @Test func commandLinePromptFlags() throws {
    let t = try TemporaryVault()
    // Neither EXCLUDE_CERTIFICATES nor REQUIRE_SMARTCARD: refused before any prompt.
    expectCode(.invalidFlags) { try t.vault.promptOnTerminal(target: "x", flags: []) }
    expectCode(.invalidFlags) {
      try t.vault.promptOnTerminal(target: "x", flags: [.excludeCertificates, .requireSmartcard])
    }
    expectCode(.invalidFlags) {
      try t.vault.promptOnTerminal(target: "x", flags: [.excludeCertificates, .persist, .doNotPersist])
    }
    expectCode(.invalidFlags) {
      try t.vault.promptOnTerminal(target: "x", flags: PromptFlags(rawValue: 0x8 | 0x8000_0000))
    }
    expectCode(.invalidParameter) { try t.vault.promptOnTerminal(target: "", flags: .excludeCertificates) }
    expectCode(.invalidParameter) {
      try t.vault.promptOnTerminal(
        target: "x", password: String(repeating: "p", count: 1281), flags: .excludeCertificates)
    }
    expectCode(.invalidHandle) { try t.vault.promptOnTerminal(target: "x", terminal: "/nonexistent/tty") }
  }

  @Test func keepUsernameGenericAndDoNotPersist() throws {
    let t = try TemporaryVault()
    let tty = try ScriptedTerminal(script: [("password for 'bob'", "pw1\n")])
    let r = try t.vault.promptOnTerminal(
      target: "api", userName: "bob",
      flags: [.excludeCertificates, .keepUsername, .genericCredentials, .doNotPersist],
      terminal: tty.slavePath)
    let screen = tty.finish()
    #expect(r.userName == "bob" && !r.save && r.password.password == "pw1")
    #expect(!screen.lowercased().contains("user name for"))
    #expect(!screen.lowercased().contains("remember"))
    expectCode(.notFound) { try t.vault.read(target: "api", type: .generic) }
  }

  @Test func validateUsernameAsksAgain() throws {
    let t = try TemporaryVault()
    let tty = try ScriptedTerminal(script: [
      ("user name for", "bare\n"), ("must be domain", ""), ("user name for", "bob@corp.com\n"),
      ("password for", "pw\n"),
    ])
    let r = try t.vault.promptOnTerminal(
      target: "srv", flags: [.excludeCertificates, .validateUsername, .persist], terminal: tty.slavePath)
    _ = tty.finish()
    #expect(r.userName == "bob@corp.com" && r.save)
    #expect(try t.vault.read(target: "srv", type: .domainPassword).userName == "bob@corp.com")
  }

  @Test func endOfInputCancels() throws {
    let t = try TemporaryVault()
    let tty = try ScriptedTerminal(script: [("user name for", "\u{04}")])
    expectCode(.cancelled) { try t.vault.promptOnTerminal(target: "srv", terminal: tty.slavePath) }
    _ = tty.finish()
  }

  @Test func expectConfirmationStoresOnlyOnceConfirmed() throws {
    let t = try TemporaryVault()
    for confirmed in [false, true] {
      let tty = try ScriptedTerminal(script: [("user name for", "CORP\\c\n"), ("password for", "pc\n")])
      let r = try t.vault.promptOnTerminal(
        target: "confirm-me", flags: [.excludeCertificates, .expectConfirmation, .persist],
        terminal: tty.slavePath)
      _ = tty.finish()
      #expect(r.save)
      expectCode(.notFound) { try t.vault.read(target: "confirm-me", type: .domainPassword) }
      try t.vault.confirm(target: "CONFIRM-ME", succeeded: confirmed)
      if confirmed {
        #expect(try t.vault.read(target: "confirm-me", type: .domainPassword).userName == "CORP\\c")
      } else {
        expectCode(.notFound) { try t.vault.read(target: "confirm-me", type: .domainPassword) }
      }
      expectCode(.notFound) { try t.vault.confirm(target: "confirm-me", succeeded: true) }
    }
  }

  @Test func pinentryPromptThroughPinentryCurses() throws {
    guard let pinentry = which("pinentry-curses") else {
      Issue.record("pinentry-curses is not installed: run scripts/install-deps")
      return
    }
    PromptLogic.environmentOverride.withLock { $0 = ["NTSEC_PINENTRY": pinentry] }
    defer { PromptLogic.environmentOverride.withLock { $0 = nil } }
    #expect(Pinentry.program(environment: PromptLogic.environment()) == pinentry)
    let t = try TemporaryVault()
    let tty = try ScriptedTerminal(script: [
      ("User name:", "CORP\\pin\r"), ("Password:", "pinned-pw\r"), ("Remember", "\r"),
    ])
    let r = try t.vault.prompt(
      target: "pinhost", flags: [.showSaveCheckBox],
      info: PromptInfo(messageText: "Sign in", captionText: "Test"),
      terminal: tty.slavePath)
    let screen = tty.finish()
    #expect(r.userName == "CORP\\pin")
    #expect(r.password.password == "pinned-pw")
    #expect(r.save)
    #expect(!screen.contains("pinned-pw"))
    #expect(
      try t.vault.readForAuthentication(target: "pinhost", type: .domainPassword).credentialBlob.password
        == "pinned-pw")
  }

  @Test func promptFallsBackToTheTerminalWithoutPinentry() throws {
    PromptLogic.environmentOverride.withLock { $0 = ["NTSEC_PINENTRY": "/nonexistent/pinentry"] }
    defer { PromptLogic.environmentOverride.withLock { $0 = nil } }
    #expect(Pinentry.program(environment: PromptLogic.environment()) == nil)
    let t = try TemporaryVault()
    let tty = try ScriptedTerminal(script: [("user name for", "CORP\\f\n"), ("password for", "fb\n")])
    let r = try t.vault.prompt(target: "fallback", flags: [.doNotPersist], terminal: tty.slavePath)
    _ = tty.finish()
    #expect(r.userName == "CORP\\f" && r.password.password == "fb" && !r.save)
    expectCode(.notSupported) { try t.vault.prompt(target: "x", flags: [.requireCertificate]) }
  }
}
