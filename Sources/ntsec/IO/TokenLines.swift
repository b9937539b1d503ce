import Foundation
import NTSecIO
import NTSecurity

/// The line framing `ntsec gss init/accept` and `ntsec sspi client/server` share: one base64
/// context token a line each way until the context is established.
enum TokenLines {
  /// The peer closed the stream early or sent something that is not a token (exit status 1).
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// One line on stdout, flushed at once (the peer is waiting for it).
  static func emit(_ line: String) {
    print(line)
    fflush(nil)
  }

  /// One token as a base64 line.
  static func emit(token: [UInt8]) { emit(Base64.string(token)) }

  /// The next token: one base64 line from stdin.
  static func read() throws(Failure) -> [UInt8] {
    guard let line = readLine() else {
      throw Failure(description: "stdin ended before the context was established")
    }
    let text = line.trimmingCharacters(in: .whitespaces)
    guard let bytes = Base64.decode(text.utf8) else {
      throw Failure(description: "not a base64 token: \"\(text.prefix(40))\"")
    }
    return bytes
  }
}
