import Foundation
import NTSecurity

/// A token the tools could not read: the message they print after `ERROR_INVALID_PARAMETER`
/// (`token: unknown key "colour"`, `cannot read token file …`).
package struct TokenFileError: Error, CustomStringConvertible {
  package var description: String
}

extension AccessToken {
  /// Reads a token file in the token JSON format (``AccessToken``'s `Codable` form); `-` is
  /// standard input, and pipes (`<(…)`, `/dev/fd/N`) work as regular files do.
  package static func load(path: String) throws(TokenFileError) -> AccessToken {
    let bytes: [UInt8]
    do { bytes = try readInputFile(path, what: "token file \(path)") } catch {
      throw TokenFileError(description: error.message)
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
      throw TokenFileError(description: "\(source)not JSON: \(error.localizedDescription)")
    }
  }
}
