import Foundation
import NTSecurity

/// A token the tools could not read: its Windows code (ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED
/// for the file; ERROR_INVALID_PARAMETER for its content) and what was wrong
/// (`token: unknown key "colour"`, `cannot read token file t.json: No such file or directory`,
/// `t.json: not JSON at line 3, column 7: …`).
package struct TokenFileError: Error, CustomStringConvertible {
  package var code: WindowsError = .invalidParameter
  package var description: String
}

extension AccessToken {
  /// Reads a token file in the token JSON format (``AccessToken``'s `Codable` form); `-` is
  /// standard input, and pipes (`<(…)`, `/dev/fd/N`) work as regular files do.
  package static func load(path: String) throws(TokenFileError) -> AccessToken {
    let bytes: [UInt8]
    do { bytes = try readInputFile(path, what: "token file \(path)") } catch {
      throw TokenFileError(code: error.code, description: error.message)
    }
    return try decoding(Data(bytes), source: "\(path): ")
  }

  /// Reads a token from a value `JSONSerialization` produced (a line of `access-check --batch`).
  package init(jsonObject: Any) throws(TokenFileError) {
    let data: Data
    do { data = try JSONSerialization.data(withJSONObject: jsonObject, options: .fragmentsAllowed) } catch {
      throw TokenFileError(description: "token: not JSON: \(error.localizedDescription)")
    }
    self = try Self.decoding(data, source: "token: ")
  }

  /// The token in the token JSON format, on one line, keys in the documented order.
  package var jsonLine: String {
    // AccessToken.encode(to:) throws only what its encoder throws, and this one throws nothing.
    (try? JSONWriterEncoder.text(self, .spaced)) ?? "{}"
  }

  private static func decoding(_ data: Data, source: String) throws(TokenFileError) -> AccessToken {
    do { return try JSONDecoder().decode(AccessToken.self, from: data) } catch let error as NTSecurityError {
      throw TokenFileError(description: error.message)
    } catch {
      let position = syntaxPosition(data)
      throw TokenFileError(
        description: "\(source)not JSON" + (position.isEmpty ? ": \(reason(error))" : position))
    }
  }

  /// Where JSON text stops being JSON, as ` at line L, column C: unexpected "x"` (both from 1; the
  /// column counts characters), or nothing when the text is valid JSON (the decoder failed on
  /// something else).
  private static func syntaxPosition(_ data: Data) -> String {
    let bytes = [UInt8](data)
    guard let offset = JSONSyntax.errorOffset(bytes) else { return "" }
    var line = 1
    var lineStart = 0
    for (index, byte) in bytes[..<offset].enumerated() where byte == 0x0A {
      line += 1
      lineStart = index + 1
    }
    let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
    let found =
      offset < bytes.count
      ? "unexpected \"\(String(decoding: bytes[offset...].prefix(1), as: UTF8.self))\""
      : "unexpected end of text"
    return " at line \(line), column \(column): \(found)"
  }

  /// The decoder's own words: a DecodingError's description and its underlying reason.
  private static func reason(_ error: any Error) -> String {
    guard case DecodingError.dataCorrupted(let context) = error else { return error.localizedDescription }
    let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
    return underlying ?? context.debugDescription
  }
}
