import ArgumentParser
import Foundation
import GSSAPI
import NTSecIO
import NTSecurity
import NTSecurityTesting
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

/// A failure as `ntsec` reports it, the one form every command uses: the code name (`ERROR_*`,
/// `SEC_E_*`, `GSS_S_*`), what went wrong, and where in the input when that is known.
///
/// A command fails by throwing; `NTSec.main` prints ``line`` on standard error and exits with
/// ``exitStatus``. Line modes print ``inPlaceLine`` (or ``json``) on standard output in place of
/// the line's output and go on.
struct ErrorReport {
  var code: String
  var message: String
  var offset: Int?
  var exitStatus: Int32 = 1
  /// The input text `offset` points into, for the caret under it at a terminal.
  var text: String?

  init(_ thrown: any Error) {
    var error = thrown
    var status: Int32?
    if let failure = thrown as? ArgumentFailure {
      error = failure.error
      text = failure.text
      status = failure.exitStatus
    }
    var code = WindowsError.invalidFunction.name
    var message = String(describing: error)
    switch error {
    case let error as NTSecurityError:
      (code, message) = (Self.name(error.code), error.message)
      offset = error.offset
    case let error as CLIFailure:
      (code, message) = (Self.name(error.code), error.message)
      exitStatus = error.exitStatus
    case let error as TokenFileError:
      (code, message) = (error.code.name, error.description)
    case let error as SSPIError:
      (code, message) = (error.status.name, error.message + (error.gssError.map { " [\($0)]" } ?? ""))
    case let error as GSSError:
      code = error.routine?.statusName ?? error.calling.map(\.statusName) ?? "GSS_S_FAILURE"
      let messages = (error.majorMessages + error.minorMessages).filter { !$0.isEmpty }
      message =
        error.context + (messages.isEmpty ? "" : " (" + messages.joined(separator: "; ") + ")")
        + (error.minor != 0 ? " [minor \(error.minor)]" : "")
    case let error as AccessCheckRequest.InputError:
      (code, message) = (error.code.name, error.description)
    case let error as SampleSocket.Failure:
      (code, message) = (error.code.name, error.description)
    case let error as TokenLines.Failure:
      (code, message) = (WindowsError.invalidData.name, error.description)
    case let error as KerberosTestRealm.Failure:
      message = error.description
    default:
      break
    }
    self.code = code
    self.message = message
    if let status { exitStatus = status }
  }

  /// A code's name; an SSPI status carried as a Windows code (the LSA's Kerberos calls return
  /// SECURITY_STATUS values) by its `SEC_E_*` name.
  static func name(_ code: WindowsError) -> String {
    let status = SSPI.Status(rawValue: code.rawValue)
    if code.rawValue >= 0x8000_0000, !status.name.hasPrefix("0x") { return status.name }
    return code.name
  }

  private var at: String { offset.map { " at offset \($0)" } ?? "" }

  /// `ntsec: error: CODE: message at offset N`, the form on standard error.
  var line: String { "ntsec: error: \(code): \(message)\(at)" }

  /// `error: CODE message at offset N`, a line of a line mode's output.
  var inPlaceLine: String { "error: \(code) \(message)\(at)" }

  /// `{"error": {"code": …, "message": …, "offset": …}}`, a line of a line mode's JSON output.
  func json(_ layout: JSONWriter.Layout = .compact) -> String {
    var w = JSONWriter(layout)
    w.beginObject()
    w.key("error")
    w.beginObject()
    w.field("code", code)
    w.field("message", message)
    if let offset { w.field("offset", literal: offset) }
    w.endObject()
    w.endObject()
    return w.text
  }

  /// The input and a caret under the offset (two lines), when both are known and the input is
  /// one printable line.
  var caret: String? {
    guard let text, let offset, offset <= text.count,
      !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    else { return nil }
    return "  " + text + "\n  " + String(repeating: " ", count: offset) + "^"
  }

  /// Prints the report on standard error (with the caret when standard error is a terminal)
  /// and exits.
  func exit() -> Never {
    var output = line + "\n"
    if isatty(STDERR_FILENO) == 1, let caret { output += caret + "\n" }
    FileHandle.standardError.write(Data(output.utf8))
    Foundation.exit(exitStatus)
  }
}

/// A failure on input given as arguments: the error, the input (so the report can put a caret
/// under the offset), and the exit status when the command documents another than 1.
struct ArgumentFailure: Error {
  /// The argument, when offsets point into its text (SDDL; not hex, whose offsets are bytes').
  var text: String?
  var error: any Error
  var exitStatus: Int32?
}

extension GSSError.Calling {
  /// The RFC 2744 name, e.g. GSS_S_CALL_INACCESSIBLE_READ.
  var statusName: String {
    switch self {
    case .inaccessibleRead: "GSS_S_CALL_INACCESSIBLE_READ"
    case .inaccessibleWrite: "GSS_S_CALL_INACCESSIBLE_WRITE"
    case .badStructure: "GSS_S_CALL_BAD_STRUCTURE"
    }
  }
}
