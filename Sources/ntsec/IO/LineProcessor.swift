import ArgumentParser
import NTSecIO
import NTSecurity

/// Runs `transform` on the positional argument, or on every line of standard input when there is
/// none: one output per line, `error: CODE message` for a line that fails (processing goes on),
/// and exit status 1 when any line failed or reading the input or writing the output failed
/// (said on standard error).
///
/// Input is read in large blocks and split into lines on bytes (``InputLines``); a line's
/// `\n` or `\r\n` and then one more trailing `\r` are dropped. `transform` gets the line's bytes
/// and appends its output (without the line end) to one buffer written out when full and at
/// the end; what it appended before throwing is discarded.
func processLines(
  _ argument: String?, _ transform: (UnsafeBufferPointer<UInt8>, inout OutputBuffer) throws -> Void
) throws {
  try processLines(argument.map { [$0] } ?? [], transform)
}

/// ``processLines(_:_:)-(String?,_)`` over several positional arguments, or standard input when
/// none is given.
func processLines(
  _ arguments: [String], _ transform: (UnsafeBufferPointer<UInt8>, inout OutputBuffer) throws -> Void
) throws {
  var failed = false
  var out = OutputBuffer()
  func handle(_ input: UnsafeBufferPointer<UInt8>) {
    let mark = out.count
    do {
      try transform(input, &out)
    } catch let error as NTSecurityError {
      out.removeLast(out.count - mark)
      out.append(
        "error: \(error.code.name) \(error.message)" + (error.offset.map { " at offset \($0)" } ?? ""))
      failed = true
    } catch {
      out.removeLast(out.count - mark)
      out.append("error: \(error)")
      failed = true
    }
    out.endLine()
  }
  var readError: Int32?
  if !arguments.isEmpty {
    for var argument in arguments { argument.withUTF8 { handle($0) } }
  } else {
    var lines = InputLines()
    while let line = lines.next() {
      let trimmed = line.last == UInt8(ascii: "\r") ? UnsafeBufferPointer(rebasing: line.dropLast()) : line
      handle(trimmed)
    }
    readError = lines.readError
  }
  out.flush()
  if !reportIOErrors(input: readError, output: out.writeError) || failed { throw ExitCode(1) }
}

/// ``processLines(_:_:)-(String?,_)`` for a transform from text to text: the line as a `String`
/// (invalid UTF-8 repaired, as `readLine()` does) and its output line.
func processInputs(_ argument: String?, _ transform: (String) throws -> String) throws {
  try processInputs(argument.map { [$0] } ?? [], transform)
}

/// ``processInputs(_:_:)-(String?,_)`` over several positional arguments, or standard input when
/// none is given.
func processInputs(_ arguments: [String], _ transform: (String) throws -> String) throws {
  try processLines(arguments) { line, out in
    out.append(try transform(String(decoding: line, as: UTF8.self)))
  }
}
