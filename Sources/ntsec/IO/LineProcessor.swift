import ArgumentParser
import NTSecurity

/// Runs `transform` on the positional argument, or on every line of standard input when there is
/// none: one output per line, `error: CODE message` for a line that fails (processing goes on),
/// and exit status 1 when any line failed.
func processInputs(_ argument: String?, _ transform: (String) throws -> String) throws {
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
  if let argument {
    handle(argument)
  } else {
    while let line = readLine(strippingNewline: true) {
      handle(line.hasSuffix("\r") ? String(line.dropLast()) : line)
    }
  }
  if failed { throw ExitCode(1) }
}

/// Decodes hex (whitespace ignored) or, failing that, base64.
func decodeBinary(_ text: String) throws -> [UInt8] {
  let compact = text.filter { !$0.isWhitespace }
  let hexDigits = compact.hasPrefix("0x") ? String(compact.dropFirst(2)) : compact
  if hexDigits.count % 2 == 0, hexDigits.allSatisfy(\.isHexDigit) {
    var out = [UInt8]()
    out.reserveCapacity(hexDigits.count / 2)
    var it = hexDigits.makeIterator()
    while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
    return out
  }
  if let data = Base64.decode(compact) { return data }
  throw NTSecurityError(.invalidParameter, "input is neither hex nor base64")
}

/// A small base64 codec (standard alphabet, padding required on decode).
enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out = [UInt8]()
    var i = 0
    while i < bytes.count {
      let n = min(3, bytes.count - i)
      let b0 = bytes[i]
      let b1 = n > 1 ? bytes[i + 1] : 0
      let b2 = n > 2 ? bytes[i + 2] : 0
      out.append(alphabet[Int(b0 >> 2)])
      out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
      out.append(n > 1 ? alphabet[Int((b1 & 0xf) << 2 | b2 >> 6)] : UInt8(ascii: "="))
      out.append(n > 2 ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func decode(_ text: String) -> [UInt8]? {
    let u = Array(text.utf8)
    guard u.count % 4 == 0, !u.isEmpty else { return nil }
    var table = [UInt8](repeating: 0xff, count: 256)
    for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
    var out = [UInt8]()
    for chunk in stride(from: 0, to: u.count, by: 4) {
      var v: UInt32 = 0
      var pad = 0
      for k in 0..<4 {
        let c = u[chunk + k]
        if c == UInt8(ascii: "=") {
          guard chunk + 4 == u.count, k >= 2 else { return nil }
          pad += 1
          v <<= 6
          continue
        }
        guard pad == 0, table[Int(c)] != 0xff else { return nil }
        v = v << 6 | UInt32(table[Int(c)])
      }
      out.append(UInt8(truncatingIfNeeded: v >> 16))
      if pad < 2 { out.append(UInt8(truncatingIfNeeded: v >> 8)) }
      if pad < 1 { out.append(UInt8(truncatingIfNeeded: v)) }
    }
    return out
  }
}

extension Array where Element == UInt8 {
  var hexString: String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(count * 2)
    for b in self {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0xf)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// Minimal JSON string escaping for `--json` output.
func jsonString(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case _ where scalar.value < 0x20:
      out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}
