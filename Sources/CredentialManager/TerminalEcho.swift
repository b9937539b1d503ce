#if canImport(Glibc)
  import Glibc
#endif

/// Echo turned off on a terminal while a secret is typed, and turned back on however the read
/// ends: normally, or by SIGINT (Ctrl-C), SIGQUIT, SIGTERM or SIGHUP, whose handlers restore
/// the saved settings and then let the signal take its default course (the process still dies
/// of it, with the terminal as it found it).
enum TerminalEcho {
  // Read by the signal handler, which can capture nothing; written only while no handler of
  // ours is installed, under `lock`.
  nonisolated(unsafe) static var restoreFD: Int32 = -1
  nonisolated(unsafe) static var restoreAttributes = termios()
  static let signals: [Int32] = [SIGINT, SIGQUIT, SIGTERM, SIGHUP]
  nonisolated(unsafe) static var lock = pthread_mutex_t()
  nonisolated(unsafe) static var lockReady: Void = { pthread_mutex_init(&lock, nil) }()

  /// Runs `body` with echo off on `fd` (when it is a terminal). `echoNewline` keeps the newline
  /// echoed so the next output starts on its own line.
  static func withEchoOff<T>(fd: Int32, echoNewline: Bool = true, _ body: () throws -> T) rethrows -> T {
    var saved = termios()
    guard tcgetattr(fd, &saved) == 0 else { return try body() }
    _ = lockReady
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    restoreFD = fd
    restoreAttributes = saved
    var previous: [sigaction] = []
    for sig in signals {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { sig in
        if TerminalEcho.restoreFD >= 0 {
          tcsetattr(TerminalEcho.restoreFD, TCSANOW, &TerminalEcho.restoreAttributes)
        }
        signal(sig, SIG_DFL)
        raise(sig)
      }
      sigemptyset(&action.sa_mask)
      var old = sigaction()
      sigaction(sig, &action, &old)
      previous.append(old)
    }
    var quiet = saved
    quiet.c_lflag &= ~tcflag_t(ECHO)
    if echoNewline { quiet.c_lflag |= tcflag_t(ECHONL) }
    tcsetattr(fd, TCSAFLUSH, &quiet)
    defer {
      tcsetattr(fd, TCSAFLUSH, &saved)
      for (i, sig) in signals.enumerated() { sigaction(sig, &previous[i], nil) }
      restoreFD = -1
    }
    return try body()
  }

  /// Reads one line (without its terminator) from `fd` into a buffer reserved up front, so it is
  /// never reallocated and left behind; nil at end of input before any byte. `limit` bytes at
  /// most (the rest of a longer line is read and dropped).
  static func readLine(fd: Int32, limit: Int = 4096) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(limit)
    var byte: UInt8 = 0
    var sawAny = false
    while true {
      let n = Glibc.read(fd, &byte, 1)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 {
        if !sawAny { return nil }
        break
      }
      sawAny = true
      if byte == 0x0A || byte == 0x0D { break }
      if out.count < limit { out.append(byte) }
    }
    byte = 0
    return out
  }
}

/// Reading a line on the controlling terminal, for command-line tools: the prompt is written to
/// the terminal, a secret is read with echo off (restored on Ctrl-C), and the bytes read are
/// returned in a buffer the caller wipes.
public enum TerminalInput {
  /// One line typed on `terminal` after `prompt`; nil without a terminal or at end of input.
  public static func readLine(prompt: String, secret: Bool, terminal: String = "/dev/tty") -> SecretBytes? {
    let fd = open(terminal, O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    _ = prompt.withCString { write(fd, $0, strlen($0)) }
    let line =
      secret
      ? TerminalEcho.withEchoOff(fd: fd) { TerminalEcho.readLine(fd: fd) } : TerminalEcho.readLine(fd: fd)
    return line.map(SecretBytes.init)
  }
}
