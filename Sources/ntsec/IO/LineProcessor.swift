import ArgumentParser
import NTSecurity

/// Runs `transform` on the positional argument, or on every line of standard input when there is
/// none: one output per line, `error: CODE message` for a line that fails (processing goes on),
/// and exit status 1 when any line failed.
func processInputs(_ argument: String?, _ transform: (String) throws -> String) throws {
  try processInputs(argument.map { [$0] } ?? [], transform)
}

/// ``processInputs(_:_:)`` over several positional arguments, or standard input when none is given.
func processInputs(_ arguments: [String], _ transform: (String) throws -> String) throws {
  var failed = false
  func handle(_ input: String) {
    do {
      print(try transform(input))
    } catch let error as NTSecurityError {
      print("error: \(error.code.name) \(error.message)" + (error.offset.map { " at offset \($0)" } ?? ""))
      failed = true
    } catch {
      print("error: \(error)")
      failed = true
    }
  }
  if !arguments.isEmpty {
    arguments.forEach(handle)
  } else {
    while let line = readLine(strippingNewline: true) {
      handle(line.hasSuffix("\r") ? String(line.dropLast()) : line)
    }
  }
  if failed { throw ExitCode(1) }
}
