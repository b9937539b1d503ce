import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// How a line-mode command reads and reports: what its lines are (for the hint at a terminal),
/// whether its output is JSON (errors as `{"error": {…}}` objects), and whether an error's offset
/// points into the text (SDDL), so that the report of a single argument can show a caret.
struct LineMode {
  var what: String
  var json = false
  var textOffsets = false
}

/// Runs `transform` on the positional argument, or on every line of standard input when there is
/// none.
///
/// One argument is one input: its failure is the command's (thrown, reported on standard error
/// by `NTSec.main`, exit status 1). Lines (and several arguments) get one output each, and a
/// line that fails gets `error: CODE message at offset N` in place of its output — or
/// ``ErrorReport/json`` under `--json` — and processing goes on; the exit status is 1 when any
/// line failed or reading the input or writing the output failed (said on standard error).
/// Blank lines are skipped. Reading from a terminal, a one-line hint on standard error says so.
///
/// Input is read in large blocks and split into lines on bytes (``InputLines``); a line's
/// `\n` or `\r\n` and then one more trailing `\r` are dropped. `transform` gets the line's bytes
/// and appends its output (without the line end) to one buffer written out when full and at
/// the end; what it appended before throwing is discarded.
func processLines(
  _ argument: String?, _ mode: LineMode,
  _ transform: (UnsafeBufferPointer<UInt8>, inout OutputBuffer) throws -> Void
) throws {
  try processLines(argument.map { [$0] } ?? [], mode, transform)
}

/// ``processLines(_:_:_:)-(String?,_,_)`` over several positional arguments, or standard input
/// when none is given.
func processLines(
  _ arguments: [String], _ mode: LineMode,
  _ transform: (UnsafeBufferPointer<UInt8>, inout OutputBuffer) throws -> Void
) throws {
  var out = OutputBuffer()
  if arguments.count == 1 {
    var argument = arguments[0]
    do { try argument.withUTF8 { try transform($0, &out) } } catch {
      throw ArgumentFailure(text: mode.textOffsets ? argument : nil, error: error)
    }
    out.endLine()
    out.flush()
    if !reportIOErrors(input: nil, output: out.writeError) { throw ExitCode(1) }
    return
  }
  var failed = false
  func handle(_ input: UnsafeBufferPointer<UInt8>) {
    let mark = out.count
    do {
      try transform(input, &out)
    } catch {
      out.removeLast(out.count - mark)
      let report = ErrorReport(error)
      out.append(mode.json ? report.json() : report.inPlaceLine)
      failed = true
    }
    out.endLine()
  }
  var readError: Int32?
  if !arguments.isEmpty {
    for var argument in arguments { argument.withUTF8 { handle($0) } }
  } else {
    hintWhenReadingATerminal(mode.what)
    var lines = InputLines()
    while let line = lines.next() {
      let trimmed = line.last == UInt8(ascii: "\r") ? UnsafeBufferPointer(rebasing: line.dropLast()) : line
      if isBlank(trimmed) { continue }
      handle(trimmed)
    }
    readError = lines.readError
  }
  out.flush()
  if !reportIOErrors(input: readError, output: out.writeError) || failed { throw ExitCode(1) }
}

/// Says on standard error that lines of `what` are read from standard input when that is a
/// terminal (instead of waiting silently).
func hintWhenReadingATerminal(_ what: String) {
  guard isatty(STDIN_FILENO) == 1 else { return }
  FileHandle.standardError.write(Data("reading \(what) lines from standard input; Ctrl-D ends\n".utf8))
}

/// A line of spaces, tabs and carriage returns only: line modes skip it.
func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
  line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
}

/// ``processLines(_:_:_:)-(String?,_,_)`` for a transform from text to text: the line as a
/// `String` (invalid UTF-8 repaired, as `readLine()` does) and its output line.
func processInputs(_ argument: String?, _ mode: LineMode, _ transform: (String) throws -> String) throws {
  try processInputs(argument.map { [$0] } ?? [], mode, transform)
}

/// ``processInputs(_:_:_:)-(String?,_,_)`` over several positional arguments, or standard input
/// when none is given.
func processInputs(_ arguments: [String], _ mode: LineMode, _ transform: (String) throws -> String) throws {
  try processLines(arguments, mode) { line, out in
    out.append(try transform(String(decoding: line, as: UTF8.self)))
  }
}
