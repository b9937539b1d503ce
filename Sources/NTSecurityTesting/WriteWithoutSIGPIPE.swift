import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes `data` to `handle` (the write end of a pipe to a child process) with SIGPIPE blocked on
/// the calling thread only: a reader that has already exited makes the write fail with EPIPE
/// instead of killing this process, and the process's own SIGPIPE disposition is left alone.
/// A SIGPIPE the write raised is taken off the thread before the signal mask is restored.
public func writeWithoutSIGPIPE(_ data: Data, to handle: FileHandle) throws {
  var pipeSignal = sigset_t()
  sigemptyset(&pipeSignal)
  sigaddset(&pipeSignal, SIGPIPE)
  var previous = sigset_t()
  pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
  defer {
    var pending = sigset_t()
    sigpending(&pending)
    if sigismember(&pending, SIGPIPE) == 1 {
      var now = timespec()
      _ = sigtimedwait(&pipeSignal, nil, &now)
    }
    pthread_sigmask(SIG_SETMASK, &previous, nil)
  }
  try handle.write(contentsOf: data)
}
