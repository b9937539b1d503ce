import Foundation
import Testing

/// Ctrl-C at a password prompt: the process dies of SIGINT as before, and the terminal has its
/// echo back. Driven through a real pseudo-terminal that is `ntsec`'s controlling terminal
/// (Python's pty and termios modules; the parent keeps the slave open to read its settings).
@Suite struct TerminalEchoTests {
  static let driver = """
    import fcntl, os, pty, select, signal, sys, termios, time
    exe, args = sys.argv[1], sys.argv[2:]
    master, slave = pty.openpty()
    pid = os.fork()
    if pid == 0:
        # A terminal's Ctrl-C reaches a shell's child unblocked and at its default action; the
        # test runner may have blocked or ignored it.
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_DFL)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.execv(exe, [exe] + args)
    seen = b""
    deadline = time.time() + 30
    while b"ass" not in seen and time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 1024)
    time.sleep(0.3)
    during = termios.tcgetattr(slave)[3] & termios.ECHO
    os.write(master, b"\\x03")
    status = None
    for _ in range(200):
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            break
        time.sleep(0.1)
    if status is None:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        print("still running 20 s after Ctrl-C")
    after = termios.tcgetattr(slave)[3] & termios.ECHO
    print("prompted=%d echo_during=%d echo_after=%d signal=%d" % (
        b"ass" in seen, during != 0, after != 0, os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0))
    """

  @Test(arguments: [["cred", "add", "t", "--user", "u"], ["cred", "key", "protect"]])
  func ctrlCAtAPasswordPromptRestoresEcho(_ args: [String]) throws {
    guard let ntsec = NTSecBinary.path, let python = which("python3") else {
      Issue.record("ntsec or python3 missing: build first, run scripts/install-deps")
      return
    }
    let home = try makeTemporaryDirectory(prefix: "ntsec-cred-tty")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let r = try NTSecBinary.run(
      python, ["-c", Self.driver, ntsec] + args, environment: NTSecBinary.environment(home: home))
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output == "prompted=1 echo_during=0 echo_after=1 signal=2\n", "\(r.output) \(r.error)")
  }
}
