import ArgumentParser
import NTSecIO
import NTSecurity

/// A failure the CLI reports as `ntsec: error: CODE: message` (``ErrorReport``) with exit status 1
/// (or `exitStatus`).
struct CLIFailure: Error, CustomStringConvertible {
  var code: WindowsError
  var message: String
  var exitStatus: Int32 = 1
  var description: String { "\(code.name) \(message)" }
}

/// A privilege named (case-insensitive) or given by its LUID (decimal, or 0x hex, or HIGH:LOW).
func parsePrivilege(_ text: String) throws -> Privilege {
  let trimmed = text.trimmingCharacters(in: " ")
  if let value = parseNumber(trimmed) {
    guard let privilege = Privilege(luid: LUID(value)) else {
      throw CLIFailure(code: .noSuchPrivilege, message: "no privilege has the LUID \(trimmed)")
    }
    return privilege
  }
  do { return try Privilege.named(trimmed) } catch {
    throw CLIFailure(code: error.code, message: error.message)
  }
}

/// A decimal or 0x-hexadecimal unsigned number.
func parseNumber(_ text: String) -> UInt64? {
  if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
  return UInt64(text)
}

func parseSID(_ text: String, _ option: String) throws -> SID {
  do { return try SID(parsing: text.trimmingCharacters(in: " ")) } catch {
    throw CLIFailure(code: error.code, message: "\(option) \(text): \(error.message)")
  }
}

func loadToken(_ path: String) throws -> AccessToken {
  do { return try AccessToken.load(path: path) } catch {
    throw CLIFailure(code: error.code, message: error.description)
  }
}

/// Trims one character (e.g. spaces) from both ends.
extension String {
  func trimmingCharacters(in set: Character) -> String {
    var s = Substring(self)
    while s.first == set { s = s.dropFirst() }
    while s.last == set { s = s.dropLast() }
    return String(s)
  }
}
