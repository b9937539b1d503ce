/// A JSON value as a `Decoder` presents it. The token format's reader walks it so that it can
/// name the place and the kind of every value it refuses, which `Decodable`'s own errors cannot.
enum JSONValue: Decodable, CustomStringConvertible {
  case null
  case bool(Bool)
  case int(Int64)
  case uint(UInt64)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .int(value)
    } else if let value = try? container.decode(UInt64.self) {
      self = .uint(value)
    } else if let value = try? container.decode(Double.self) {
      self = .double(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// A string's text without quotes, a number or literal as written, containers in brackets.
  var description: String {
    switch self {
    case .null: "null"
    case .bool(let value): "\(value)"
    case .int(let value): "\(value)"
    case .uint(let value): "\(value)"
    case .double(let value): "\(value)"
    case .string(let value): value
    case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
    case .object(let members): "{" + members.keys.sorted().joined(separator: ", ") + "}"
    }
  }

  var string: String? { if case .string(let value) = self { value } else { nil } }

  /// An integer, or a number with no fractional part that fits.
  var int64: Int64? {
    switch self {
    case .int(let value): value
    case .uint(let value): Int64(exactly: value)
    case .double(let value): Int64(exactly: value)
    default: nil
    }
  }

  /// A non-negative integer, or a number with no fractional part that fits.
  var uint64: UInt64? {
    switch self {
    case .int(let value): UInt64(exactly: value)
    case .uint(let value): value
    case .double(let value): UInt64(exactly: value)
    default: nil
    }
  }
}
