import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// The bytes of a FILE argument: `-` is standard input; anything else is opened and read to its
/// end, so pipes, process substitution (`/dev/fd/N`) and FIFOs work as well as regular files.
/// A file that cannot be read is an error naming the file and the OS reason (ERROR_FILE_NOT_FOUND
/// for a missing file, ERROR_PATH_NOT_FOUND when a directory on the way is not one,
/// ERROR_ACCESS_DENIED for a forbidden one, ERROR_READ_FAULT otherwise, as `EISDIR`);
/// `what` names the file in that message (default: the path, or "standard input").
package func readInputFile(_ path: String, what: String? = nil) throws(NTSecurityError) -> [UInt8] {
  let name = what ?? (path == "-" ? "standard input" : path)
  let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { throw inputFileError(name, errno) }
  defer { if fd != STDIN_FILENO { close(fd) } }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 && errno == EINTR { continue }
    guard n >= 0 else { throw inputFileError(name, errno) }
    if n == 0 { return bytes }
    bytes.append(contentsOf: chunk[..<n])
  }
}

private func inputFileError(_ name: String, _ code: Int32) -> NTSecurityError {
  let windows: WindowsError =
    switch code {
    case ENOENT: .fileNotFound
    case ENOTDIR: .pathNotFound
    case EACCES, EPERM: .accessDenied
    default: .readFault
    }
  return NTSecurityError(windows, "cannot read \(name): \(String(cString: strerror(code)))")
}
